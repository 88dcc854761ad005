"""The mail provider's word about an address (newsletter.webhooks): Postmark's own sample bounce
and spam-complaint payloads (tests/data, not written by us) posted to anymail's tracking webhook
with its basic auth suppress the address for every email the site sends and take its
subscriber out of "active"; without the auth nothing changes; an `AnymailTrackingEvent` of an
unsubscribe from any provider ends the subscription as our own link does."""

import base64
import json
from pathlib import Path

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.conf import settings
from django.core.mail import EmailMessage

from guard import mailboxes
from newsletter import suppression
from newsletter.models import Subscriber, Subscription, SuppressedAddress
from outbox.delivery import deliver

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
URL = "/anymail/postmark/tracking/"


def payload(name):
    return json.loads((DATA / name).read_text())


def auth(secret=None):
    secret = secret or settings.ANYMAIL["WEBHOOK_SECRET"]
    return "Basic " + base64.b64encode(secret.encode()).decode()


def post(client, body, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def subscriber(column):
    def make(address):
        found = Subscriber.objects.create(
            address=address, key=mailboxes.key(address), state=Subscriber.State.ACTIVE
        )
        Subscription.objects.create(subscriber=found, column=column)
        return found

    return make


def test_a_postmark_bounce_suppresses_the_address_for_every_email(client, subscriber, mailoutbox):
    reader = subscriber("Bounce@Example.com")
    response = post(client, payload("postmark_bounce.json"), auth())
    assert response.status_code == 200
    [entry] = SuppressedAddress.objects.all()
    assert entry.reason == SuppressedAddress.Reason.BOUNCED
    assert suppression.is_suppressed("bounce@example.com")
    reader.refresh_from_db()
    assert reader.state == Subscriber.State.BOUNCED
    # Not only the newsletter: a reply notification to the address is dropped too.
    deliver([EmailMessage("A reply to your reply", "…", to=["bounce@example.com"])])
    assert mailoutbox == []


def test_a_postmark_spam_complaint_suppresses_as_a_complaint(client, subscriber):
    reader = subscriber("spam@example.com")
    assert post(client, payload("postmark_spam_complaint.json"), auth()).status_code == 200
    assert SuppressedAddress.objects.get().reason == SuppressedAddress.Reason.COMPLAINED
    reader.refresh_from_db()
    assert reader.state == Subscriber.State.BOUNCED


@pytest.mark.parametrize("authorization", [None, "provider:wrong-secret"])
def test_without_the_webhooks_basic_auth_nothing_changes(client, subscriber, authorization):
    reader = subscriber("bounce@example.com")
    response = post(client, payload("postmark_bounce.json"), authorization and auth(authorization))
    assert response.status_code == 400
    assert not SuppressedAddress.objects.exists()
    reader.refresh_from_db()
    assert reader.state == Subscriber.State.ACTIVE


def test_a_providers_unsubscribe_event_ends_the_subscription(subscriber):
    reader = subscriber("reader@example.com")
    event = AnymailTrackingEvent(
        event_type="unsubscribed", recipient="Reader+news@example.com", event_id="ev-1"
    )
    tracking.send(sender=object, event=event, esp_name="Mailgun")
    reader.refresh_from_db()
    assert reader.state == Subscriber.State.UNSUBSCRIBED
    assert not Subscription.objects.filter(subscriber=reader).exists()
    assert SuppressedAddress.objects.get().reason == SuppressedAddress.Reason.UNSUBSCRIBED
    assert suppression.is_suppressed("reader@example.com")


@pytest.mark.parametrize("kind", ["delivered", "deferred", "opened", "clicked"])
def test_other_events_change_nothing(subscriber, kind):
    reader = subscriber("reader@example.com")
    event = AnymailTrackingEvent(event_type=kind, recipient="reader@example.com")
    tracking.send(sender=object, event=event, esp_name="Postmark")
    reader.refresh_from_db()
    assert reader.state == Subscriber.State.ACTIVE
    assert not SuppressedAddress.objects.exists()
