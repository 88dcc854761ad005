"""The email queue: `enqueue()` stores messages as one task, the worker runs it and
`deliver()` sends them through the real backend (EMAIL_DELIVERY_BACKEND), never through
EMAIL_BACKEND, which would only queue them again.

A message the backend refuses (mail server down, timeout, refused recipient) is queued again
on its own, to run later: after 1, 5, 25 and 125 minutes, five attempts in all, spread over
about two and a half hours. Each attempt is a task result of its own; one that handed its
failures on to a later attempt ends SUCCESSFUL and says so in its return value, so the FAILED
results are exactly the mail that was given up: the fifth attempt logs an error and raises
NotDelivered, and its task result keeps the messages, the exception and the traceback.
"""

import datetime
import logging
from email.utils import formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from outbox.messages import decode, encode

logger = logging.getLogger("outbox")

BACKEND = "email"  # the alias in TASKS
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 25, 125)]
ATTEMPTS = len(RETRY_DELAYS) + 1


_recipient_filters = []


def register_recipient_filter(recipient_filter):
    """Apps above outbox register `recipient_filter(messages) -> messages` from their
    AppConfig.ready(): called on every batch before it is sent, it may drop recipients (an
    address that must never be written to again) and whole messages. outbox names no app."""
    if recipient_filter not in _recipient_filters:  # ready() may run twice in tests
        _recipient_filters.append(recipient_filter)
    return recipient_filter


def filtered(messages):
    """`messages` as every registered recipient filter leaves them."""
    for recipient_filter in _recipient_filters:
        messages = list(recipient_filter(messages))
    return messages


class NotDelivered(Exception):
    """The last attempt failed: the task result is marked FAILED and kept."""


def deferred(queued_task, delay):
    """`queued_task` set to run `delay` from now. A backend that cannot wait (the immediate
    backend, which the tests use) runs it at once."""
    if delay and queued_task.get_backend().supports_defer:
        return queued_task.using(run_after=timezone.now() + delay)
    return queued_task


def enqueue(messages, attempt=1, delay=None):
    """Queue `messages` (EmailMessage objects) as one task; returns its result, or None when
    no message has a recipient. Date and Message-ID are fixed now, so a message sent on a
    later attempt keeps the time it was written and the same identity."""
    encoded = []
    for message in messages:
        if not message.recipients():
            continue
        data = encode(message)
        names = {name.lower() for name in data["headers"]}
        if "date" not in names:
            data["headers"]["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in names:
            # The sender's domain, not the machine's name: no DNS lookup inside a request.
            domain = parseaddr(data["from_email"])[1].rpartition("@")[2] or "localhost"
            data["headers"]["Message-ID"] = make_msgid(domain=domain)
        encoded.append(data)
    if not encoded:
        return None
    return deferred(send_messages, delay).enqueue(encoded, attempt)


def delivery_connection():
    """A connection to the real backend. EMAIL_DELIVERY_BACKEND must not be the queue
    itself: every send would queue the message again, for ever."""
    path = settings.EMAIL_DELIVERY_BACKEND
    if getattr(import_string(path), "queues", False):
        raise ImproperlyConfigured(
            f"EMAIL_DELIVERY_BACKEND is {path}, which queues: name a backend that sends."
        )
    return get_connection(path, fail_silently=False)


def deliver(messages, attempt=1, task_id=""):
    """Send `messages` through one connection to the real backend, each on its own, so one
    refused message does not hold back the others. Returns {"sent": n, "retrying": n}."""
    messages = filtered(list(messages))
    if not messages:
        return {"sent": 0, "retrying": 0}
    failed, error = [], None
    connection = delivery_connection()  # a settings mistake fails the task now, untried
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - every message waits for a later attempt
        failed, error = messages, exc
    else:
        try:
            for message in messages:
                try:
                    connection.send_messages([message])
                except Exception as exc:  # noqa: BLE001 - this message waits for a later attempt
                    failed.append(message)
                    error = exc
        finally:
            try:
                connection.close()
            except Exception as exc:  # noqa: BLE001 - the messages were handed over already
                logger.warning("Closing the mail connection failed: %r", exc)
    sent = len(messages) - len(failed)
    if not failed:
        return {"sent": sent, "retrying": 0}
    if attempt < ATTEMPTS:
        delay = RETRY_DELAYS[attempt - 1]
        enqueue(failed, attempt=attempt + 1, delay=delay)
        logger.warning(
            "%d email(s) not sent on attempt %d of %d (%r); trying again in %d min.",
            len(failed),
            attempt,
            ATTEMPTS,
            error,
            delay.total_seconds() // 60,
        )
        return {"sent": sent, "retrying": len(failed)}
    logger.error(
        "%d email(s) not sent after %d attempts, given up (task %s): %r. Subjects: %s",
        len(failed),
        attempt,
        task_id,
        error,
        "; ".join(sorted({str(message.subject) for message in failed})),
    )
    raise NotDelivered(
        f"{len(failed)} of {len(messages)} email(s) not sent after {attempt} attempts"
    ) from error


@task(backend=BACKEND, takes_context=True)
def send_messages(context, messages, attempt=1):
    """The worker's task: messages as `enqueue()` stored them, sent by `deliver()`."""
    return deliver([decode(data) for data in messages], attempt, context.task_result.id)
