"""The desk's queues: the counts in the menu, dashboard and tabs, what each queue lists, search
and filters."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from comments import lifecycle
from comments.models import Reply, ReplyReport
from testing.desk import (
    APPROVED,
    LIST_URL,
    PENDING,
    REJECTED,
    RESULTS_URL,
    SPAM,
    bulk_url,
    history_url,
    inspect_url,
    listed,
    listing,
    logs,
    menu_labels,
    messages_of,
    moderate_url,
    soup,
)

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
    assert "Replies (2 waiting)" in labels
    assert "Moderation queue (2 waiting)" in labels
    for label in ("Rejection reasons", "Blocked addresses"):
        assert label in labels
    # The erasure form is for moderators who may see readers' addresses; this one may not.
    assert "Erase a reader’s replies" not in labels
    assert "Reply policy" in labels
    panel = soup(response).select_one(".desk-panel")
    assert panel.h2.get_text(strip=True) == "Replies awaiting moderation (2)"
    links = [a["href"] for a in panel.select("li a")]
    assert links == [inspect_url(reply) for reply in reversed(every_queue["held"])]

    for reply in every_queue["held"]:
        lifecycle.moderate(reply, "approve", None)
    response = desk.get("/admin/")
    labels = menu_labels(response)
    assert "Replies" in labels and "Moderation queue" in labels
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
        "?queue=picked": "0",
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


def test_a_reported_reply_can_be_kept_and_its_reports_dismissed(desk, every_queue, moderator):
    """A published reply readers reported, which a moderator finds fine: "Dismiss reports"
    keeps it as it is, answers the reports and says so in its history."""
    reported, _ = every_queue["approved"]
    row = soup(desk.get(listing(queue="reported"))).find(
        "input", attrs={"data-object-id": str(reported.pk)}
    )
    assert row.find_parent("tr").find("button", attrs={"value": "dismiss"}) is not None
    response = desk.post(
        moderate_url(reported), {"action": "dismiss", "next": listing(queue="reported")}
    )
    assert messages_of(response) == [f"Reply #{reported.pk} kept as it is; 2 reports dismissed."]
    assert Reply.objects.get(pk=reported.pk).status == APPROVED
    assert listed(desk.get(listing(queue="reported"))) == []
    (entry,) = logs(reported, "comments.dismiss_reports")
    assert (entry.user, entry.data["reports"]) == (moderator, 2)
    assert "2 reports dismissed" in desk.get(history_url(reported)).text


def test_dismissing_reports_in_bulk(desk, every_queue, make_reply):
    reported, _ = every_queue["approved"]
    other = make_reply(status=APPROVED)
    ReplyReport.objects.create(reply=other, reason="spam", reporter_hash="c")
    response = desk.post(
        bulk_url("dismiss", "all", next=listing(queue="reported")),
        {"next": listing(queue="reported")},
    )
    assert messages_of(response) == ["2 replies kept as they are; their reports dismissed."]
    assert listed(desk.get(listing(queue="reported"))) == []
    assert {r.status for r in Reply.objects.filter(pk__in=[reported.pk, other.pk])} == {APPROVED}


def test_the_bulk_bar_offers_the_desks_actions_and_no_delete(desk, every_queue):
    footer = soup(desk.get(LIST_URL)).select_one("[data-bulk-action-footer]")
    labels = [b.get_text(" ", strip=True) for b in footer.select("[data-bulk-action-button]")]
    assert labels == [
        "Approve",
        "Reject",
        "Mark as spam",
        "Send back to the queue",
        "Dismiss reports",
        "Pick for Readers weigh in",
        "Unpick",
    ]
    assert "delete" not in str(footer).lower()


def test_the_dashboard_says_which_held_replies_it_lists(desk, make_reply):
    for _ in range(7):
        make_reply(status=PENDING)
    panel = soup(desk.get("/admin/")).select_one(".desk-panel")
    text = panel.get_text(" ", strip=True)
    assert "Replies awaiting moderation (7)" in text
    assert "The 6 newest of 7:" in text
    assert len(panel.select(".desk-list li")) == 6
    assert "Open the moderation queue (all 7)" in text


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
def test_search_finds_text_name_and_email(desk, sees_addresses, searchable, query, expected):
    """Searching by address is for moderators who may see readers' addresses."""
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
