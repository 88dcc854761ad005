"""The emails about replies (comments.notifications) to a discussion's followers: only confirmed
addresses hear of public replies, once, and can stop them; and the stop links of emails sent
before today's links still work, on purpose, until 31 May 2027."""

from django.core import signing
from django.test import Client
from django_comments_xtd import signed as xtd_signed
from django_comments_xtd.conf import settings as xtd_settings

from comments import notifications
from comments.models import (
    Reply,
    ReplyStatus,
)
from comments.tests.mail_links import BASE, approve, confirm_through, follow, link_after, path, to
from testing.replies import confirm_address, posted_reply

# --- Followers -------------------------------------------------------------------------------


def test_followers_hear_when_a_held_reply_is_approved_and_can_stop(
    client, letter, post_reply, make_reply, mailoutbox
):
    make_reply(user_email="follower@example.com", user_name="Fran", followup=True)
    confirm_address("follower@example.com")
    make_reply(user_email="held-follower@example.com", followup=True, status=ReplyStatus.PENDING)
    confirm_address("held-follower@example.com")
    make_reply(user_email="not-following@example.com")
    confirm_address("not-following@example.com")
    author = "author@example.com"
    reply = posted_reply(
        post_reply(
            client, letter, email=author, name="Alex", comment="A later answer.", followup=True
        )
    )
    assert to(mailoutbox, "follower@example.com") == []  # held: nothing to follow yet

    mailoutbox.clear()
    reply = approve(reply)
    # The public, confirmed follower; not a held follower, not the author (who is asked to
    # confirm their address before any follow-up reaches them).
    assert sorted(m.to for m in mailoutbox) == [[author], ["follower@example.com"]]
    (message,) = to(mailoutbox, "follower@example.com")
    assert message.subject == "[Dear PurseBop] A new reply in a discussion you follow"
    assert message.body.startswith("Hello Fran,")
    assert f"Alex replied in the discussion of “{letter.title}”" in message.body
    assert "A later answer." in message.body
    read = link_after(message, "Read it:")
    assert read == f"{BASE}/replies/{reply.pk}/"  # its permalink: the page that shows it
    landed = follow(Client(), read)
    assert landed.redirect_chain == [(f"{letter.url}#reply-{reply.pk}", 302)]
    assert "A later answer." in landed.text
    (asked,) = to(mailoutbox, author)
    assert asked.subject == "[Dear PurseBop] Your reply is published"
    assert "We send you none until you confirm" in asked.body
    assert "A later answer." not in asked.body.split("published:")[1]  # no follow-up in it

    stop = link_after(message, "Stop these emails:")
    assert path(stop).startswith("/replies/unsubscribe/")
    assert len(path(stop)) <= 90  # one short line in the email
    page = follow(Client(), stop)  # a mail scanner's GET
    assert "Stop emails about this discussion?" in page.text
    assert letter.title in page.text
    assert Reply.objects.filter(user_email="follower@example.com", followup=True).exists()
    done = Client().post(path(stop))
    assert done.status_code == 200
    assert "You will get no more emails about this discussion" in done.text
    assert letter.title in done.text
    assert not Reply.objects.filter(user_email="follower@example.com", followup=True).exists()

    confirm_through(Client(), link_after(asked, "with this link:"))  # the author confirms
    mailoutbox.clear()
    approve(posted_reply(post_reply(client, letter, comment="Yet another.")))
    # The follower who stopped hears nothing; the author, confirmed now, is a follower.
    assert to(mailoutbox, "follower@example.com") == []
    assert [m.to for m in mailoutbox if "Yet another." in m.body] == [[author]]


