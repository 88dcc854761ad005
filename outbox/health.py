"""What /healthz/diagnostics reports of the email queue (registered with base.health from
OutboxConfig.ready()): the worker's last beat and the oldest email still waiting to be sent
(due now, not a retry set for later)."""

import datetime

from django.conf import settings
from django.db.models import Case, F, When
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from outbox.delivery import BACKEND, send_messages
from outbox.models import WorkerBeat


def emails():
    """The email queue's task results that are emails (page purges share the queue)."""
    return DBTaskResult.objects.filter(backend_name=BACKEND, task_path=send_messages.module_path)


def last_beat():
    """When the email worker last showed it was alive, or None if it never ran."""
    return WorkerBeat.objects.filter(backend=BACKEND).values_list("beat_at", flat=True).first()


def oldest_waiting():
    """When the oldest email due now became due (queued, or its retry's time came), or None."""
    due = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=F("run_after"),
    )
    return emails().ready().annotate(due=due).order_by("due").values_list("due", flat=True).first()


def waiting_and_failed():
    """(emails due now, emails given up)."""
    return emails().ready().count(), emails().filter(status=TaskResultStatus.FAILED).count()


def since(moment):
    """Seconds from `moment` to now, or None."""
    if moment is None:
        return None
    return max((timezone.now() - moment) / datetime.timedelta(seconds=1), 0.0)


def worker_check():
    """The diagnostics' "worker" check: "ok", or what is wrong with the worker's beat; and the
    "worker" and "emails" entries of the diagnostics' body."""
    beat = last_beat()
    age = since(beat)
    limit = settings.HEALTH_WORKER_BEAT_LIMIT
    worker = {
        "last_beat": beat.isoformat() if beat else None,
        "seconds_since_beat": None if age is None else round(age),
        "limit_seconds": limit,
    }
    waiting, failed = waiting_and_failed()
    oldest = since(oldest_waiting())
    emails = {
        "waiting": waiting,
        "oldest_waiting_seconds": None if oldest is None else round(oldest),
        "failed": failed,
    }
    if beat is None:
        result = "error: it never ran"
    elif age > limit:
        result = f"error: no beat for {round(age)} s"
    else:
        result = "ok"
    return result, {"worker": worker, "emails": emails}
