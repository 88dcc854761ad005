"""The posting pipeline (comments.posting) as one path: what it writes, in which order it
checks, and that a refused or repeated post never spends the reader's rate limit."""

import threading

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from comments.models import Reply, ReplyStatus
from guard.models import BlockedSender, SubmissionKey
from testing.output import say
from testing.replies import fresh_address, posted_reply, reply_form_data


def writes(queries):
    """The INSERT and UPDATE statements of a captured request, as (verb, table)."""
    found = []
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE"):
            table = sql.split('"')[1] if '"' in sql else sql.split()[2]
            found.append((verb, table))
    return found


def test_a_post_stores_the_reply_once_with_every_field(client, letter, settings):
    """No side channel, no second write: the reply's three tables get one INSERT each and
    xtd's thread ids (which need the new id) one UPDATE of its own table; the client address
    behind a trusted proxy is stored in the INSERT, not fixed afterwards."""
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    data = reply_form_data(letter, comment="Stored in one go.", notify_on_publish=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("comments-post-comment"),
            data,
            REMOTE_ADDR="10.1.2.3",
            HTTP_X_FORWARDED_FOR="203.0.113.44",
        )
    reply = posted_reply(response)
    assert (reply.ip_address, reply.status, reply.notify_on_publish) == (
        "203.0.113.44",
        ReplyStatus.PENDING,
        True,
    )
    assert reply.hold_reason == "every reply is held"
    assert reply.moderators_notified_at is not None  # told now, recorded in the same write
    tables = {"django_comments", "django_comments_xtd_xtdcomment", "comments_reply"}
    reply_writes = [w for w in writes(queries) if w[1] in tables]
    assert reply_writes == [
        ("INSERT", "django_comments"),
        ("INSERT", "django_comments_xtd_xtdcomment"),
        ("INSERT", "comments_reply"),
        ("UPDATE", "django_comments_xtd_xtdcomment"),
    ]


# The reply POST's query budget (issue 13): the heaviest path, a reply held with the moderators
# emailed at once, with every cache cleared as the benchmark asks it.
POST_QUERY_CEILING = 25


def test_a_post_stays_within_its_query_budget(client, letter, django_user_model, pytestconfig):
    """Each step reads what it needs once: the page, the site and its policy, the names a
    reader may not take (one query), the block list; the duplicate key and each rate-limit
    window are one statement apiece, and nothing but the posting transaction takes a
    savepoint (in a test, that transaction is itself a savepoint of the test's)."""
    django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")
    for alias in settings.CACHES:
        caches[alias].clear()
    data = reply_form_data(letter, comment="Counted, held and announced.")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    reply = posted_reply(response)
    assert reply.is_held and reply.moderators_notified_at is not None
    say(pytestconfig, f"reply POST (held, moderators emailed, caches cold): {len(queries)} queries")
    sql = [query["sql"] for query in queries]
    assert len([q for q in sql if q.startswith("SAVEPOINT")]) <= 1, sql
    assert len(sql) <= POST_QUERY_CEILING, "\n".join(sql)


def test_the_policys_decision_is_logged_with_its_reason(client, letter, post_reply):
    reply = posted_reply(post_reply(client, letter, comment="Logged."))
    (entry,) = ModelLogEntry.objects.filter(action="comments.post")
    assert (entry.object_id, entry.label, entry.user) == (str(reply.pk), f"Reply #{reply.pk}", None)
    assert entry.data == {"to": "pending", "reason": "every reply is held"}


def test_a_refused_address_never_spends_the_limit(client, letter, post_reply, settings):
    """Block list first: a refused address gets its 403 however often it tries, and its
    limit is untouched for the day the block is lifted."""
    settings.REPLY_RATE_LIMITS = [("ip", 2, 600)]
    address = fresh_address()
    entry = BlockedSender.objects.create(kind="ip", value=address, action="refuse")
    for n in range(4):
        response = post_reply(client, letter, remote_addr=address, comment=f"Try {n}.")
        assert response.status_code == 403
    entry.delete()
    for n in range(2):
        assert (
            post_reply(client, letter, remote_addr=address, comment=f"Ok {n}.").status_code == 302
        )
    assert post_reply(client, letter, remote_addr=address, comment="Third.").status_code == 429


def test_a_repeated_post_never_spends_the_limit(client, letter, post_reply, settings):
    settings.REPLY_RATE_LIMITS = [("ip", 2, 600)]
    address = fresh_address()
    first = post_reply(client, letter, remote_addr=address, comment="Once.", email="a@example.com")
    for _ in range(3):  # the same post again and again: each lands on the first reply
        again = post_reply(
            client, letter, remote_addr=address, comment="Once.", email="a@example.com"
        )
        assert posted_reply(again) == posted_reply(first)
    assert post_reply(client, letter, remote_addr=address, comment="Twice.").status_code == 302
    assert post_reply(client, letter, remote_addr=address, comment="Thrice.").status_code == 429


def test_a_post_over_the_limit_leaves_no_duplicate_key_behind(client, letter, post_reply, settings):
    """The refusal rolls back what the post claimed: sent again once the window allows it,
    the same text is stored rather than taken for a duplicate."""
    settings.REPLY_RATE_LIMITS = [("email", 1, 600)]
    post_reply(client, letter, email="busy@example.com", comment="First.")
    refused = post_reply(client, letter, email="busy@example.com", comment="Second.")
    assert refused.status_code == 429
    # The first post's keys only: its duplicate key and its one-use opened-at value.
    assert SubmissionKey.objects.count() == 2
    settings.REPLY_RATE_LIMITS = [("email", 5, 600)]
    assert posted_reply(post_reply(client, letter, email="busy@example.com", comment="Second."))


# Decided before any database is set up: a transactional test flushes the tables afterwards,
# which would also empty what the migrations seeded for the tests that follow.
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrent writers need PostgreSQL (the PostgreSQL/Redis lane)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_identical_posts_fired_at_once_are_stored_once_each(letter, pytestconfig):
    """25 pairs of identical posts, each pair released together from two threads (two
    database connections): one reply per pair. Only PostgreSQL lets two connections write at
    once here; SQLite's test database serialises them, so the race needs the PostgreSQL lane."""
    pairs = 25
    statuses = []

    def send(data, address, barrier):
        barrier.wait()
        try:
            response = Client().post(reverse("comments-post-comment"), data, REMOTE_ADDR=address)
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    for n in range(pairs):
        data = reply_form_data(letter, comment=f"Pair number {n}.", email=f"pair{n}@example.com")
        address = fresh_address()
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(data, address, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [302] * (2 * pairs)
    for n in range(pairs):
        assert Reply.objects.filter(comment=f"Pair number {n}.").count() == 1, n
    say(pytestconfig, f"duplicates race: {pairs} pairs at once, {Reply.objects.count()} stored")
