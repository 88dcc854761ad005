"""Settings for the app servers the outage tests start (testing.servers): the test settings
with email queued in the database, as in production, so a test can see the queue survive."""

from config.settings.test import *  # noqa: F403

# testing.mail.DATABASE_BACKEND (not imported: settings load before the apps).
TASKS = {**TASKS, "email": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # noqa: F405
