"""The moderation desk in the Wagtail admin (comments/desk/): who may use it, the one-reply and
bulk actions, the counts in the menu, dashboard and queue tabs, search and filters, the audit
log and the reply's history, the authors' emails, the block list and erasure."""

import datetime
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment
from wagtail.models import ModelLogEntry

from comments import threads
from comments.desk import actions
from comments.models import (
    BlockedSender,
    ReaderEmail,
    RejectionReason,
    Reply,
    ReplyReport,
    ReplyStatus,
)

PENDING, APPROVED, REJECTED, SPAM = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.REJECTED,
    ReplyStatus.SPAM,
)
DENIED = "Sorry, you do not have permission to access this area."

LIST_URL = "/admin/snippets/comments/reply/"
RESULTS_URL = "/admin/snippets/comments/reply/results/"
ERASE_URL = "/admin/snippets/comments/reply/erase/"


def inspect_url(reply):
    return f"/admin/snippets/comments/reply/inspect/{reply.pk}/"


def moderate_url(reply):
    return f"/admin/snippets/comments/reply/moderate/{reply.pk}/"


def block_url(reply):
    return f"/admin/snippets/comments/reply/block/{reply.pk}/"


def history_url(reply):
    return f"/admin/snippets/comments/reply/history/{reply.pk}/"


def history_results_url(reply):
    return f"/admin/snippets/comments/reply/history-results/{reply.pk}/"


def bulk_url(action, *replies, next=None):
    params = [("id", "all" if reply == "all" else reply.pk) for reply in replies]
    if next is not None:
        params.append(("next", next))
    return f"/admin/bulk/comments/reply/{action}/?{urlencode(params)}"


def listing(**params):
    return f"{LIST_URL}?{urlencode(params)}" if params else LIST_URL


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The replies a listing page shows, as primary keys, in order."""
    assert response.status_code == 200, response.status_code
    return [int(box["data-object-id"]) for box in soup(response).select("input[data-object-id]")]


def messages_of(response):
    """The messages this request added (earlier ones wait in the session, unread)."""
    storage = get_messages(response.wsgi_request)
    return [str(message).strip() for message in storage._queued_messages]


def logs(reply, action=None):
    entries = ModelLogEntry.objects.for_instance(reply).order_by("timestamp", "pk")
    return list(entries.filter(action=action) if action else entries)


def menu_labels(response):
    """Every label in the admin sidebar's menu (Wagtail renders it from JSON props)."""
    script = soup(response).find("script", id="wagtail-sidebar-props")
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(script.string))
    return labels


def sent_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


@pytest.fixture
def desk(client, moderator):
    """The test client, signed in as a member of Wagtail's Moderators group."""
    client.force_login(moderator)
    return client


@pytest.fixture
def held(make_reply):
    """A held reply whose author asked to hear when it is published."""
    return make_reply(
        status=PENDING,
        user_name="Hopeful Harriet",
        user_email="harriet@example.com",
        comment="My bag arrived with the wrong strap.",
        notify_on_publish=True,
        ip_address="192.0.2.7",
    )


@pytest.fixture
def reason():
    """One of the rejection reasons the migration seeded."""
    return RejectionReason.objects.get(text="It is off topic for this letter.")


# --- Who may use the desk -------------------------------------------------------------------


def desk_urls(reply):
    """Every desk address, with the POST data that would change something there."""
    return [
        (LIST_URL, {}),
        (inspect_url(reply), {}),
        (moderate_url(reply), {"action": "approve"}),
        (block_url(reply), {"kind": "email", "action": "refuse", "expires": ""}),
        (bulk_url("approve", reply, next=LIST_URL), {}),
        (ERASE_URL, {"email": reply.user_email, "step": "erase", "confirm": "on"}),
        (history_url(reply), {}),
        ("/admin/snippets/comments/rejectionreason/", {}),
        ("/admin/snippets/comments/blockedsender/", {}),
    ]


