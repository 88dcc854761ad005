"""The desk's actions on replies, one at a time and in bulk, and the emails they send their
authors and the thread's followers."""

import datetime

import pytest
from django.utils import timezone

from comments.models import Reply, ReplyReport
from testing.desk import (
    APPROVED,
    LIST_URL,
    PENDING,
    REJECTED,
    SPAM,
    bulk_url,
    history_url,
    inspect_url,
    listed,
    listing,
    logs,
    messages_of,
    moderate_url,
    sent_to,
    soup,
)
from testing.replies import confirm_address

# --- One reply at a time --------------------------------------------------------------------


def test_approve_one_reply(desk, held, moderator, mailoutbox):
    next_url = listing(queue="pending", q="strap")
    response = desk.post(moderate_url(held), {"action": "approve", "next": next_url})
    assert (response.status_code, response["Location"]) == (302, next_url)
    assert messages_of(response) == [f"Reply #{held.pk} approved."]
    held.refresh_from_db()
    assert (held.status, held.is_public, held.is_removed) == (APPROVED, True, False)
    assert held.first_approved_at is not None
    [entry] = logs(held)
    assert (entry.action, entry.user, entry.label) == ("comments.approve", moderator, str(held))
    assert entry.data == {"reason": "", "from": "pending", "to": "approved"}
    # The author asked to hear about it.
    [email] = mailoutbox
    assert email.to == ["harriet@example.com"]
    assert email.subject.endswith("Your reply is published")
    assert f"/replies/{held.pk}/" in email.body  # its permalink, which lands on the reply


def test_reject_with_a_reason_from_the_list(desk, held, reason, moderator, mailoutbox):
    response = desk.post(moderate_url(held), {"action": "reject", "reason_choice": reason.text})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    held.refresh_from_db()
    assert (held.status, held.is_public, held.is_removed) == (REJECTED, False, True)
    assert held.rejection_reason == reason.text
    [entry] = logs(held)
    assert (entry.action, entry.user) == ("comments.reject", moderator)
    assert entry.data == {"reason": reason.text, "from": "pending", "to": "rejected"}
    [email] = mailoutbox
    assert email.to == ["harriet@example.com"]
    assert email.subject.endswith("About your reply")
    assert reason.text in email.body
    assert "My bag arrived with the wrong strap." in email.body


def test_reject_in_own_words_and_with_both(desk, held, make_reply, reason, mailoutbox):
    desk.post(moderate_url(held), {"action": "reject", "reason_text": "  Please no prices.  "})
    held.refresh_from_db()
    assert held.rejection_reason == "Please no prices."
    assert "Please no prices." in mailoutbox[0].body

    other = make_reply(status=PENDING)
    desk.post(
        moderate_url(other),
        {"action": "reject", "reason_choice": reason.text, "reason_text": "Try the forum."},
    )
    other.refresh_from_db()
    assert other.rejection_reason == f"{reason.text} Try the forum."
    assert logs(other)[0].data["reason"] == f"{reason.text} Try the forum."


def test_reject_without_a_reason_is_refused_and_changes_nothing(desk, held, mailoutbox):
    response = desk.post(moderate_url(held), {"action": "reject", "reason_text": "   "})
    assert response.status_code == 400
    assert "Give a reason: the author is told why their reply was rejected." in response.text
    held.refresh_from_db()
    assert (held.status, held.rejection_reason) == (PENDING, "")
    assert logs(held) == []
    assert mailoutbox == []
    # A reason that is not on the list is no reason either.
    response = desk.post(moderate_url(held), {"action": "reject", "reason_choice": "Made up"})
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.status == PENDING


def test_mark_as_spam(desk, held, moderator, mailoutbox):
    desk.post(moderate_url(held), {"action": "spam"})
    held.refresh_from_db()
    assert (held.status, held.is_public, held.is_removed) == (SPAM, False, True)
    [entry] = logs(held)
    assert (entry.action, entry.user, entry.data["to"]) == ("comments.spam", moderator, "spam")
    assert mailoutbox == []  # spammers are not told


def test_send_back_to_the_queue(desk, make_reply, moderator):
    reply = make_reply(status=APPROVED)
    desk.post(moderate_url(reply), {"action": "requeue"})
    reply.refresh_from_db()
    assert (reply.status, reply.is_public) == (PENDING, False)
    assert reply.hold_reason == "sent back by mod"
    [entry] = logs(reply)
    assert entry.action == "comments.requeue"
    assert entry.data == {"reason": "", "from": "approved", "to": "pending"}


def test_an_action_on_a_reply_already_in_that_state_changes_and_logs_nothing(desk, make_reply):
    reply = make_reply(status=APPROVED)
    response = desk.post(moderate_url(reply), {"action": "approve"})
    assert response.status_code == 302
    assert messages_of(response) == [f"Reply #{reply.pk} was already approved."]
    assert logs(reply) == []


