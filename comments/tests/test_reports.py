"""Readers reporting a reply (comments.views.report_reply): the form, one report per reply per
address, the threshold that sends a reply back to the moderation queue (never deleting it),
and the report rate limit."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments import views
from comments.models import Reply, ReplyReport, ReplyStatus
from guard.addresses import address_hash
from testing.replies import fresh_address


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def note_value(page):
    """What the browser shows in the note box (HTML drops one newline after <textarea>)."""
    return page.find("textarea", attrs={"name": "note"}).get_text().removeprefix("\n")


def report(reply, address, client=None, **data):
    data.setdefault("reason", "abuse")
    return (client or Client()).post(f"/replies/report/{reply.pk}/", data, REMOTE_ADDR=address)


@pytest.fixture
def reply(make_reply):
    return make_reply(user_name="Loud", comment="Something rude.")


def test_the_report_form(client, letter, reply):
    response = client.get(f"/replies/report/{reply.pk}/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Report a reply"
    assert page.select_one(".reply__body").get_text(strip=True) == "Something rude."
    assert page.select_one(".kicker a")["href"] == letter.url
    reasons = [radio["value"] for radio in page.select("input[name=reason]")]
    assert reasons == [value for value, _label in ReplyReport.REASONS]
    assert page.select_one("form input[name=csrfmiddlewaretoken]") is not None
    assert 'content="noindex"' in response.text
    # Every reply on the letter page links to it.
    link = soup(client.get(letter.url)).select_one(f"#reply-{reply.pk} .reply__report")
    assert link["href"] == f"/replies/report/{reply.pk}/"
    assert link["rel"] == ["nofollow"]


def test_a_reason_is_required(reply):
    response = report(reply, fresh_address(), reason="", note="It is bad.")
    assert response.status_code == 400
    page = soup(response)
    assert (
        page.select_one(".choices [role=alert]").get_text(strip=True)
        == "Please choose what is wrong with the reply."
    )
    assert note_value(page) == "It is bad."
    assert ReplyReport.objects.count() == 0


@pytest.mark.parametrize("data", [{"reason": "nonsense"}, {"reason": "abuse", "note": "x" * 501}])
def test_bad_reports_are_refused_with_the_form(reply, data):
    response = report(reply, fresh_address(), **data)
    assert response.status_code == 400
    assert soup(response).select_one("form.report-form") is not None
    assert ReplyReport.objects.count() == 0


def test_a_report_is_stored_with_a_hashed_address(reply):
    address = fresh_address()
    response = report(reply, address, reason="personal", note="Shares a phone number.")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Thank you for telling us"
    assert "A moderator will look at this reply." in page.text
    (stored,) = ReplyReport.objects.all()
    assert (stored.reply, stored.reason, stored.note) == (
        reply,
        "personal",
        "Shares a phone number.",
    )
    assert stored.reporter_hash == address_hash(address)
    assert address not in stored.reporter_hash
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED  # one report changes nothing for readers


def test_one_report_per_reply_per_address(reply):
    address = fresh_address()
    assert report(reply, address).status_code == 200
    again = report(reply, address, reason="spam")
    assert again.status_code == 200
    assert "You had already reported this reply" in soup(again).text
    assert ReplyReport.objects.count() == 1
    assert ReplyReport.objects.get().reason == "abuse"


def test_enough_readers_send_a_reply_back_to_the_queue(
    client, letter, reply, make_reply, policy, moderator, mailoutbox
):
    child = make_reply(parent=reply, comment="A reply under it.")
    assert policy.report_threshold == 3
    first = fresh_address()
    report(reply, first)
    report(reply, first)  # the same reader twice counts once
    report(reply, fresh_address())
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED
    assert mailoutbox == []

    report(reply, fresh_address(), reason="spam")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING
    assert reply.hold_reason == "reported by 3 readers"
    assert Reply.objects.filter(pk=reply.pk).exists()  # never deleted
    (message,) = mailoutbox
    assert message.to == [moderator.email]
    assert "Why it is held: reported by 3 readers." in message.body
    assert "Something rude." in message.body

    page = soup(client.get(letter.url))
    assert page.select_one("#reply-count").get_text() == "No replies yet"
    assert "Something rude." not in page.text
    assert "A reply under it." not in page.text  # its subtree goes with it
    child.refresh_from_db()
    assert child.status == ReplyStatus.APPROVED
    # Reporting it now that it is not shown: not found.
    assert report(reply, fresh_address()).status_code == 404


def test_a_threshold_of_zero_never_unpublishes(reply, policy):
    policy.report_threshold = 0
    policy.save()
    for _ in range(5):
        report(reply, fresh_address())
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED
    assert reply.reports.count() == 5


@pytest.mark.parametrize("status", [ReplyStatus.PENDING, ReplyStatus.REJECTED, ReplyStatus.SPAM])
def test_only_shown_replies_can_be_reported(client, make_reply, status):
    hidden = make_reply(status=status)
    assert client.get(f"/replies/report/{hidden.pk}/").status_code == 404
    assert report(hidden, fresh_address()).status_code == 404
    assert client.get("/replies/report/987654/").status_code == 404
    assert ReplyReport.objects.count() == 0


def test_reports_are_rate_limited_per_address(make_reply):
    replies = [make_reply() for _ in range(views.REPORTS_PER_HOUR + 1)]
    address = fresh_address()
    for reply in replies[:-1]:
        assert report(reply, address).status_code == 200
    response = report(replies[-1], address, note="One too many.")
    assert response.status_code == 429
    page = soup(response)
    assert "You have sent many reports in the last hour" in page.select_one("[role=alert]").text
    assert note_value(page) == "One too many."
    assert ReplyReport.objects.count() == views.REPORTS_PER_HOUR
    assert report(replies[-1], fresh_address()).status_code == 200  # others may still report


def test_reporting_needs_csrf(reply):
    """Without a token nothing is stored: the confirm step asks for Send (test_csrf_failure)."""
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/replies/report/{reply.pk}/", {"reason": "abuse"})
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "One more step"
    assert ReplyReport.objects.count() == 0


@pytest.mark.parametrize("number", [2**63 - 1, 2**63, 10**30])
def test_a_reply_id_too_large_for_the_database_is_not_found(client, make_reply, number):
    """Past 2**63 - 1 the query would overflow (a 500 on SQLite): the route does not match."""
    make_reply()
    assert client.get(f"/replies/reply/{number}/").status_code == 404
    assert client.get(f"/replies/report/{number}/").status_code == 404
    response = client.post(f"/replies/report/{number}/", {"reason": "spam"})
    assert response.status_code == 404
    assert ReplyReport.objects.count() == 0