def assert_nothing_changed(reply, mailoutbox):
    reply.refresh_from_db()
    assert reply.status == PENDING
    assert ModelLogEntry.objects.filter(action__startswith="comments.").count() == 0
    assert BlockedSender.objects.count() == 0
    assert mailoutbox == []


def test_anonymous_visitors_are_sent_to_the_admin_login(client, held, mailoutbox):
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/?next="), url
    assert_nothing_changed(held, mailoutbox)


def test_an_editor_is_sent_back_to_the_dashboard_and_nothing_changes(
    client, editor, held, mailoutbox
):
    client.force_login(editor)
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            # Wagtail turns PermissionDenied in the admin into a redirect with a message.
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
            assert messages_of(response) == [DENIED], url
    assert_nothing_changed(held, mailoutbox)


def test_an_editor_sees_no_desk_in_the_menu_and_no_panel_on_the_dashboard(client, editor, held):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    labels = menu_labels(response)
    assert "Pages" in labels  # the menu is there...
    assert not [label for label in labels if "replies" in label or "queue" in label], labels
    assert "Replies awaiting moderation" not in response.text


def test_change_reply_permission_without_can_moderate_does_not_open_the_desk(
    client, held, mailoutbox
):
    user = get_user_model().objects.create_user("clerk", email="clerk@example.com")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_reply", "change_reply", "delete_reply"],
        ),
    )
    assert user.has_perm("comments.change_reply")
    client.force_login(user)
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    assert_nothing_changed(held, mailoutbox)
    labels = menu_labels(client.get("/admin/"))
    assert not [label for label in labels if "replies" in label or "queue" in label], labels


def test_a_moderator_opens_every_page_of_the_desk(desk, held, reason):
    for url, _data in desk_urls(held):
        if "/moderate/" in url or "/block/" in url:
            continue  # blocking is POST only; GET on moderate is the rejection page, below
        response = desk.get(url)
        assert response.status_code == 200, url
    page = soup(desk.get(moderate_url(held), {"next": listing(queue="pending")}))
    assert page.select_one(".desk-quote").get_text(" ", strip=True).startswith("Hopeful Harriet")
    options = [option.get_text() for option in page.select("select[name=reason_choice] option")]
    assert reason.text in options
    assert page.select_one("input[name=next]")["value"] == listing(queue="pending")


def test_a_superuser_may_moderate_too(client, superuser, held):
    client.force_login(superuser)
    assert listed(client.get(LIST_URL)) == [held.pk]
    client.post(moderate_url(held), {"action": "approve"})
    held.refresh_from_db()
    assert held.status == APPROVED


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
    assert f"#reply-{held.pk}" in email.body


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
    desk, held, letter, make_reply
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


# --- Counts ---------------------------------------------------------------------------------


@pytest.fixture
def every_queue(make_reply):
    """Two held replies, two approved (one reported twice, one report already answered),
    one rejected, one spam."""
    made = {
        "held": [make_reply(status=PENDING), make_reply(status=PENDING)],
        "approved": [make_reply(status=APPROVED), make_reply(status=APPROVED)],
        "rejected": [make_reply(status=REJECTED)],
        "spam": [make_reply(status=SPAM)],
    }
    reported, answered = made["approved"]
    ReplyReport.objects.create(reply=reported, reason="abuse", reporter_hash="a")
    ReplyReport.objects.create(reply=reported, reason="spam", reporter_hash="b")
    ReplyReport.objects.create(
        reply=answered, reason="abuse", reporter_hash="a", resolved_at=timezone.now()
    )
    return made


def queue_tabs(response):
    return {
        tab["href"]: tab.select_one(".desk-queues__count").get_text()
        for tab in soup(response).select(".desk-queues__tab")
    }


