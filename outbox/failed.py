"""Emails given up after every attempt (outbox.delivery: a FAILED result of send_messages), and
sending one again from the admin's "Failed emails" report (outbox.views)."""

import logging

from django.db import transaction

from outbox.delivery import BACKEND, enqueue, send_messages
from outbox.messages import decode
from outbox.models import FailedEmail

logger = logging.getLogger("outbox")

PERMISSION = "outbox.send_failed_email_again"


def failed_emails():
    """Newest given up first. Page purges share the queue; only emails are listed."""
    return (
        FailedEmail.objects.failed()
        .filter(backend_name=BACKEND, task_path=send_messages.module_path)
        .order_by("-finished_at")
    )


def messages_of(result):
    """The messages a failed result kept (the ones its last attempt could not send), as
    JSON: send_messages(messages, attempt)."""
    return result.args_kwargs["args"][0]


def send_again(result_id, user=None):
    """Queue a given-up email anew, as a first attempt (five tries again), and remove its
    failed result, in one transaction: a second click finds nothing and sends nothing.
    Returns the subjects queued, or None when it was sent again already."""
    with transaction.atomic():
        failed = failed_emails().select_for_update().filter(pk=result_id).first()
        if failed is None:
            return None
        messages = messages_of(failed)
        enqueue([decode(data) for data in messages])
        failed.delete()
    subjects = sorted({data["subject"] for data in messages})
    logger.info(
        "Failed email(s) queued again by %s (task %s): %s", user, result_id, "; ".join(subjects)
    )
    return subjects
