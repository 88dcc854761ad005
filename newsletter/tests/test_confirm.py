"""Double opt-in: the emailed link opens a page with a Confirm button; only its POST confirms
(GET never does: mail scanners follow links); a forged or expired link gets a page offering to
subscribe again."""

import re

import pytest
from django.core import signing
from django.test import Client

from newsletter import links
from newsletter.models import Consent, Subscriber, Subscription

URL = "/newsletter/subscribe/"


@pytest.fixture
def confirm_link(client, column, subscribe_data, mailoutbox):
    client.post(URL, subscribe_data(cadence="weekly"))
    [message] = mailoutbox
    return re.search(r"http://testserver(/newsletter/confirm/\S+/)", message.body).group(1)


def test_get_shows_a_button_and_never_confirms(client, confirm_link):
    for _ in range(2):
        response = client.get(confirm_link)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Confirm your subscription" in body and ">Confirm</button>" in body
    assert Subscriber.objects.get().state == Subscriber.State.WAITING
    assert not Subscription.objects.exists()
    assert Consent.objects.get().confirmed_at is None


def test_post_confirms_with_the_columns_and_cadence_chosen(column, confirm_link, mailoutbox):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(confirm_link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(confirm_link, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.ACTIVE and subscriber.confirmed_at
    [subscription] = Subscription.objects.all()
    assert (subscription.column_id, subscription.cadence) == (column.pk, "weekly")
    assert Consent.objects.get().confirmed_at is not None
    assert len(mailoutbox) == 1  # nothing more sent on confirming


def test_a_forged_link_offers_to_subscribe_again(client, confirm_link):
    forged = confirm_link[:-3] + "xx/"
    for method in (client.get, client.post):
        response = method(forged)
        assert response.status_code == 400
        body = response.content.decode()
        assert "This link does not work" in body and 'class="subscribe-form"' in body
    assert Subscriber.objects.get().state == Subscriber.State.WAITING


def test_an_expired_link_offers_to_subscribe_again(client, confirm_link, settings):
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    response = client.post(confirm_link)
    assert response.status_code == 410
    body = response.content.decode()
    assert "has expired" in body and 'class="subscribe-form"' in body
    assert Subscriber.objects.get().state == Subscriber.State.WAITING


def test_a_link_for_another_purpose_is_refused(client, confirm_link):
    token = signing.dumps({"c": Consent.objects.get().pk}, salt=links.UNSUBSCRIBE_SALT)
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 400
