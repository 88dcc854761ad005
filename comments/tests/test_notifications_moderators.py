"""The emails about replies (comments.notifications) to moderators: one email for each held
reply, or a digest, only to those who can moderate, and a link that stops them. Each is
queued: the test settings run the queue inline."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from comments import notifications
from comments.models import (
    ModeratorEmailPreference,
    ReplyPolicy,
    ReplyStatus,
)
from comments.tests.mail_links import BASE, follow, link_after, links, path, to
from testing.replies import posted_reply


@pytest.fixture
def moderators(moderator, superuser, editor, django_user_model):
    """Who can moderate (and so is emailed), and who cannot, however close they come."""
    direct = django_user_model.objects.create_user("direct", email="direct@example.com")
    direct.user_permissions.add(
        Permission.objects.get(content_type__app_label="django_comments", codename="can_moderate")
    )
    inactive = django_user_model.objects.create_user(
        "gone", email="gone@example.com", is_active=False
    )
    inactive.groups.add(*moderator.groups.all())
    no_address = django_user_model.objects.create_user("noaddress", email="")
    no_address.groups.add(*moderator.groups.all())
    django_user_model.objects.create_user("plain", email="plain@example.com")
    return {"mod@example.com", "boss@example.com", "direct@example.com"}


def can_moderate_addresses():
    return {
        user.email
        for user in get_user_model().objects.filter(is_active=True).exclude(email="")
        if user.has_perm("django_comments.can_moderate")
    }


# --- Moderators ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [ReplyPolicy.HOLD_ALL, ReplyPolicy.HOLD_UNTRUSTED])
def test_moderators_are_emailed_about_a_held_reply(
    client, letter, post_reply, policy, moderators, moderator, mailoutbox, mode
):
    policy.mode = mode
    policy.save()
    reply = posted_reply(post_reply(client, letter, comment="Please look at me.", name="Pat"))
    assert reply.status == ReplyStatus.PENDING

    assert moderators == can_moderate_addresses()
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(moderators)
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees the others
    # The superuser may see readers' addresses (every permission); the moderator may not.
    (message,) = to(mailoutbox, "boss@example.com")
    assert message.subject == f"[Dear PurseBop] A reply awaits moderation on “{letter.title}”"
    assert "Please look at me." in message.body
    assert f"From: Pat <{reply.user_email}>" in message.body
    reason = {
        ReplyPolicy.HOLD_ALL: "every reply is held",
        ReplyPolicy.HOLD_UNTRUSTED: "the author is not trusted yet",
    }[mode]
    assert f"Why it is held: {reason}." in message.body
    moderate_it = link_after(message, "Moderate it:")
    assert moderate_it == f"{BASE}/admin/snippets/comments/reply/inspect/{reply.pk}/"
    for link in links(message):
        assert client.get(path(link)).status_code in (200, 302)  # the admin redirects to log in
    # A moderator following it lands on the reply's page on the desk.
    client.force_login(moderator)
    desk_page = client.get(path(moderate_it))
    assert desk_page.status_code == 200
    assert "Please look at me." in desk_page.content.decode()
    reply.refresh_from_db()
    assert reply.moderators_notified_at is not None


@pytest.mark.parametrize("case", ["trusted", "staff", "spam"])
def test_moderators_are_not_emailed_about_replies_not_held(
    client, letter, post_reply, policy, moderators, trusted_email, superuser, mailoutbox, case
):
    policy.mode = ReplyPolicy.HOLD_UNTRUSTED
    policy.banned_words = "casino"
    policy.save()
    if case == "trusted":
        response = post_reply(client, letter, email=trusted_email)
    elif case == "staff":
        client.force_login(superuser)
        response = post_reply(client, letter)
    else:
        response = post_reply(client, letter, comment="Visit my casino")
    assert posted_reply(response).status != ReplyStatus.PENDING
    assert mailoutbox == []


def test_digest_mode_sends_nothing_when_replies_arrive_then_one_digest(
    client, letter, post_reply, policy, moderators, mailoutbox, make_letter
):
    policy.moderator_emails = ReplyPolicy.DIGEST
    policy.save()
    other = make_letter("Another question?", date=timezone.localdate())
    first = posted_reply(post_reply(client, letter, comment="First held reply."))
    second = posted_reply(post_reply(client, other, comment="Second held reply."))
    assert mailoutbox == []

    assert notifications.send_moderation_digest() == len(moderators)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(moderators)
    message = mailoutbox[0]
    assert message.subject == "[Dear PurseBop] 2 replies await moderation"
    assert "2 replies are waiting for moderation." in message.body
    assert message.body.index("First held reply.") < message.body.index("Second held reply.")
    assert f"On “{letter.title}”" in message.body and f"On “{other.title}”" in message.body
    for reply in (first, second):
        reply.refresh_from_db()
        assert reply.moderators_notified_at is not None

    mailoutbox.clear()
    assert notifications.send_moderation_digest() == 0  # nothing new
    assert mailoutbox == []
    posted_reply(post_reply(client, letter, comment="Third held reply."))
    notifications.send_moderation_digest()
    assert len(mailoutbox) == len(moderators)
    assert "A reply awaits moderation" in mailoutbox[0].subject
    assert "Third held reply." in mailoutbox[0].body
    assert "First held reply." not in mailoutbox[0].body


def test_a_moderator_can_stop_the_held_reply_emails(
    client, letter, post_reply, moderator, mailoutbox
):
    post_reply(client, letter)
    (message,) = to(mailoutbox, moderator.email)
    mute = link_after(message, "Stop them:")

    stranger = Client()
    page = follow(stranger, mute)
    assert "Stop emails about held replies?" in page.text
    assert not ModeratorEmailPreference.objects.filter(user=moderator, muted=True).exists()
    done = stranger.post(path(mute))
    assert done.status_code == 200
    assert "No more held-reply emails" in done.text
    assert ModeratorEmailPreference.objects.get(user=moderator).muted

    mailoutbox.clear()
    post_reply(client, letter)
    assert to(mailoutbox, moderator.email) == []
    assert client.get("/replies/moderator-emails/forged/").status_code == 404
