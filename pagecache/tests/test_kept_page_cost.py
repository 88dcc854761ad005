"""What a kept page costs an anonymous reader without cookies: no query and none of the
session, CSRF, authentication or messages middleware's work (the page cache answers above
them). Without Redis the version row is read at most once per PAGE_CACHE_VERSION_TTL seconds
by each process: a change this process makes is seen at once, another's within the TTL."""

import time

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.db.models import F
from django.middleware.csrf import CsrfViewMiddleware
from django.test.utils import CaptureQueriesContext

from pagecache import store
from pagecache.models import PageCacheVersion
from pagecache.tests.kept_pages import kept

BELOW_THE_CACHE = (
    (SessionMiddleware, "process_request"),
    (CsrfViewMiddleware, "process_view"),
    (AuthenticationMiddleware, "process_request"),
    (MessageMiddleware, "process_request"),
)


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, moved on by hand (store.now)."""

    class Clock:
        at = time.time()

        def move(self, seconds):
            self.at += seconds

    moved = Clock()
    monkeypatch.setattr(store, "now", lambda: moved.at)
    return moved


@pytest.mark.django_db
def test_a_kept_page_runs_no_query_and_no_session_csrf_auth_or_messages(
    client, letter, monkeypatch
):
    kept(client, letter.url)
    for cls, method in BELOW_THE_CACHE:

        def refuse(*args, name=f"{cls.__name__}.{method}", **kwargs):
            raise AssertionError(f"{name} ran for a kept page")

        monkeypatch.setattr(cls, method, refuse)
    with CaptureQueriesContext(connection) as queries:
        responses = [client.get(letter.url) for _ in range(3)]
        responses.append(client.get(letter.url, headers={"accept-encoding": "gzip"}))
    assert [q["sql"] for q in queries] == []
    for response in responses:
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
        assert not response.cookies


@pytest.mark.django_db
def test_the_version_row_is_read_once_per_ttl(client, letter, clock, settings):
    if store._uses_redis():
        pytest.skip("Redis's version comes with the page, one round trip a request")
    kept(client, letter.url)
    clock.move(settings.PAGE_CACHE_VERSION_TTL + 0.5)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(letter.url)["X-Page-Cache"] == "hit"
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "pagecache_pagecacheversion" in queries[0]["sql"]


@pytest.mark.django_db
def test_another_process_change_is_seen_within_the_ttl(client, letter, clock, settings):
    """Another process or server moves the version row (a reply approved there): this one
    serves its kept page until its TTL is over, then renders the page again."""
    if store._uses_redis():
        pytest.skip("with Redis every process reads the one version, every request")
    kept(client, letter.url)
    PageCacheVersion.objects.filter(pk=store.VERSION_ROW).update(version=F("version") + 1)
    assert client.get(letter.url)["X-Page-Cache"] == "hit"
    clock.move(settings.PAGE_CACHE_VERSION_TTL)
    assert client.get(letter.url)["X-Page-Cache"] == "miss"
    assert client.get(letter.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_this_process_change_is_seen_at_once(client, letter):
    kept(client, letter.url)
    letter.title = "Should I keep a bag with a mended strap?"
    letter.save_revision().publish()
    response = client.get(letter.url)
    assert response["X-Page-Cache"] == "miss"
    assert b"mended strap" in response.content


@pytest.mark.django_db
def test_with_no_ttl_the_version_is_read_every_request(client, letter, settings):
    if store._uses_redis():
        pytest.skip("the TTL is the database store's")
    settings.PAGE_CACHE_VERSION_TTL = 0
    kept(client, letter.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(letter.url)["X-Page-Cache"] == "hit"
    assert len(queries) == 1
