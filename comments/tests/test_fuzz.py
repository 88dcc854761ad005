"""Fuzzing the reply endpoints (marker `attack`): arbitrary text, bytes, encodings, oversized
and missing fields, wrong methods and content types, sent through the project's WSGI
application with and without a valid CSRF pair. Never a 5xx; after every request, no stored
reply or report breaks what the forms promise (testing.fuzz.malformed_replies).

A few examples per test by default; `make attack` (ATTACK=full) runs many."""

from urllib.parse import quote

import pytest
from django.core import signing
from django.test.client import BOUNDARY, encode_multipart
from hypothesis import given
from hypothesis import strategies as st

from comments import passes, trust, views
from comments.models import Reply, ReplyStatus
from testing import fuzz
from testing.output import say
from testing.replies import fresh_address, reply_form_data

pytestmark = [pytest.mark.attack, pytest.mark.django_db]

POST_URL = "/replies/post/"
FORM_FIELDS = [
    "content_type",
    "object_pk",
    "timestamp",
    "security_hash",
    "opened",
    "honeypot",
    "reply_to",
    "name",
    "email",
    "comment",
    "followup",
    "notify_on_publish",
    "csrfmiddlewaretoken",
]
COOKIE_NAMES = [
    trust.POSTED_COOKIE,
    trust.PROOF_COOKIE,
    trust.POSTED_FLAG_COOKIE,
    passes.COOKIE,
    "csrftoken",
    "sessionid",
]


@pytest.fixture
def fuzzing(settings, letter, make_reply, pytestconfig, request):
    """The site as the fuzz tests find it: a letter with an approved and a held reply, rate
    limits raised out of the way; prints how many requests were sent, by status."""
    settings.RATE_LIMIT_MULTIPLIER = fuzz.RATE_LIMIT_MULTIPLIER
    counter = fuzz.Counter()
    counter.letter = letter
    counter.approved = make_reply(comment="An approved reply.")
    counter.held = make_reply(status=ReplyStatus.PENDING, comment="A held reply.")
    yield counter
    say(pytestconfig, f"fuzz {request.node.name} [{fuzz.PROFILE}]: {counter.summary()}")


def check(counter, answer, what):
    """No server error; the replies stored since the last check, and every report, sound."""
    counter.add(answer)
    fuzz.assert_no_server_error(answer, what)
    assert fuzz.malformed_replies(counter.checked_reply_pk) == []
    counter.checked_reply_pk = (
        Reply.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    assert fuzz.malformed_reports() == []


cookie_header = st.lists(
    st.tuples(st.sampled_from(COOKIE_NAMES), st.one_of(fuzz.path_segment, fuzz.field_value)),
    max_size=3,
).map(lambda pairs: "; ".join(f"{name}={quote(value, safe='')}" for name, value in pairs))


# --- Posting a reply ---------------------------------------------------------------------------


@given(
    changes=st.dictionaries(st.sampled_from(FORM_FIELDS), fuzz.field_value, max_size=4),
    removed=st.sets(st.sampled_from(FORM_FIELDS), max_size=3),
    extra=st.dictionaries(fuzz.any_text, fuzz.field_value, max_size=3),
    encoding=st.sampled_from(fuzz.BODY_ENCODINGS),
    with_csrf=st.sampled_from([True, True, True, False]),  # mostly past the CSRF check
    reply_to_shown=st.booleans(),
)
def test_a_reply_form_with_any_fields_never_fails_or_stores_a_bad_reply(
    fuzzing, changes, removed, extra, encoding, with_csrf, reply_to_shown
):
    """A valid form (fresh hash, old enough timestamp), then fields changed to anything,
    removed, or added: each answer is a page, and a reply is stored only when it is sound."""
    letter = fuzzing.letter
    reply_to = fuzzing.approved.pk if reply_to_shown else 0
    data = reply_form_data(letter, reply_to=reply_to)
    if with_csrf:
        data["csrfmiddlewaretoken"] = fuzz.CSRF.secret
    data.update(changes)
    for name in removed:
        data.pop(name, None)
    for name, value in extra.items():
        data.setdefault(name, value)
    body, content_type = fuzz.encode_body(data, encoding)
    before = Reply.objects.count()
    answer = fuzz.send(
        "POST",
        POST_URL,
        body=body,
        content_type=content_type,
        cookies=fuzz.CSRF.cookie if with_csrf else "",
        remote_addr=fresh_address(),
    )
    check(fuzzing, answer, f"POST {data!r} as {encoding}")
    if Reply.objects.count() > before:
        assert answer.status == 302, answer
        assert answer.headers["Location"].startswith("/replies/posted/")


@given(
    comment=fuzz.any_text.filter(lambda text: text.strip()),
    name=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60),
)
def test_any_text_and_name_a_valid_form_carries_is_stored_intact_or_refused(fuzzing, comment, name):
    """Through the whole posting path: stored exactly as typed (the name cleaned as the form
    cleans names), or refused with a 4xx page."""
    data = reply_form_data(fuzzing.letter, comment=comment, name=name)
    data["csrfmiddlewaretoken"] = fuzz.CSRF.secret
    answer = fuzz.send(
        "POST",
        POST_URL,
        body=encode_multipart(BOUNDARY, data),
        content_type=fuzz.MULTIPART,
        cookies=fuzz.CSRF.cookie,
        remote_addr=fresh_address(),
    )
    check(fuzzing, answer, f"comment={comment!r} name={name!r}")
    if answer.status == 302:
        token = answer.headers["Location"].split("/")[3]
        reply = Reply.objects.get(pk=signing.loads(token, salt=views.POSTED_SALT))
        assert reply.comment == comment.strip() or reply.comment.strip() == comment.strip()
        assert reply.user_email == data["email"]


