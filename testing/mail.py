"""The email queue in tests: one pass of the worker over the database backend, and mail
backends that fail the way mail servers do."""

import smtplib
import socket

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from outbox.delivery import BACKEND

QUEUED = "outbox.backends.QueuedEmailBackend"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def run_email_worker(later=None):
    """One pass of `manage.py db_worker --backend email --batch`: every email task that is due
    runs, tasks queued meanwhile included, through the worker's own run_task(). With `later`
    (a timedelta), tasks due within that time run too, as if the clock had moved on. Returns
    the task results that ran, in order.

    The worker's loop itself (Worker.run) is not called: between tasks it closes database
    connections that are inside a transaction, which is where every test runs."""
    if later is not None:
        due = timezone.now() + later
        queued(status="READY").filter(run_after__lte=due).update(run_after=timezone.now())
    worker = task_worker("test-worker")
    ran = []
    while (result := DBTaskResult.objects.ready().filter(backend_name=BACKEND).first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    return ran


def queued(**filters):
    """The email queue's task results, oldest first."""
    return DBTaskResult.objects.filter(backend_name=BACKEND, **filters).order_by("enqueued_at")


def closed_port():
    """A local TCP port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RefusingBackend(LocmemBackend):
    """Sends like locmem, but refuses every recipient at refused.example, as a mail server
    refuses an address it does not know."""

    def send_messages(self, messages):
        for message in messages:
            refused = [a for a in message.recipients() if a.endswith("@refused.example")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such user")))
        return super().send_messages(messages)


def task_worker(worker_id):
    """The email worker's own Worker, configured as `manage.py email_worker` runs it, for loops
    that claim and run its tasks one by one (these tests, the newsletter benchmark)."""
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )
