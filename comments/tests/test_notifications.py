"""The emails about replies (comments.notifications), each checked for its recipients and for
links that work when followed: moderators hear of held replies (one email each, or a digest);
authors hear of the outcome when they asked, or on a first approval in trust mode (with the
confirmation link); confirmed followers hear of public replies, batched per letter. Each is
queued: the test settings run the queue inline, and the queue's tests here run it on the
database backend, with the worker."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.test import Client
from django.utils import timezone
from django_comments_xtd import signed as xtd_signed
from django_comments_xtd.conf import settings as xtd_settings

from comments import lifecycle, notifications
from comments.models import (
    FollowupBatch,
    ModeratorEmailPreference,
    ReaderEmail,
    Reply,
    ReplyPolicy,
    ReplyStatus,
)
from guard.permissions import SEE_ADDRESSES
from testing.desk import LIST_URL, bulk_url, moderate_url
from testing.mail import queued, run_email_worker
from testing.replies import confirm_address, posted_reply
from testing.users import grant

BASE = "http://testserver"


def links(message):
    found = re.findall(r"https?://\S+", message.body)
    assert all(link.startswith(BASE + "/") for link in found), found
    return found


def link_after(message, label):
    match = re.search(rf"{re.escape(label)}\s*(https?://\S+)", message.body)
    assert match, f"no link after {label!r} in:\n{message.body}"
    return match.group(1)


def path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow(client, url):
    """GET a link from an email; it must work."""
    response = client.get(path(url))
    assert response.status_code == 200, (url, response.status_code)
    return response


def confirm_through(client, url):
    """Open a confirmation link as a reader does: GET asks and changes nothing (a mail
    scanner's visit confirms nothing), POST confirms."""
    email_before = set(ReaderEmail.objects.filter(confirmed_at__isnull=False).values_list("email"))
    asked = follow(client, url)
    assert "Confirm my address" in asked.text
    assert set(ReaderEmail.objects.filter(confirmed_at__isnull=False).values_list("email")) == (
        email_before
    )
    response = client.post(path(url))
    assert response.status_code == 200
    return response


def to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def approve(reply):
    """Approve through the one way a reply changes state (comments.lifecycle)."""
    reply = Reply.objects.get(pk=reply.pk)
    lifecycle.moderate(reply, "approve", None)
    return reply


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


# --- Authors ---------------------------------------------------------------------------------


def test_approval_emails_an_author_who_asked(client, letter, post_reply, mailoutbox):
    reply = posted_reply(
        post_reply(
            client,
            letter,
            comment="Hoping to be published.",
            email="Asker@Example.com",
            notify_on_publish=True,
        )
    )
    assert client.get(letter.url).text.count("Hoping to be published.") == 0
    mailoutbox.clear()  # the moderators' email
    reply = approve(reply)

    (message,) = mailoutbox
    assert message.to == ["Asker@Example.com"]
    assert message.subject == "[Dear PurseBop] Your reply is published"
    assert "confirm" not in message.body.lower()  # hold-all mode: no trust to earn
    reply_link = links(message)[0]
    assert reply_link == f"{BASE}{letter.url}#reply-{reply.pk}"
    page = BeautifulSoup(follow(Client(), reply_link).content, "html.parser")
    assert "Hoping to be published." in page.select_one(f"#reply-{reply.pk}").get_text()
    reply.refresh_from_db()
    assert reply.author_notified_at is not None


def test_the_unsubscribe_link_asks_then_stops_the_emails(
    client, letter, post_reply, make_reply, mailoutbox
):
    email = "quiet@example.com"
    first = posted_reply(
        post_reply(client, letter, email=email, notify_on_publish=True, comment="One thought.")
    )
    second = posted_reply(
        post_reply(
            client,
            letter,
            email=email,
            notify_on_publish=True,
            followup=True,
            comment="And another thought.",
        )
    )
    mailoutbox.clear()
    approve(first)
    (message,) = mailoutbox
    unsubscribe = link_after(message, "Stop emails about this discussion:")

    stranger = Client()
    page = follow(stranger, unsubscribe)
    assert "Stop emails about this discussion?" in page.text
    second.refresh_from_db()
    # A GET (a mail scanner) changes nothing; the follow request waits for its own link.
    assert second.notify_on_publish and second.followup_pending
    done = stranger.post(path(unsubscribe))
    assert done.status_code == 200
    assert "You will get no more emails about this discussion" in done.text
    second.refresh_from_db()
    assert not second.notify_on_publish and not second.followup_pending

    mailoutbox.clear()
    approve(second)  # would have emailed the author
    make_reply(comment="Someone else replies.", status=ReplyStatus.PENDING)
    approve(Reply.objects.get(comment="Someone else replies."))  # would have followed up
    assert to(mailoutbox, email) == []
    assert client.get("/replies/unsubscribe/forged/").status_code == 404


def test_no_email_for_an_author_who_did_not_ask(client, letter, post_reply, mailoutbox):
    reply = posted_reply(post_reply(client, letter, email="silent@example.com"))
    approve(reply)
    assert to(mailoutbox, "silent@example.com") == []


def test_trust_mode_first_approval_always_emails_the_confirmation_link(
    client, letter, post_reply, hold_untrusted, mailoutbox
):
    email = "newcomer@example.com"
    first = posted_reply(post_reply(client, letter, email=email, comment="My first reply."))
    assert first.status == ReplyStatus.PENDING
    mailoutbox.clear()
    approve(first)

    (message,) = to(mailoutbox, email)  # though they did not tick the box
    confirm = link_after(message, "guidelines):")
    assert "/replies/confirm-email/" in confirm
    assert not ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()

    page = confirm_through(client, confirm)  # opened in the author's own browser
    assert "Thank you: your address is confirmed" in page.text
    assert ReaderEmail.objects.get(email=email).confirmed_at is not None
    confirm_through(client, confirm)  # following it twice is harmless
    assert ReaderEmail.objects.filter(email=email).count() == 1

    response = post_reply(client, letter, email=email, comment="My second reply.")
    second = posted_reply(response)
    assert second.status == ReplyStatus.APPROVED  # trusted now: public at once
    assert "My second reply." in Client().get(letter.url).text
    # Someone else typing the same address proves nothing: held.
    impostor = posted_reply(post_reply(Client(), letter, email=email, comment="Me, honest."))
    assert impostor.status == ReplyStatus.PENDING
    assert client.get("/replies/confirm-email/forged/").status_code == 404


def test_trust_mode_later_approvals_follow_the_authors_choice(
    client, letter, post_reply, hold_untrusted, mailoutbox
):
    email = "regular@example.com"
    approve(posted_reply(post_reply(client, letter, email=email)))
    ReaderEmail.objects.create(email=email, confirmed_at=timezone.now())
    # Trusted, but two links hold the reply; its approval sends nothing unasked.
    held = posted_reply(
        post_reply(client, letter, email=email, comment="https://a.example https://b.example")
    )
    assert held.status == ReplyStatus.PENDING
    mailoutbox.clear()
    approve(held)
    assert to(mailoutbox, email) == []


def test_a_rejection_tells_the_author_the_reason(client, letter, post_reply, mailoutbox):
    email = "rejected@example.com"
    reply = posted_reply(
        post_reply(
            client,
            letter,
            email=email,
            comment="My phone number is 555-0100.",
            notify_on_publish=True,
        )
    )
    mailoutbox.clear()
    reply = Reply.objects.get(pk=reply.pk)
    lifecycle.moderate(reply, "reject", None, "Replies may not share phone numbers.")

    (message,) = mailoutbox
    assert message.to == [email]
    assert message.subject == "[Dear PurseBop] About your reply"
    assert "for this reason:\n\nReplies may not share phone numbers." in message.body
    assert "My phone number is 555-0100." in message.body  # what they wrote, to keep
    assert link_after(message, "The letter:") == BASE + letter.url
    follow(Client(), link_after(message, "The letter:"))
    follow(Client(), link_after(message, "Stop emails about this discussion:"))


def test_a_rejection_without_notify_sends_nothing(client, letter, post_reply, mailoutbox):
    reply = posted_reply(post_reply(client, letter, email="nonotify@example.com"))
    lifecycle.moderate(reply, "reject", None, "No.")
    assert to(mailoutbox, "nonotify@example.com") == []


def test_staff_replies_send_no_author_email(client, letter, post_reply, superuser, mailoutbox):
    client.force_login(superuser)
    posted_reply(post_reply(client, letter, email="boss@example.com", notify_on_publish=True))
    assert to(mailoutbox, "boss@example.com") == []


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
    assert read == f"{BASE}{letter.url}#reply-{reply.pk}"
    assert "A later answer." in follow(Client(), read).text
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
    now only say so."""
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


# --- The email queue -------------------------------------------------------------------------


def test_an_approval_sends_no_mail_inside_the_request(
    desk, held, make_reply, email_queue, mailoutbox
):
    make_reply(user_email="follower@example.com", followup=True)
    confirm_address("follower@example.com")
    started = timezone.now()
    response = desk.post(moderate_url(held), {"action": "approve"})
    assert response.status_code == 302
    assert Reply.objects.get(pk=held.pk).status == ReplyStatus.APPROVED

    assert mailoutbox == []  # nothing sent by the request
    author_task, followup_task = queued()
    assert author_task.task_path == "outbox.delivery.send_messages"
    assert author_task.args_kwargs["args"][0][0]["to"] == ["harriet@example.com"]
    assert followup_task.task_path == "comments.notifications.send_followups"
    wait = datetime.timedelta(seconds=notifications.FOLLOWUP_WAIT)
    assert started + wait <= followup_task.run_after <= timezone.now() + wait

    run_email_worker()  # the author's email is due at once, the follow-ups are not
    assert [m.to for m in mailoutbox] == [["harriet@example.com"]]
    run_email_worker(later=wait)
    (follow_up,) = to(mailoutbox, "follower@example.com")
    assert "My bag arrived with the wrong strap." in follow_up.body
    assert [r.status for r in queued()] == ["SUCCESSFUL", "SUCCESSFUL"]


def test_followups_are_batched_per_letter_one_email_per_follower(
    desk, letter, make_letter, make_reply, email_queue, mailoutbox
):
    other = make_letter("Is a dust bag included?", date=timezone.localdate())
    # On the letter: Fran follows with two replies (the address written two ways), Gil
    # follows and writes one of the new replies, Una never confirmed, Hal's reply is held.
    make_reply(user_email="fran@example.com", user_name="Fran", followup=True)
    make_reply(user_email="Fran@Example.com ", user_name="Fran", followup=True)
    make_reply(user_email="una@example.com", followup=True)
    make_reply(user_email="hal@example.com", followup=True, status=ReplyStatus.PENDING)
    make_reply(on=other, user_email="olga@example.com", user_name="Olga", followup=True)
    for address in ("fran@example.com", "gil@example.com", "hal@example.com", "olga@example.com"):
        confirm_address(address)
    new = [
        make_reply(status=ReplyStatus.PENDING, user_name="Ann", comment="First new reply."),
        make_reply(
            status=ReplyStatus.PENDING,
            user_name="Gil",
            user_email="gil@example.com",
            followup=True,
            comment="Second new reply.",
        ),
        make_reply(status=ReplyStatus.PENDING, user_name="Bo", comment="Third new reply."),
        make_reply(on=other, status=ReplyStatus.PENDING, comment="On the other letter."),
    ]
    held_still = make_reply(status=ReplyStatus.PENDING, comment="Still held.")

    desk.post(bulk_url("approve", *new[:2], next=LIST_URL))  # two requests, four approvals
    desk.post(bulk_url("approve", *new[2:], next=LIST_URL))
    assert mailoutbox == []
    batches = queued(task_path="comments.notifications.send_followups")
    assert sorted(task.args_kwargs["args"][1] for task in batches) == sorted(
        [str(letter.pk), str(other.pk)]
    )  # one task per letter, not one per approval
    assert FollowupBatch.objects.count() == 2

    run_email_worker(later=datetime.timedelta(seconds=notifications.FOLLOWUP_WAIT))
    assert sorted(m.to[0].strip().lower() for m in mailoutbox) == [
        "fran@example.com",
        "gil@example.com",
        "olga@example.com",
    ]  # one email per address: not Una (unconfirmed), not Hal (held), not the new authors
    (fran,) = [m for m in mailoutbox if "Hello Fran," in m.body]
    assert fran.subject == "[Dear PurseBop] 3 new replies in a discussion you follow"
    assert f"3 new replies in the discussion of “{letter.title}”." in fran.body
    positions = [fran.body.index(text) for text in ("First new", "Second new", "Third new")]
    assert positions == sorted(positions)
    assert "Still held." not in fran.body and "On the other letter." not in fran.body
    (gil,) = to(mailoutbox, "gil@example.com")
    assert gil.subject == "[Dear PurseBop] 2 new replies in a discussion you follow"
    assert "Second new reply." not in gil.body  # their own
    (olga,) = to(mailoutbox, "olga@example.com")
    assert "On the other letter." in olga.body and "First new" not in olga.body
    assert not FollowupBatch.objects.exists()

    # Told once: nothing more until another reply is public, then only that one.
    mailoutbox.clear()
    assert run_email_worker(later=datetime.timedelta(hours=3)) == []
    desk.post(moderate_url(held_still), {"action": "approve"})
    run_email_worker(later=datetime.timedelta(seconds=notifications.FOLLOWUP_WAIT))
    (fran,) = [m for m in mailoutbox if "Hello Fran," in m.body]
    assert fran.subject == "[Dear PurseBop] A new reply in a discussion you follow"
    assert "Still held." in fran.body and "First new reply." not in fran.body


def test_nobody_hears_of_a_reply_no_longer_public_when_the_batch_runs(
    desk, make_reply, email_queue, mailoutbox
):
    make_reply(user_email="follower@example.com", followup=True)
    confirm_address("follower@example.com")
    withdrawn = make_reply(status=ReplyStatus.PENDING, comment="Approved by mistake.")
    desk.post(moderate_url(withdrawn), {"action": "approve"})
    desk.post(moderate_url(withdrawn), {"action": "requeue"})
    (batch,) = run_email_worker(later=datetime.timedelta(seconds=notifications.FOLLOWUP_WAIT))
    assert batch.return_value["emails"] == 0
    assert mailoutbox == []


def test_reader_text_in_emails_is_the_pages_text_and_names_stay_on_one_line(
    make_reply, moderator, mailoutbox
):
    grant(moderator, SEE_ADDRESSES)  # the address follows the name on its line
    """Emails are text/plain with escaping off: what readers wrote reaches them only through
    the sanitiser (as text, paragraphs kept) or on one line, so nobody adds lines of their own."""
    reply = make_reply(
        status=ReplyStatus.PENDING,
        user_name="Eve\nWhy it is held:\u202e nothing",
        comment='<b>Bold</b> and <img src=x onerror="alert(1)">\n\nSecond paragraph,\nsecond line.',
        hold_reason="has 2 links",
    )
    notifications.notify_moderators([reply])
    (message,) = mailoutbox
    assert "From: Eve Why it is held: nothing <" in message.body
    assert message.body.count("Why it is held:") == 2  # the name's, on its From line, and ours
    assert "\u202e" not in message.body  # a bidi override cannot turn a line around
    assert (
        'Bold and <img src=x onerror="alert(1)">\n\nSecond paragraph,\nsecond line.' in message.body
    )
    assert "<b>" not in message.body
