"""Each answer sent out: a published letter becomes one `Issue` (unique per letter, so a
republished letter is never sent twice), its `Delivery` rows the queue, one per active "each
answer" subscriber of its column. A column's weekly round-up is an `Issue` too (unique per
column and week: `roundup_issue`), sent to its active "weekly" subscribers the same way.

- `letter_published(letter)` (the page_published receiver) decides and, once the publishing
  transaction commits, queues `fan_out` on the "email" tasks backend: nothing of this runs in
  the editor's request.
- `fan_out` writes the deliveries in transactions of NEWSLETTER_FANOUT_BATCH rows, writes the
  audit-log entry (newsletter.history: "queued to N subscribers"), then queues `send_issue`.
- `send_issue` claims NEWSLETTER_SEND_BATCH queued rows at a time (marked "sending" in their
  own transaction before anything is sent), renders and sends each through outbox's
  `deliver()` (its recipient filter and retries included), and marks it "sent" (or "failed":
  outbox tries it again later, or "suppressed"). A row left "sending" by a crash is never
  claimed again: it is counted "unknown" (its email may have gone).
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from newsletter import emails, history, roundup, suppression
from newsletter.models import Cadence, Delivery, Issue, Subscriber, Subscription
from outbox.delivery import BACKEND, deliver

logger = logging.getLogger("newsletter")

# A row "sending" for longer than this was left by a crash: "unknown".
UNKNOWN_AFTER = datetime.timedelta(minutes=15)


def should_send(letter):
    """A letter is news when it is not imported and not dated more than
    NEWSLETTER_BACKDATED_DAYS before today."""
    if letter.imported:
        return False
    if letter.date is None:
        return True
    earliest = timezone.localdate() - datetime.timedelta(days=settings.NEWSLETTER_BACKDATED_DAYS)
    return letter.date >= earliest


def letter_published(letter):
    if not should_send(letter):
        return None
    column = letter.get_parent()
    issue, created = Issue.objects.get_or_create(
        letter=letter, defaults={"column_id": column.pk, "title": letter.title}
    )
    if created:
        transaction.on_commit(lambda: fan_out.enqueue(issue.pk))
    return issue


def roundup_issue(column, week):
    """The column's round-up of the week starting `week` (a Monday): made and queued once,
    after the transaction commits; None when the week has no letter and no pick. Returns
    (issue, created)."""
    existing = Issue.objects.filter(column=column, week=week).first()
    if existing is not None:
        return existing, False
    if not roundup.has_news(column, week):
        return None, False
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                kind=Issue.Kind.WEEKLY,
                column=column,
                week=week,
                title=roundup.week_title(column, week),
            )
    except IntegrityError:  # another run made it first: it sends it
        return Issue.objects.get(column=column, week=week), False
    transaction.on_commit(lambda: fan_out.enqueue(issue.pk))
    return issue, True


def recipients(issue):
    """The ids of the issue's active subscribers in the column at its cadence, in id order: the
    fan-out reads them in batches after the last id written (index newsletter_fanout_order)."""
    cadence = Cadence.WEEKLY if issue.kind == Issue.Kind.WEEKLY else Cadence.EACH
    return (
        Subscription.objects.filter(
            column_id=issue.column_id,
            cadence=cadence,
            subscriber__state=Subscriber.State.ACTIVE,
        )
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
    )


@task(backend=BACKEND)
def fan_out(issue_id):
    issue = Issue.objects.filter(pk=issue_id, fanned_out_at__isnull=True).first()
    if issue is None:
        return 0
    subscribers = recipients(issue)
    written, last = 0, 0
    size = settings.NEWSLETTER_FANOUT_BATCH
    while True:
        ids = list(subscribers.filter(subscriber_id__gt=last)[:size])
        if not ids:
            break
        with transaction.atomic():
            Delivery.objects.bulk_create(
                [Delivery(issue=issue, subscriber_id=pk) for pk in ids], ignore_conflicts=True
            )
        written += len(ids)
        last = ids[-1]
    Issue.objects.filter(pk=issue.pk).update(fanned_out_at=timezone.now())
    history.issue_queued(issue, written)
    send_issue.enqueue(issue.pk)
    return written


def claim(issue_id, size):
    """Up to `size` queued rows of the issue, marked "sending" and committed before any is
    sent."""
    with transaction.atomic():
        rows = Delivery.objects.filter(issue_id=issue_id, state=Delivery.State.QUEUED).order_by(
            "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:size])
        Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED).update(
            state=Delivery.State.SENDING, claimed_at=timezone.now()
        )
    return list(Delivery.objects.filter(pk__in=ids).select_related("subscriber").order_by("pk"))


def mark(row, state):
    Delivery.objects.filter(pk=row.pk).update(
        state=state, sent_at=timezone.now() if state == Delivery.State.SENT else None
    )


@task(backend=BACKEND)
def send_issue(issue_id):
    issue = Issue.objects.select_related("letter", "column").filter(pk=issue_id).first()
    if issue is None:
        return {"sent": 0}
    if issue.kind == Issue.Kind.WEEKLY:
        if issue.column is None:
            return {"sent": 0}
        content, build = roundup.roundup_content(issue), emails.roundup_message
    else:
        if issue.letter is None or not issue.letter.live:
            return {"sent": 0}
        content, build = emails.letter_content(issue.letter), emails.issue_message
    counts = {"sent": 0, "failed": 0, "suppressed": 0}
    while rows := claim(issue.pk, settings.NEWSLETTER_SEND_BATCH):
        for row in rows:
            subscriber = row.subscriber
            if subscriber.state != Subscriber.State.ACTIVE or suppression.is_suppressed(
                subscriber.address
            ):
                mark(row, Delivery.State.SUPPRESSED)
                counts["suppressed"] += 1
                continue
            try:
                result = deliver([build(content, subscriber)])
            except Exception:
                logger.exception("Newsletter delivery %s failed", row.pk)
                result = {"sent": 0}
            state = Delivery.State.SENT if result.get("sent") else Delivery.State.FAILED
            mark(row, state)
            counts[state] += 1
    return counts


def issue_counts(issues):
    """{issue id: {queued, sent, failed, unknown, suppressed}} in one query."""
    stale = timezone.now() - UNKNOWN_AFTER
    rows = (
        Delivery.objects.filter(issue__in=issues)
        .values("issue_id")
        .annotate(
            queued=Count("pk", filter=Q(state=Delivery.State.QUEUED)),
            sending=Count("pk", filter=Q(state=Delivery.State.SENDING, claimed_at__gte=stale)),
            unknown=Count("pk", filter=Q(state=Delivery.State.SENDING, claimed_at__lt=stale)),
            sent=Count("pk", filter=Q(state=Delivery.State.SENT)),
            failed=Count("pk", filter=Q(state=Delivery.State.FAILED)),
            suppressed=Count("pk", filter=Q(state=Delivery.State.SUPPRESSED)),
        )
    )
    return {row.pop("issue_id"): row for row in rows}
