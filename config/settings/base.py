"""Settings shared by every environment.

The environment is read only in this package (12-factor); `production.py` insists on the
variables a real deployment must set, `dev.py` and `test.py` fill in safe local values.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = os.environ


def env_bool(name, default=False):
    """Read a yes/no variable: 1/true/yes/on (any case) are true, anything else false."""
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list, ignoring blanks and surrounding spaces."""
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


def env_required(name, value=None):
    """Read a variable a deployment must set, naming it when it is missing or empty.

    `value` is the already-parsed value, for variables such as lists that can be
    present yet hold nothing.
    """
    value = env.get(name, "").strip() if value is None else value
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required by these settings "
            f"({env.get('DJANGO_SETTINGS_MODULE', 'config.settings.production')}) "
            "but is not set. See .env.example and the settings table in docs/operations.md."
        )
    return value


# --- Django ------------------------------------------------------------------------------

DEBUG = False

INSTALLED_APPS = [
    # What every site needs (health, robots.txt, error pages, headers): imports none of ours.
    "base",
    "advice",
    # django-comments-xtd before django_comments (its documented order), and our comments
    # app after both: its ready() must run after xtd's to disconnect xtd's signal handler
    # that publishes held child replies. All before Wagtail's apps, whose
    # ready() loads every wagtail_hooks module: the desk's permission policies, registered in
    # comments' ready(), must exist before its snippet viewsets are built.
    "django_comments_xtd",
    "django_comments",
    "comments",
    # The spam defences every reader-facing form shares (rate limits, block list, duplicates).
    "guard",
    # Background tasks: the email queue is a table (outbox, TASKS["email"]).
    "django_tasks",
    "django_tasks_db",
    # The email queue's worker command, its beat and the admin's failed emails (outbox/).
    "outbox",
    # Whole pages for anonymous readers, and the CDN purge (pagecache/, docs/architecture.md).
    "pagecache",
    # `manage.py import_wordpress`: letters and replies from a WordPress export. Nothing imports it.
    "importer",
    # Reader letters: the "Write to PurseBop" form, the editors' inbox, drafts. Nothing imports it.
    "mailbag",
    # "Letters by email": subscriptions with double opt-in, suppression, each answer sent out
    # (newsletter/, docs/newsletter.md). Nothing imports it.
    "newsletter",
    # Anymail: EMAIL_DELIVERY_BACKEND may name a provider's API (docs/newsletter.md).
    "anymail",
    # `manage.py load_initial_data`: the demo site. It may use every app; nothing imports it.
    "demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "base.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a body or query string (CSRF does): an unreadable charset is a 400.
    "base.charsets.DeclaredCharsetMiddleware",
    # Above sessions, CSRF and authentication: a kept page is answered before any of them can
    # set a cookie or vary on one (pagecache.middleware).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "base.middleware.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database_config(url):
    """Turn DATABASE_URL into Django's DATABASES entry.

    SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout, so several
    gunicorn workers (and the rate-limit counter's upsert) can write without "database is
    locked" errors.
    """
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable server fails a request (a 503 for a reply, /healthz/diagnostics) within seconds,
        # not after the system's TCP timeout; `?connect_timeout=` in the URL overrides it.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {
    "default": database_config(env.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get("REDIS_URL", "").strip()
if REDIS_URL:
    # Django's Redis backend, keeping its client between calls (base.cache).
    CACHES = {
        "default": {
            "BACKEND": "base.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pursebop",
        },
        # Whole pages for anonymous readers, shared by every server (pagecache.store).
        "pages": {
            "BACKEND": "base.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pursebop-pages",
            "TIMEOUT": 60 * 60,
        },
    }
else:
    # Per-process local memory, not Django's database cache: with the cache in the database a
    # page view wrote cache rows, and while another connection held SQLite's write lock plain
    # page views waited out the 20 s busy timeout. The trade-off: each gunicorn worker has its
    # own cache, and a change clears only the copy of the process that made it. What lives
    # here is Wagtail's site root paths (how page URLs are built, cached for an hour by Wagtail
    # itself), so MAX_TIMEOUT keeps every entry at most a minute (base.cache): after an
    # editor changes a Site's hostname, port or home page, other workers may build links the
    # old way for up to a minute. Rate limits never use the cache (guard.ratelimit).
    CACHES = {
        "default": {
            "BACKEND": "base.cache.LocalMemoryCache",
            "LOCATION": "pursebop",
            "TIMEOUT": 60,
            "OPTIONS": {"MAX_ENTRIES": 5000, "MAX_TIMEOUT": 60},
        },
        # Wagtail stores every rendition it shows in this cache; in the database cache that
        # was five SQL statements (one an UPDATE) per image per view. A rendition lookup
        # needs no sharing between processes, so each keeps its own.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            # Short-lived: another worker may have replaced a rendition (new focal point).
            "TIMEOUT": 120,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Whole pages for anonymous readers, each process its own copy, checked against the
        # site-wide version row in the database on every request (pagecache.store).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 2000},  # compressed: about 20 KB a letter page
        },
    }

# The whole-page cache for anonymous readers (pagecache): pages in Redis with REDIS_URL, else in
# each process's memory against a version read from the database. Pages are fresh for an hour;
# while the database cannot be reached, a page that was current when it went away is served
# stale for up to PAGE_CACHE_STALE_IF_ERROR seconds more (0 turns that off; pagecache.store).
PAGE_CACHE_ENABLED = True
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_STORE = "redis" if REDIS_URL else "database"
PAGE_CACHE_TIMEOUT = 60 * 60
# Without Redis, how many seconds a process trusts the version row it last read: a kept page
# then costs no query. A change is seen at once by the process that made it, within this by
# the others (Redis's version is read with the page, every request, and needs none).
PAGE_CACHE_VERSION_TTL = float(env.get("PAGE_CACHE_VERSION_TTL", "1"))
PAGE_CACHE_STALE_IF_ERROR = int(env.get("PAGE_CACHE_STALE_IF_ERROR", str(24 * 60 * 60)))
# With Redis, the bytes of kept pages each process also holds in its own memory, served
# while Redis's version still matches them (pagecache.nearby; 0: none).
PAGE_CACHE_NEARBY_BYTES = int(env.get("PAGE_CACHE_NEARBY_BYTES", str(32 * 1024 * 1024)))
# What kept pages tell browsers (max-age) and shared caches, a CDN or proxy (s-maxage): the
# CDN is purged when pages change (pagecache.purge); browsers, which nobody can purge, ask
# again every time (a 304 when nothing changed: ETag, Last-Modified), so a reader never sees
# an older page than the CDN's.
PAGE_CACHE_MAX_AGE = int(env.get("PAGE_CACHE_MAX_AGE", "0"))
PAGE_CACHE_S_MAXAGE = int(env.get("PAGE_CACHE_S_MAXAGE", str(60 * 60)))
# A proxy in front that takes HTTP PURGE requests (Varnish, nginx with a purge module, …):
# its address, e.g. http://127.0.0.1:6081. For Cloudflare or CloudFront set
# WAGTAILFRONTENDCACHE in production settings to Wagtail's backend for them (docs/operations.md).
PAGE_CACHE_PURGE_URL = env.get("PAGE_CACHE_PURGE_URL", "").strip()
WAGTAILFRONTENDCACHE = (
    {
        "proxy": {
            "BACKEND": "pagecache.purge.HTTPBackend",
            "LOCATION": PAGE_CACHE_PURGE_URL,
            "TIMEOUT": int(env.get("PAGE_CACHE_PURGE_TIMEOUT", "5")),
        }
    }
    if PAGE_CACHE_PURGE_URL
    else {}
)
# Purges run on the background queue (its worker: db_worker --backend email), never in the
# editor's or moderator's request.
PAGE_CACHE_PURGE_TASKS = "email"

# Where guard's rate-limit counters live: Redis's atomic INCR when REDIS_URL is set, otherwise
# one upsert-and-return statement on a counter table in the database.
RATE_LIMIT_STORE = "redis" if REDIS_URL else "database"
# Multiplies every rate limit: the one setting benchmarks and load runs use (>= 1, never off).
RATE_LIMIT_MULTIPLIER = int(env.get("RATE_LIMIT_MULTIPLIER", "1"))
# Guesses at a page's or a document collection's view password: per client address and
# restriction, counted like the reply limits (guard.passwords).
VIEW_PASSWORD_RATE_LIMITS = [("ip", 10, 15 * 60)]
# Addresses or networks of our own reverse proxies: only their X-Forwarded-For is believed.
RATE_LIMIT_TRUSTED_PROXIES = env_list("RATE_LIMIT_TRUSTED_PROXIES")

# django-axes first: it refuses a sign-in while its username and address, or its address
# alone, are locked out, before any password is checked. AxesBackend rather than the
# standalone one because it also loads users (tools that log in with the first backend).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (admin and the front-end login alike): 5 failures lock that username
# from that address, and that address for every username, for 15 minutes after the last
# failure (axes' default is forever). Addresses come from our trusted-proxy rule. Unlock
# early with `manage.py axes_reset_username <name>` or `axes_reset_ip <address>` (docs/operations.md).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_CLIENT_IP_CALLABLE = "guard.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "base.views.signin_locked"
# Failures are kept until their cool-off ends; successful sign-ins are not logged by axes.
AXES_DISABLE_ACCESS_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# British English: dates, feeds' <language> and <html lang> follow it.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# Dates in one style, "30 Nov 2026, 14:30" (config/formats/en_GB), wherever the admin shows one.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve uploaded media through Django: on in development and in `make run`'s local
# production-like mode; off in a real deployment (the web server or object storage does it).
SERVE_MEDIA = False

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Dear PurseBop <column@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Anymail (when EMAIL_DELIVERY_BACKEND names a provider): no open or click tracking, ever.
ANYMAIL = {"SEND_DEFAULTS": {"track_opens": False, "track_clicks": False}}
# The provider's bounce, complaint and unsubscribe webhooks (newsletter.webhooks), as
# "user:password" for HTTP basic auth: /anymail/<provider>/tracking/ exists only when it is set.
if env.get("ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = env["ANYMAIL_WEBHOOK_SECRET"]
# The newsletter (docs/newsletter.md). The key of the suppression list's hashes: its own key,
# set from the environment in production (production.py requires it); dev and tests derive one.
NEWSLETTER_SUPPRESSION_KEY = env.get("NEWSLETTER_SUPPRESSION_KEY", "")
# Confirmation emails per address and subscribe posts per client address (guard.ratelimit).
NEWSLETTER_RATE_LIMITS = [("ip", 10, 60 * 60), ("email", 3, 24 * 60 * 60)]
# How long a confirmation link works, in seconds.
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
# A letter dated more than this many days before its publication is never sent out.
NEWSLETTER_BACKDATED_DAYS = 2
# Deliveries written per transaction (fan-out) and claimed per batch (sending).
NEWSLETTER_FANOUT_BATCH = 500
NEWSLETTER_SEND_BATCH = 50
# Every email is queued (outbox): no request waits for the mail server, and a failed send is
# tried again. The worker sends through EMAIL_DELIVERY_BACKEND (SMTP in production).
EMAIL_BACKEND = "outbox.backends.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks (django-tasks). Wagtail's own (search and reference index) stay immediate,
# inside the request that caused them; email waits in the database for the worker,
# `manage.py email_worker` (outbox.worker).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# /healthz/diagnostics (base.health): open to staff, or to a monitor sending this token in
# the X-Health-Token header (unset: staff only); 503 when the email worker's last beat is
# older than this many seconds (it beats after every pass over the queue and every task).
HEALTH_DIAGNOSTICS_TOKEN = env.get("HEALTH_DIAGNOSTICS_TOKEN", "")
HEALTH_WORKER_BEAT_LIMIT = int(env.get("HEALTH_WORKER_BEAT_LIMIT", "300"))

SITE_ID = 1
# The bare host[:port] used by django.contrib.sites (xtd builds email links from it).
SITE_DOMAIN = env.get("SITE_DOMAIN", "127.0.0.1:8000")

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Dear PurseBop"
# Wagtail's Locale rows hold "en" (its first migration makes it from the language then set);
# content is in one language, so "en-gb" maps to that locale rather than needing one of its own.
WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
# The admin's date pickers write dates as the admin shows them (config/formats/en_GB reads them).
WAGTAIL_DATE_FORMAT = "%d %b %Y"
WAGTAIL_DATETIME_FORMAT = "%d %b %Y %H:%M"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No Gravatar avatars in the admin: they would send a hash of each user's email address to a
# third party, and the admin's CSP does not allow outside images anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Search stems English words and ignores accents: PostgreSQL through "english_unaccent" (the
# "english" text search configuration with unaccent first, advice migration 0021), SQLite
# through FTS5's porter tokenizer over unicode61 (advice migration 0010). After changing
# SEARCH_CONFIG on a PostgreSQL site, `manage.py update_index` rebuilds the stored vectors.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english_unaccent"}
}
# Documents are streamed by Wagtail's view, which applies collection privacy, never by
# redirecting to their file under MEDIA_ROOT (the web server must not serve media/documents/).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Upload limits: a small PNG can decode to a huge bitmap (renditions of an 11,300 x 11,300 one
# took a worker from 145 MB to 1.15 GB), so images are capped by pixels as well as bytes;
# documents by bytes (Wagtail's default for them is no limit). The web server should refuse
# larger request bodies before Django reads them (docs/operations.md, Deploying).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The pixel cap is checked from the file's header before anything decodes it (WebP and AVIF
# readers allocate the whole picture on opening), and is Pillow's own limit (guard.images).
WAGTAILIMAGES_IMAGE_FORM_BASE = "guard.image_forms.CheckedImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An approved workflow publishes without asking the approver for publish permission: the
# "Answer reviewers" approve letters but cannot publish (their own) directly (advice 0006).
WAGTAIL_FINISH_WORKFLOW_ACTION = "advice.workflows.publish_approved"

# --- Replies (django-comments-xtd) -------------------------------------------------------

COMMENTS_APP = "django_comments_xtd"
# xtd imports the model by its full path: "comments.Reply" fails at start-up.
COMMENTS_XTD_MODEL = "comments.models.Reply"
COMMENTS_XTD_FORM_CLASS = "comments.forms.ReplyForm"
COMMENT_MAX_LENGTH = 3000
COMMENTS_XTD_SEND_HTML_EMAIL = False  # plain-text emails, from our templates
COMMENTS_XTD_CONFIRM_EMAIL = False  # our policy decides; xtd's pre-storage confirmation stays off
COMMENTS_XTD_MAX_THREAD_LEVEL = 3  # replies to replies, four levels in all
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
# xtd's own emails are not used; were one sent, it would be queued, not sent from a thread.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "all",
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}

# --- Security ----------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# SAMEORIGIN, not DENY: Wagtail's preview renders pages in an iframe of the admin.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Browser features no page of ours uses, refused on every response (base.middleware): an
# empty list is "()", allowed nowhere. Only features Chromium and Firefox know, so browsers
# log no "unrecognized feature" errors.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SESSION_COOKIE_HTTPONLY = True
# A form sent with a missing or stale CSRF token: the reply form comes back with the text.
CSRF_FAILURE_VIEW = "base.views.csrf_failure"

# Public pages: nothing inline, nothing from another site (no nonces, so pages stay cacheable).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin uses inline scripts and styles: it gets its own looser policy
# (base.middleware.SiteCSPMiddleware) rather than none at all.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
ADMIN_URL_PREFIXES = ("/admin/",)
