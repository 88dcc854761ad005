"""Threads under a letter: replies to replies down to COMMENTS_XTD_MAX_THREAD_LEVEL, top-level
threads sorted and paginated with each thread's replies kept in order beneath it, the empty
state, reply counts on letter cards, and the no-JavaScript "Reply" page."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_comments_xtd import get_form

from comments import lifecycle
from comments.models import Reply, ReplyStatus
from comments.tests.letter_page import listed, texts
from comments.tests.letter_page import ok_soup as soup
from comments.tests.thread_kinds import every_kind_of_thread
from comments.threads import reply_counts
from guard import opened as opened_values
from testing.replies import MIN_SECONDS_TO_TYPE, fresh_address, posted_reply


def approve(reply):
    """Approve through the one way a reply changes state (comments.lifecycle)."""
    reply = Reply.objects.get(pk=reply.pk)
    lifecycle.moderate(reply, "approve", None)
    return reply


# --- Depth -----------------------------------------------------------------------------------


def test_replies_to_replies_down_to_the_deepest_level(client, letter, post_reply, settings):
    deepest = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    assert deepest == 3
    parent = 0
    chain = []
    for level in range(deepest + 1):
        reply = approve(
            posted_reply(post_reply(client, letter, reply_to=parent, comment=f"Level {level}."))
        )
        assert (reply.level, reply.thread_id) == (level, chain[0].pk if chain else reply.pk)
        chain.append(reply)
        parent = reply.pk

    assert listed(Client(), letter) == [
        ("Level 0.", 0, True),
        ("Level 1.", 1, True),
        ("Level 2.", 2, True),
        ("Level 3.", 3, False),  # the deepest has no Reply link
    ]
    # Its no-JavaScript Reply page sends readers back to it; a post under it is refused.
    response = client.get(f"/replies/reply/{chain[-1].pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{letter.url}#reply-{chain[-1].pk}"
    assert post_reply(client, letter, reply_to=chain[-1]).status_code == 400


def test_a_later_reply_lands_under_its_parent_not_at_the_end(client, letter, make_reply):
    first = make_reply(comment="First thread.")
    second = make_reply(comment="Second thread.")
    a = make_reply(parent=first, comment="Reply to first.")
    make_reply(parent=second, comment="Reply to second.")
    make_reply(parent=a, comment="Reply to the reply to first.")
    make_reply(parent=first, comment="Another reply to first.")
    assert listed(client, letter) == [
        ("First thread.", 0, True),
        ("Reply to first.", 1, True),
        ("Reply to the reply to first.", 2, True),
        ("Another reply to first.", 1, True),
        ("Second thread.", 0, True),
        ("Reply to second.", 1, True),
    ]


# --- Sorting ---------------------------------------------------------------------------------


@pytest.fixture
def three_threads(make_reply):
    """Threads A, B, C (oldest to newest); A's child arrives after C."""
    a = make_reply(comment="A.")
    b = make_reply(comment="B.")
    make_reply(parent=b, comment="B child.")
    make_reply(comment="C.")
    make_reply(parent=a, comment="A child, newest of all.")


def test_threads_oldest_first_by_default(client, letter, three_threads):
    assert texts(client, letter) == ["A.", "A child, newest of all.", "B.", "B child.", "C."]
    page = soup(client.get(letter.url))
    sort = page.select_one(".replies__sort")
    assert sort.select_one("[aria-current]").get_text() == "Oldest first"
    assert sort.find("a", string="Newest first")["href"] == "?sort=newest#replies"


def test_threads_newest_first_on_request_with_replies_under_their_thread(
    client, letter, three_threads
):
    assert texts(client, letter, sort="newest") == [
        "C.",
        "B.",
        "B child.",
        "A.",
        "A child, newest of all.",
    ]
    sort = soup(client.get(letter.url, {"sort": "newest"})).select_one(".replies__sort")
    assert sort.select_one("[aria-current]").get_text() == "Newest first"
    assert texts(client, letter, sort="bogus") == texts(client, letter)


def test_no_sort_choice_for_a_single_reply(client, letter, make_reply):
    make_reply()
    assert soup(client.get(letter.url)).select_one(".replies__sort") is None


# --- Pagination ------------------------------------------------------------------------------


