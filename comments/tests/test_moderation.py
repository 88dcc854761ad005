"""Every branch of the moderation policy (comments.moderation.decide), taken through the real
posting view, and what readers then see: held replies are invisible, public ones appear at
once, spam is stored but never shown, staff are badged, closed letters refuse replies. The
status as the source of truth, and the block list, are in test_moderation_status.py."""

import datetime

import pytest
from django.utils import timezone

from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus
from comments.tests.letter_page import posted_title, shown, soup
from testing.replies import fresh_address, posted_reply

# --- Readers -----------------------------------------------------------------------------------


def test_by_default_every_reply_is_held(client, other_visitor, letter, post_reply, trusted_email):
    response = post_reply(client, letter, email=trusted_email, comment="Held, though trusted.")
    reply = posted_reply(response)
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "every reply is held"
    assert posted_title(client, response) == "Thank you: your reply is awaiting moderation"
    assert "Held, though trusted." not in " ".join(shown(other_visitor, letter)[1])


def test_hold_untrusted_holds_a_new_reader(
    client, other_visitor, letter, post_reply, hold_untrusted
):
    reply = posted_reply(post_reply(client, letter, comment="First time here."))
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "the author is not trusted yet"
    assert shown(other_visitor, letter) == ("No replies yet", [])


def test_hold_untrusted_publishes_a_trusted_reader_at_once(
    client, other_visitor, letter, post_reply, hold_untrusted, trusted_email
):
    response = post_reply(
        client, letter, email=trusted_email.upper(), comment="Welcome back to me."
    )
    reply = posted_reply(response)
    assert reply.status == ReplyStatus.APPROVED
    assert (reply.is_public, reply.is_removed, reply.hold_reason) == (True, False, "")
    assert posted_title(client, response) == "Your reply is published"
    count, texts = shown(other_visitor, letter)
    assert count == "2 replies"
    assert "Welcome back to me." in texts


@pytest.mark.parametrize("missing", ["confirmation", "approved reply"])
def test_trust_needs_both_an_approved_reply_and_a_confirmed_address(
    client, letter, post_reply, make_reply, hold_untrusted, missing
):
    email = "half-trusted@example.com"
    if missing == "confirmation":
        make_reply(user_email=email)
        ReaderEmail.objects.create(email=email, confirmed_at=None)
    else:
        make_reply(user_email=email, status=ReplyStatus.PENDING)
        make_reply(user_email=email, status=ReplyStatus.REJECTED)
        ReaderEmail.objects.create(email=email, confirmed_at=timezone.now())
    reply = posted_reply(post_reply(client, letter, email=email))
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "the author is not trusted yet"


@pytest.mark.parametrize("mode", [ReplyPolicy.HOLD_ALL, ReplyPolicy.HOLD_UNTRUSTED])
def test_links_at_the_limit_are_held_whoever_writes(
    client, letter, post_reply, policy, trusted_email, mode
):
    policy.mode = mode
    policy.save()
    two = "See https://one.example/a and www.two.example/b"
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment=two))
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "has 2 links"
    assert reply.link_count == 2


def test_links_below_the_limit_do_not_hold_a_trusted_reader(
    client, letter, post_reply, hold_untrusted, trusted_email
):
    one = "See https://one.example/a"
    assert posted_reply(post_reply(client, letter, email=trusted_email, comment=one)).status == (
        ReplyStatus.APPROVED
    )
    hold_untrusted.link_limit = 4
    hold_untrusted.save()
    three = "https://a.example https://b.example https://c.example"
    assert (
        posted_reply(post_reply(client, letter, email=trusted_email, comment=three)).status
        == ReplyStatus.APPROVED
    )
    hold_untrusted.link_limit = 0  # 0: no link rule
    hold_untrusted.save()
    many = " ".join(f"https://{n}.example" for n in range(8))
    assert (
        posted_reply(post_reply(client, letter, email=trusted_email, comment=many)).status
        == ReplyStatus.APPROVED
    )


@pytest.mark.parametrize(
    "text, held",
    [
        ("Is this a REPLICA?", True),
        ("a replica bag", True),
        ("Where can I buy a super fake", True),  # a phrase
        ("replicas are everywhere", False),  # whole words only
        ("superfake", False),
        ("Nothing odd here.", False),
    ],
)
def test_a_suspect_word_holds_even_a_trusted_reader(
    client, letter, post_reply, hold_untrusted, trusted_email, text, held
):
    hold_untrusted.suspect_words = "replica\n  Super Fake  \n\n"
    hold_untrusted.save()
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment=text))
    if held:
        assert reply.status == ReplyStatus.PENDING
        assert reply.hold_reason.startswith("contains the suspect word")
    else:
        assert reply.status == ReplyStatus.APPROVED


@pytest.mark.parametrize("mode", [ReplyPolicy.HOLD_ALL, ReplyPolicy.HOLD_UNTRUSTED])
def test_a_banned_word_files_the_reply_as_spam(
    client, other_visitor, letter, post_reply, policy, trusted_email, moderator, mailoutbox, mode
):
    policy.mode = mode
    policy.banned_words = "cheap watches"
    policy.suspect_words = "cheap"
    policy.save()
    text = "Buy CHEAP watches at https://spam.example"
    response = post_reply(client, letter, email=trusted_email, comment=text)
    reply = posted_reply(response)
    assert reply.status == ReplyStatus.SPAM
    assert (reply.is_public, reply.is_removed) == (False, True)
    assert reply.hold_reason == "contains the banned word “cheap watches”"
    assert reply.comment == text  # stored as sent
    assert posted_title(client, response) == "Thank you for your reply"
    assert "It will not be shown under the letter." in client.get(response["Location"]).text
    for reader in (client, other_visitor):
        page = reader.get(letter.url).text
        assert "CHEAP watches" not in page
    assert mailoutbox == []  # moderators are not asked about spam


