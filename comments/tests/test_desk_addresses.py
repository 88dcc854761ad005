"""Readers' addresses on the desk and in its emails are for holders of "Can see readers’
addresses" (guard.permissions): a reply moderator without it decides on names, text and
history, never sees an address, cannot find replies by one, and cannot use the erasure form
(looking an address up tells whether it wrote in)."""

import pytest
from django.contrib.auth import get_user_model

from comments.models import ReplyStatus
from guard.models import BlockedSender
from guard.permissions import SEE_ADDRESSES
from testing.desk import DENIED, LIST_URL, inspect_url, listed, menu_labels, messages_of
from testing.replies import posted_reply
from testing.users import grant

ADDRESS = "harriet@example.com"


@pytest.fixture
def blocked(held):
    return BlockedSender.objects.create(kind="email", value=ADDRESS, action="hold")


def test_a_moderator_without_the_permission_sees_no_address(desk, held, blocked):
    for url in (inspect_url(held), LIST_URL, LIST_URL + "?queue=all"):
        response = desk.get(url)
        assert response.status_code == 200, url
        assert ADDRESS not in response.text, url
        assert "Hopeful Harriet" in response.text, url
    # Searching by address finds nothing; by name, the reply.
    assert listed(desk.get(LIST_URL, {"q": "harriet@example", "queue": "all"})) == []
    assert len(listed(desk.get(LIST_URL, {"q": "Hopeful", "queue": "all"}))) == 1


def test_a_moderator_with_the_permission_sees_and_searches_addresses(
    desk, sees_addresses, held, blocked
):
    assert ADDRESS in desk.get(inspect_url(held)).text
    assert ADDRESS in desk.get(LIST_URL).text
    assert len(listed(desk.get(LIST_URL, {"q": "harriet@example", "queue": "all"}))) == 1


def test_the_erasure_form_needs_the_permission(desk, held):
    url = "/admin/snippets/comments/reply/erase/"
    for response in (desk.get(url), desk.post(url, {"email": ADDRESS, "step": "find"})):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert messages_of(response) == [DENIED]


def test_the_moderators_email_shows_the_address_only_to_holders(
    client, letter, post_reply, moderator, superuser, mailoutbox
):
    """The moderator (Reply moderators group) gets the name alone; the superuser, who holds
    every permission, and a moderator granted it get the address too."""
    granted = get_user_model().objects.create_user("granted", email="granted@example.com")
    granted.groups.add(*moderator.groups.all())
    grant(granted, SEE_ADDRESSES)
    reply = posted_reply(post_reply(client, letter, name="Pat", comment="Look at me."))
    assert reply.status == ReplyStatus.PENDING
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "From: Pat\n" in bodies["mod@example.com"]
    assert reply.user_email not in bodies["mod@example.com"]
    for address in ("boss@example.com", "granted@example.com"):
        assert f"From: Pat <{reply.user_email}>" in bodies[address]


def test_the_erasure_form_is_in_the_menu_only_with_the_permission(desk, sees_addresses, held):
    assert "Erase a reader’s replies" in menu_labels(desk.get("/admin/"))