def test_a_follower_who_has_not_confirmed_is_sent_the_link_and_no_followups(
    client, letter, post_reply, make_reply, superuser, mailoutbox
):
    unconfirmed = make_reply(user_email="unconfirmed@example.com", followup=True)
    approve(make_reply(status=ReplyStatus.PENDING, comment="Someone replies."))
    assert to(mailoutbox, unconfirmed.user_email) == []

    # Staff replies are public at once: a staff member who ticks the box is asked too.
    client.force_login(superuser)
    posted_reply(post_reply(client, letter, email="boss@example.com", followup=True))
    (message,) = to(mailoutbox, "boss@example.com")
    assert message.subject == "[Dear PurseBop] Your reply is published"
    confirm = link_after(message, "with this link:")
    assert "/replies/confirm-email/" in confirm
    assert "without waiting for a moderator" not in message.body  # staff need no trust

    mailoutbox.clear()
    confirm_through(Client(), confirm)
    approve(make_reply(status=ReplyStatus.PENDING, comment="Another reply."))
    assert len(to(mailoutbox, "boss@example.com")) == 1
    assert to(mailoutbox, unconfirmed.user_email) == []


def test_trust_mode_asks_once_for_both_trust_and_followups(
    client, letter, post_reply, hold_untrusted, mailoutbox
):
    email = "both@example.com"
    reply = posted_reply(post_reply(client, letter, email=email, followup=True))
    mailoutbox.clear()
    approve(reply)
    (message,) = to(mailoutbox, email)
    assert "We send you none until you confirm" in message.body
    assert "also appear without waiting for a moderator" in message.body
    assert "/replies/confirm-email/" in link_after(message, "guidelines):")


def test_a_reply_public_at_once_notifies_followers_once(
    client, letter, post_reply, make_reply, hold_untrusted, trusted_email, mailoutbox
):
    make_reply(user_email="follower@example.com", followup=True)
    confirm_address("follower@example.com")
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment="Straight up."))
    assert reply.status == ReplyStatus.APPROVED
    assert len(to(mailoutbox, "follower@example.com")) == 1
    reply.comment = "Straight up (edited)."
    reply.save()
    assert len(to(mailoutbox, "follower@example.com")) == 1


def test_a_reply_approved_again_after_reports_is_not_announced_twice(
    client, letter, post_reply, make_reply, mailoutbox
):
    make_reply(user_email="follower@example.com", followup=True)
    confirm_address("follower@example.com")
    email = "twice@example.com"
    reply = posted_reply(post_reply(client, letter, email=email, notify_on_publish=True))
    reply = approve(reply)
    assert len(to(mailoutbox, email)) == 1
    assert len(to(mailoutbox, "follower@example.com")) == 1

    for n in range(3):  # three readers report it: back to the queue
        response = Client().post(
            f"/replies/report/{reply.pk}/", {"reason": "spam"}, REMOTE_ADDR=f"192.0.2.{n + 1}"
        )
        assert response.status_code == 200
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING
    approve(reply)
    assert len(to(mailoutbox, email)) == 1
    assert len(to(mailoutbox, "follower@example.com")) == 1


def test_the_old_mute_link_of_xtd_emails_changes_nothing(client, make_reply, mailoutbox):
    """xtd's follow-ups carried a link that stopped them on a GET; links already in mailboxes
    now only say so. Served on purpose until 31 May 2027 (comments.urls): drop with it."""
    follower = make_reply(user_email="old-follower@example.com", followup=True)
    key = xtd_signed.dumps(follower, compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT)
    old_link = f"/replies/mute/{key.decode()}/"
    page = client.get(old_link)
    assert page.status_code == 200
    assert "This link is from an older email" in page.text
    assert client.post(old_link).status_code == 405
    follower.refresh_from_db()
    assert follower.followup


def test_stop_links_sent_before_the_short_ones_still_ask_then_stop(client, letter, make_reply):
    """Served on purpose until 31 May 2027 (comments.email_links): drop with it."""
    follower = make_reply(user_email="Early@Example.com", followup=True, notify_on_publish=True)
    token = signing.dumps(
        {"e": "early@example.com", "p": letter.pk, "t": follower.content_type_id},
        salt=notifications.UNSUBSCRIBE_SALT,
    )
    url = f"/replies/unsubscribe/{token}/"
    assert "Stop emails about this discussion?" in client.get(url).text
    follower.refresh_from_db()
    assert follower.followup
    assert letter.title in client.post(url).text
    follower.refresh_from_db()
    assert (follower.followup, follower.notify_on_publish) == (False, False)
