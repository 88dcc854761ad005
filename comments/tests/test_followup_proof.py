"""Follow-up emails go to an address only when its owner asked: a reply that ticks "email me
when someone else replies" from a browser that has not proved the address (comments.trust)
turns nothing on; the address is sent a link for that reply, and only following it does."""

from django.test import Client
from django.urls import reverse

from comments.models import Reply, ReplyStatus
from comments.tests.mail_links import approve, confirm_through, link_after, to
from comments.trust import confirmation_token
from testing.replies import confirm_address, posted_reply

VICTIM = "margaret@example.com"


def test_typing_someone_elses_confirmed_address_turns_on_no_followups(
    letter, post_reply, make_reply, mailoutbox
):
    make_reply(user_email=VICTIM, user_name="Margaret")  # her own earlier reply
    confirm_address(VICTIM)
    stranger = Client()
    forged = posted_reply(
        post_reply(stranger, letter, email=VICTIM, comment="Sign her up.", followup=True)
    )
    assert (forged.followup, forged.followup_pending) == (False, True)
    mailoutbox.clear()
    approve(forged)
    # She is asked, for this reply, and nothing more.
    (asked,) = to(mailoutbox, VICTIM)
    assert "We send you none until you confirm" in asked.body
    assert "if you did not, ignore this email" in asked.body

    mailoutbox.clear()
    approve(make_reply(status=ReplyStatus.PENDING, comment="A third reader replies."))
    assert to(mailoutbox, VICTIM) == []  # no follow-up she never asked for


def test_the_link_sent_for_the_reply_turns_its_followups_on(
    letter, post_reply, make_reply, mailoutbox
):
    confirm_address(VICTIM)
    mine = posted_reply(
        post_reply(Client(), letter, email=VICTIM, comment="Do tell me.", followup=True)
    )
    approve(mine)
    (asked,) = to(mailoutbox, VICTIM)
    confirm_through(Client(), link_after(asked, "with this link:"))
    mine.refresh_from_db()
    assert (mine.followup, mine.followup_pending) == (True, False)

    mailoutbox.clear()
    approve(make_reply(status=ReplyStatus.PENDING, comment="Someone answers."))
    (followup,) = to(mailoutbox, VICTIM)
    assert "Someone answers." in followup.body


def test_confirming_ones_own_reply_does_not_turn_on_a_strangers(
    letter, post_reply, make_reply, mailoutbox
):
    """A stranger's request with her (not yet confirmed) address, then her own: the link sent
    for her reply turns on hers alone."""
    forged = posted_reply(
        post_reply(Client(), letter, email=VICTIM, comment="Forged.", followup=True)
    )
    approve(forged)
    other = make_reply(status=ReplyStatus.PENDING, on=None, comment="Elsewhere in the thread.")
    approve(other)
    mine = posted_reply(
        post_reply(Client(), letter, email=VICTIM, comment="Really mine.", followup=True)
    )
    mailoutbox.clear()
    approve(mine)
    (asked,) = to(mailoutbox, VICTIM)
    confirm_through(Client(), link_after(asked, "with this link:"))
    forged.refresh_from_db()
    mine.refresh_from_db()
    assert (forged.followup, forged.followup_pending) == (False, True)
    assert mine.followup


def test_the_owners_browser_follows_at_once(
    client, letter, post_reply, make_reply, trusted_email, mailoutbox
):
    """`client` opened the confirmation link (trusted_email): its requests are proven."""
    reply = posted_reply(post_reply(client, letter, email=trusted_email, followup=True))
    assert (reply.followup, reply.followup_pending) == (True, False)


def test_an_old_plain_confirmation_link_turns_on_nothing(client, letter, post_reply):
    forged = posted_reply(post_reply(Client(), letter, email=VICTIM, followup=True))
    client.post(reverse("comments-confirm-email", args=[confirmation_token(VICTIM)]))
    assert not Reply.objects.get(pk=forged.pk).followup
