"""Kept pages survive the database (stale-if-error): while it cannot be reached, a page that
was current when it went away is served stale, marked `X-Page-Cache: stale`, for up to
PAGE_CACHE_STALE_IF_ERROR seconds past its hour; a page changed or taken down before the
outage never is. The outage is every statement failing as on a server that went away
(comments.tests.test_database_faults.failing_database); on PostgreSQL, a real one cut by a
proxy is in comments/tests/test_outage.py. Both page stores: the database store reads the
version from the failing database, Redis's from Redis (the PostgreSQL/Redis lane)."""

import time

import pytest
from django.conf import settings
from django.test import Client

from comments.tests.test_database_faults import failing_database
from pagecache import store
from pagecache.tests.kept_pages import kept


@pytest.fixture
def reader():
    """A reader's browser that gets the error page rather than the exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def later(monkeypatch):
    """Moves the page cache's clock `seconds` on."""

    def move(seconds):
        moved = time.time() + seconds
        monkeypatch.setattr(store, "now", lambda: moved)

    return move


@pytest.mark.django_db
def test_a_kept_page_past_its_hour_is_served_stale_while_the_database_is_down(
    reader, letter, later
):
    fresh = kept(reader, letter.url)
    later(settings.PAGE_CACHE_TIMEOUT + 60)
    with failing_database() as tried:
        response = reader.get(letter.url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert response.content == fresh.content
    assert response["Cache-Control"] == "no-cache"  # no CDN or browser keeps the stale copy
    assert tried  # the database was asked (the version, or the page rendered again)


@pytest.mark.django_db
def test_within_its_hour_a_kept_page_is_served_through_an_outage(reader, letter, later):
    fresh = kept(reader, letter.url)
    later(settings.PAGE_CACHE_VERSION_TTL + 1)  # the version last read is no longer trusted
    with failing_database():
        responses = [reader.get(letter.url) for _ in range(3)]
    for response in responses:
        assert response.status_code == 200
        # Redis holds the version: the page is still current and fresh. The database store
        # cannot read its version, so it serves the page it last knew as current, as stale.
        assert response["X-Page-Cache"] == ("hit" if store._uses_redis() else "stale")
        assert response.content == fresh.content


@pytest.mark.django_db
def test_once_the_database_is_back_the_page_is_fresh_again(reader, letter, later):
    kept(reader, letter.url)
    with failing_database():
        reader.get(letter.url)
    later(store.OUTAGE_PAUSE + 1)  # the pause after a failed read is over
    response = reader.get(letter.url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert "no-cache" not in response["Cache-Control"]


@pytest.mark.django_db
def test_past_the_stale_limit_the_outage_shows(reader, letter, later):
    kept(reader, letter.url)
    later(settings.PAGE_CACHE_TIMEOUT + store.stale_limit() + 60)
    with failing_database():
        response = reader.get(letter.url)
    assert response.status_code == 503
    assert b"crooked strap" not in response.content


@pytest.mark.django_db
def test_a_page_taken_down_before_the_outage_is_never_served_stale(reader, letter, later):
    kept(reader, letter.url)
    letter.unpublish()
    later(settings.PAGE_CACHE_TIMEOUT + 60)
    with failing_database():
        response = reader.get(letter.url)
    assert response.status_code == 503
    assert b"crooked strap" not in response.content


@pytest.mark.django_db
def test_a_page_changed_before_the_outage_is_not_served_in_its_old_form(reader, letter, later):
    kept(reader, letter.url)
    letter.title = "Should I keep a bag with a mended strap?"
    letter.save_revision().publish()
    with failing_database():
        response = reader.get(letter.url)
    assert b"crooked strap" not in response.content
    assert response.status_code == 503


@pytest.mark.django_db
def test_a_page_never_kept_shows_the_outage(reader, letter):
    url = letter.url
    with failing_database():
        response = reader.get(url)
    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.django_db
def test_with_the_limit_at_zero_nothing_is_served_stale(reader, letter, later, settings):
    settings.PAGE_CACHE_STALE_IF_ERROR = 0
    kept(reader, letter.url)
    later(settings.PAGE_CACHE_TIMEOUT + 60)
    with failing_database():
        response = reader.get(letter.url)
    assert response.status_code == 503


@pytest.mark.django_db
def test_kept_pages_tell_a_cdn_it_may_serve_them_stale_on_error(reader, letter):
    control = {part.strip() for part in kept(reader, letter.url)["Cache-Control"].split(",")}
    assert f"stale-if-error={settings.PAGE_CACHE_STALE_IF_ERROR}" in control