def test_the_menu_and_the_dashboard_count_the_held_replies(desk, every_queue):
    response = desk.get("/admin/")
    labels = menu_labels(response)
    assert "Reader replies (2 waiting)" in labels
    assert "Moderation queue (2 waiting)" in labels
    for label in ("Rejection reasons", "Blocked addresses", "Erase a reader's replies"):
        assert label in labels
    assert "Reply policy" in labels
    panel = soup(response).select_one(".desk-panel")
    assert panel.h2.get_text(strip=True) == "Replies awaiting moderation (2)"
    links = [a["href"] for a in panel.select("li a")]
    assert links == [inspect_url(reply) for reply in reversed(every_queue["held"])]

    for reply in every_queue["held"]:
        actions.moderate(reply, "approve", None)
    response = desk.get("/admin/")
    labels = menu_labels(response)
    assert "Reader replies" in labels and "Moderation queue" in labels
    assert not [label for label in labels if "waiting" in label]
    panel = soup(response).select_one(".desk-panel")
    assert panel.h2.get_text(strip=True) == "Replies awaiting moderation (0)"
    assert "Nothing is waiting." in panel.get_text()


def test_the_queue_tabs_count_each_queue(desk, every_queue):
    response = desk.get(LIST_URL)
    assert queue_tabs(response) == {
        "?queue=pending": "2",
        "?queue=reported": "1",
        "?queue=approved": "2",
        "?queue=rejected": "1",
        "?queue=spam": "1",
        "?queue=all": "6",
    }
    current = soup(response).select_one(".desk-queues__tab--current")
    assert current["href"] == "?queue=pending" and current["aria-current"] == "page"


@pytest.mark.parametrize(
    "queue, expected",
    [
        ("pending", ["held"]),
        ("approved", ["approved"]),
        ("rejected", ["rejected"]),
        ("spam", ["spam"]),
        ("all", ["held", "approved", "rejected", "spam"]),
    ],
)
def test_each_queue_lists_its_replies(desk, every_queue, queue, expected):
    wanted = {reply.pk for key in expected for reply in every_queue[key]}
    assert set(listed(desk.get(listing(queue=queue)))) == wanted


def test_the_default_queue_is_awaiting_moderation_newest_first(desk, every_queue):
    assert listed(desk.get(LIST_URL)) == [reply.pk for reply in reversed(every_queue["held"])]


def test_the_reported_queue_lists_open_reports_and_an_action_answers_them(desk, every_queue):
    reported, answered = every_queue["approved"]
    response = desk.get(listing(queue="reported"))
    assert listed(response) == [reported.pk]
    row = soup(response).find("input", attrs={"data-object-id": str(reported.pk)})
    cells = [cell.get_text(strip=True) for cell in row.find_parent("tr").find_all("td")]
    assert "2" in cells  # the Reports column

    desk.post(moderate_url(reported), {"action": "reject", "reason_text": "Rude."})
    assert not ReplyReport.objects.filter(reply=reported, resolved_at__isnull=True).exists()
    assert listed(desk.get(listing(queue="reported"))) == []
    assert queue_tabs(desk.get(LIST_URL))["?queue=reported"] == "0"


def test_approving_a_reported_reply_again_answers_its_reports(desk, every_queue):
    """Most reported replies are already published: a moderator who finds nothing wrong
    approves them from the reported queue, and they leave it."""
    reported, _ = every_queue["approved"]
    response = desk.post(bulk_url("approve", "all", next=listing(queue="reported")))
    assert messages_of(response) == ["0 replies approved. 1 already had that status."]
    assert Reply.objects.get(pk=reported.pk).status == APPROVED
    assert listed(desk.get(listing(queue="reported"))) == []


# --- Search and filters ---------------------------------------------------------------------


@pytest.fixture
def searchable(make_reply, make_letter):
    other = make_letter("Can I return a gift?")
    return {
        "text": make_reply(comment="The Clasp snapped after a week.", status=PENDING),
        "name": make_reply(user_name="Clasp Collector", status=APPROVED),
        "email": make_reply(user_email="clasp.fan@example.com", status=REJECTED),
        "other": make_reply(comment="A gift receipt helps.", status=PENDING, on=other),
        "other letter": other,
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("clasp", ["text", "name", "email"]),
        ("SNAPPED", ["text"]),
        ("collector", ["name"]),
        ("clasp.fan@example", ["email"]),
        ("clasp week", ["text"]),  # every word must match
        ("nowhere", []),
    ],
)
def test_search_finds_text_name_and_email(desk, searchable, query, expected):
    pks = listed(desk.get(listing(queue="all", q=query)))
    assert sorted(pks) == sorted(searchable[key].pk for key in expected)


