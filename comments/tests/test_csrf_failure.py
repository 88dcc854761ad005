"""A reply or report posted with a missing or stale CSRF token (base.views.csrf_failure,
which calls comments.views.reply_csrf_failure and report_csrf_failure), as every first send
from a page every reader shares is without the script: not an error but the confirm step,
200, "One more step", everything the reader typed, a fresh timestamp and security hash, a
fresh one-use "opened at" value and a fresh token. Nothing is stored until Send is pressed
there, and pressing it at once works (the reader typed already). Other forms get the site's
403 page."""

import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Reply
from guard import opened as opened_values
from testing.replies import fresh_address, posted_reply, reply_form_data

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

POST_URL = "/replies/post/"
TEXT = "My strap snapped after a week.\n\nThe shop says it is wear and tear. <b>Is it?</b>"
CONFIRM_TEXT = "Press Send to post your reply"


@pytest.fixture
def strict():
    """A browser whose posts go through the CSRF check, as real ones do."""
    return Client(enforce_csrf_checks=True)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def form_fields(response, selector="form[data-reply-form]"):
    """What the browser would send from the page's form, as it stands."""
    form = soup(response).select_one(selector)
    assert form is not None, "the form is not on the page"
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and field.get("type") not in ("checkbox", "radio")
    }
    data.update(
        {field["name"]: field.get("value", "on") for field in form.select("input[checked]")}
    )
    for area in form.select("textarea[name]"):
        data[area["name"]] = area.get_text().removeprefix("\n")  # as the browser reads it
    return data


def page_form_data(letter, **fields):
    """A reply as the letter page every reader shares sends it without the script: its page
    "opened at" value (printed when the page was rendered, a while ago) and no token."""
    data = reply_form_data(letter, **fields)
    data["opened"] = opened_values.issue(int(data["timestamp"]), one_use=False)
    return data


def assert_confirm_step(response, name="Strap Snapped", posted=None):
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "One more step"
    assert CONFIRM_TEXT in " ".join(page.select_one("[data-confirm-step]").get_text().split())
    assert page.select_one("form[data-reply-form] button[type=submit]").get_text() == "Send"
    fields = form_fields(response)
    assert fields["comment"] == TEXT
    assert fields["name"] == name
    assert len(fields["csrfmiddlewaretoken"]) == 64  # a fresh, masked token
    assert abs(time.time() - int(fields["timestamp"])) < 60  # a fresh timestamp and hash
    assert opened_values.read(fields["opened"]).one_use  # good for one post
    if posted is not None:
        assert fields["opened"] != posted["opened"]
    assert not Reply.objects.filter(comment=TEXT).exists()
    return fields


def resend(client, fields):
    return client.post(POST_URL, fields, REMOTE_ADDR=fresh_address())


def test_a_reply_without_a_csrf_cookie_gets_the_confirm_step_and_send_posts_it(strict, letter):
    """The first send from a kept page without the script (no token, no cookie): the confirm
    step sets the cookie with its token, and Send, pressed at once, posts the reply."""
    data = page_form_data(letter, comment=TEXT, name="Strap Snapped", followup=True)
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    fields = assert_confirm_step(response, posted=data)
    assert fields["followup"] == "on"
    assert "csrftoken" in response.cookies

    reply = posted_reply(resend(strict, fields))
    # The ticked box survives the step; follow-ups wait for the address's proof (the link in
    # the "published" email), as for any browser that has not proved it.
    assert (
        reply.comment,
        reply.user_name,
        reply.content_object,
        reply.followup,
        reply.followup_pending,
    ) == (TEXT, "Strap Snapped", letter, False, True)


def test_a_reply_with_a_stale_token_gets_the_confirm_step(strict, letter):
    """A token from before the cookie changed (another tab, a login) no longer matches."""
    strict.get(letter.url)  # the letter page sets the CSRF cookie
    data = reply_form_data(letter, comment=TEXT, name="Strap Snapped", email="strap@example.com")
    data["csrfmiddlewaretoken"] = "x" * 64
    fields = assert_confirm_step(strict.post(POST_URL, data, REMOTE_ADDR=fresh_address()))
    assert fields["email"] == "strap@example.com"

    reply = posted_reply(resend(strict, fields))
    assert reply.comment == TEXT


def test_a_reply_to_a_reply_keeps_what_it_answers(strict, letter, make_reply):
    parent = make_reply(user_name="Rosa")
    data = page_form_data(letter, reply_to=parent.pk, comment=TEXT, name="Strap Snapped")
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    fields = assert_confirm_step(response)
    assert soup(response).select_one("[data-replying-name]").get_text() == "Rosa"
    assert fields["reply_to"] == str(parent.pk)

    reply = posted_reply(resend(strict, fields))
    assert reply.parent_id == parent.pk


def test_a_script_without_a_form_still_waits_the_typing_time(strict, letter):
    """A post with no "opened at" value of ours (a script that never loaded the page): the
    confirm step's value counts the typing time from now, so Send at once is too fast."""
    data = reply_form_data(letter, comment=TEXT, name="Strap Snapped", opened="forged")
    fields = assert_confirm_step(strict.post(POST_URL, data, REMOTE_ADDR=fresh_address()))
    response = resend(strict, fields)
    assert response.status_code == 400
    assert "quicker than anyone can type" in response.text
    assert Reply.objects.count() == 0


def test_a_reply_to_a_letter_that_is_gone_keeps_the_text(strict, letter):
    data = reply_form_data(letter, comment=TEXT)
    data["object_pk"] = "987654"
    response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 404
    assert soup(response).find("textarea", id="kept-text").get_text() == TEXT
    assert Reply.objects.count() == 0


def test_a_report_without_a_token_gets_the_confirm_step_with_its_note(strict, make_reply):
    reply = make_reply()
    note = "Second line of a note.\nIt repeats a reader’s address."
    response = strict.post(f"/replies/report/{reply.pk}/", {"reason": "personal", "note": note})
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "One more step"
    assert "Press Send to send your report." in page.select_one("[data-confirm-step]").get_text()
    fields = form_fields(response, "form.report-form")
    assert (fields["reason"], fields["note"]) == ("personal", note)
    assert len(fields["csrfmiddlewaretoken"]) == 64
    assert reply.reports.count() == 0

    done = strict.post(f"/replies/report/{reply.pk}/", fields, REMOTE_ADDR=fresh_address())
    assert soup(done).h1.get_text() == "Thank you for telling us"
    (report,) = reply.reports.all()
    assert (report.reason, report.note) == ("personal", note)


def test_another_form_gets_the_sites_403_page(strict):
    response = strict.post("/replies/confirm-email/some-token/", {})
    assert response.status_code == 403
    page = soup(response)
    assert page.select_one("header.site-header")
    assert page.h1.get_text() == "This form had expired"


def test_an_address_that_is_no_page_gets_the_sites_403_page(strict):
    response = strict.post("/no/such/form/", {"text": "x"})
    assert response.status_code == 403
    assert soup(response).h1.get_text() == "This form had expired"
