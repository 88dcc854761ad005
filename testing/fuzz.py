"""Fuzzing the reader-facing endpoints (the `attack` tests): hypothesis settings, requests sent
through the project's WSGI application (what gunicorn runs, not the test client's own request
class), and the checks every answer and every stored record must pass.

Two hypothesis profiles, chosen by the environment variable ATTACK: the default ("ci") tries
a few examples per test, so the suite stays quick in `make test` and both CI lanes;
`ATTACK=full` (what `make attack` sets) tries many. Neither keeps an example database: the runs
write nothing into the tree.
"""

import io
import os
import string
import sys
import tempfile
import traceback
import wsgiref.util
from contextlib import contextmanager
from urllib.parse import quote_from_bytes, urlencode

# Hypothesis keeps caches in ./.hypothesis unless told otherwise: the tests write nothing into
# the tree. Read when it first stores something, so setting it at import time is in time.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "pursebop-hypothesis")
)

from django.core import signals
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import close_old_connections
from django.test.client import BOUNDARY, encode_multipart
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("ATTACK_EXAMPLES", 15)),
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "full",
    max_examples=int(os.environ.get("ATTACK_EXAMPLES", 400)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = "full" if os.environ.get("ATTACK") == "full" else "ci"
settings.load_profile(PROFILE)

# Reply and report limits are not what fuzzing tests: every example would otherwise spend them.
RATE_LIMIT_MULTIPLIER = 10_000

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "BREW"]
CONTENT_TYPES = [
    URLENCODED,
    MULTIPART,
    f"{URLENCODED}; charset=utf-8",
    f"{URLENCODED}; charset=latin-1",
    f"{URLENCODED}; charset=utf-16",
    f"{URLENCODED}; charset=rot13",
    f"{URLENCODED}; charset=no-such-charset",
    f"{MULTIPART}; charset=utf-16",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=",
    "multipart/mixed; boundary=x",
    "application/json",
    "text/plain",
    "text/xml",
    "application/octet-stream",
    "",
    "*/*; charset*=utf-8''%00",
    "\x00",
]

# Text of every kind: any code point Python can encode in UTF-8 (no lone surrogates), control
# characters, NUL, right-to-left marks, zero-width joiners and the like included.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
tricky_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u200b\u200b",
        "\u202eevil",
        "\ufeff",
        "𝕏" * 60,
        "é" * 3001,
        "x" * 3001,
        "<script>alert(1)</script>",
        "http://" + "a" * 3000 + ".example",
        "%00",
        "%ff%fe",
        "\r\n\r\n",
        "../../etc/passwd",
        "'; DROP TABLE comments_reply; --",
        "99999999999999999999999999",
        "-1",
        "1e309",
        "NaN",
        "0x10",
    ]
)
field_value = st.one_of(any_text, tricky_text, st.integers().map(str))
path_segment = st.one_of(
    st.binary(max_size=80).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(string.ascii_letters + string.digits + "-_:.", max_size=120),
    tricky_text.map(lambda text: quote_from_bytes(text.encode(), safe="")),
)
query_string = st.one_of(
    st.binary(max_size=200).map(lambda raw: quote_from_bytes(raw, safe="=&")),
    st.dictionaries(any_text, field_value, max_size=4).map(
        lambda params: urlencode({k.encode(): v.encode() for k, v in params.items()})
    ),
    st.builds(
        lambda key, value: f"{key}={value}",
        st.sampled_from(["page", "q", "replies", "sort", "year", "month"]),
        st.one_of(
            field_value.map(lambda text: quote_from_bytes(text.encode(), safe="")), path_segment
        ),
    ),
)


def encode_body(fields, encoding):
    """A form body for `fields` ({name: str}) in one of the ways a client might send it."""
    if encoding == "multipart":
        return encode_multipart(BOUNDARY, fields), MULTIPART
    if encoding == "urlencoded":
        return urlencode(fields).encode(), URLENCODED
    if encoding == "urlencoded-latin1":
        return urlencode(fields, encoding="latin-1", errors="replace").encode(), URLENCODED
    if encoding == "json":
        import json

        return json.dumps(fields).encode(), "application/json"
    return urlencode(fields).encode("utf-16"), f"{URLENCODED}; charset=utf-16"


BODY_ENCODINGS = ["urlencoded", "urlencoded", "multipart", "urlencoded-latin1", "json", "utf-16"]


