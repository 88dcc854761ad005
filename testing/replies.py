"""Replies for tests: stored directly (threaded as xtd stores them), or posted through the real
posting view with valid form data."""

import itertools
import random
import re
import time

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd import get_form

from comments import counts, views
from comments.forms import ReplyForm
from comments.models import ReaderEmail, Reply
from guard.forms import sign_opened

# Rate-limit counters outlive a test in Redis (the PostgreSQL/Redis lane), so every run picks
# its own block of client addresses: posts from different tests never share a counter.
_RUN = random.randrange(1, 250)
_ADDRESSES = itertools.count(1)
_EMAILS = itertools.count(1)

MIN_SECONDS_TO_TYPE = ReplyForm.min_seconds_to_type


def store_reply(target, parent=None, status="pending", **fields):
    """Store a reader's reply under `target` directly (held unless `status` says otherwise),
    through the model's save(): the HTML is rendered and xtd's thread data (thread_id, level,
    order) computed; nothing is logged or emailed (that is comments.lifecycle's work). A reply
    readers see is counted on its page's cards (comments.counts), as it is when the lifecycle
    announces it: the page cache is left alone."""
    reply = Reply.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        site_id=1,
        parent_id=parent.pk if parent else 0,
        status=status,
        **fields,
    )
    if reply.is_published:
        counts.recount(reply.content_type_id, reply.object_pk)
    return reply


def confirm_address(email):
    """The address's owner followed the confirmation link (as comments.email_links.confirm_email
    records it): follow-ups may be sent to it, and in trust mode it counts as trusted."""
    ReaderEmail.objects.update_or_create(
        email=ReaderEmail.normalise(email), defaults={"confirmed_at": timezone.now()}
    )


def fresh_address():
    """A client address no other post of this test run used (10.<run>.x.y)."""
    n = next(_ADDRESSES)
    return f"10.{_RUN}.{n // 250 % 250}.{n % 250 + 1}"


def fresh_email():
    return f"reader{next(_EMAILS)}-{_RUN}@example.com"


def reply_form_data(letter, reply_to=0, age=None, **fields):
    """Valid form data for a reply to `letter`, as the page's form would send it.

    xtd's form `initial` lacks `reply_to`, and its timestamp is "now", which
    the posting view refuses as too fast: the timestamp and the one-use "opened at" value are
    made `age` seconds old and the security hash recomputed for it. A field given as None is
    left out.
    """
    form = get_form()(letter)
    data = {key: str(value) for key, value in form.initial.items()}
    age = MIN_SECONDS_TO_TYPE + 5 if age is None else age
    timestamp = int(time.time()) - age
    data["timestamp"] = str(timestamp)
    data["security_hash"] = form.initial_security_hash(timestamp)
    # A one-use "opened at" value, as the token endpoint gives the page's script.
    data["opened"] = sign_opened(timestamp)
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


def post_reply(client, letter, reply_to=0, age=None, remote_addr=None, **fields):
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


def posted_reply(response):
    """The reply a successful post created, from the signed "posted" link it redirected to."""
    assert response.status_code == 302, response.status_code
    token = re.search(r"/replies/posted/([^/]+)/", response["Location"]).group(1)
    return Reply.objects.get(pk=signing.loads(token, salt=views.POSTED_SALT))
