"""A request declaring a charset that cannot be read answers our 400 page, never a 500
(base.charsets): forms are UTF-8, and codecs that are not text encodings (rot13, base64)
or that Python cannot look up never reach Django's decoding.

Django decodes a query string while it builds the request, and the test client builds its
own (a plain WSGIRequest), so those cases call the project's WSGI application, what gunicorn
runs, directly."""

import io
import wsgiref.util
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.utils import timezone

from comments.models import Reply
from testing.replies import fresh_address, posted_reply, reply_form_data

POST_URL = "/replies/post/"
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def letter(make_letter):
    return make_letter("Should I accept a bag I did not order?", date=timezone.localdate())


def assert_our_400(response):
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("header.site-header"), "not the site's 400 page"
    assert soup.h1.get_text() == "We could not read what your browser sent"


def send(client, body, content_type, path=POST_URL):
    return client.generic(
        "POST", path, body, content_type=content_type, REMOTE_ADDR=fresh_address()
    )


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "rot13", "base64"])
def test_a_reply_form_in_another_charset_answers_400(client, letter, charset):
    body = urlencode(reply_form_data(letter)).encode()
    assert_our_400(send(client, body, f"{URLENCODED}; charset={charset}"))
    multipart = encode_multipart(BOUNDARY, reply_form_data(letter))
    assert_our_400(send(client, multipart, f"{MULTIPART}; charset={charset}"))
    assert Reply.objects.count() == 0


@pytest.mark.parametrize("charset", ["utf-16", "rot13"])
def test_the_csrf_check_never_reads_an_unreadable_body(letter, charset):
    """With a CSRF cookie the middleware reads request.POST: it must not meet the charset."""
    strict = Client(enforce_csrf_checks=True)
    strict.get(letter.url)  # the page sets the CSRF cookie
    body = urlencode(reply_form_data(letter)).encode()
    assert_our_400(send(strict, body, f"{URLENCODED}; charset={charset}"))
    multipart = encode_multipart(BOUNDARY, reply_form_data(letter))
    assert_our_400(send(strict, multipart, f"{MULTIPART}; charset={charset}"))


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "nonsense-charset"])
def test_utf8_or_an_unknown_charset_still_posts(client, letter, charset):
    """UTF-8 is what our forms send; a name Python does not know is ignored, as Django does."""
    body = urlencode(reply_form_data(letter)).encode()
    response = send(client, body, f"{URLENCODED}; charset={charset}")
    assert posted_reply(response).content_object == letter


@contextmanager
def like_the_test_client():
    """Keep the test's database connection open across a request, as Django's test client
    does (it disconnects close_old_connections around the request signals)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def through_wsgi(method, path, query, content_type):
    """(status, body) from the project's WSGI application."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": "0",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(b""),
    }
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status

    with like_the_test_client():
        body = b"".join(application(environ, start_response))
    return int(started["status"].split()[0]), body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path",
    [("GET", "/search/"), ("GET", "/"), ("POST", POST_URL), ("GET", "/healthz")],
)
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=rot13",  # not a text encoding: the query string cannot decode
        "application/x-www-form-urlencoded; charset=base64",
        "text/plain; charset*=utf-8''%00",  # a NUL: Python cannot even look it up
    ],
)
def test_an_unreadable_charset_with_a_query_string_answers_400(method, path, content_type):
    status, body = through_wsgi(method, path, "q=bag", content_type)
    assert status == 400
    assert b"We could not read what your browser sent" in body
    assert b'class="site-header"' in body


@pytest.mark.django_db
def test_the_wsgi_application_still_serves_ordinary_requests(home_page):
    status, body = through_wsgi("GET", "/search/", "q=bag", "text/plain; charset=utf-8")
    assert status == 200
    assert b"bag" in body
