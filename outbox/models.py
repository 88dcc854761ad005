"""What the email worker leaves for others to read: its last beat (the diagnostics check's
"is anyone sending?") and, as a proxy of django-tasks-db's task results, the emails given up
(listed in the admin to be sent again)."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class WorkerBeat(models.Model):
    """One row per task backend the worker serves: when it last showed it was alive (after
    each pass over the queue, at most every few seconds) and how often it was restarted."""

    backend = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()
    started_at = models.DateTimeField()
    restarts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "email worker beat"

    def __str__(self):
        return f"{self.backend} worker, last beat {self.beat_at:%Y-%m-%d %H:%M:%S}"


class FailedEmail(DBTaskResult):
    """The email queue's task results, for the admin's "Failed emails" report and its
    permission (outbox.delivery: a FAILED result is mail given up after every attempt)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("send_failed_email_again", "Can see failed emails and send them again")]
        verbose_name = "failed email"
