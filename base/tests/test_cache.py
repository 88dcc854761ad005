"""The cache backends (base.cache): without Redis, per-process memory with a ceiling on how
long anything is kept, so another process's change shows within that ceiling; with Redis,
Django's backend keeping its client between calls."""

import os
import time
import uuid
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from wagtail.models import Site

from base.cache import LocalMemoryCache, RedisCache


def test_the_local_cache_keeps_nothing_longer_than_its_ceiling():
    cache = LocalMemoryCache("ceiling-test", {"TIMEOUT": 300, "OPTIONS": {"MAX_TIMEOUT": 60}})
    now = time.time()
    with mock.patch("time.time", return_value=now):
        cache.set("hour", "kept", 3600)  # Wagtail's site root paths ask for an hour
        cache.set("forever", "kept", None)
        cache.set("short", "kept", 5)
    with mock.patch("time.time", return_value=now + 30):
        assert cache.get_many(["hour", "forever", "short"]) == {"hour": "kept", "forever": "kept"}
    with mock.patch("time.time", return_value=now + 61):
        assert cache.get_many(["hour", "forever"]) == {}


@pytest.mark.django_db
def test_a_site_changed_by_another_process_shows_within_a_minute(home_page):
    """Wagtail clears its site root paths only in the process that saved the Site; here the
    change is made without signals, as another worker's would look from this one."""
    cache = LocalMemoryCache("site-roots-test", {"OPTIONS": {"MAX_TIMEOUT": 60}})
    now = time.time()
    with mock.patch("wagtail.models.sites.cache", cache):
        with mock.patch("time.time", return_value=now):
            assert Site.get_site_root_paths()[0].root_url == "http://testserver"
        Site.objects.filter(pk=home_page.get_site().pk).update(hostname="pursebop.example.com")
        with mock.patch("time.time", return_value=now + 30):
            assert Site.get_site_root_paths()[0].root_url == "http://testserver"  # stale
        with mock.patch("time.time", return_value=now + 61):
            assert Site.get_site_root_paths()[0].root_url == "http://pursebop.example.com"


def test_the_redis_cache_keeps_its_client_between_calls():
    """Django's RedisCache builds a redis.Redis on every call (longer than the round trip on
    a kept page's fetch); base.cache.RedisCache builds one and keeps it. No server is
    needed: a client connects on its first command."""
    kept = RedisCache("redis://127.0.0.1:6379/15", {})
    assert kept._cache.get_client() is kept._cache.get_client(write=True)
    plain = DjangoRedisCache("redis://127.0.0.1:6379/15", {})
    assert plain._cache.get_client() is not plain._cache.get_client()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
def test_the_kept_client_reads_and_writes_redis():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"client-test-{uuid.uuid4()}"})
    cache.set_many({"page": b"x" * 120_000, "version": "v1"}, 30)
    assert cache.get_many(["page", "version"]) == {"page": b"x" * 120_000, "version": "v1"}
    cache.delete_many(["page", "version"])
    assert cache.get("page") is None
