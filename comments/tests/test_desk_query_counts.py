"""The desk's listing runs the same number of SQL queries with 60 replies or 5,000, on its
first page, a later page, the "all" queue, the reported queue and a search: no query per reply,
per letter or per page. Counted on a second request, once caches are warm."""

import datetime
import itertools
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from comments import sanitize
from comments.models import Reply, ReplyReport, ReplyStatus
from testing.output import say

# Today's count for a listing page, whatever the queue, page or filter: a ceiling as well.
LISTING_CEILING = 16

LIST_URL = "/admin/snippets/comments/reply/"
# Four in ten held, four in ten approved, one rejected, one spam.
STATUSES = (
    [ReplyStatus.PENDING] * 4
    + [ReplyStatus.APPROVED] * 4
    + [
        ReplyStatus.REJECTED,
        ReplyStatus.SPAM,
    ]
)


def store_replies(letters, count, start):
    """Store `count` top-level replies, spread over `letters`, in a few bulk inserts.

    Reply is a multi-table child (django_comments' Comment, then xtd's XtdComment, then
    Reply), which bulk_create refuses: the Comment rows are bulk-created (that gives the
    primary keys), then the two child tables' rows are inserted with the same keys, the way
    bulk_create inserts one table. A top-level reply is its own thread and parent (xtd).
    Every 25th reply gets an open report, every 50th a report already answered.
    """
    types = {letter.pk: ContentType.objects.get_for_model(letter) for letter in letters}
    now = timezone.now()
    replies = []
    for n, letter, status in zip(
        range(start, start + count), itertools.cycle(letters), itertools.cycle(STATUSES)
    ):
        text = f"Stored reply number {n}, about the strap."
        replies.append(
            Reply(
                content_type=types[letter.pk],
                object_pk=str(letter.pk),
                site_id=1,
                user_name=f"Reader {n}",
                user_email=f"bulk{n}@example.com",
                ip_address=f"10.9.{n // 250 % 250}.{n % 250 + 1}",
                comment=text,
                html=sanitize.render_reply(text),
                policy_version=sanitize.POLICY_VERSION,
                submit_date=now - datetime.timedelta(minutes=n),
                status=status,
                is_public=status == ReplyStatus.APPROVED,
                is_removed=status in (ReplyStatus.REJECTED, ReplyStatus.SPAM),
                hold_reason="held for a moderator" if status == ReplyStatus.PENDING else "",
                rejection_reason="Off topic." if status == ReplyStatus.REJECTED else "",
                level=0,
                order=1,
            )
        )
    comments = Comment.objects.bulk_create(
        [
            Comment(**{f.attname: getattr(reply, f.attname) for f in Comment._meta.concrete_fields})
            for reply in replies
        ],
        batch_size=500,
    )
    for reply, comment in zip(replies, comments, strict=True):
        assert comment.pk is not None
        reply.id = reply.comment_ptr_id = reply.xtdcomment_ptr_id = comment.pk
        reply.thread_id = reply.parent_id = comment.pk
    for model in (XtdComment, Reply):
        model.objects.all()._batched_insert(replies, model._meta.local_concrete_fields, 500)
    ReplyReport.objects.bulk_create(
        [
            ReplyReport(
                reply=reply,
                reason="abuse",
                reporter_hash=f"r{reply.pk}",
                resolved_at=None if i % 50 else now,
            )
            for i, reply in enumerate(replies)
            if i % 25 == 0
        ]
    )
    return replies


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    count_queries.last = [query["sql"] for query in queries]
    return len(queries), BeautifulSoup(response.content, "html.parser")


def rows(page):
    return len(page.select("input[data-object-id]"))


def queue_count(page, queue):
    tab = page.find("a", href=f"?queue={queue}")
    return int(tab.select_one(".desk-queues__count").get_text())


@pytest.fixture
def letters(make_letter):
    return [make_letter(f"Letter {n} about straps?") for n in range(1, 4)]


def test_the_listing_costs_the_same_with_60_and_5000_replies(
    client, moderator, letters, pytestconfig
):
    client.force_login(moderator)
    stored = store_replies(letters, 60, start=1)
    assert Reply.objects.count() == 60
    # The stored rows read back as whole replies, threaded as xtd threads them.
    sample = Reply.objects.get(pk=stored[7].pk)
    assert (sample.thread_id, sample.parent_id, sample.level) == (sample.pk, sample.pk, 0)
    assert sample.user_email == "bulk8@example.com" and sample.status == ReplyStatus.APPROVED

    assert client.get(LIST_URL).status_code == 200  # warm the caches
    small = {}
    small["held, page 1"], page = count_queries(client, LIST_URL)
    assert rows(page) == 24  # 60 replies, four in ten held
    assert queue_count(page, "all") == 60
    small["all, page 1"], page = count_queries(client, LIST_URL, queue="all")
    assert rows(page) == 50
    small["all, page 2"], page = count_queries(client, LIST_URL, queue="all", p=2)
    assert rows(page) == 10

    store_replies(letters, 4940, start=61)
    assert Reply.objects.count() == 5000
    big = {}
    big["held, page 1"], page = count_queries(client, LIST_URL)
    assert rows(page) == 50
    assert queue_count(page, "pending") == 2000
    assert queue_count(page, "all") == 5000
    assert queue_count(page, "reported") == 100  # 200 reported, half of them answered
    big["held, page 30"], page = count_queries(client, LIST_URL, p=30)
    assert rows(page) == 50
    big["all, page 1"], page = count_queries(client, LIST_URL, queue="all")
    assert rows(page) == 50
    big["all, page 100"], page = count_queries(client, LIST_URL, queue="all", p=100)
    assert rows(page) == 50
    big["reported"], page = count_queries(client, LIST_URL, queue="reported", p=2)
    assert rows(page) == 50
    big["search, one letter"], page = count_queries(
        client, LIST_URL, queue="all", q="strap", letter=letters[1].pk
    )
    assert rows(page) == 50
    # The letter filter's choices name each letter once, not once per reply.
    lookups = [
        sql
        for sql in count_queries.last
        if 'AS "title"' in sql and 'FROM "advice_letterpage"' in sql
    ]
    [lookup] = lookups
    in_list = re.search(r'"page_ptr_id" IN \(([^)]*)\)', lookup).group(1)
    assert sorted(int(pk) for pk in in_list.split(",")) == sorted(letter.pk for letter in letters)

    say(
        pytestconfig,
        "desk listing queries, 60 replies: "
        + ", ".join(f"{key} {value}" for key, value in small.items())
        + "; 5,000 replies: "
        + ", ".join(f"{key} {value}" for key, value in big.items()),
    )
    figures = list(small.values()) + list(big.values())
    assert figures == [figures[0]] * len(figures), (small, big)
    assert figures[0] <= LISTING_CEILING, f"{figures[0]} queries, ceiling {LISTING_CEILING}"