def test_search_stays_inside_the_queue_and_the_results_url_agrees(desk, searchable):
    assert listed(desk.get(listing(q="clasp"))) == [searchable["text"].pk]
    response = desk.get(RESULTS_URL, {"queue": "approved", "q": "clasp"})
    assert listed(response) == [searchable["name"].pk]


def test_a_rows_actions_come_back_to_the_same_listing(desk, searchable):
    url = listing(queue="all", q="clasp")
    page = soup(desk.get(url))
    assert {box["value"] for box in page.select(".desk-actions input[name=next]")} == {url}
    reject = page.select_one(f'.desk-actions a[href^="{moderate_url(searchable["text"])}"]')
    href = urlsplit(reject["href"])
    assert (href.path, parse_qs(href.query)) == (moderate_url(searchable["text"]), {"next": [url]})
    response = desk.post(moderate_url(searchable["text"]), {"action": "spam", "next": url})
    assert response["Location"] == url


def test_filter_by_letter(desk, searchable, letter):
    other = searchable["other letter"]
    assert listed(desk.get(listing(queue="all", letter=other.pk))) == [searchable["other"].pk]
    pks = listed(desk.get(listing(queue="all", letter=letter.pk)))
    assert sorted(pks) == sorted(searchable[key].pk for key in ("text", "name", "email"))
    # The filter offers the letters that have replies.
    page = soup(desk.get(LIST_URL))
    choices = {o["value"]: o.get_text() for o in page.select("select[name=letter] option")}
    assert choices == {"": "Any letter", str(letter.pk): letter.title, str(other.pk): other.title}


def test_filter_by_date_range(desk, make_reply):
    def on(day):
        return timezone.make_aware(datetime.datetime(2026, 4, day, 9, 30))

    first, middle, last = (make_reply(status=PENDING, submit_date=on(day)) for day in (2, 12, 22))

    def between(start="", end=""):
        return listed(desk.get(listing(submit_date_from=start, submit_date_to=end)))

    assert between("2026-04-12", "2026-04-12") == [middle.pk]  # both ends included
    assert between("2026-04-10") == [last.pk, middle.pk]
    assert between(end="2026-04-12") == [middle.pk, first.pk]
    assert between() == [last.pk, middle.pk, first.pk]


# --- Audit log and history ------------------------------------------------------------------


def test_every_action_is_logged_and_shown_in_the_replys_history(desk, held, moderator, reason):
    desk.post(moderate_url(held), {"action": "approve"})
    desk.post(moderate_url(held), {"action": "requeue"})
    desk.post(moderate_url(held), {"action": "reject", "reason_choice": reason.text})
    desk.post(moderate_url(held), {"action": "spam"})
    entries = logs(held)
    assert [(e.action, e.data["from"], e.data["to"]) for e in entries] == [
        ("comments.approve", "pending", "approved"),
        ("comments.requeue", "approved", "pending"),
        ("comments.reject", "pending", "rejected"),
        ("comments.spam", "rejected", "spam"),
    ]
    assert {entry.user for entry in entries} == {moderator}
    assert entries[2].data["reason"] == reason.text

    for url in (history_url(held), history_results_url(held)):
        response = desk.get(url)
        assert response.status_code == 200, url
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in soup(response).select("tbody tr")
        ]
        actions_shown = [row[0] for row in rows]
        assert actions_shown == [
            "Marked as spam",
            f"Rejected: {reason.text}",
            "Sent back to the moderation queue",
            "Approved",
        ], url
        assert all(row[1] == "Mo" for row in rows), rows


