"""Fixtures for the reply tests: a letter open for replies, the site's reply policy, a
moderator, staff users, a helper that posts a reply through the real posting view, and one
that stores replies directly (threaded, as xtd stores them) for tests about reading them."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from comments.models import ReaderEmail, RejectionReason, ReplyPolicy, ReplyStatus
from comments.trust import confirmation_token
from guard.permissions import SEE_ADDRESSES
from testing import replies
from testing.replies import store_reply
from testing.users import ensure_reply_moderators_group, grant


@pytest.fixture
def post_reply():
    """post_reply(client, letter, reply_to=0, age=None, remote_addr=None, **fields)."""
    return replies.post_reply


@pytest.fixture
def letter(make_letter):
    """A published letter, dated today so replies stay open under any closing policy."""
    return make_letter("Should I accept a bag I did not order?", date=timezone.localdate())


@pytest.fixture
def policy(home_page):
    """The default Site's reply policy (what the posting view reads), stored as the admin
    stores it (reading it alone stores nothing)."""
    policy = ReplyPolicy.for_site(Site.objects.get(is_default_site=True))
    policy.save()
    return policy


@pytest.fixture
def hold_untrusted(policy):
    """The policy in its second mode: trusted readers are published at once."""
    policy.mode = ReplyPolicy.HOLD_UNTRUSTED
    policy.save()
    return policy


@pytest.fixture
def moderator(db):
    """A member of the "Reply moderators" group (the desk's group, which a migration made)."""
    user = get_user_model().objects.create_user(
        "mod", email="mod@example.com", password="pw", first_name="Mo"
    )
    user.groups.add(ensure_reply_moderators_group())
    return user


@pytest.fixture
def editor(db):
    """A member of Wagtail's Editors group: staff (admin access), but not a moderator."""
    user = get_user_model().objects.create_user("editor", email="editor@example.com")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", email="boss@example.com")


@pytest.fixture
def other_visitor():
    """Another reader's browser: no session, no cookies shared with `client`."""
    return Client()


@pytest.fixture
def make_reply(letter):
    """make_reply(parent=None, on=None, status=approved, **fields): `store_reply` with a
    numbered name, address and text unless given."""
    counter = itertools.count(1)

    def make(parent=None, on=None, status=ReplyStatus.APPROVED, **fields):
        n = next(counter)
        values = {
            "user_name": f"Reader {n}",
            "user_email": f"stored{n}@example.com",
            "comment": f"Stored reply number {n}.",
            **fields,
        }
        return store_reply(on or letter, parent=parent, status=status, **values)

    return make


@pytest.fixture
def trusted_email(make_reply, client):
    """An address that is trusted, as its owner's browser (`client`) proves it: an earlier
    reply approved, and the confirmation link from its "published" email opened in `client`."""
    email = "trusted@example.com"
    make_reply(user_email=email, user_name="Trusty")
    url = reverse("comments-confirm-email", args=[confirmation_token(email)])
    assert client.get(url).status_code == 200  # asks
    assert client.post(url).status_code == 200  # confirms
    assert ReaderEmail.objects.get(email=email).confirmed_at is not None
    return email


# --- The moderation desk ---------------------------------------------------------------


@pytest.fixture
def desk(client, moderator):
    """The test client, signed in as a member of the "Reply moderators" group."""
    client.force_login(moderator)
    return client


@pytest.fixture
def sees_addresses(moderator):
    """The moderator, also holding "Can see readers’ addresses" (the desk's erasure needs it)."""
    return grant(moderator, SEE_ADDRESSES)


@pytest.fixture
def held(make_reply):
    """A held reply whose author asked to hear when it is published."""
    return make_reply(
        status=ReplyStatus.PENDING,
        user_name="Hopeful Harriet",
        user_email="harriet@example.com",
        comment="My bag arrived with the wrong strap.",
        notify_on_publish=True,
        ip_address="192.0.2.7",
    )


@pytest.fixture
def reason():
    """One of the rejection reasons the migration seeded."""
    return RejectionReason.objects.get(text="It is off topic for this letter.")
