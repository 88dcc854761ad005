"""Whole pages for anonymous readers (pagecache): a repeat view is served without rendering,
holds nothing of one reader's, is private to a signed-in user, tells a CDN how long it may keep
it, and is compressed for clients that take it. When kept pages are dropped is in
test_page_cache_changes.py; the reply form on a kept page in test_page_cache_form.py."""

import gzip
import time

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from pagecache import store
from pagecache.tests.kept_pages import HIT_QUERIES, kept, rendered


@pytest.mark.django_db
def test_a_second_anonymous_view_is_served_from_the_cache(client, letter):
    first = client.get(letter.url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(letter.url)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == HIT_QUERIES, [q["sql"] for q in queries]
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers set below the cache (the page's CSP) are kept with it.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert client.head(letter.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_each_query_string_is_its_own_page(client, letter):
    kept(client, letter.url)
    assert rendered(client, letter.url, sort="newest")
    assert kept(client, letter.url, sort="newest")


@pytest.mark.django_db
def test_a_kept_page_holds_nothing_of_one_reader(client, letter):
    for response in (client.get(letter.url), client.get(letter.url)):
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"userbar" not in response.content
    # The form still carries its signed time and hash, and says where to get fresh ones.
    form = BeautifulSoup(response.content, "html.parser").select_one("[data-reply-form]")
    assert form["data-fresh"] == "/replies/fresh/"
    assert form.select_one("input[name=security_hash]")["value"]


@pytest.mark.django_db
def test_signed_in_users_get_their_own_page(client, letter, moderator):
    kept(client, letter.url)
    client.force_login(moderator)
    for _ in range(2):
        response = client.get(letter.url)
        assert "X-Page-Cache" not in response
        assert b"csrfmiddlewaretoken" in response.content
        assert b"userbar" in response.content
        assert "cookie" in response["Vary"].lower()


@pytest.mark.django_db
def test_other_views_are_not_kept(client, letter):
    for url in ("/search/?q=strap", "/healthz", f"/replies/reply/{0}/"):
        for _ in range(2):
            assert "X-Page-Cache" not in client.get(url)
    # A page that does not exist is rendered every time.
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(letter.url + "nothing-here/")


@pytest.mark.django_db
def test_a_restricted_page_is_never_kept(client, letter):
    PageViewRestriction.objects.create(
        page=letter, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = client.get(letter.url)
        assert "X-Page-Cache" not in response
        assert b"crooked strap" not in response.content


@pytest.mark.django_db
def test_pages_are_fresh_at_most_an_hour(client, letter, monkeypatch):
    """After its hour a kept page is rendered again; it stays in the store only for outages
    (test_stale_if_error.py), PAGE_CACHE_STALE_IF_ERROR seconds longer."""
    assert settings.PAGE_CACHE_TIMEOUT <= 60 * 60
    assert settings.CACHES[settings.PAGE_CACHE_ALIAS]["TIMEOUT"] <= 60 * 60
    kept(client, letter.url)
    hour_on = time.time() + settings.PAGE_CACHE_TIMEOUT + 1
    monkeypatch.setattr(store, "now", lambda: hour_on)
    rendered(client, letter.url)
    assert kept(client, letter.url)


# --- What a CDN or proxy in front is told ---------------------------------------------------


@pytest.mark.django_db
def test_kept_pages_may_be_kept_by_a_cdn_and_revalidated(client, letter, monkeypatch):
    # A second on from the letter's publication: its date is sent once that second is over.
    monkeypatch.setattr(store, "now", lambda: time.time() + 1)
    for response in (client.get(letter.url), client.get(letter.url)):
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {
            "public",
            f"max-age={settings.PAGE_CACHE_MAX_AGE}",
            f"s-maxage={settings.PAGE_CACHE_S_MAXAGE}",
            f"stale-if-error={settings.PAGE_CACHE_STALE_IF_ERROR}",
        }
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
    etag, modified = response["ETag"], response["Last-Modified"]

    same = client.get(letter.url, headers={"if-none-match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    assert client.get(letter.url, headers={"if-modified-since": modified}).status_code == 304

    letter.title = "Should I keep a bag with a bent strap?"
    letter.save_revision().publish()
    changed = client.get(letter.url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.django_db
def test_a_signed_in_users_page_is_private(client, letter, moderator):
    client.force_login(moderator)
    assert "private" in client.get(letter.url)["Cache-Control"]


# --- Compression: only what holds no secret -------------------------------------------------


@pytest.mark.django_db
def test_kept_pages_are_compressed_for_clients_that_accept_it(client, letter):
    plain = client.get(letter.url)
    assert "Content-Encoding" not in plain
    for _ in range(2):  # rendered and kept, then from the cache
        packed = client.get(letter.url, headers={"accept-encoding": "gzip, deflate, br"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
        assert "accept-encoding" in packed["Vary"].lower()
        assert packed["ETag"] != plain["ETag"]
    again = client.get(
        letter.url, headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_clients_without_gzip_get_a_plain_copy_kept_as_it_is(client, letter, monkeypatch):
    """A client that sends no Accept-Encoding is served the plain copy kept beside the
    compressed one, whichever kind of client came first: nothing is decompressed for it."""
    packed = client.get(letter.url, headers={"accept-encoding": "gzip"})  # rendered, kept
    assert packed["X-Page-Cache"] == "miss"

    def no_decompression(*args, **kwargs):
        raise AssertionError("a kept page was decompressed for a request")

    monkeypatch.setattr(gzip, "decompress", no_decompression)
    plain = client.get(letter.url)
    assert plain["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain
    assert plain.content.startswith(b"<!DOCTYPE html>")
    assert int(plain["Content-Length"]) == len(plain.content) > 2 * len(packed.content)
    assert "accept-encoding" in plain["Vary"].lower()
    assert plain["ETag"] != packed["ETag"]
    assert client.get(letter.url, headers={"if-none-match": plain["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_pages_with_a_secret_are_never_compressed(client, letter, moderator):
    """A CSRF token in a compressed page would leak through its size (BREACH)."""
    client.force_login(moderator)
    response = client.get(letter.url, headers={"accept-encoding": "gzip"})
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
    client.logout()
    posted = Client().post(
        "/replies/post/", {"comment": "Hello"}, headers={"accept-encoding": "gzip"}
    )
    assert "Content-Encoding" not in posted