# --- Staff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "moderator"])
def test_moderators_replies_are_public_at_once_with_the_editor_badge(
    client, other_visitor, letter, post_reply, request, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    # Moderators skip the minimum age (age=0) and moderation, even in hold-all mode; the name
    # and address are their account's, whatever they type.
    response = post_reply(
        client, letter, age=0, name="PurseBop", email="x@elsewhere.example", comment="Desk."
    )
    reply = posted_reply(response)
    assert reply.status == ReplyStatus.APPROVED
    assert reply.author_badge == "editor"
    assert reply.user == user
    assert (reply.user_name, reply.user_email) == (
        user.get_full_name() or user.get_username(),
        user.email,
    )
    assert posted_title(client, response) == "Your reply is published"
    page = soup(other_visitor.get(letter.url))
    item = page.select_one(f"#reply-{reply.pk}")
    assert item.select_one(".badge--editor").get_text() == "Editor"
    assert "Desk." in item.get_text()


def test_an_editors_reply_is_moderated_like_anyones(
    client, other_visitor, letter, post_reply, editor, hold_untrusted
):
    """An editor (admin access, no moderation right) posting as "PurseBop" from an outside
    address with two links: held, signed with the account, badged once approved."""
    client.force_login(editor)
    text = "Buy at https://one.example and https://two.example"
    reply = posted_reply(
        post_reply(client, letter, name="PurseBop", email="x@elsewhere.example", comment=text)
    )
    assert (reply.status, reply.hold_reason) == (ReplyStatus.PENDING, "has 2 links")
    assert (reply.user_name, reply.user_email, reply.author_badge) == (
        "editor",
        "editor@example.com",
        "editor",
    )
    assert shown(other_visitor, letter) == ("No replies yet", [])


def test_a_columnists_reply_carries_the_columnist_badge(
    client, other_visitor, letter, post_reply, editor, columnist
):
    columnist.user = editor
    columnist.save()
    client.force_login(editor)
    reply = posted_reply(post_reply(client, letter, name=columnist.name, comment="Thanks all."))
    assert (reply.status, reply.author_badge) == (ReplyStatus.APPROVED, "columnist")
    badge = soup(other_visitor.get(letter.url)).select_one(f"#reply-{reply.pk} .badge")
    assert badge["class"] == ["badge", "badge--columnist"]
    assert badge.get_text() == "Columnist"


def test_a_signed_in_reader_without_admin_access_is_not_staff(
    client, letter, post_reply, django_user_model
):
    reader = django_user_model.objects.create_user("reader", email="r@example.com")
    client.force_login(reader)
    reply = posted_reply(post_reply(client, letter))
    assert (reply.status, reply.author_badge) == (ReplyStatus.PENDING, "")
    assert post_reply(client, letter, age=0).status_code == 400  # too fast: not staff


def test_staff_are_rate_limited_too(client, letter, post_reply, superuser):
    client.force_login(superuser)
    address = fresh_address()
    for n in range(5):
        assert post_reply(client, letter, remote_addr=address, comment=f"n{n}").status_code == 302
    assert post_reply(client, letter, remote_addr=address).status_code == 429


# --- Closed letters --------------------------------------------------------------------------


def test_replies_close_after_the_configured_days(client, make_letter, post_reply, policy):
    today = timezone.localdate()
    old = make_letter("An old letter?", date=today - datetime.timedelta(days=10))
    recent = make_letter("A recent letter?", date=today - datetime.timedelta(days=6))
    policy.close_after_days = 7
    policy.save()

    response = post_reply(client, old, comment="Too late?")
    assert response.status_code == 403
    closes = old.date + datetime.timedelta(days=7)
    message = soup(response).select_one("[role=alert]").get_text(" ", strip=True)
    assert f"Replies to this letter closed on {closes:%-d %B %Y}." in message
    assert soup(response).find("textarea", attrs={"name": "comment"}).get_text() == "Too late?"
    page = soup(client.get(old.url))
    assert page.select_one("#replies .notice").get_text() == (
        f"Replies to this letter closed on {closes:%-d %B %Y}."
    )
    assert page.select_one("form[data-reply-form]") is None
    assert page.select_one(".empty") is None

    assert post_reply(client, recent).status_code == 302
    assert soup(client.get(recent.url)).select_one("form[data-reply-form]") is not None

    policy.close_after_days = 0  # never close
    policy.save()
    assert post_reply(client, old).status_code == 302


def test_a_closed_letter_keeps_its_replies_but_offers_no_reply_link(
    client, letter, make_reply, policy
):
    reply = make_reply()
    letter.allow_replies = False
    letter.save_revision().publish()
    page = soup(client.get(letter.url))
    assert page.select_one(f"#reply-{reply.pk}") is not None
    assert page.select_one(".reply__reply") is None
    assert client.get(f"/replies/reply/{reply.pk}/").status_code == 403


def test_replies_turned_off_are_refused(client, letter, post_reply):
    letter.allow_replies = False
    letter.save_revision().publish()
    response = post_reply(client, letter, comment="Let me in.")
    assert response.status_code == 403
    assert "Replies are turned off for this letter." in response.text
    assert Reply.objects.count() == 0
    page = soup(client.get(letter.url))
    assert (
        page.select_one("#replies .notice").get_text() == "Replies are turned off for this letter."
    )
    assert page.select_one("form[data-reply-form]") is None


def test_staff_cannot_reply_to_a_closed_letter_either(client, letter, post_reply, superuser):
    letter.allow_replies = False
    letter.save_revision().publish()
    client.force_login(superuser)
    assert post_reply(client, letter).status_code == 403
    assert Reply.objects.count() == 0
