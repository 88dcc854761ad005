"""Fixtures for the reply tests: a letter open for replies, the site's reply policy, a
moderator, staff users, a helper that posts a reply through the real posting view, and one
that stores replies directly (threaded, as xtd stores them) for tests about reading them."""

import itertools
import random
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd import get_form
from wagtail.models import Site

from comments import views
from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus
from conftest import ensure_moderators_group, store_reply

# Rate-limit counters outlive a test in Redis (the PostgreSQL/Redis lane), so every run picks
# its own block of client addresses: posts from different tests never share a counter.
_RUN = random.randrange(1, 250)
_ADDRESSES = itertools.count(1)
_EMAILS = itertools.count(1)


def say(pytestconfig, line):
    """Write a line to the terminal, past pytest's output capture (measured figures)."""
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


def fresh_address():
    """A client address no other post of this test run used (10.<run>.x.y)."""
    n = next(_ADDRESSES)
    return f"10.{_RUN}.{n // 250 % 250}.{n % 250 + 1}"


def fresh_email():
    return f"reader{next(_EMAILS)}-{_RUN}@example.com"


def reply_form_data(letter, reply_to=0, age=None, **fields):
    """Valid form data for a reply to `letter`, as the page's form would send it.

    xtd's form `initial` lacks `reply_to` (DESIGN.md §4b), and its timestamp is "now", which
    the posting view refuses as too fast: the timestamp is made `age` seconds old and the
    security hash recomputed for it. A field given as None is left out.
    """
    form = get_form()(letter)
    data = {key: str(value) for key, value in form.initial.items()}
    age = views.MIN_SECONDS_TO_TYPE + 5 if age is None else age
    timestamp = int(time.time()) - age
    data["timestamp"] = str(timestamp)
    data["security_hash"] = form.initial_security_hash(timestamp)
    data.update(
        {
            "reply_to": None if reply_to is None else str(reply_to),
            "name": "Jo Reader",
            "email": fresh_email(),
            "comment": "I had the same trouble with my special order.",
            "honeypot": "",
        }
    )
    if reply_to is None:
        del data["reply_to"]
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        elif value is True:
            data[key] = "on"
        elif value is False:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _post_reply(client, letter, reply_to=0, age=None, remote_addr=None, **fields):
    """POST a reply to `letter` through the real posting view; return the response.

    Each post comes from a fresh client address unless `remote_addr` is given, so the rate
    limits only bite in the tests about them.
    """
    if hasattr(reply_to, "pk"):
        reply_to = reply_to.pk
    data = reply_form_data(letter, reply_to=reply_to, age=age, **fields)
    return client.post(
        reverse("comments-post-comment"), data, REMOTE_ADDR=remote_addr or fresh_address()
    )


@pytest.fixture
def post_reply():
    """post_reply(client, letter, reply_to=0, age=None, remote_addr=None, **fields)."""
    return _post_reply


def posted_reply(response):
    """The reply a successful post created, from the signed "posted" link it redirected to."""
    from django.core import signing

    assert response.status_code == 302, response.status_code
    token = re.search(r"/replies/posted/([^/]+)/", response["Location"]).group(1)
    return Reply.objects.get(pk=signing.loads(token, salt=views.POSTED_SALT))


@pytest.fixture
def letter(make_letter):
    """A published letter, dated today so replies stay open under any closing policy."""
    return make_letter("Should I accept a bag I did not order?", date=timezone.localdate())


@pytest.fixture
def policy(home_page):
    """The default Site's reply policy (what the posting view reads)."""
    return ReplyPolicy.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def moderator(db):
    """A member of Wagtail's Moderators group (which the migration gave can_moderate)."""
    user = get_user_model().objects.create_user(
        "mod", email="mod@example.com", password="pw", first_name="Mo"
    )
    user.groups.add(ensure_moderators_group())
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
def trusted_email(make_reply):
    """An address that is trusted: an earlier reply approved, the address confirmed."""
    email = "trusted@example.com"
    make_reply(user_email=email, user_name="Trusty")
    ReaderEmail.objects.create(email=email, confirmed_at=timezone.now())
    return email
