"""A reply sent with a missing or stale CSRF token (config.views.csrf_failure, which calls
comments.views.reply_csrf_failure): the form comes back with the reader's text, a fresh
timestamp and security hash and a fresh token, and sending it again works. Nothing is stored
on the failed post. Other forms get the site's 403 page."""

import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.forms import ReplyForm
from comments.models import Reply
from testing.replies import fresh_address, posted_reply, reply_form_data

POST_URL = "/replies/post/"
TEXT = "My strap snapped after a week.\n\nThe shop says it is wear and tear. <b>Is it?</b>"
MESSAGE = (
    "Your reply was not sent because the page had expired. It is below: check it and send it again."
)


@pytest.fixture
def strict():
    """A browser whose posts go through the CSRF check, as real ones do."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def no_typing_time(monkeypatch):
    """The refreshed form is sent back at once; a reader takes longer than the 3 s minimum."""
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def form_fields(response):
    """What the browser would send from the page's reply form, as it stands."""
    form = soup(response).select_one("form[data-reply-form]")
    assert form is not None, "the reply form is not on the page"
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    data.update({field["name"]: "on" for field in form.select("input[type=checkbox][checked]")})
    data["comment"] = form.find("textarea", attrs={"name": "comment"}).get_text()
    return data


def assert_form_came_back(response, name="Strap Snapped"):
    assert response.status_code == 403
    page = soup(response)
    assert " ".join(page.select_one("[role=alert]").get_text().split()) == MESSAGE
    fields = form_fields(response)
    assert fields["comment"] == TEXT
    assert fields["name"] == name
    assert len(fields["csrfmiddlewaretoken"]) == 64  # a fresh, masked token
    assert abs(time.time() - int(fields["timestamp"])) < 60  # a fresh timestamp and hash
    assert not Reply.objects.filter(comment=TEXT).exists()
    return fields


def resend(client, fields):
    return client.post(POST_URL, fields, REMOTE_ADDR=fresh_address())


def test_a_reply_without_a_csrf_cookie_comes_back_and_can_be_sent(strict, letter, no_typing_time):
    """The cookie never arrived (or was cleared): the page sets a new one with its token."""
    data = reply_form_data(letter, comment=TEXT, name="Strap Snapped")
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    fields = assert_form_came_back(response)
    assert "csrftoken" in response.cookies

    reply = posted_reply(resend(strict, fields))
    assert (reply.comment, reply.user_name, reply.content_object) == (
        TEXT,
        "Strap Snapped",
        letter,
    )


def test_a_reply_with_a_stale_token_comes_back_and_can_be_sent(strict, letter, no_typing_time):
    """A token from before the cookie changed (another tab, a login) no longer matches."""
    strict.get(letter.url)  # the letter page sets the CSRF cookie
    data = reply_form_data(letter, comment=TEXT, name="Strap Snapped", email="strap@example.com")
    data["csrfmiddlewaretoken"] = "x" * 64
    fields = assert_form_came_back(strict.post(POST_URL, data, REMOTE_ADDR=fresh_address()))
    assert fields["email"] == "strap@example.com"

    reply = posted_reply(resend(strict, fields))
    assert reply.comment == TEXT


def test_a_reply_to_a_reply_keeps_what_it_answers(strict, letter, make_reply, no_typing_time):
    parent = make_reply(user_name="Rosa")
    data = reply_form_data(letter, reply_to=parent.pk, comment=TEXT, name="Strap Snapped")
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    fields = assert_form_came_back(response)
    assert soup(response).h1.get_text() == "Reply to Rosa"
    assert fields["reply_to"] == str(parent.pk)

    reply = posted_reply(resend(strict, fields))
    assert reply.parent_id == parent.pk


def test_a_reply_to_a_letter_that_is_gone_keeps_the_text(strict, letter):
    data = reply_form_data(letter, comment=TEXT)
    data["object_pk"] = "987654"
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 403
    assert soup(response).find("textarea", id="kept-text").get_text() == TEXT
    assert Reply.objects.count() == 0


def test_another_form_gets_the_sites_403_page(strict, make_reply):
    reply = make_reply()
    response = strict.post(f"/replies/report/{reply.pk}/", {"reason": "spam"})
    assert response.status_code == 403
    page = soup(response)
    assert page.select_one("header.site-header")
    assert page.h1.get_text() == "This form had expired"
    assert reply.reports.count() == 0


def test_an_address_that_is_no_page_gets_the_sites_403_page(strict):
    response = strict.post("/no/such/form/", {"text": "x"})
    assert response.status_code == 403
    assert soup(response).h1.get_text() == "This form had expired"
