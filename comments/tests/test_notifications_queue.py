"""The emails about replies go through the queue: none is sent inside the moderator's request,
follow-ups are batched per letter (one email per follower, run by the worker on the
database backend), and what they quote is what the page shows."""

import datetime

from django.utils import timezone

from comments import notifications
from comments.models import (
    FollowupBatch,
    Reply,
    ReplyStatus,
)
from comments.tests.mail_links import (
    to,
)
from guard.permissions import SEE_ADDRESSES
from testing.desk import LIST_URL, bulk_url, moderate_url
from testing.mail import queued, run_email_worker
from testing.replies import confirm_address
from testing.users import grant

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
