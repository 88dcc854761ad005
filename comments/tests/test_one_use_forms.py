"""The signed "opened at" value a reply form carries is good for one reply (guard.opened): the
one the token endpoint hands the page's script posts once, and any further post with it comes
back as the confirm step with its text; the one printed in a page every reader shares only
ever leads to the confirm step. Sequential here; comments.tests.test_concurrency fires 20 at
once on PostgreSQL."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from comments.forms import ReplyForm
from comments.models import Reply
from guard import opened as opened_values
from guard.models import SubmissionKey
from testing.replies import fresh_address, posted_reply, reply_form_data

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

POST_URL = "/replies/post/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def comment_shown(response):
    return soup(response).find("textarea", attrs={"name": "comment"}).get_text()


def token_endpoint(client, letter):
    response = client.get(
        reverse("comments-reply-fresh"),
        {"content_type": "advice.letterpage", "object_pk": letter.pk},
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def no_typing_time(monkeypatch):
    """The endpoint's value counts the typing time from now; these posts follow at once."""
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)


def test_the_token_endpoint_value_posts_one_reply_of_twenty(letter, no_typing_time):
    """One value fetched once, then 20 different replies from 20 browsers (sessions) with it:
    the first is stored, the other 19 come back as the confirm step, each with its text."""
    values = token_endpoint(Client(), letter)
    assert opened_values.read(values["opened"]).one_use
    answers = []
    for n in range(20):
        browser = Client()
        data = reply_form_data(letter, comment=f"Reply number {n} with one value.")
        data.update(values)
        answers.append(browser.post(POST_URL, data, REMOTE_ADDR=fresh_address()))
    assert [response.status_code for response in answers] == [302] + [200] * 19
    assert posted_reply(answers[0]).comment == "Reply number 0 with one value."
    for n, response in enumerate(answers[1:], start=1):
        assert soup(response).h1.get_text() == "One more step"
        assert comment_shown(response) == f"Reply number {n} with one value."
    assert list(Reply.objects.values_list("comment", flat=True)) == [
        "Reply number 0 with one value."
    ]


def test_a_second_post_with_a_used_value_posts_from_the_confirm_step(client, letter):
    data = reply_form_data(letter, comment="First, with the form's value.")
    assert client.post(POST_URL, data, REMOTE_ADDR=fresh_address()).status_code == 302
    data["comment"] = "Second, with the same value."
    response = client.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 200
    assert comment_shown(response) == "Second, with the same value."
    assert Reply.objects.count() == 1
    # The confirm step's own value posts it (at once: the reader typed already), once.
    form = soup(response).select_one("form[data-reply-form]")
    resent = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    resent["comment"] = comment_shown(response)
    again = client.post(POST_URL, resent, REMOTE_ADDR=fresh_address())
    assert posted_reply(again).comment == "Second, with the same value."
    # Sent once more as it is: the same reply again (a double click) lands on the first.
    assert client.post(POST_URL, resent, REMOTE_ADDR=fresh_address()).status_code == 302
    assert Reply.objects.count() == 2


def test_a_value_printed_in_a_shared_page_only_leads_to_the_confirm_step(client, letter):
    """The letter page, as the page cache keeps it for every reader, prints a page value: a
    post carrying it (even with a valid token) is never stored by itself."""
    page = soup(client.get(letter.url))
    printed = page.select_one("form[data-reply-form] input[name=opened]")["value"]
    assert not opened_values.read(printed).one_use
    data = reply_form_data(letter, comment="From the kept page.")
    data["opened"] = printed
    response = client.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "One more step"
    assert comment_shown(response) == "From the kept page."
    assert not Reply.objects.exists()


def test_a_form_page_for_one_reader_carries_a_one_use_value(client, letter, make_reply):
    """The form under one reply (for readers without the script) is rendered for one reader,
    with their token: its value posts directly."""
    parent = make_reply()
    page = soup(client.get(f"/replies/reply/{parent.pk}/"))
    printed = page.select_one("form[data-reply-form] input[name=opened]")["value"]
    assert opened_values.read(printed).one_use
    assert page.select_one("form[data-reply-form]").get("data-fresh") is None


def test_a_refused_post_does_not_use_up_its_value(client, letter, settings):
    """The value is claimed in the transaction that stores the reply: a rate-limit refusal
    rolls it back, and the same form sent again later is taken."""
    address = fresh_address()
    settings.REPLY_RATE_LIMITS = [("ip", 1, 600)]
    assert client.post(POST_URL, reply_form_data(letter), REMOTE_ADDR=address).status_code == 302
    data = reply_form_data(letter, comment="Refused by the limit first.")
    assert client.post(POST_URL, data, REMOTE_ADDR=address).status_code == 429
    settings.REPLY_RATE_LIMITS = [("ip", 5, 600)]
    assert posted_reply(client.post(POST_URL, data, REMOTE_ADDR=address)).comment == (
        "Refused by the limit first."
    )
    assert SubmissionKey.objects.count() == 4  # two replies: a duplicate key and a value each