@pytest.mark.parametrize("who", ["superuser", "moderator"])
def test_the_site_history_report_lists_desk_actions(client, who, request, held, editor):
    # Wagtail shows a model's entries to holders of a Django permission on that model: a
    # migration gives Moderators "view" on the desk's models; editors have none.
    client.force_login(request.getfixturevalue(who))
    client.post(moderate_url(held), {"action": "reject", "reason_text": "Off topic."})
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert f"Reply #{held.pk}" in text
    assert "Rejected: Off topic." in text

    client.force_login(editor)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert f"Reply #{held.pk}" not in soup(response).get_text(" ", strip=True)


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
    desk.post(moderate_url(held), {"action": "approve"})
    [follow_up] = sent_to(mailoutbox, "follower@example.com")
    assert "My bag arrived with the wrong strap." in follow_up.body
    assert len(sent_to(mailoutbox, "harriet@example.com")) == 1


# --- Block list -----------------------------------------------------------------------------


def test_block_an_email_address_for_a_week(desk, held, moderator):
    before = timezone.now()
    response = desk.post(
        block_url(held), {"kind": "email", "action": "hold", "expires": "7", "reason": ""}
    )
    assert (response.status_code, response["Location"]) == (302, inspect_url(held))
    entry = BlockedSender.objects.get()
    assert (entry.kind, entry.value, entry.action) == ("email", "harriet@example.com", "hold")
    assert entry.created_by == moderator
    assert entry.reason == f"From reply #{held.pk}"
    week = datetime.timedelta(days=7)
    assert before + week <= entry.expires_at <= timezone.now() + week
    assert entry.is_active
    assert messages_of(response)[0].startswith("Always hold for a moderator: harriet@example.com")
    # Logged on the entry and on the reply it came from; neither label is the address.
    [on_entry] = ModelLogEntry.objects.for_instance(entry)
    [on_reply] = logs(held)
    assert on_entry.label == f"Block #{entry.pk}" and on_reply.label == f"Reply #{held.pk}"
    for log in (on_entry, on_reply):
        assert (log.action, log.user) == ("comments.block", moderator)
        assert log.data == {
            "kind": "email",
            "block": "hold",
            "reply": held.pk,
            "expires_at": entry.expires_at.isoformat(),
        }
    history = soup(desk.get(history_url(held))).select_one("tbody tr td").get_text(strip=True)
    assert (
        history == f"Hold replies from the author's email address until {entry.expires_at:%Y-%m-%d}"
    )
    # The reply's page shows the entry, and the next reply from the address is matched.
    blocks = soup(desk.get(inspect_url(held))).select_one("[aria-labelledby=block-heading]")
    assert "Always hold for a moderator: harriet@example.com" in blocks.get_text()
    assert BlockedSender.match(email="Harriet@Example.com") == entry


def test_block_an_ip_address_until_removed_and_renew_it(desk, held, moderator):
    desk.post(block_url(held), {"kind": "ip", "action": "refuse", "expires": "", "reason": "Bot"})
    entry = BlockedSender.objects.get()
    assert (entry.kind, entry.value, entry.action, entry.expires_at, entry.reason) == (
        "ip",
        "192.0.2.7",
        "refuse",
        None,
        "Bot",
    )
    assert BlockedSender.match(ip="192.0.2.7") == entry
    # Blocking the same address again renews the one entry.
    desk.post(block_url(held), {"kind": "ip", "action": "hold", "expires": "1"})
    entry = BlockedSender.objects.get()
    assert entry.action == "hold" and entry.expires_at is not None
    assert [log.data["block"] for log in logs(held)] == ["refuse", "hold"]
    assert ModelLogEntry.objects.for_instance(entry).count() == 2


def test_undo_a_block_from_the_replys_page(desk, held):
    desk.post(block_url(held), {"kind": "email", "action": "hold", "expires": "7"})
    entry = BlockedSender.objects.get()
    page = soup(desk.get(inspect_url(held)))
    remove = page.find("a", string="Remove")["href"]
    confirm = desk.get(remove)
    assert confirm.status_code == 200
    done = desk.post(remove)
    assert done.status_code == 302 and done["Location"] == inspect_url(held)
    assert not BlockedSender.objects.exists()
    assert ModelLogEntry.objects.filter(object_id=str(entry.pk), action="wagtail.delete").exists()
    assert BlockedSender.match(email=held.user_email) is None


