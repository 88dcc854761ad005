"""Local development: DEBUG on, runserver, console email, SQLite unless DATABASE_URL says."""

import contextlib

from .base import *  # noqa: F403
from .base import env

DEBUG = True
# A key for local development only; production.py refuses to start without a real one.
SECRET_KEY = env.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
# Derived for development only; production requires its own (docs/operations.md).
NEWSLETTER_SUPPRESSION_KEY = (
    env.get("NEWSLETTER_SUPPRESSION_KEY") or "dev-suppression:" + SECRET_KEY
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")  # noqa: F405
SERVE_MEDIA = True
STORAGES = {  # no manifest: runserver serves static files straight from the app folders
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