def test_an_unknown_action_changes_nothing(desk, held):
    response = desk.post(moderate_url(held), {"action": "delete"})
    assert (response.status_code, response["Location"]) == (302, inspect_url(held))
    assert messages_of(response) == ["Unknown action."]
    held.refresh_from_db()
    assert held.status == PENDING


def test_then_next_opens_the_oldest_reply_still_waiting(desk, held, make_reply):
    now = timezone.now()
    newer = make_reply(status=PENDING, submit_date=now - datetime.timedelta(hours=1))
    oldest = make_reply(status=PENDING, submit_date=now - datetime.timedelta(days=2))
    make_reply(status=APPROVED, submit_date=now - datetime.timedelta(days=9))
    response = desk.post(moderate_url(held), {"action": "approve", "then": "next"})
    assert response["Location"] == inspect_url(oldest)
    desk.post(moderate_url(oldest), {"action": "spam", "then": "next"})
    response = desk.post(moderate_url(newer), {"action": "approve", "then": "next"})
    # Nothing left: back to the listing.
    assert response["Location"] == LIST_URL


def test_the_next_url_must_stay_on_this_site(desk, held):
    response = desk.post(moderate_url(held), {"action": "spam", "next": "https://evil.example/"})
    assert response["Location"] == LIST_URL


def test_the_detail_page_shows_the_reply_its_letter_parent_and_the_authors_record(
    desk, sees_addresses, held, letter, make_reply
):
    parent = make_reply(user_name="First Reader", comment="The first word.")
    child = make_reply(
        parent=parent,
        status=PENDING,
        user_email="harriet@example.com",
        user_name="Hopeful Harriet",
        comment="Answering the first word.",
    )
    make_reply(status=REJECTED, user_email="Harriet@Example.com", rejection_reason="Too rude.")
    ReplyReport.objects.create(reply=child, reason="abuse", note="Mean.", reporter_hash="a")
    page = soup(desk.get(inspect_url(child)))
    text = page.get_text(" ", strip=True)
    assert "Answering the first word." in page.select_one(".desk-preview__body").get_text()
    assert letter.title in page.select_one("[aria-labelledby=letter-heading]").get_text()
    assert "The first word." in page.select_one("[aria-labelledby=parent-heading]").get_text()
    assert "Mean." in page.select_one("[aria-labelledby=reports-heading]").get_text()
    earlier = page.select_one("[aria-labelledby=earlier-heading]").get_text(" ", strip=True)
    assert "Awaiting moderation: 1 · Approved: 0 · Rejected: 1 · Spam: 0" in earlier
    assert "Too rude." in earlier
    assert "My bag arrived with the wrong strap." in earlier
    assert "harriet@example.com" in text
    history = page.find("a", string="History of this reply")
    assert history["href"] == history_url(child)


# --- Bulk actions ---------------------------------------------------------------------------


@pytest.fixture
def three_held(make_reply):
    return [
        make_reply(
            status=PENDING,
            user_email=f"bulk{n}@example.com",
            comment=f"Bulk reply {n}.",
            notify_on_publish=n != 3,
        )
        for n in (1, 2, 3)
    ]


def statuses(replies):
    return [Reply.objects.get(pk=reply.pk).status for reply in replies]


def test_bulk_approve(desk, three_held, moderator, mailoutbox):
    first, second, third = three_held
    next_url = listing(queue="pending")
    url = bulk_url("approve", first, second, next=next_url)
    page = soup(desk.get(url))
    items = [item.get_text(" ", strip=True) for item in page.select(".desk-list li")]
    assert len(items) == 2 and "Bulk reply 1." in items[0] and "Bulk reply 2." in items[1]
    assert "Approve 2 replies?" in page.get_text()
    assert mailoutbox == []  # the confirmation page changes nothing

    response = desk.post(url)
    assert (response.status_code, response["Location"]) == (302, next_url)
    assert messages_of(response) == ["2 replies approved."]
    assert statuses(three_held) == [APPROVED, APPROVED, PENDING]
    for reply in (first, second):
        [entry] = logs(reply)
        assert (entry.action, entry.user) == ("comments.approve", moderator)
    assert sorted(email.to[0] for email in mailoutbox) == ["bulk1@example.com", "bulk2@example.com"]

    # Again, with one already approved.
    response = desk.post(bulk_url("approve", first, third, next=next_url))
    assert messages_of(response) == ["1 reply approved. 1 already had that status."]
    assert statuses(three_held) == [APPROVED] * 3
    assert len(logs(first)) == 1


