"""'Readers weigh in': a moderator's pick of an approved reply (comments.lifecycle.pick) shows
first under its letter, marked "Editors' pick" in words, and in the letter's JSON-LD; picking
a reply that is not approved is refused; unpicking, or any later change of the reply's status,
takes it out of both; comments.picks.picks_for reads many letters' picks in one query."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import lifecycle
from comments.models import Reply, ReplyStatus
from comments.picks import picks_for
from testing.desk import logs

pytestmark = pytest.mark.django_db


def page_of(client, letter, **params):
    response = client.get(letter.url, params)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def shown(client, letter, **params):
    """[(text, marked as a pick, in "Readers weigh in")] for every reply on the page, in order;
    and the JSON-LD's comments."""
    page = page_of(client, letter, **params)
    rows = [
        (
            item.select_one(".reply__body").get_text(strip=True),
            item.select_one(".reply__pick") is not None,
            item.find_parent("section", class_="reader-picks") is not None,
        )
        for item in page.select(".reply-list > li")
        if item.select_one(".reply__body")
    ]
    [script] = page.find_all("script", type="application/ld+json")
    return rows, json.loads(script.string)["comment"]


def fresh(reply):
    return Reply.objects.get(pk=reply.pk)


@pytest.fixture
def three(make_reply):
    return [make_reply(comment=f"Reply {n}.") for n in (1, 2, 3)]


def test_a_picked_reply_shows_first_with_its_mark_and_in_the_json_ld(
    client, letter, three, moderator
):
    first, second, third = three
    assert lifecycle.pick(fresh(third), moderator)
    rows, comments = shown(client, letter)
    assert rows == [
        ("Reply 3.", True, True),
        ("Reply 1.", False, False),
        ("Reply 2.", False, False),
    ]
    page = page_of(client, letter)
    section = page.select_one("section.reader-picks")
    assert section.h3.get_text() == "Readers weigh in"
    assert section.select_one(".reply__pick").get_text() == "Editors’ pick"  # words, not colour
    assert page.select_one("#reply-count").get_text() == "3 replies"  # counted once
    assert [c["text"] for c in comments] == ["Reply 3.", "Reply 1.", "Reply 2."]
    assert comments[0]["award"] == "Editors’ pick"
    assert comments[0]["@id"].endswith(f"#reply-{third.pk}")
    assert comments[0]["author"] == {"@type": "Person", "name": third.user_name}
    assert "award" not in comments[1] and "award" not in comments[2]
    # Newest first still puts the pick first.
    rows, _ = shown(client, letter, sort="newest")
    assert [text for text, _mark, _section in rows] == ["Reply 3.", "Reply 2.", "Reply 1."]


def test_picks_come_in_pick_order_and_bring_their_thread(client, letter, make_reply, moderator):
    top = make_reply(comment="Top.")
    answer = make_reply(parent=top, comment="Answer.")
    make_reply(comment="Other.")
    lone = make_reply(comment="Lone.")
    lifecycle.pick(fresh(lone), moderator)
    lifecycle.pick(fresh(answer), moderator)
    rows, comments = shown(client, letter)
    assert rows == [
        ("Lone.", True, True),
        ("Top.", False, True),
        ("Answer.", True, True),
        ("Other.", False, False),
    ]
    assert [c["text"] for c in comments[:2]] == ["Lone.", "Answer."]
    assert comments[1]["parentItem"]["@id"].endswith(f"#reply-{top.pk}")
    assert [c["text"] for c in comments[2:]] == ["Top.", "Other."]
    assert picks_for([letter]) == {letter.pk: [lone, answer]}


def test_a_held_reply_cannot_be_picked(client, letter, make_reply, moderator):
    held = make_reply(status=ReplyStatus.PENDING, comment="Waiting.")
    for status in (ReplyStatus.PENDING, ReplyStatus.REJECTED, ReplyStatus.SPAM):
        Reply.objects.filter(pk=held.pk).update(status=status)
        assert lifecycle.pick(fresh(held), moderator) is False
        assert fresh(held).picked_at is None
    assert logs(held) == []


def test_picking_twice_changes_nothing_the_second_time(letter, make_reply, moderator):
    reply = make_reply()
    assert lifecycle.pick(fresh(reply), moderator) is True
    assert lifecycle.pick(fresh(reply), moderator) is False
    assert [entry.action for entry in logs(reply)] == ["comments.pick"]


