"""Production: everything comes from the environment, and the required variables must be set.

`make run` uses these settings too, with DJANGO_LOCAL_HTTP=1 to serve plain HTTP on
127.0.0.1 (no SSL redirect, no secure-only cookies, no HSTS) and uploaded media through Django.
"""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list, env_required

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
# Its own key, never SECRET_KEY: rotating SECRET_KEY must not forget who unsubscribed.
NEWSLETTER_SUPPRESSION_KEY = env_required("NEWSLETTER_SUPPRESSION_KEY")
ALLOWED_HOSTS = env_required("DJANGO_ALLOWED_HOSTS", env_list("DJANGO_ALLOWED_HOSTS"))
DATABASES = {"default": database_config(env_required("DATABASE_URL"))}  # noqa: F405

DEBUG = False
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOCAL_HTTP = env_bool("DJANGO_LOCAL_HTTP")
if LOCAL_HTTP:
    # A local production-like run over plain HTTP (make run): never set this on a server.
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
    SERVE_MEDIA = True
    _scheme = "http"
else:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
    SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA")
    _scheme = "https"

_first_host = ALLOWED_HOSTS[0].lstrip(".")
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL") or f"{_scheme}://{_first_host}"
SITE_DOMAIN = env.get("SITE_DOMAIN") or _first_host

if env.get("EMAIL_HOST"):
    # What the email worker sends through; EMAIL_BACKEND (base.py) only queues.
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env["EMAIL_HOST"]
    EMAIL_PORT = int(env.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail and its task runner log every page save and task at INFO: too chatty here.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # django-axes: failures and lockouts (WARNING) yes, its start-up banner no.
        "axes": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS = [
    # X_FRAME_OPTIONS is SAMEORIGIN on purpose: Wagtail's live preview frames our own pages.
    "security.W019",
    # HSTS preload is a one-way commitment for the whole domain: its owner opts in with
    # DJANGO_SECURE_HSTS_PRELOAD=1 rather than getting it by default.
    "security.W021",
]
