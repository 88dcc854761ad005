"""The block list is not walked around by spelling an address another way, nor is the
address's rate limit or the duplicate check; trust and follow-ups keep the exact address."""

import pytest

from comments.models import Reply
from guard import mailboxes
from guard.models import BlockedSender
from testing.replies import fresh_address, posted_reply

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack


@pytest.fixture
def refused(db):
    return BlockedSender.objects.create(kind="email", value="blocked@example.com", action="refuse")


@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_an_address_with_an_invisible_character_is_refused_and_the_text_kept(
    client, letter, post_reply, refused, char
):
    typed = f"blocked@example.com{char}"
    response = post_reply(client, letter, email=typed, comment="Still me, again.")
    assert response.status_code == 400
    assert mailboxes.FORMAT_CHARACTER_MESSAGE.split(":")[0] in response.text
    assert "Still me, again." in response.text
    assert not Reply.objects.exists()


@pytest.mark.parametrize(
    "spelling", ['"blocked"@example.com', "Blocked+new@Example.com", '"blocked+x"@example.com']
)
def test_a_refused_address_is_refused_however_it_is_spelt(
    client, letter, post_reply, refused, spelling
):
    response = post_reply(client, letter, email=spelling, comment="Let me in.")
    assert response.status_code == 403
    assert "Let me in." in response.text
    assert not Reply.objects.exists()


def test_plus_tags_share_the_addresses_rate_limit(client, letter, post_reply, settings):
    settings.REPLY_RATE_LIMITS = [("email", 2, 600)]
    for n, tag in enumerate(["", "+a", "+b"]):
        response = post_reply(
            client,
            letter,
            email=f"pat{tag}@example.com",
            comment=f"Reply {n}.",
            remote_addr=fresh_address(),
        )
        assert response.status_code == (302 if n < 2 else 429), tag
    assert Reply.objects.count() == 2


def test_the_same_reply_from_a_plus_tag_is_a_duplicate(client, letter, post_reply):
    first = posted_reply(post_reply(client, letter, email="pat@example.com", comment="Same."))
    again = post_reply(client, letter, email="Pat+again@example.com", comment="Same.")
    assert again.status_code == 302
    assert posted_reply(again) == first  # lands on the first reply
    assert Reply.objects.count() == 1


def test_the_reply_keeps_the_address_exactly_as_typed(client, letter, post_reply):
    reply = posted_reply(post_reply(client, letter, email="Pat+column@example.com"))
    assert reply.user_email == "Pat+column@example.com"