def test_the_empty_state_invites_the_first_reply(client, letter, make_reply):
    make_reply(status=ReplyStatus.PENDING)
    make_reply(status=ReplyStatus.SPAM)
    page = soup(client.get(letter.url))
    assert page.select_one("#reply-count").get_text() == "No replies yet"
    assert page.select_one(".empty").get_text() == ("Be the first to share your thoughts.")
    assert page.select_one(".reply-list") is None
    assert page.select_one("form[data-reply-form]") is not None
    assert page.select_one(".guidelines").get_text(strip=True).startswith("Be kind")


def test_the_reply_box_and_its_text_field_are_named_apart(client, letter):
    page = soup(client.get(letter.url))
    box = page.select_one("#reply-box")
    assert box.select_one("#reply-box-title").get_text() == "Join the conversation"
    assert box.find("label", attrs={"for": "id_comment"}).get_text(strip=True) == "Your reply"


def test_one_reply_is_singular(client, letter, make_reply):
    make_reply()
    assert soup(client.get(letter.url)).select_one("#reply-count").get_text() == "1 reply"


def test_letter_cards_count_the_replies_a_reader_can_see(
    client, letter, make_letter, make_reply, column, home_page
):
    quiet = make_letter("A quiet letter?")
    single = make_letter("A letter with one reply?")
    make_reply(on=single)
    top = make_reply()
    make_reply(parent=top)
    make_reply()
    held = make_reply(status=ReplyStatus.PENDING)
    make_reply(parent=held)  # approved, but under a held reply: not seen
    make_reply(status=ReplyStatus.REJECTED)

    for listing in (column.url, home_page.url):
        page = soup(client.get(listing))
        counts = {}
        for card in page.select(".card"):
            title = card.select_one(".card__title").get_text(strip=True)
            counts[title] = card.select_one(".card__meta").get_text(" ", strip=True).split("·")[-1]
        assert counts[letter.title].strip() == "3 replies", listing
        assert counts[single.title].strip() == "1 reply", listing
        assert counts[quiet.title].strip() == "0 replies", listing


def test_card_counts_match_the_letter_page_in_every_kind_of_thread(
    client, letter, make_letter, make_reply
):
    """The cards' counts (reply_counts, many letters in one query) and the letter page's own
    (its threads) agree for every kind of thread, side by side on one letter and across
    letters."""
    other = every_kind_of_thread(letter, make_letter, make_reply)

    counts = reply_counts([letter, other])
    assert counts == {letter.pk: 6, other.pk: 1}
    assert soup(client.get(letter.url)).select_one("#reply-count").get_text() == "6 replies"
    assert soup(client.get(other.url)).select_one("#reply-count").get_text() == "1 reply"


