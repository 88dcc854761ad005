"""The subscribe form: on the home page, each column and each letter; a valid post stores a
waiting subscriber and its consent and sends one confirmation email; each invalid field, the
honeypot and the rate limit are refused with what was typed kept; a known address gets the
same answer as a new one; a page kept for every reader posts through the confirm step."""

import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from guard import opened as opened_values
from guard.forms import sign_opened
from newsletter.models import Consent, Subscriber, Subscription
from testing.replies import fresh_email

URL = "/newsletter/subscribe/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def typed(response):
    page = soup(response)
    form = page.select_one("form.subscribe-form")
    return {
        "email": form.select_one("input[name=email]").get("value", ""),
        "columns": [i["value"] for i in form.select("input[name=columns][checked]")],
        "cadence": [i["value"] for i in form.select("input[name=cadence][checked]")],
    }


@pytest.mark.django_db
def test_the_form_is_on_the_home_page_each_column_and_each_letter(
    client, home_page, column, make_letter, page_cache_off
):
    letter = make_letter()
    for url in (home_page.url, column.url, letter.url):
        response = client.get(url)
        assert response.status_code == 200
        forms = soup(response).select("form.subscribe-form")
        assert len(forms) == 1, url
        assert forms[0]["action"] == URL
        labels = [label.text for label in forms[0].select("label")]
        assert column.title in labels and "Each answer, as it is published" in labels


def test_a_kept_page_holds_no_token_and_posts_through_the_confirm_step(
    client, home_page, column, subscribe_data, mailoutbox
):
    client.get(column.url)
    response = client.get(column.url)
    assert response["X-Page-Cache"] == "hit"
    form = soup(response).select_one("form.subscribe-form")
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None
    assert not opened_values.read(form.select_one("input[name=opened]")["value"]).one_use
    anonymous = Client(enforce_csrf_checks=True)
    # A page value (every reader's), read 10 s ago: what that page posts, with no token.
    page_value = sign_opened(time.time() - 10, one_use=False)
    response = anonymous.post(URL, subscribe_data(opened=page_value))
    assert response.status_code == 200
    assert "One more step" in response.content.decode()
    assert typed(response)["email"] == "Reader@Example.com"
    assert not Consent.objects.exists() and mailoutbox == []
    # Send again from the confirm step: its token and one-use value post.
    page = soup(response)
    again = {
        **subscribe_data(),
        "csrfmiddlewaretoken": page.select_one("input[name=csrfmiddlewaretoken]")["value"],
        "opened": page.select_one("input[name=opened]")["value"],
    }
    response = anonymous.post(URL, again)
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_a_valid_post_stores_a_waiting_subscriber_and_sends_one_confirmation(
    client, column, subscribe_data, mailoutbox
):
    response = client.post(URL, subscribe_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("newsletter-sent")
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.address == "Reader@Example.com"
    assert subscriber.key == "reader@example.com"
    assert subscriber.state == Subscriber.State.WAITING
    assert not Subscription.objects.exists()  # nothing until confirmed
    consent = Consent.objects.get()
    assert consent.columns == [{"id": column.pk, "title": column.title}]
    assert consent.cadence == "each" and "until you unsubscribe" in consent.text
    assert consent.source == column.url
    [message] = mailoutbox
    assert message.to == ["Reader@Example.com"]
    assert "/newsletter/confirm/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "/newsletter/confirm/" in html
    assert 'style="' in html  # inlined


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "not-an-address"}, "should look like name@example.com"),
        ({"email": ""}, "Please give your email address."),
        ({"columns": []}, "Please choose at least one column."),
        ({"columns": ["999999"]}, "Please choose among the columns listed."),
        ({"cadence": "daily"}, "Please choose how often."),
    ],
)
def test_each_invalid_field_is_refused_with_what_was_typed_kept(
    client, column, subscribe_data, mailoutbox, changes, error
):
    data = subscribe_data(email="kept@example.com", cadence="weekly")
    data.update(changes)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    shown = typed(response)
    assert shown["email"] == data["email"]
    if "cadence" not in changes:
        assert shown["cadence"] == ["weekly"]
    if "columns" not in changes:
        assert shown["columns"] == [str(column.pk)]
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_the_honeypot_refuses_and_keeps_the_address(client, column, subscribe_data, mailoutbox):
    response = client.post(URL, subscribe_data(honeypot="http://spam.example"))
    assert response.status_code == 400
    assert "leave the last field empty" in response.content.decode()
    assert typed(response)["email"] == "Reader@Example.com"
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_too_fast_is_refused(client, column, subscribe_data, mailoutbox):
    response = client.post(URL, subscribe_data(opened=sign_opened(time.time())))
    assert response.status_code == 400
    assert mailoutbox == []


def test_confirmation_emails_are_rate_limited_per_address(
    client, column, subscribe_data, mailoutbox, settings
):
    settings.NEWSLETTER_RATE_LIMITS = [("email", 1, 24 * 60 * 60)]
    local, domain = fresh_email().split("@")
    response = client.post(URL, subscribe_data(email=f"{local}+news@{domain}"))
    assert response.status_code == 302
    # Another spelling of the same mailbox, another choice (not a repeat of the first post).
    other = f"{local.upper()}@{domain}"
    response = client.post(URL, subscribe_data(email=other, cadence="weekly"))
    assert response.status_code == 429
    assert "limit is 1" in response.content.decode()
    assert typed(response)["email"] == other
    assert typed(response)["cadence"] == ["weekly"]
    assert len(mailoutbox) == 1


def test_a_repeat_post_lands_on_the_same_answer_and_sends_once(
    client, column, subscribe_data, mailoutbox
):
    first = client.post(URL, subscribe_data())
    second = client.post(URL, subscribe_data())
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len(mailoutbox) == 1


def test_a_known_address_gets_the_same_answer_as_a_new_one(
    client, column, subscribe_data, mailoutbox
):
    Subscriber.objects.create(
        address="known@example.com", key="known@example.com", state=Subscriber.State.ACTIVE
    )
    answers = []
    for address in ("known@example.com", "new@example.com"):
        response = client.post(URL, subscribe_data(email=address), follow=True)
        answers.append((response.status_code, response.redirect_chain, response.content))
    assert answers[0] == answers[1]
    assert Subscriber.objects.get(key="known@example.com").state == Subscriber.State.ACTIVE


def test_the_confirmation_names_the_columns_on_one_line(client, column, subscribe_data, mailoutbox):
    """The text part prints the column titles with escaping off: a title stored with a line
    break or a bidi override (a row written around the page form) adds no line and turns none."""
    type(column).objects.filter(pk=column.pk).update(title="Dear\nPurseBop \u202eLink: x")
    client.post(URL, subscribe_data(), follow=True)
    [message] = mailoutbox
    assert "by email at this address: Dear PurseBop Link: x, " in message.body
    assert "\u202e" not in message.body