def test_blocking_needs_a_valid_choice_and_an_address(desk, held, make_reply):
    response = desk.post(block_url(held), {"kind": "email", "action": "forever"})
    assert messages_of(response) == ["Choose what to do and for how long."]
    no_ip = make_reply(status=PENDING, ip_address=None)
    response = desk.post(block_url(no_ip), {"kind": "ip", "action": "hold", "expires": ""})
    assert messages_of(response) == ["This reply has no such address."]
    assert BlockedSender.objects.count() == 0


# --- Erasure --------------------------------------------------------------------------------


@pytest.fixture
def erasable(make_reply):
    """What leaving@example.com wrote: a reply nobody answered, one another reader answered,
    one answered only by the author's own reply, and a chain of the author's replies with
    another reader's answer at the bottom. Plus the address's records."""
    email = "leaving@example.com"

    def mine(**fields):
        values = {
            "user_email": email,
            "user_name": "Leaving Lou",
            "ip_address": "192.0.2.9",
            "comment": "Lou's own words.",
        }
        values.update(fields)
        return make_reply(**values)

    made = {"email": email}
    made["alone"] = mine(status=PENDING)
    made["answered"] = mine(followup=True, notify_on_publish=True, user_url="https://lou.example")
    made["answer"] = make_reply(parent=made["answered"], comment="Another reader answers.")
    made["self-answered"] = mine()
    made["own answer"] = mine(parent=made["self-answered"], user_email="LEAVING@example.com")
    made["chain top"] = mine()
    made["chain middle"] = mine(parent=made["chain top"])
    made["chain answer"] = make_reply(parent=made["chain middle"], comment="A stranger replies.")
    ReaderEmail.objects.create(email=email, confirmed_at=timezone.now())
    actions.block("email", email, "hold", None)
    made["other block"] = actions.block("ip", "192.0.2.9", "hold", None)
    return made


def test_the_erasure_plan(erasable):
    plan = actions.erasure_plan(" Leaving@Example.com ")
    assert plan["email"] == "leaving@example.com"
    assert {r.pk for r in plan["delete"]} == {
        erasable[key].pk for key in ("alone", "self-answered", "own answer")
    }
    # A reply with another reader's answer anywhere below it keeps its place in the thread.
    assert {r.pk for r in plan["blank"]} == {
        erasable[key].pk for key in ("answered", "chain top", "chain middle")
    }
    assert plan["replies"] == 6
    assert [e.email for e in plan["reader_emails"]] == ["leaving@example.com"]
    assert [b.value for b in plan["blocks"]] == ["leaving@example.com"]


