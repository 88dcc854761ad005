"""Two email workers at once on one issue, each a thread with its own database connection, on
the test database (marker `attack`, like the other concurrency runs): every delivery is claimed
by one worker only and sent exactly once. Also: one letter published twice at the same moment
makes one issue and one fan-out, and two fan-outs of one issue at once write one delivery per
subscriber (the unique constraints).

Each test runs on SQLite (a file: the claim is a conditional UPDATE inside an IMMEDIATE
transaction) and on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED), each variant when the test
database is of its kind: the PostgreSQL one in the PostgreSQL/Redis lane
(DATABASE_URL=postgres://...), skipped loudly otherwise."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import sending
from newsletter.models import Delivery, Issue, Subscriber, Subscription
from outbox.delivery import BACKEND
from testing.mail import DATABASE_BACKEND
from testing.output import say

pytestmark = [pytest.mark.attack]

SUBSCRIBERS = 120


@pytest.fixture(params=["sqlite", "postgresql"])
def vendor(request, pytestconfig):
    if connection.vendor != request.param:
        reason = f"this variant runs when the test database is {request.param}" + (
            " (DATABASE_URL=postgres://...; the PostgreSQL/Redis lane)"
            if request.param == "postgresql"
            else ""
        )
        say(pytestconfig, f"SKIPPED (newsletter concurrency, {request.param}): {reason}")
        pytest.skip(reason)
    return request.param


@pytest.fixture
def committed(vendor, transactional_db, django_db_serialized_rollback, settings):
    """Rows committed where other connections see them; email waits in the database queue.
    The serialized rollback restores what the migrations seeded after the flush."""
    settings.TASKS = {**settings.TASKS, "email": {"BACKEND": DATABASE_BACKEND}}
    settings.NEWSLETTER_SEND_BATCH = 5  # many small claims: the workers meet often
    settings.NEWSLETTER_FANOUT_BATCH = 25


@pytest.fixture
def readers(committed, column):
    now = timezone.now()
    made = Subscriber.objects.bulk_create(
        Subscriber(
            address=f"reader{n}@example.com",
            key=f"reader{n}@example.com",
            state=Subscriber.State.ACTIVE,
            confirmed_at=now,
        )
        for n in range(SUBSCRIBERS)
    )
    Subscription.objects.bulk_create(Subscription(subscriber=s, column=column) for s in made)
    return made


def at_once(count, work):
    """Run work(n) in `count` threads released together, each on its own connection (closed
    when it ends); returns their results, and raises the first error one met."""
    gate = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(n):
        try:
            gate.wait(timeout=30)
            results[n] = work(n)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker never finished"
    if errors:
        raise errors[0]
    return results


def queued_tasks(name):
    return DBTaskResult.objects.filter(
        backend_name=BACKEND, task_path=f"newsletter.sending.{name}"
    ).count()


def test_two_workers_sending_one_issue_send_each_email_once(
    readers, make_letter, monkeypatch, pytestconfig, vendor
):
    letter = make_letter(date=timezone.localdate())  # committed: its fan-out is queued
    issue = Issue.objects.get(letter=letter)
    assert sending.fan_out.call(issue.pk) == SUBSCRIBERS
    claimed = {}  # thread -> [delivery ids it claimed]
    original = sending.claim

    def recording_claim(issue_id, size):
        rows = original(issue_id, size)
        claimed.setdefault(threading.get_ident(), []).extend(row.pk for row in rows)
        return rows

    monkeypatch.setattr(sending, "claim", recording_claim)
    mail.outbox = []
    counts = at_once(2, lambda n: sending.send_issue.call(issue.pk))

    every = [pk for ids in claimed.values() for pk in ids]
    say(
        pytestconfig,
        f"newsletter concurrency ({vendor}): 2 workers, {SUBSCRIBERS} deliveries -> claimed "
        f"{sorted(len(ids) for ids in claimed.values())}, sent {[c['sent'] for c in counts]}",
    )
    assert len(claimed) == 2 and all(claimed.values()), "both workers claimed rows"
    assert Counter(every).most_common(1)[0][1] == 1, "no row was claimed twice"
    assert len(every) == SUBSCRIBERS
    assert sum(c["sent"] for c in counts) == SUBSCRIBERS
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert set(recipients) == {s.address for s in readers}
    assert set(recipients.values()) == {1}
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_one_letter_published_twice_at_once_fans_out_once(readers, make_letter, vendor):
    letter = make_letter(date=timezone.localdate() - timezone.timedelta(days=30))  # not news
    letter.date = timezone.localdate()
    letter.save(update_fields=["date"])
    assert not Issue.objects.exists()

    def publish(n):
        with transaction.atomic():
            return sending.letter_published(letter).pk

    issues = at_once(2, publish)
    assert len(set(issues)) == 1 and Issue.objects.count() == 1
    assert queued_tasks("fan_out") == 1

    # Both fan-outs of the one issue at once (a task run twice): one row per subscriber.
    written = at_once(2, lambda n: sending.fan_out.call(issues[0]))
    rows = Delivery.objects.filter(issue_id=issues[0])
    assert rows.count() == SUBSCRIBERS
    assert rows.values("subscriber_id").distinct().count() == SUBSCRIBERS
    assert sum(written) >= SUBSCRIBERS
