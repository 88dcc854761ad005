"""The newsletter in a reader's copy of their data (the desk's privacy page, comments.export):
the address's subscriptions and every consent with the words shown; nothing for an address
that never subscribed; a note for someone who may not view subscribers."""

import json

import pytest
from django.contrib.auth import get_user_model

from guard import mailboxes
from guard.permissions import SEE_ADDRESSES
from newsletter.models import Consent, Subscriber, Subscription
from testing.desk import ERASE_URL
from testing.users import ensure_reply_moderators_group, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = get_user_model().objects.create_user("mod", "mod@staff.example", "pw")
    user.groups.add(ensure_reply_moderators_group())
    return grant(user, SEE_ADDRESSES)


def copy_for(client, user, email):
    client.force_login(user)
    response = client.post(ERASE_URL, {"email": email, "step": "export"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def subscribed(column):
    subscriber = Subscriber.objects.create(
        address="Lou@Example.com", key=mailboxes.key("Lou@Example.com"), state="active"
    )
    Subscription.objects.create(subscriber=subscriber, column=column, cadence="weekly")
    Consent.objects.create(
        subscriber=subscriber,
        address="Lou@Example.com",
        text="Send me letters by email.",
        source=column.url,
        columns=[{"id": column.pk, "title": column.title}],
        cadence="weekly",
    )
    return subscriber


def test_the_copy_holds_subscriptions_and_consents(client, moderator, subscribed, column):
    grant(moderator, "newsletter.view_subscriber")
    newsletter = copy_for(client, moderator, "lou@example.com")["newsletter"]
    assert newsletter["state"] == "Active"
    assert newsletter["subscriptions"] == [
        {"column": column.title, "how_often": "A weekly round-up"}
    ]
    [consent] = newsletter["consents"]
    assert consent["words_shown"] == "Send me letters by email."
    assert consent["columns"] == [column.title]
    assert copy_for(client, moderator, "never@example.com")["newsletter"] is None


def test_without_the_newsletter_permission_nothing_is_told(client, moderator, subscribed):
    newsletter = copy_for(client, moderator, "lou@example.com")["newsletter"]
    assert newsletter == {"not_searched": "you may not view newsletter subscribers"}
