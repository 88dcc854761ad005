"""What a kept page tells a client about itself: validators that change with every version
(no 304 for a page that changed in the second it was kept) and the encoding the client
asked for (q-values read, `gzip;q=0` refused)."""

import gzip
import math
import time
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils.http import http_date

from comments import lifecycle
from pagecache import store
from testing.replies import store_reply


@pytest.fixture
def letter(make_letter):
    return make_letter("Should I keep a bag with a crooked strap?")


class Clock:
    """The page cache's clock (store.now), moved by hand."""

    def __init__(self):
        self.second = math.floor(time.time()) - 100  # a whole second, in the past
        self.now = self.second + 0.2

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(store, "time", SimpleNamespace(time=clock))  # store.now() reads it
    return clock


@pytest.mark.django_db
def test_a_reply_approved_in_the_second_the_page_was_kept_is_never_answered_304(
    client, letter, clock, django_user_model
):
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")
    reply = store_reply(letter, comment="Mine was crooked too.")
    start = clock.second
    clock.now = start + 0.2
    store.invalidate()  # what readers see changed 0.2 s into second `start`
    clock.now = start + 1.5
    first = client.get(letter.url)
    assert first["X-Page-Cache"] == "miss"
    kept = client.get(letter.url)
    assert kept["X-Page-Cache"] == "hit"
    assert kept["Last-Modified"] == first["Last-Modified"]

    clock.now = start + 1.6  # the reply is approved in the second the page was kept
    lifecycle.moderate(reply, "approve", moderator)
    clock.now = start + 1.7
    for _ in range(2):  # rendered, then kept
        again = client.get(letter.url, headers={"if-modified-since": first["Last-Modified"]})
        assert again.status_code == 200
        assert b"Mine was crooked too." in again.content
        # Within the change's second a date cannot tell the versions apart: none is sent.
        assert "Last-Modified" not in again

    # An old tag is a mismatch whatever the date says (If-None-Match is weighed first).
    stale = client.get(
        letter.url,
        headers={"if-none-match": first["ETag"], "if-modified-since": http_date(start + 5)},
    )
    assert stale.status_code == 200
    assert stale["ETag"] != first["ETag"]

    assert first["Last-Modified"] == http_date(start + 1)
    clock.now = start + 2.1  # the change's second is over
    later = client.get(letter.url, headers={"if-modified-since": first["Last-Modified"]})
    assert later.status_code == 200
    assert later["Last-Modified"] == http_date(start + 2)
    same = client.get(letter.url, headers={"if-modified-since": later["Last-Modified"]})
    assert same.status_code == 304


@pytest.mark.django_db
def test_a_client_that_refuses_gzip_gets_the_plain_page(client, letter):
    for _ in range(2):  # rendered and kept, then from the cache
        response = client.get(letter.url, headers={"accept-encoding": "gzip;q=0, deflate"})
        assert "Content-Encoding" not in response
        assert response.content.startswith(b"<!DOCTYPE html>")
    packed = client.get(letter.url, headers={"accept-encoding": "deflate, gzip;q=0.5"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == response.content


@pytest.mark.parametrize(
    "header, takes_gzip",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("GZIP;Q=0.8", True),
        ("br;q=1.0, gzip;q=0.001", True),
        ("*", True),
        ("identity, *;q=0.5", True),
        ("x-gzip", True),
        ("", False),
        ("identity", False),
        ("deflate, br", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("gzip;q=0, *", False),  # named and refused: the wildcard does not bring it back
        ("*;q=0", False),
        ("gzip;q=abc", False),
        ("gzip;q=2", False),
        ("gzipped", False),
        ("nogzip", False),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(header, takes_gzip):
    request = RequestFactory().get("/", headers={"accept-encoding": header})
    assert store.accepts_gzip(request) is takes_gzip
