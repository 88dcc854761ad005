"""The status stays the one source of truth for xtd's is_public/is_removed (xtd's publishing
handler is disconnected, and a hidden parent hides its subtree), and the desk's block list
applies as replies arrive, through the real posting view."""

import datetime

import pytest
from django.db.models.signals import pre_save
from django.utils import timezone
from django_comments_xtd.models import publish_or_unpublish_on_pre_save

from comments import lifecycle
from comments.models import Reply, ReplyStatus
from comments.tests.letter_page import shown, soup
from guard.models import BlockedSender
from testing.replies import fresh_address, posted_reply

# --- Status is the source of truth -----------------------------------------------------------

FLAGS = {
    ReplyStatus.PENDING: (False, False),
    ReplyStatus.APPROVED: (True, False),
    ReplyStatus.REJECTED: (False, True),
    ReplyStatus.SPAM: (False, True),
    ReplyStatus.ERASED: (True, True),  # a placeholder in its thread: shown, its content removed
}


@pytest.mark.parametrize("status", list(FLAGS))
def test_is_public_and_is_removed_follow_the_status(make_reply, status):
    created = make_reply(status=status)
    assert (created.is_public, created.is_removed) == FLAGS[status]
    stored = Reply.objects.get(pk=created.pk)
    assert (stored.is_public, stored.is_removed) == FLAGS[status]
    for new_status in FLAGS:
        stored.status = new_status
        stored.is_public, stored.is_removed = True, True  # whatever someone set by hand
        stored.save()
        stored.refresh_from_db()
        assert (stored.is_public, stored.is_removed) == FLAGS[new_status], new_status


def test_xtds_publishing_handler_is_disconnected_for_replies():
    sync_receivers, async_receivers = pre_save._live_receivers(Reply)
    assert publish_or_unpublish_on_pre_save not in sync_receivers + async_receivers


def test_editing_an_approved_parent_does_not_publish_a_held_child(
    client, letter, make_reply, mailoutbox
):
    parent = make_reply(comment="The parent.")
    child = make_reply(parent=parent, status=ReplyStatus.PENDING, comment="Held child.")
    grandchild = make_reply(parent=child, status=ReplyStatus.PENDING, comment="Held grandchild.")

    parent = Reply.objects.get(pk=parent.pk)
    parent.comment = "The parent, edited by a moderator."
    parent.save()
    for reply in (child, grandchild):
        reply.refresh_from_db()
        assert (reply.status, reply.is_public) == (ReplyStatus.PENDING, False)
    assert shown(client, letter) == ("1 reply", ["The parent, edited by a moderator."])


def test_approving_a_parent_does_not_publish_its_held_children(client, letter, make_reply):
    parent = make_reply(status=ReplyStatus.PENDING, comment="Held parent.")
    child = make_reply(parent=parent, status=ReplyStatus.PENDING, comment="Held child.")
    parent.status = ReplyStatus.APPROVED
    parent.save()
    child.refresh_from_db()
    assert (child.status, child.is_public) == (ReplyStatus.PENDING, False)
    assert shown(client, letter) == ("1 reply", ["Held parent."])


def test_removing_a_parent_does_not_change_its_childrens_status(make_reply):
    parent = make_reply()
    child = make_reply(parent=parent)
    parent.status = ReplyStatus.REJECTED
    parent.save()
    child.refresh_from_db()
    assert (child.status, child.is_public) == (ReplyStatus.APPROVED, True)


@pytest.mark.parametrize(
    "hidden_status, action",
    [
        (ReplyStatus.PENDING, "requeue"),
        (ReplyStatus.REJECTED, "reject"),
        (ReplyStatus.SPAM, "spam"),
    ],
)
def test_a_hidden_parent_hides_its_approved_subtree(
    client, letter, make_reply, column, home_page, hidden_status, action
):
    top = make_reply(comment="Top.")
    child = make_reply(parent=top, comment="Child.")
    make_reply(parent=child, comment="Grandchild.")
    make_reply(parent=top, comment="Second child.")
    other = make_reply(comment="Other thread.")
    make_reply(parent=other, comment="Other child.")
    assert shown(client, letter)[0] == "6 replies"

    lifecycle.moderate(child, action, None)  # the one way a status changes
    assert child.status == hidden_status
    count, texts = shown(client, letter)
    assert count == "4 replies"
    assert texts == ["Top.", "Second child.", "Other thread.", "Other child."]

    lifecycle.moderate(top, action, None)
    assert shown(client, letter) == ("2 replies", ["Other thread.", "Other child."])
    # The letter's cards count what a reader can see, too.
    for listing in (column.url, home_page.url):
        card = soup(client.get(listing)).find("a", string=letter.title).find_parent(class_="card")
        assert "2 replies" in card.select_one(".card__meta").get_text(" ", strip=True)


# --- The desk's block list, applied when replies arrive ------------------------------------


def test_a_held_address_is_held_even_when_trusted(
    client, other_visitor, letter, post_reply, hold_untrusted, trusted_email
):
    BlockedSender.objects.create(kind="email", value=trusted_email.upper(), action="hold")
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment="Me again."))
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "its email address is on the hold list"
    assert "Me again." not in " ".join(shown(other_visitor, letter)[1])


def test_a_refused_ip_address_is_told_so_and_keeps_its_text(client, letter, post_reply):
    address = fresh_address()
    BlockedSender.objects.create(kind="ip", value=address, action="refuse")
    before = Reply.objects.count()
    response = post_reply(client, letter, remote_addr=address, comment="Please keep this text.")
    assert response.status_code == 403
    page = soup(response)
    assert "cannot accept replies from this address" in page.get_text()
    assert page.select_one("textarea[name=comment]").get_text() == "Please keep this text."
    assert Reply.objects.count() == before


def test_an_expired_block_no_longer_applies(
    client, letter, post_reply, hold_untrusted, trusted_email
):
    BlockedSender.objects.create(
        kind="email",
        value=trusted_email,
        action="refuse",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment="Back again."))
    assert reply.status == ReplyStatus.APPROVED
