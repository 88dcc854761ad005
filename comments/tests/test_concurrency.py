"""Replies posted at once on PostgreSQL (marker `attack`), through two real app servers
(gunicorn, 2 worker processes each, as `make run` serves the site) on the test database:

- 200 different replies sent together are each stored exactly once;
- 50 replies each sent twice at the same moment (to the two servers) are stored once each;
- one reader's address sending 12 replies at once, half to each server, gets exactly the
  limit (5 in 10 minutes) stored, and 429 for the rest: the limit holds across servers;
- 20 different replies sent at once with one form's one-use "opened at" value store one; the
  rest get the confirm step (200) with their text.

PostgreSQL only (the PostgreSQL/Redis lane): SQLite serialises writers, and its own
multi-process tests are guard's rate-limit tests. ATTACK=full posts 1,000 different replies."""

import os
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from comments.models import Reply
from testing import servers
from testing.output import say
from testing.replies import fresh_address, fresh_email, reply_form_data

pytestmark = [pytest.mark.attack]

POST_URL = "/replies/post/"
DIFFERENT = 1000 if os.environ.get("ATTACK") == "full" else 200
DOUBLES = 50
SENDERS = 32  # requests in flight at once


@pytest.fixture
def postgresql(pytestconfig):
    if connection.vendor != "postgresql":
        reason = (
            "concurrency runs on PostgreSQL (DATABASE_URL=postgres://...; the PostgreSQL/Redis "
            "lane of .ci/run): SQLite serialises writers"
        )
        say(pytestconfig, f"SKIPPED (concurrency): {reason}")
        pytest.skip(reason)


@pytest.fixture
def two_servers(postgresql, transactional_db, django_db_serialized_rollback, letter):
    """Two app servers on the test database, the letter committed where they can see it.
    Started for each test, so no server holds what an earlier test left in its caches. The
    flush after the test restores what the migrations seeded (serialized rollback): without
    it the flush recreates content types under new ids and the next test that restores them
    fails on a duplicate."""
    with servers.app_servers(count=2) as ports:
        yield ports


def send_all(jobs):
    """Send every (port, fields, address) at once from SENDERS threads, released together;
    return the statuses in order."""
    gate = threading.Barrier(min(SENDERS, len(jobs)))

    def send(job):
        port, fields, address = job
        try:
            gate.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass  # the last few jobs start without a full group
        status, headers, _ = servers.request(port, "POST", POST_URL, fields, address)
        return status, headers.get("Location", "")

    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(send, jobs))


def test_different_replies_sent_at_once_are_each_stored_exactly_once(
    two_servers, letter, pytestconfig
):
    run = uuid.uuid4().hex[:8]
    jobs = [
        (
            two_servers[n % 2],
            reply_form_data(
                letter, comment=f"Concurrent reply {n} of run {run}.", email=fresh_email()
            ),
            fresh_address(),
        )
        for n in range(DIFFERENT)
    ]
    answers = send_all(jobs)
    statuses = Counter(status for status, _ in answers)
    stored = Counter(
        Reply.objects.filter(comment__endswith=f"of run {run}.").values_list("comment", flat=True)
    )
    say(
        pytestconfig,
        f"concurrency: {DIFFERENT} different replies to 2 servers x 2 processes, {SENDERS} at "
        f"once -> answers {dict(statuses)}, {sum(stored.values())} stored, "
        f"{len(stored)} distinct",
    )
    assert statuses == {302: DIFFERENT}
    assert all(location.startswith("/replies/posted/") for _, location in answers)
    assert len(stored) == DIFFERENT and set(stored.values()) == {1}


def test_a_reply_sent_twice_at_the_same_moment_is_stored_once(two_servers, letter, pytestconfig):
    run = uuid.uuid4().hex[:8]
    jobs = []
    for n in range(DOUBLES):
        fields = reply_form_data(letter, comment=f"Double {n} of run {run}.", email=fresh_email())
        address = fresh_address()
        jobs += [(two_servers[0], fields, address), (two_servers[1], fields, address)]
    answers = send_all(jobs)
    statuses = Counter(status for status, _ in answers)
    stored = Counter(
        Reply.objects.filter(comment__endswith=f"of run {run}.").values_list("comment", flat=True)
    )
    say(
        pytestconfig,
        f"concurrency: {DOUBLES} replies each sent twice at once (one copy to each server) -> "
        f"answers {dict(statuses)}, {sum(stored.values())} stored",
    )
    assert statuses == {302: 2 * DOUBLES}  # both land on the reply (or its letter)
    assert len(stored) == DOUBLES and set(stored.values()) == {1}


def test_the_rate_limit_holds_across_two_servers(two_servers, letter, pytestconfig):
    run = uuid.uuid4().hex[:8]
    address = fresh_address()
    jobs = [
        (
            two_servers[n % 2],
            reply_form_data(letter, comment=f"Limited {n} of run {run}.", email=fresh_email()),
            address,
        )
        for n in range(12)
    ]
    answers = send_all(jobs)
    statuses = Counter(status for status, _ in answers)
    stored = Reply.objects.filter(comment__endswith=f"of run {run}.").count()
    say(
        pytestconfig,
        f"concurrency: 12 replies from one address at once, 6 to each server -> answers "
        f"{dict(statuses)}, {stored} stored (limit 5 in 10 minutes)",
    )
    assert statuses == {302: 5, 429: 7}
    assert stored == 5


def test_one_opened_value_posts_one_reply_when_fired_at_once(two_servers, letter, pytestconfig):
    run = uuid.uuid4().hex[:8]
    opened = reply_form_data(letter)["opened"]  # one form's one-use value
    jobs = [
        (
            two_servers[n % 2],
            reply_form_data(
                letter,
                comment=f"Reused value {n} of run {run}.",
                email=fresh_email(),
                opened=opened,
            ),
            fresh_address(),
        )
        for n in range(20)
    ]
    answers = send_all(jobs)
    statuses = Counter(status for status, _ in answers)
    stored = Reply.objects.filter(comment__endswith=f"of run {run}.").count()
    say(
        pytestconfig,
        f"concurrency: 20 different replies with one opened-at value, at once to 2 servers -> "
        f"answers {dict(statuses)}, {stored} stored",
    )
    assert statuses == {302: 1, 200: 19}  # the rest are the confirm step, text kept
    assert stored == 1