def test_replies_are_found_by_their_letter_through_one_index(letter, make_letter, make_reply):
    """django-comments indexes the content type and the object id apart; on SQLite counting
    a letter's replies then read every reply to every letter (comments migration 0014 adds the
    index of both). The cards read the stored counts, no reply (comments.counts); counting a
    letter's replies again, as every change of one of them does, goes through the index."""
    other = make_letter("Another letter?")
    for page in (letter, other):
        make_reply(on=page)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "django_comments")
    assert indexes["comments_replies_by_target"]["columns"] == ["content_type_id", "object_pk"]
    with CaptureQueriesContext(connection) as queries:
        assert reply_counts([letter, other]) == {letter.pk: 1, other.pk: 1}
    assert not [q["sql"] for q in queries.captured_queries if "django_comments" in q["sql"]]
    if connection.vendor != "sqlite":
        return  # PostgreSQL's planner chooses by its statistics; the index is there for it
    from comments.counts import recount_page

    with CaptureQueriesContext(connection) as queries:
        assert recount_page(letter) == 1
    (sql,) = [q["sql"] for q in queries.captured_queries if "django_comments" in q["sql"]]
    with connection.cursor() as cursor:
        plan = " | ".join(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING COVERING INDEX comments_replies_by_target" in plan, plan


# --- The no-JavaScript Reply page ------------------------------------------------------------


def test_the_reply_page_works_without_javascript(client, letter, make_reply):
    parent = make_reply(user_name="Sam", comment="I returned mine.")
    page = soup(client.get(f"/replies/reply/{parent.pk}/"))
    assert page.h1.get_text() == "Reply to Sam"
    assert page.select_one("blockquote .reply__body").get_text(strip=True) == "I returned mine."
    form = page.select_one("form[data-reply-form]")
    assert form.find("input", attrs={"name": "reply_to"})["value"] == str(parent.pk)
    assert not form.select_one("[data-replying-to]").has_attr("hidden")

    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    # The page is rendered for this reader (it holds their token): its value posts directly.
    assert opened_values.read(data["opened"]).one_use
    # As if the reader opened it a little while ago (the typing time counts from then).
    timestamp = int(time.time()) - MIN_SECONDS_TO_TYPE - 1
    data["timestamp"] = str(timestamp)
    data["security_hash"] = get_form()(letter).initial_security_hash(timestamp)
    data["opened"] = opened_values.issue(timestamp)
    data.update(name="Robin", email="robin@example.com", comment="So did I.")
    response = client.post(form["action"], data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 302
    reply = posted_reply(response)
    assert (reply.parent_id, reply.level, reply.thread_id) == (parent.pk, 1, parent.pk)
    assert texts(Client(), letter) == ["I returned mine."]  # held until approved
    approve(reply)
    assert listed(Client(), letter) == [("I returned mine.", 0, True), ("So did I.", 1, True)]


@pytest.mark.parametrize("status", [ReplyStatus.PENDING, ReplyStatus.REJECTED, ReplyStatus.SPAM])
def test_no_reply_page_for_a_reply_not_shown(client, make_reply, status):
    assert client.get(f"/replies/reply/{make_reply(status=status).pk}/").status_code == 404
    assert client.get("/replies/reply/987654/").status_code == 404


def test_no_reply_page_under_an_unpublished_letter(client, letter, make_reply):
    reply = make_reply()
    letter.unpublish()
    assert client.get(f"/replies/reply/{reply.pk}/").status_code == 404


def test_html_from_an_older_sanitiser_policy_is_made_again_not_shown(client, letter, make_reply):
    """The page shows only the sanitiser's output: a stored rendering from an older policy
    (say, before a rule was tightened) is replaced by a fresh one until it is re-rendered."""
    reply = make_reply(comment="Plain words <script>alert(1)</script>")
    Reply.objects.filter(pk=reply.pk).update(
        html="<p>Plain words <script>alert(1)</script></p>", policy_version=1
    )
    body = client.get(letter.url).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "Plain words &lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_answer_names_whom_it_answers_and_each_date_is_a_permalink(client, letter, make_reply):
    top = make_reply(user_name="\u05e9\u05e8\u05d4", comment="Top.")
    answer = make_reply(parent=top, user_name="Ben", comment="Answer.")
    page = soup(client.get(letter.url))
    item = page.select_one(f"#reply-{answer.pk}")
    assert item.select_one(".reply__permalink")["href"] == f"#reply-{answer.pk}"
    in_reply_to = item.select_one(".reply__in-reply-to")
    assert in_reply_to.get_text(" ", strip=True) == "in reply to \u05e9\u05e8\u05d4"
    assert in_reply_to.a["href"] == f"#reply-{top.pk}" and in_reply_to.bdi is not None
    assert page.select_one(f"#reply-{top.pk} .reply__in-reply-to") is None


def test_names_with_markup_are_shown_as_typed_wherever_the_list_names_them(
    client, letter, make_reply
):
    """The reply list is built in Python (comment_tags.reply_items): a name is text in the
    item's header and in the answer's "in reply to", never markup."""
    hostile = '<img src=x onerror="alert(1)">&amp; "Bo" \'O\'Neil\''
    top = make_reply(user_name=hostile, comment="Top.")
    answer = make_reply(parent=top, user_name="<b>Ben</b>", comment="Answer.")
    response = client.get(letter.url)
    assert b"<img src=x" not in response.content and b"<b>Ben" not in response.content
    page = soup(response)
    assert page.select_one(f"#reply-{top.pk} > header > bdi").get_text() == hostile
    item = page.select_one(f"#reply-{answer.pk}")
    assert item.select_one("header > bdi").get_text() == "<b>Ben</b>"
    assert item.select_one(".reply__in-reply-to bdi").get_text() == hostile
    assert page.select(".reply-list img") == []


def test_the_report_page_can_be_left_without_reporting(client, letter, make_reply):
    reply = make_reply()
    cancel = soup(client.get(f"/replies/report/{reply.pk}/")).find("a", string="Cancel")
    assert cancel["href"] == f"{letter.url}#reply-{reply.pk}"