@given(
    method=st.sampled_from(fuzz.METHODS),
    content_type=st.sampled_from(fuzz.CONTENT_TYPES),
    body=st.one_of(st.binary(max_size=2000), fuzz.any_text.map(str.encode)),
    query=fuzz.query_string,
    cookies=cookie_header,
)
def test_any_method_content_type_and_body_on_the_posting_address(
    fuzzing, method, content_type, body, query, cookies
):
    answer = fuzz.send(
        method, POST_URL, query=query, body=body, content_type=content_type, cookies=cookies
    )
    check(fuzzing, answer, f"{method} {content_type!r} {body[:200]!r}")
    if method != "POST":  # the CSRF check comes first: 403 without a token
        assert answer.status in (400, 403, 405), answer


@pytest.mark.parametrize(
    "size, expected",
    [(3001, 400), (200_000, 400), (3_000_000, 413)],
)
def test_an_oversized_reply_is_refused_and_never_stored(fuzzing, size, expected):
    data = reply_form_data(fuzzing.letter, comment="x" * size)
    data["csrfmiddlewaretoken"] = fuzz.CSRF.secret
    body, content_type = fuzz.encode_body(data, "urlencoded")
    answer = fuzz.send(
        "POST", POST_URL, body=body, content_type=content_type, cookies=fuzz.CSRF.cookie
    )
    check(fuzzing, answer, f"a reply of {size} characters")
    assert answer.status == expected
    assert Reply.objects.count() == 2  # the fixture's two


def test_too_many_fields_answer_400(fuzzing):
    data = reply_form_data(fuzzing.letter)
    data.update({f"f{n}": "x" for n in range(1100)})  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000
    data["csrfmiddlewaretoken"] = fuzz.CSRF.secret
    body, content_type = fuzz.encode_body(data, "urlencoded")
    answer = fuzz.send(
        "POST", POST_URL, body=body, content_type=content_type, cookies=fuzz.CSRF.cookie
    )
    check(fuzzing, answer, "1,100 fields")
    assert answer.status == 400


# --- Reports, the reply-to form, the posted page, the fragment, passes and email links -------


@given(
    reason=fuzz.field_value,
    note=fuzz.field_value,
    which=st.sampled_from(["approved", "held", "none", "huge"]),
    method=st.sampled_from(["GET", "POST", "POST", "PUT", "DELETE"]),
    encoding=st.sampled_from(fuzz.BODY_ENCODINGS),
)
def test_any_report_never_fails_or_stores_a_bad_report(
    fuzzing, reason, note, which, method, encoding
):
    reply_id = {
        "approved": fuzzing.approved.pk,
        "held": fuzzing.held.pk,
        "none": 10**9,
        "huge": 10**30,
    }[which]
    body, content_type = fuzz.encode_body(
        {"reason": reason, "note": note, "csrfmiddlewaretoken": fuzz.CSRF.secret}, encoding
    )
    answer = fuzz.send(
        method,
        f"/replies/report/{reply_id}/",
        body=body,
        content_type=content_type,
        cookies=fuzz.CSRF.cookie,
        remote_addr=fresh_address(),
    )
    check(fuzzing, answer, f"{method} report {reason!r} {note!r}")
    if which != "approved":  # hidden or missing: not found (CSRF refuses PUT/DELETE first,
        # the charset check a body it cannot read)
        assert answer.status in (400, 403, 404, 405), answer


@given(
    route=st.sampled_from(
        [
            "posted",
            "yours",
            "as",
            "reply",
            "report",
            "confirm-email",
            "unsubscribe",
            "moderator-emails",
            "mute",
        ]
    ),
    segment=fuzz.path_segment,
    method=st.sampled_from(["GET", "GET", "HEAD", "POST", "PUT", "OPTIONS"]),
    query=fuzz.query_string,
    cookies=cookie_header,
    with_csrf=st.booleans(),
)
def test_any_token_id_or_cookie_on_the_reply_links(
    fuzzing, route, segment, method, query, cookies, with_csrf
):
    """The posted page, the own-replies fragment, reply passes, reply-to and report forms
    and the email links, with anything in their path, query and cookies."""
    if with_csrf:
        cookies = "; ".join(filter(None, [cookies, fuzz.CSRF.cookie]))
    body = f"csrfmiddlewaretoken={fuzz.CSRF.secret}".encode() if with_csrf else b""
    answer = fuzz.send(
        method,
        f"/replies/{route}/{segment}/",
        query=query,
        body=body,
        content_type=fuzz.URLENCODED,
        cookies=cookies,
    )
    check(fuzzing, answer, f"{method} /replies/{route}/{segment}/?{query} cookies={cookies!r}")


@given(cookies=cookie_header, page=st.sampled_from(["letter", "other", "huge"]))
def test_the_own_replies_fragment_with_any_cookie(fuzzing, cookies, page):
    page_id = {"letter": fuzzing.letter.pk, "other": 1, "huge": 2**70}[page]
    answer = fuzz.send("GET", f"/replies/yours/{page_id}/", cookies=cookies)
    check(fuzzing, answer, f"fragment with {cookies!r}")
    assert answer.status in (204, 404), answer
