"""With Redis, each process keeps a bounded copy of the pages it served (pagecache.nearby):
a kept page then costs one small read of the version, never the page's bytes, and is still
served only under the version Redis holds, and only while fresh."""

import time

import pytest

from pagecache import nearby, store
from pagecache.tests.kept_pages import kept


def entry(size, version="v1"):
    return {"content": b"x" * size, "version": version, "kept_at": 0}


def test_the_copies_stay_within_their_bytes_least_recently_served_first(settings):
    settings.PAGE_CACHE_NEARBY_BYTES = 250
    pages = nearby.NearbyPages()
    pages.put("a", entry(100))
    pages.put("b", entry(100))
    assert pages.get("a") is not None  # now the most recently served
    pages.put("c", entry(100))
    assert pages.get("b") is None
    assert pages.get("a") is not None and pages.get("c") is not None
    pages.put("huge", entry(251))  # larger than the whole allowance: never kept
    assert pages.get("huge") is None and len(pages) == 2
    pages.put("a", entry(50))  # replaced: its old bytes are given back
    pages.put("d", entry(100))
    assert {key for key in ("a", "c", "d") if pages.get(key)} == {"a", "c", "d"}
    pages.clear()
    assert len(pages) == 0


def test_no_allowance_keeps_no_copy(settings):
    settings.PAGE_CACHE_NEARBY_BYTES = 0
    pages = nearby.NearbyPages()
    pages.put("a", entry(1))
    assert pages.get("a") is None


@pytest.fixture
def redis_only():
    if not store._uses_redis():
        pytest.skip("the copies are Redis's store's (REDIS_URL: the PostgreSQL/Redis lane)")


@pytest.fixture
def redis_reads(monkeypatch, redis_only):
    """The keys each request asks Redis's page cache for."""
    cache = store._cache()
    asked = []
    get, get_many = cache.get, cache.get_many

    def spy_get(key, *args, **kwargs):
        asked.append([key])
        return get(key, *args, **kwargs)

    def spy_get_many(keys, *args, **kwargs):
        asked.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get", spy_get)
    monkeypatch.setattr(cache, "get_many", spy_get_many)
    return asked


@pytest.mark.django_db
def test_a_kept_page_costs_redis_only_its_version(client, letter, redis_reads):
    kept(client, letter.url)
    redis_reads.clear()
    for headers in ({}, {}, {"accept-encoding": "gzip"}, {"accept-encoding": "gzip"}):
        response = client.get(letter.url, headers=headers)
        assert response["X-Page-Cache"] == "hit"
    # the plain copy was made when the page was kept; the gzip one the first time it was asked
    assert redis_reads[0:2] == [[store.VERSION_KEY], [store.VERSION_KEY]]
    assert len(redis_reads[2]) == 2 and redis_reads[2][0] == store.VERSION_KEY
    assert redis_reads[3] == [store.VERSION_KEY]
    assert response.content[:2] == b"\x1f\x8b"


@pytest.mark.django_db
def test_a_change_made_by_another_server_is_seen_at_once(client, letter, redis_only):
    kept(client, letter.url)
    assert client.get(letter.url)["X-Page-Cache"] == "hit"
    # another server's change moves the version in Redis; this process's copy is of the old one
    store._cache().set(store.VERSION_KEY, store._new_redis_version(), None)
    assert client.get(letter.url)["X-Page-Cache"] == "miss"
    assert client.get(letter.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_copy_past_its_hour_is_not_served(client, letter, redis_only, monkeypatch, settings):
    kept(client, letter.url)
    later = time.time() + settings.PAGE_CACHE_TIMEOUT + 5
    monkeypatch.setattr(store, "now", lambda: later)
    assert client.get(letter.url)["X-Page-Cache"] == "miss"
    assert client.get(letter.url)["X-Page-Cache"] == "hit"
