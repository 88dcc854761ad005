"""Erasing a reader at their request: the plan, the erasure, and what stays in the threads."""

import pytest
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment
from wagtail.models import ModelLogEntry

from comments import lifecycle, threads
from comments.desk import actions
from comments.models import ReaderEmail, Reply
from guard.models import BlockedSender
from testing.desk import (
    ERASE_URL,
    ERASED,
    PENDING,
    soup,
)

# --- Erasure --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def erasure_needs_addresses(sees_addresses):
    """The erasure form is for moderators who may see readers' addresses."""


@pytest.fixture
def erasable(make_reply):
    """What leaving@example.com wrote: a reply nobody answered, one another reader answered,
    one answered only by the author's own reply, and a chain of the author's replies with
    another reader's answer at the bottom. Plus the address's records."""
    email = "leaving@example.com"

    def mine(**fields):
        values = {
            "user_email": email,
            "user_name": "Leaving Lou",
            "ip_address": "192.0.2.9",
            "comment": "Lou's own words.",
        }
        values.update(fields)
        return make_reply(**values)

    made = {"email": email}
    made["alone"] = mine(status=PENDING)
    made["answered"] = mine(followup=True, notify_on_publish=True, user_url="https://lou.example")
    made["answer"] = make_reply(parent=made["answered"], comment="Another reader answers.")
    made["self-answered"] = mine()
    made["own answer"] = mine(parent=made["self-answered"], user_email="LEAVING@example.com")
    made["chain top"] = mine()
    made["chain middle"] = mine(parent=made["chain top"])
    made["chain answer"] = make_reply(parent=made["chain middle"], comment="A stranger replies.")
    ReaderEmail.objects.create(email=email, confirmed_at=timezone.now())
    actions.block("email", email, "hold", None)
    made["other block"] = actions.block("ip", "192.0.2.9", "hold", None)
    return made


def test_the_erasure_plan(erasable):
    plan = lifecycle.erasure_plan(" Leaving@Example.com ")
    assert plan["email"] == "leaving@example.com"
    assert {r.pk for r in plan["delete"]} == {
        erasable[key].pk for key in ("alone", "self-answered", "own answer")
    }
    # A reply with another reader's answer anywhere below it keeps its place in the thread.
    assert {r.pk for r in plan["blank"]} == {
        erasable[key].pk for key in ("answered", "chain top", "chain middle")
    }
    assert plan["replies"] == 6
    assert [e.email for e in plan["reader_emails"]] == ["leaving@example.com"]
    assert [b.value for b in plan["blocks"]] == ["leaving@example.com"]


def test_erasing_a_reader(desk, erasable, moderator, letter):
    email = erasable["email"]
    page = soup(desk.post(ERASE_URL, {"email": "Leaving@Example.com", "step": "find"}))
    items = [li.get_text(" ", strip=True) for li in page.select(".desk-list li")]
    assert sum(item.startswith("Delete:") for item in items) == 3
    assert sum(item.startswith("Blank (others answered it):") for item in items) == 3
    assert "The address’s confirmation record" in items
    assert "Block-list entry: Always hold for a moderator: leaving@example.com" in items
    assert page.select_one("input[name=email][type=hidden]")["value"] == email
    assert Reply.objects.filter(user_email__iexact=email).count() == 6  # finding erases nothing

    # Without the box ticked: nothing happens.
    response = desk.post(ERASE_URL, {"email": email, "step": "erase"})
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.text
    assert Reply.objects.filter(user_email__iexact=email).count() == 6

    response = desk.post(ERASE_URL, {"email": email, "step": "erase", "confirm": "on"})
    assert response.status_code == 200
    assert "Erased 3 replies and blanked 3 that others had answered." in response.text
    assert "Done: 3 deleted, 3 blanked for leaving@example.com." in response.text

    for key in ("alone", "self-answered", "own answer"):
        # Gone from all three tables (django_comments' and xtd's hold the name and text too).
        assert not Comment.objects.filter(pk=erasable[key].pk).exists(), key
        assert not XtdComment.objects.filter(pk=erasable[key].pk).exists(), key
    assert not Comment.objects.filter(user_email__iexact=email).exists()
    for key in ("answered", "chain top", "chain middle"):
        reply = Reply.objects.get(pk=erasable[key].pk)
        assert (reply.user_name, reply.user_email, reply.user_url, reply.ip_address) == (
            "",
            "",
            "",
            None,
        ), key
        assert (reply.followup, reply.notify_on_publish) == (False, False)
        assert (reply.comment, reply.html) == ("", "")
        assert reply.status == ERASED  # still in its thread, as a placeholder
        assert (reply.is_public, reply.is_removed) == (True, True)
    assert not Reply.objects.filter(user_email__iexact=email).exists()
    assert not Reply.objects.filter(comment__contains="Lou's own words").exists()
    assert not ReaderEmail.objects.filter(email=email).exists()
    assert list(BlockedSender.objects.all()) == [erasable["other block"]]

    # Other readers' answers are still where they were, under their placeholders.
    shown = [reply for thread in threads.reply_threads(letter).page for reply in thread]
    assert "Another reader answers." in [reply.comment for reply in shown]
    assert "A stranger replies." in [reply.comment for reply in shown]
    assert [reply.pk for reply in shown if reply.is_erased] == [
        erasable[key].pk for key in ("answered", "chain top", "chain middle")
    ]
    assert threads.reply_threads(letter).count == 2  # placeholders are not counted

    # On the letter page a placeholder has no name, no text, no "Reply" and no "Report".
    page = soup(desk.get(letter.url))
    for key in ("answered", "chain top", "chain middle"):
        item = page.select_one(f"#reply-{erasable[key].pk}")
        assert item.get_text(" ", strip=True) == "This reply was removed at its author’s request."
        assert not item.select("a")
    assert "Lou" not in page.get_text()

    erased = ModelLogEntry.objects.filter(action="comments.erase")
    assert erased.count() == 6
    assert {entry.user for entry in erased} == {moderator}
    assert sorted(entry.data["deleted"] for entry in erased) == [False] * 3 + [True] * 3
    assert not [entry for entry in ModelLogEntry.objects.all() if "leaving" in entry.label]


def test_erasing_an_unknown_address_finds_nothing(desk, held):
    page = soup(desk.post(ERASE_URL, {"email": "nobody@example.com", "step": "find"}))
    assert "Nothing on record for this address." in page.get_text()
    response = desk.post(ERASE_URL, {"email": "not an address", "step": "find"})
    assert response.status_code == 400
    assert Reply.objects.count() == 1
