"""A letter page runs the same number of SQL queries with 0, 10 or 200 approved replies
(one query for the whole approved tree, never one per reply). Counted cold: a second request
with every Django cache cleared first (testing.queries), as the first reader after a publish,
a deploy or a cache flush meets it."""

import pytest
from bs4 import BeautifulSoup

from comments import lifecycle
from comments.models import Reply, ReplyStatus
from testing.output import say
from testing.queries import cold_queries

# The letter page budget (no related reading, no topic here): a ceiling as well as a constant.
LETTER_PAGE_CEILING = 12

# What rendering costs: the page cache would answer the second view without rendering.
pytestmark = pytest.mark.usefixtures("page_cache_off")


def count_queries(client, url, **params):
    queries, response = cold_queries(client, url, **params)
    return len(queries), BeautifulSoup(response.content, "html.parser"), queries


@pytest.fixture
def add_replies(make_reply):
    """Add `count` approved replies in threads of four (levels 0 to 3), badged and linked
    now and then, with a held reply per thread (which must cost nothing either)."""
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            level = n % 4
            parent = made[-1] if level else None
            reply = make_reply(
                parent=parent,
                comment=f"Reply {n} with a link https://example.com/{n} and *text*.",
                author_badge="editor" if n % 7 == 0 else "",
            )
            made.append(reply)
            if level == 1:
                make_reply(parent=reply, status=ReplyStatus.PENDING)

    return add


def test_a_letter_page_costs_the_same_with_0_10_and_200_replies(
    client, letter, add_replies, pytestconfig
):
    none, page, _ = count_queries(client, letter.url)
    assert page.select_one("#reply-count").get_text() == "No replies yet"

    add_replies(10)
    ten, page, _ = count_queries(client, letter.url)
    assert page.select_one("#reply-count").get_text() == "10 replies"
    assert len(page.select(".reply-list > li")) == 10

    add_replies(190)
    many, page, queries = count_queries(client, letter.url)
    assert page.select_one("#reply-count").get_text() == "200 replies"
    assert len(page.select(".reply-list > li")) == 200  # 50 threads: one page
    assert len(page.select(".reply--level-3")) == 50
    assert len(page.select(".badge--editor")) == len(range(0, 200, 7))

    newest, _, _ = count_queries(client, letter.url, sort="newest")
    say(
        pytestconfig,
        f"letter page queries with 0 / 10 / 200 replies: {none} / {ten} / {many}"
        f" (newest first: {newest})",
    )
    reply_queries = [q["sql"] for q in queries if "django_comments" in q["sql"]]
    assert len(reply_queries) == 1, reply_queries
    assert (none, ten, many, newest) == (none,) * 4, (none, ten, many, newest)
    assert none <= LETTER_PAGE_CEILING, f"{none} queries, ceiling {LETTER_PAGE_CEILING}"


def test_a_later_page_of_threads_costs_the_same(client, letter, add_replies, policy, pytestconfig):
    policy.threads_per_page = 10
    policy.save()
    add_replies(80)  # 20 threads: two pages
    first, page, _ = count_queries(client, letter.url)
    assert len(page.select(".reply-list > li")) == 40
    second, page, _ = count_queries(client, letter.url, replies=2, sort="newest")
    assert len(page.select(".reply-list > li")) == 40
    assert page.select_one(".pagination__status").get_text() == "Page 2 of 2"
    say(pytestconfig, f"letter page queries, page 1 / page 2 of threads: {first} / {second}")
    assert first == second
    assert first <= LETTER_PAGE_CEILING, f"{first} queries, ceiling {LETTER_PAGE_CEILING}"


def test_picks_cost_no_query(client, letter, add_replies, policy, moderator):
    """'Readers weigh in' comes from the same one query as the threads, on every page of
    threads."""
    policy.threads_per_page = 10
    policy.save()
    add_replies(80)  # 20 threads: two pages
    before, _, _ = count_queries(client, letter.url)
    replies = list(Reply.objects.filter(status=ReplyStatus.APPROVED).order_by("pk"))
    for reply in (replies[79], replies[1], replies[40]):  # last thread, first, middle
        lifecycle.pick(reply, moderator)
    after, page, queries = count_queries(client, letter.url)
    assert len(page.select(".reader-picks .reply__pick")) == 3
    assert len(page.select(".reader-picks .reply-list > li")) == 12  # their three threads
    assert len(page.select(".reply-list > li")) == 12 + 40  # and ten other threads
    reply_queries = [q["sql"] for q in queries if "django_comments" in q["sql"]]
    assert len(reply_queries) == 1, reply_queries
    assert after == before
    second, page, _ = count_queries(client, letter.url, replies=2)
    assert len(page.select(".reader-picks .reply__pick")) == 3  # on every page of threads
    assert len(page.select(".reply-list > li")) == 12 + 28  # the other seven threads
    assert second == before <= LETTER_PAGE_CEILING