@contextmanager
def like_the_test_client():
    """Keep the test's database connection (and its transaction) open across requests, as
    Django's test client does: it disconnects close_old_connections around the signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class Answer:
    def __init__(self, status, headers, body, errors):
        self.status, self.headers, self.body, self.errors = status, headers, body, errors

    def __repr__(self):
        return f"<Answer {self.status} {self.body[:200]!r} errors={self.errors}>"


class CSRF:
    """A CSRF cookie and the matching form token (Django accepts the unmasked secret)."""

    secret = "fuzzFUZZfuzzFUZZfuzzFUZZfuzzFUZZ"
    cookie = f"csrftoken={secret}"


def send(method, path, query="", body=b"", content_type="", cookies="", remote_addr=None):
    """(status, headers, body, exceptions) from the project's WSGI application: the request as
    given, bytes and all. Exceptions a view raised are collected from Django's
    got_request_exception signal, so a 500 names its cause."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": remote_addr or "192.0.2.1",
        "wsgi.input": io.BytesIO(body),
    }
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    wsgiref.util.setup_testing_defaults(environ)
    started, errors = {}, []

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    def record(sender, request=None, **kwargs):
        errors.append("".join(traceback.format_exception(*sys.exc_info())))

    signals.got_request_exception.connect(record)
    try:
        with like_the_test_client():
            body = b"".join(application(environ, start_response))
    finally:
        signals.got_request_exception.disconnect(record)
    return Answer(int(started["status"].split()[0]), started["headers"], body, errors)


def assert_no_server_error(answer, what):
    assert answer.status < 500, f"{what}: {answer.status}\n" + "\n".join(answer.errors)
    assert not answer.errors, f"{what}: {answer.status}\n" + "\n".join(answer.errors)


class Counter:
    """How many requests the fuzz tests sent, and with which answers, for the figures."""

    def __init__(self):
        self.cases = 0
        self.statuses = {}
        self.checked_reply_pk = 0  # replies up to this one were found sound

    def add(self, answer):
        self.cases += 1
        self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1

    def summary(self):
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return f"{self.cases} requests ({statuses})"


# --- Stored records ---------------------------------------------------------------------------


def malformed_replies(after_pk=0):
    """Every stored reply (with a pk above `after_pk`: the ones stored since the last look)
    that breaks what the form promises, with why."""
    from django.contrib.contenttypes.models import ContentType

    from comments.forms import MAX_LENGTH
    from comments.models import Reply, ReplyStatus
    from guard import text as text_rules

    problems = []
    content_types = {ct.pk: ct for ct in ContentType.objects.all()}
    for reply in Reply.objects.filter(pk__gt=after_pk):
        why = []
        if not text_rules.has_visible_text(reply.comment or ""):
            why.append("no visible text")
        if len(reply.comment) > MAX_LENGTH:
            why.append(f"text of {len(reply.comment)} characters")
        if not text_rules.has_visible_text(reply.user_name or "") or len(reply.user_name) > 50:
            why.append(f"name {reply.user_name!r}")
        for field in ("comment", "user_name", "user_email", "html"):
            if "\x00" in (getattr(reply, field) or ""):
                why.append(f"NUL in {field}")
        try:
            validate_email(reply.user_email)
        except ValidationError:
            why.append(f"address {reply.user_email!r}")
        if reply.status not in ReplyStatus.values:
            why.append(f"status {reply.status!r}")
        if not reply.html:
            why.append("no HTML")
        content_type = content_types.get(reply.content_type_id)
        if (
            content_type is None
            or content_type.get_all_objects_for_this_type(pk=reply.object_pk).count() != 1
        ):
            why.append(f"target {reply.content_type_id}/{reply.object_pk!r}")
        if (
            reply.parent_id not in (0, reply.pk)
            and not Reply.objects.filter(pk=reply.parent_id).exists()
        ):
            why.append(f"parent {reply.parent_id}")
        if why:
            problems.append((reply.pk, why))
    return problems


def malformed_reports():
    from comments.models import ReplyReport

    reasons = {value for value, _ in ReplyReport.REASONS}
    return [
        (report.pk, report.reason, len(report.note))
        for report in ReplyReport.objects.all()
        if report.reason not in reasons or len(report.note) > 500 or "\x00" in report.note
    ]
