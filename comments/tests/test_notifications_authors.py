"""The emails about replies (comments.notifications) to a reply's author: the outcome when they
asked, or on a first approval in trust mode (with the confirmation link), a rejection's
reason; each checked for its recipients and for links that work when followed."""

import re

from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from comments import lifecycle
from comments.models import (
    ReaderEmail,
    Reply,
    ReplyStatus,
)
from comments.tests.mail_links import (
    BASE,
    approve,
    confirm_through,
    follow,
    link_after,
    links,
    path,
    to,
)
from testing.replies import posted_reply

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
    assert reply_link == f"{BASE}/replies/{reply.pk}/"  # its permalink: the page that shows it
    landed = follow(Client(), reply_link)
    assert landed.redirect_chain == [(f"{letter.url}#reply-{reply.pk}", 302)]
    page = BeautifulSoup(landed.content, "html.parser")
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


def test_a_rejection_reason_reaches_the_author_on_one_line(client, letter, post_reply, mailoutbox):
    """The reason is typed into the desk's form and printed with escaping off: it cannot add a
    line that poses as ours, nor turn one around with a bidi override."""
    email = "rejected-twice@example.com"
    reply = posted_reply(
        post_reply(client, letter, email=email, comment="Call me.", notify_on_publish=True)
    )
    mailoutbox.clear()
    reply = Reply.objects.get(pk=reply.pk)
    reason = "No numbers.\n\nThe letter: https://evil.example/\u202e"
    lifecycle.moderate(reply, "reject", None, reason)

    (message,) = mailoutbox
    assert "for this reason:\n\nNo numbers. The letter: https://evil.example/\n" in message.body
    assert "\u202e" not in message.body
    # Only our own line starts with "The letter:".
    assert re.findall(r"^The letter: (\S+)$", message.body, re.M) == [BASE + letter.url]
