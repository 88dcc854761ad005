"""The contract between comments and the pages readers reply under (comments.targets): any
registered model that keeps it takes replies through the same posting view, closing rule,
desk filter and emails. Shown with guides, which the column does not register."""

import datetime

import pytest
from django.urls import reverse

from comments import lifecycle, targets
from comments.models import ReplyPolicy
from guard.models import BlockedSender  # noqa: F401 (the desk's block list is guard's)
from testing.desk import LIST_URL, listed, soup
from testing.replies import fresh_address, posted_reply, reply_form_data


@pytest.fixture
def guide(make_guide, monkeypatch):
    """A guide page registered as a reply target for this test only."""
    from advice.models import GuidePage

    monkeypatch.setattr(targets, "_registry", {**targets._registry})
    monkeypatch.setattr(GuidePage, "allow_replies", True, raising=False)
    monkeypatch.setattr(GuidePage, "replies_open_since", lambda page: page.date, raising=False)
    monkeypatch.setattr(GuidePage, "get_absolute_url", lambda page: page.url, raising=False)
    targets.register(GuidePage)
    return make_guide("Caring for leather", "caring", date=datetime.date.today())


def test_a_registered_page_takes_replies(client, guide, moderator):
    assert targets.find("advice.guidepage", guide.pk) == guide
    data = reply_form_data(guide, comment="A reply under a guide.")
    assert data["content_type"] == "advice.guidepage"
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    reply = posted_reply(response)
    assert reply.content_object == guide
    assert reply.get_absolute_url() == reverse("comments-reply", args=[reply.pk])

    # The desk's letter filter offers the guide and lists its reply.
    client.force_login(moderator)
    page = client.get(LIST_URL)
    options = [o.get_text() for o in soup(page).select("select[name=letter] option")]
    assert "Caring for leather" in options
    assert listed(client.get(LIST_URL, {"letter": guide.pk})) == [reply.pk]
    lifecycle.moderate(reply, "approve", moderator)  # its permalink lands on it once shown
    assert client.get(reply.get_absolute_url())["Location"] == f"{guide.url}#reply-{reply.pk}"


def test_the_closing_rule_reads_the_targets_own_date(client, guide, home_page):
    policy = ReplyPolicy.for_site(home_page.get_site())
    policy.close_after_days = 30
    policy.save()
    guide.date = datetime.date.today() - datetime.timedelta(days=31)
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert targets.closed_reason(guide, policy).startswith("Replies to this guide closed on ")
    data = reply_form_data(guide)
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 403


def test_an_unregistered_page_takes_no_replies(client, make_guide):
    guide = make_guide("Not registered", "not-registered")
    assert targets.find("advice.guidepage", guide.pk) is None
    assert targets.find("advice.letterpage", "not a number") is None
    assert targets.find("advice.letterpage", 2**63) is None  # beyond the database's integers