def test_bulk_reject_asks_for_a_reason(desk, three_held, reason, moderator, mailoutbox):
    first, second, third = three_held
    url = bulk_url("reject", first, second, next=LIST_URL)
    page = soup(desk.get(url))
    options = [option.get_text() for option in page.select("select[name=reason_choice] option")]
    assert reason.text in options
    assert page.select_one("textarea[name=reason_text]") is not None

    response = desk.post(url, {"reason_choice": "", "reason_text": ""})
    assert response.status_code == 200  # the form again, with the error
    assert "Give a reason: the author is told why their reply was rejected." in response.text
    assert statuses(three_held) == [PENDING] * 3
    assert mailoutbox == []

    response = desk.post(url, {"reason_choice": reason.text, "reason_text": "Sorry."})
    assert response["Location"] == LIST_URL
    assert messages_of(response) == ["2 replies rejected."]
    assert statuses(three_held) == [REJECTED, REJECTED, PENDING]
    expected = f"{reason.text} Sorry."
    for reply in (first, second):
        assert Reply.objects.get(pk=reply.pk).rejection_reason == expected
        [entry] = logs(reply)
        assert (entry.action, entry.user, entry.data["reason"]) == (
            "comments.reject",
            moderator,
            expected,
        )
    assert len(mailoutbox) == 2
    assert all(expected in email.body for email in mailoutbox)


def test_bulk_spam_and_requeue(desk, three_held, mailoutbox):
    first, second, third = three_held
    response = desk.post(bulk_url("spam", first, second, next=LIST_URL))
    assert messages_of(response) == ["2 replies marked as spam."]
    assert statuses(three_held) == [SPAM, SPAM, PENDING]

    response = desk.post(bulk_url("requeue", first, second, third, next=LIST_URL))
    assert messages_of(response) == ["2 replies sent back to the queue. 1 already had that status."]
    assert statuses(three_held) == [PENDING] * 3
    assert [entry.action for entry in logs(first)] == ["comments.spam", "comments.requeue"]
    assert logs(third) == []
    assert mailoutbox == []


def test_bulk_all_acts_on_what_the_listing_showed(desk, letter, make_letter, make_reply):
    other_letter = make_letter("Is a dust bag included?")
    match = make_reply(status=PENDING, comment="The Handbag strap broke.")
    also = make_reply(status=PENDING, user_name="Handbag Hannah", comment="Mine too.")
    wrong_queue = make_reply(status=APPROVED, comment="My handbag is fine.")
    no_match = make_reply(status=PENDING, comment="Nothing to see.")
    wrong_letter = make_reply(on=other_letter, status=PENDING, comment="Handbag question.")
    replies = [match, also, wrong_queue, no_match, wrong_letter]

    next_url = listing(queue="pending", q="handbag", letter=letter.pk)
    assert sorted(listed(desk.get(next_url))) == sorted([match.pk, also.pk])
    url = bulk_url("approve", "all", next=next_url)
    page = soup(desk.get(url))
    assert len(page.select(".desk-list li")) == 2
    desk.post(url)
    assert statuses(replies) == [APPROVED, APPROVED, APPROVED, PENDING, PENDING]

    # The default queue (awaiting moderation) when the listing URL names none.
    response = desk.post(bulk_url("spam", "all", next=LIST_URL))
    assert messages_of(response) == ["2 replies marked as spam."]
    assert statuses(replies) == [APPROVED, APPROVED, APPROVED, SPAM, SPAM]


def test_bulk_all_honours_the_date_range(desk, make_reply):
    def on(day):
        return timezone.make_aware(datetime.datetime(2026, 3, day, 12))

    early, inside, late = (make_reply(status=PENDING, submit_date=on(day)) for day in (1, 10, 20))
    next_url = listing(submit_date_from="2026-03-05", submit_date_to="2026-03-15")
    assert listed(desk.get(next_url)) == [inside.pk]
    desk.post(bulk_url("reject", "all", next=next_url), {"reason_text": "Too late."})
    assert statuses([early, inside, late]) == [PENDING, REJECTED, PENDING]


# --- Emails to the author -------------------------------------------------------------------


def test_no_email_when_the_author_did_not_ask(desk, make_reply, mailoutbox):
    quiet = make_reply(status=PENDING, notify_on_publish=False)
    desk.post(moderate_url(quiet), {"action": "approve"})
    other = make_reply(status=PENDING, notify_on_publish=False)
    desk.post(moderate_url(other), {"action": "reject", "reason_text": "No."})
    assert mailoutbox == []


def test_approving_again_after_a_requeue_does_not_email_twice(desk, held, mailoutbox):
    desk.post(moderate_url(held), {"action": "approve"})
    desk.post(moderate_url(held), {"action": "requeue"})
    desk.post(moderate_url(held), {"action": "approve"})
    assert len(sent_to(mailoutbox, "harriet@example.com")) == 1


def test_approving_tells_the_readers_following_the_thread(desk, held, make_reply, mailoutbox):
    make_reply(user_email="follower@example.com", followup=True)
    confirm_address("follower@example.com")
    desk.post(moderate_url(held), {"action": "approve"})
    [follow_up] = sent_to(mailoutbox, "follower@example.com")
    assert "My bag arrived with the wrong strap." in follow_up.body
    assert len(sent_to(mailoutbox, "harriet@example.com")) == 1