def test_the_pick_is_logged_with_who_made_it(letter, make_reply, moderator):
    reply = make_reply()
    lifecycle.pick(fresh(reply), moderator)
    reply = fresh(reply)
    assert reply.picked_by == moderator and reply.picked_at is not None
    lifecycle.unpick(reply, moderator)
    pick, unpick = logs(reply)
    assert (pick.action, pick.user, pick.label) == (
        "comments.pick",
        moderator,
        f"Reply #{reply.pk}",
    )
    assert pick.data == {"status": "approved"}
    assert pick.formatter.format_message(pick) == "Picked for “Readers weigh in”"
    assert (unpick.action, unpick.user) == ("comments.unpick", moderator)
    assert unpick.formatter.format_message(unpick) == "Taken out of “Readers weigh in”"


def test_unpicking_takes_it_out_of_the_page_and_the_json_ld(client, letter, three, moderator):
    first, _second, _third = three
    lifecycle.pick(fresh(first), moderator)
    assert shown(client, letter)[0][0] == ("Reply 1.", True, True)
    assert lifecycle.unpick(fresh(first), moderator) is True
    rows, comments = shown(client, letter)
    assert rows == [
        ("Reply 1.", False, False),
        ("Reply 2.", False, False),
        ("Reply 3.", False, False),
    ]
    assert all("award" not in comment for comment in comments)
    assert fresh(first).picked_by is None
    assert picks_for([letter]) == {letter.pk: []}
    assert lifecycle.unpick(fresh(first), moderator) is False  # nothing to take out


@pytest.mark.parametrize("action", ["requeue", "reject", "spam"])
def test_any_change_of_status_clears_the_pick(client, letter, three, moderator, action):
    first, second, _third = three
    lifecycle.pick(fresh(first), moderator)
    lifecycle.pick(fresh(second), moderator)
    lifecycle.moderate(fresh(first), action, moderator, reason="No longer fits.")
    reply = fresh(first)
    assert (reply.picked_at, reply.picked_by) == (None, None)
    assert logs(reply)[-1].data["unpicked"] is True
    assert "no longer an editors’ pick" in logs(reply)[-1].formatter.format_message(logs(reply)[-1])
    rows, comments = shown(client, letter)
    assert rows == [("Reply 2.", True, True), ("Reply 3.", False, False)]
    assert [c["text"] for c in comments] == ["Reply 2.", "Reply 3."]
    # Approved again, it is not a pick again by itself.
    lifecycle.moderate(fresh(first), "approve", moderator)
    assert fresh(first).picked_at is None
    assert picks_for([letter]) == {letter.pk: [second]}


def test_reports_sending_it_back_clear_the_pick(letter, make_reply, moderator):
    reply = make_reply()
    lifecycle.pick(fresh(reply), moderator)
    lifecycle.reported(fresh(reply), 3)
    assert fresh(reply).picked_at is None and fresh(reply).is_held


def test_erasing_a_picked_reply_clears_the_pick(client, letter, make_reply, moderator):
    picked = make_reply(user_email="gone@example.com", comment="Mine.")
    make_reply(parent=picked, comment="An answer.")  # kept as a placeholder: answered
    lifecycle.pick(fresh(picked), moderator)
    lifecycle.erase("gone@example.com", moderator)
    assert fresh(picked).picked_at is None and fresh(picked).is_erased
    rows, comments = shown(client, letter)
    assert rows == [("An answer.", False, False)]
    assert picks_for([letter]) == {letter.pk: []}


def test_a_pick_under_a_held_reply_is_hidden_with_it(client, letter, make_reply, moderator):
    top = make_reply(comment="Top.")
    answer = make_reply(parent=top, comment="Answer.")
    lifecycle.pick(fresh(answer), moderator)
    lifecycle.moderate(fresh(top), "requeue", moderator)
    assert fresh(answer).is_picked  # its own status did not change
    assert shown(client, letter) == ([], [])
    assert picks_for([letter]) == {letter.pk: []}
    lifecycle.moderate(fresh(top), "approve", moderator)
    assert picks_for([letter]) == {letter.pk: [answer]}


def test_picks_for_reads_many_letters_in_one_query(make_letter, make_reply, letter, moderator):
    other_letter = make_letter("Is a dust bag worth keeping?")
    here = make_reply(comment="Here.")
    there = make_reply(on=other_letter, comment="There.")
    make_reply(on=other_letter, comment="Not picked.")
    bare = make_letter("A letter nobody picked from")
    lifecycle.pick(fresh(there), moderator)
    lifecycle.pick(fresh(here), moderator)
    with CaptureQueriesContext(connection) as queries:
        picks = picks_for([letter, other_letter, bare])
        texts = {pk: [r.current_html() for r in replies] for pk, replies in picks.items()}
        names = [r.user_name for replies in picks.values() for r in replies]
    assert len(queries) == 1
    assert picks == {letter.pk: [here], other_letter.pk: [there], bare.pk: []}
    assert texts[letter.pk] == ["<p>Here.</p>"]
    assert names == [here.user_name, there.user_name]
    assert picks_for([]) == {}
