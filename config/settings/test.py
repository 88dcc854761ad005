"""Settings for pytest. The cache stays what REDIS_URL selects, so the PostgreSQL/Redis lane
really exercises Redis; tests clear it between tests (conftest.py)."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
NEWSLETTER_SUPPRESSION_KEY = "test-only-suppression-key"
ANYMAIL = {**ANYMAIL, "WEBHOOK_SECRET": "provider:test-only-webhook-secret"}  # noqa: F405
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEBUG = False

# Fast hashing: password strength is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No manifest, so tests need no collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every email is sent into django.core.mail.outbox (pytest's `mailoutbox`). EMAIL_BACKEND stays
# the queue, though Django's test set-up swaps it for locmem; our own emails are queued
# explicitly, and the queue's tests put it back.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every task runs inline, inside the test, email too: each email test sees `mailoutbox` at once.
# The tests of the queue itself (waiting, retries) use the database backend explicitly.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "email": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_DOMAIN = "testserver"
SERVE_MEDIA = True
# Uploaded test images go to a scratch folder of this test run, never into the project's media/
# and never into another run's (two runs at once would see each other's files). Processes the
# tests start (app servers, workers) inherit the folder through the environment; the run that
# made it removes it at exit.
if "PURSEBOP_TEST_MEDIA" not in os.environ:
    os.environ["PURSEBOP_TEST_MEDIA"] = tempfile.mkdtemp(prefix="pursebop-test-media-")
    atexit.register(shutil.rmtree, os.environ["PURSEBOP_TEST_MEDIA"], ignore_errors=True)
MEDIA_ROOT = Path(os.environ["PURSEBOP_TEST_MEDIA"])
