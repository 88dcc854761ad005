"""Settings shared by every environment.

The environment is read only in this package (12-factor); `production.py` insists on the
variables a real deployment must set, `dev.py` and `test.py` fill in safe local values.
"""

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
            "but is not set. See .env.example and the README's configuration table."
        )
    return value


# --- Django ------------------------------------------------------------------------------

DEBUG = False

INSTALLED_APPS = [
    "advice",
    # django-comments-xtd before django_comments (its documented order), and our comments
    # app after both: its ready() must run after xtd's to disconnect xtd's signal handler
    # that publishes held child replies (DESIGN.md §4b). All before Wagtail's apps, whose
    # ready() loads every wagtail_hooks module: the desk's permission policies, registered in
    # comments' ready(), must exist before its snippet viewsets are built.
    "django_comments_xtd",
    "django_comments",
    "comments",
    # The spam defences every reader-facing form shares (rate limits, block list, duplicates).
    "guard",
    # `manage.py import_wordpress`: letters and replies from a WordPress export. Nothing imports it.
    "importer",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "advice.middleware.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
    locked" errors (DESIGN.md §4a).
    """
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
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
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pursebop",
        }
    }
else:
    # Shared by every gunicorn worker, unlike local memory; created by `createcachetable`.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pursebop_cache",
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
    }

# Where guard's rate-limit counters live: Redis's atomic INCR when REDIS_URL is set, otherwise
# one upsert-and-return statement on a counter table in the database (DESIGN.md §4a, §4b).
RATE_LIMIT_STORE = "redis" if REDIS_URL else "database"
# Multiplies every rate limit: the one setting benchmarks and load runs use (>= 1, never off).
RATE_LIMIT_MULTIPLIER = int(env.get("RATE_LIMIT_MULTIPLIER", "1"))
# Addresses or networks of our own reverse proxies: only their X-Forwarded-For is believed.
RATE_LIMIT_TRUSTED_PROXIES = env_list("RATE_LIMIT_TRUSTED_PROXIES")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# Our wording for strings packages hard-code (locale/en/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
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
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

SITE_ID = 1
# The bare host[:port] used by django.contrib.sites (xtd builds email links from it).
SITE_DOMAIN = env.get("SITE_DOMAIN", "127.0.0.1:8000")

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Dear PurseBop"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No Gravatar avatars in the admin: they would send a hash of each user's email address to a
# third party, and the admin's CSP does not allow outside images anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Reader replies (django-comments-xtd) ------------------------------------------------

COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.Reply"  # the full path: "comments.Reply" fails (§4b)
COMMENTS_XTD_FORM_CLASS = "comments.forms.ReplyForm"
COMMENT_MAX_LENGTH = 3000
COMMENTS_XTD_SEND_HTML_EMAIL = False  # plain-text emails, from our templates
COMMENTS_XTD_CONFIRM_EMAIL = False  # our policy decides; xtd's pre-storage confirmation stays off
COMMENTS_XTD_MAX_THREAD_LEVEL = 3  # replies to replies, four levels in all
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
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
SESSION_COOKIE_HTTPONLY = True

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
# (advice.middleware.SiteCSPMiddleware) rather than none at all (DESIGN.md §4a).
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
