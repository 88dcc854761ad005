"""`make bench-newsletter`'s code, run tiny so it cannot rot: 200 subscribers written in bulk
on the test database, a letter published through the admin, the worker's loop run here (not in
a process of its own) until the queue is empty. Times are not looked at."""

import pytest

from bench import newsletter, newsletter_steps
from newsletter.models import Subscriber

SUBSCRIBERS = 200


@pytest.fixture
def queue_like_production(transactional_db, django_db_serialized_rollback, settings):
    """The publishing request's fan-out is queued once its transaction commits (so nothing
    wraps the test in one), into the database queue; the serialized rollback restores what
    the migrations seeded after the flush."""
    for name, value in newsletter.QUEUE_SETTINGS.items():
        setattr(settings, name, value)


def test_every_subscriber_gets_exactly_one_email_and_the_counts_add_up(queue_like_production):
    def worker(read):
        read()  # a reader's request works while the worker is away
        return newsletter_steps.work_until_done(keep_recipients=True), []

    results = newsletter.measure(
        SUBSCRIBERS, runs=1, worker=worker, progress=lambda line: None, idle_reads=1
    )

    addresses = set(Subscriber.objects.values_list("address", flat=True))
    assert len(addresses) == SUBSCRIBERS
    assert sorted(results["recipients"]) == sorted(addresses)  # each exactly once
    assert results["deliveries"] == {
        "rows": SUBSCRIBERS,
        "subscribers": SUBSCRIBERS,
        "states": {"sent": SUBSCRIBERS},
    }
    assert results["fan_out"]["rows"] == SUBSCRIBERS
    assert results["send"]["return"] == {"sent": SUBSCRIBERS, "failed": 0, "suppressed": 0}
    assert results["send"]["emails"] == SUBSCRIBERS
    assert results["tasks"] == [("fan_out", "SUCCESSFUL"), ("send_issue", "SUCCESSFUL")]
    assert len(results["publish"]["subscribed_ms"]) == len(results["publish"]["quiet_ms"]) == 1
    assert results["readers"]["idle"]["reads"] == 1
    assert results["send"]["memory_end_kb"] > 0

    # A second run keeps the subscribers and starts from no letter, issue or delivery.
    again = newsletter.measure(
        SUBSCRIBERS, runs=1, worker=worker, progress=lambda line: None, idle_reads=1
    )
    assert again["subscribers_written_seconds"] is None
    assert again["deliveries"]["rows"] == SUBSCRIBERS
    assert sorted(again["recipients"]) == sorted(addresses)


def test_the_newsletter_bench_database_is_its_own(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pursebop")
    assert newsletter.newsletter_database()[1:] == (
        "postgres://postgres@127.0.0.1:5432/pursebop_bench_newsletter",
        "pursebop_bench_newsletter",
    )