def test_erasing_a_reader(desk, erasable, moderator, letter):
    email = erasable["email"]
    page = soup(desk.post(ERASE_URL, {"email": "Leaving@Example.com", "step": "find"}))
    items = [li.get_text(" ", strip=True) for li in page.select(".desk-list li")]
    assert sum(item.startswith("Delete:") for item in items) == 3
    assert sum(item.startswith("Blank (others answered it):") for item in items) == 3
    assert "The address's confirmation record" in items
    assert "Block-list entry: Always hold for a moderator: leaving@example.com" in items
    assert page.select_one("input[name=email][type=hidden]")["value"] == email
    assert Reply.objects.filter(user_email__iexact=email).count() == 6  # finding erases nothing

    # Without the box ticked: nothing happens.
    response = desk.post(ERASE_URL, {"email": email, "step": "erase"})
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.text
    assert Reply.objects.filter(user_email__iexact=email).count() == 6

    response = desk.post(ERASE_URL, {"email": email, "step": "erase", "confirm": "on"})
    assert response.status_code == 200
    assert "Erased 3 replies and blanked 3 that others had answered." in response.text
    assert "Done: 3 deleted, 3 blanked for leaving@example.com." in response.text

    for key in ("alone", "self-answered", "own answer"):
        # Gone from all three tables (django_comments' and xtd's hold the name and text too).
        assert not Comment.objects.filter(pk=erasable[key].pk).exists(), key
        assert not XtdComment.objects.filter(pk=erasable[key].pk).exists(), key
    assert not Comment.objects.filter(user_email__iexact=email).exists()
    for key in ("answered", "chain top", "chain middle"):
        reply = Reply.objects.get(pk=erasable[key].pk)
        assert (reply.user_name, reply.user_email, reply.user_url, reply.ip_address) == (
            "Removed",
            "",
            "",
            None,
        ), key
        assert (reply.followup, reply.notify_on_publish) == (False, False)
        assert reply.comment == actions.REMOVED_TEXT
        assert "Lou" not in reply.html
        assert reply.status == erasable[key].status  # still in its thread
    assert not Reply.objects.filter(user_email__iexact=email).exists()
    assert not Reply.objects.filter(comment__contains="Lou's own words").exists()
    assert not ReaderEmail.objects.filter(email=email).exists()
    assert list(BlockedSender.objects.all()) == [erasable["other block"]]

    # Other readers' answers are still where they were, under their placeholders.
    shown = [reply.comment for thread in threads.reply_threads(letter).page for reply in thread]
    assert "Another reader answers." in shown
    assert "A stranger replies." in shown
    assert shown.count(actions.REMOVED_TEXT) == 3

    erased = ModelLogEntry.objects.filter(action="comments.erase")
    assert erased.count() == 6
    assert {entry.user for entry in erased} == {moderator}
    assert sorted(entry.data["deleted"] for entry in erased) == [False] * 3 + [True] * 3
    assert not [entry for entry in ModelLogEntry.objects.all() if "leaving" in entry.label]


def test_erasing_an_unknown_address_finds_nothing(desk, held):
    page = soup(desk.post(ERASE_URL, {"email": "nobody@example.com", "step": "find"}))
    assert "Nothing on record for this address." in page.get_text()
    response = desk.post(ERASE_URL, {"email": "not an address", "step": "find"})
    assert response.status_code == 400
    assert Reply.objects.count() == 1


# --- The reply policy, edited from the desk's menu group ------------------------------------


def submenu_links(response, name):
    """{label: url} of the sidebar submenu called `name` (from its JSON props)."""
    props = json.loads(soup(response).find("script", id="wagtail-sidebar-props").string)
    found = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.SubMenuItem" and args[0]["name"] == name:
                found.update(
                    {item["_args"][0]["label"]: item["_args"][0]["url"] for item in args[1]}
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def form_data(response, form_selector="form[method=post]"):
    """Every field of the page's form with the value it shows, as a browser would send it."""
    form = soup(response).select_one(form_selector)
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button"):
            data[name] = field.get("value", "")
    return data


def test_moderators_edit_the_reply_policy_from_the_desk_group(
    desk, policy, editor, superuser, client
):
    from comments.models import ReplyPolicy

    response = desk.get("/admin/")
    url = f"/admin/settings/comments/replypolicy/{policy.site_id}/"
    assert submenu_links(response, "reader-replies")["Reply policy"] == (
        "/admin/settings/comments/replypolicy/"
    )
    page = desk.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data.update(mode=ReplyPolicy.HOLD_UNTRUSTED, link_limit="4", banned_words="casino")
    saved = desk.post(url, data)
    assert saved.status_code == 302, soup(saved).select(".error-message")
    policy.refresh_from_db()
    assert (policy.mode, policy.link_limit, policy.banned_words) == (
        ReplyPolicy.HOLD_UNTRUSTED,
        4,
        "casino",
    )

    # Not under Settings as well (a superuser sees every setting there), and not for editors.
    client.force_login(superuser)
    settings_menu = submenu_links(client.get("/admin/"), "settings")
    assert "Users" in settings_menu
    assert "Reply policy" not in settings_menu
    client.force_login(editor)
    denied = client.post(url, {**data, "link_limit": "9"})
    assert denied.status_code == 302 and not denied["Location"].startswith(url)
    policy.refresh_from_db()
    assert policy.link_limit == 4
