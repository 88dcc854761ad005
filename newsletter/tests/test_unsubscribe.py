"""One-click unsubscribe (RFC 8058) and the suppression list: the link takes a POST with no
cookie and no CSRF token and shows a button on GET; an unsubscribed address is kept only as a
keyed hash, and no email of the site reaches it again, a reply notification included; a reader
who subscribes again gets the confirmation email they asked for."""

import re

import pytest
from django.test import Client

from comments import notifications
from newsletter import links, suppression
from newsletter.models import Subscriber, Subscription, SuppressedAddress
from testing.replies import store_reply

URL = "/newsletter/subscribe/"


@pytest.fixture
def subscriber(column):
    subscriber = Subscriber.objects.create(
        address="Reader+news@Example.com",
        key="reader@example.com",
        state=Subscriber.State.ACTIVE,
    )
    Subscription.objects.create(subscriber=subscriber, column=column, cadence="each")
    return subscriber


def path_of(url):
    return url.removeprefix("http://testserver")


def test_get_shows_a_button_and_changes_nothing(client, subscriber):
    response = client.get(path_of(links.unsubscribe_url(subscriber)))
    assert response.status_code == 200
    assert ">Unsubscribe</button>" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE
    assert not SuppressedAddress.objects.exists()


def test_one_click_post_needs_no_cookie_and_no_token(subscriber):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path_of(links.unsubscribe_url(subscriber)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert not Subscription.objects.exists()
    [entry] = SuppressedAddress.objects.all()
    assert entry.reason == "unsubscribed"
    assert "reader" not in entry.digest and len(entry.digest) == 64
    assert suppression.is_suppressed("READER@example.com")  # any spelling of the mailbox


def test_a_forged_link_unsubscribes_nobody(subscriber):
    token = links.unsubscribe_token(subscriber)
    response = Client(enforce_csrf_checks=True).post(f"/newsletter/unsubscribe/{token}x/")
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE


def test_the_hash_uses_its_own_key(settings):
    first = suppression.digest("a@example.com")
    settings.NEWSLETTER_SUPPRESSION_KEY = "another-key"
    assert suppression.digest("a@example.com") != first


def test_a_suppressed_address_gets_no_reply_notification(make_letter, mailoutbox):
    letter = make_letter()
    reply = store_reply(
        letter,
        status="approved",
        user_name="Reader",
        user_email="gone@example.com",
        comment="Hello",
        notify_on_publish=True,
    )
    notifications.notify_author_rejected(reply)
    assert len(mailoutbox) == 1  # sent while not suppressed
    suppression.suppress("Gone@Example.com", SuppressedAddress.Reason.BOUNCED)
    notifications.notify_author_rejected(reply)
    assert len(mailoutbox) == 1


def test_subscribing_again_after_unsubscribing_sends_the_confirmation(
    client, subscriber, subscribe_data, mailoutbox
):
    Client().post(path_of(links.unsubscribe_url(subscriber)))
    client.post(URL, subscribe_data(email="reader@example.com"))
    [message] = mailoutbox
    link = re.search(r"http://testserver(/newsletter/confirm/\S+/)", message.body).group(1)
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE
    assert not suppression.is_suppressed("reader@example.com")


def test_a_bounced_address_gets_not_even_a_confirmation(client, column, subscribe_data, mailoutbox):
    suppression.suppress("bounced@example.com", SuppressedAddress.Reason.BOUNCED)
    response = client.post(URL, subscribe_data(email="bounced@example.com"))
    assert response.status_code == 302  # the same answer as anyone
    assert mailoutbox == []
