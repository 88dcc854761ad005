"""Rate limits (guard.ratelimit): counters and their windows, the limits a form gives, and what
the counters store. Client addresses are in test_client_addresses; the counter's atomicity
across real OS processes in test_ratelimit_processes.

The limits under test are the ones replies use by default (5 per 10 minutes and 30 a day per
address, 5 per 10 minutes per email address), given here as a form would give them."""

import re
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from guard import ratelimit
from guard.models import RateCounter
from guard.ratelimit import Limit, hit, purge_expired
from testing.output import say

T0 = 1_800_000_000  # a fixed "now": the start of a 10-minute window, 08:00 UTC
TEN_MINUTES, DAY = 600, 86_400
REPLY_LIMITS = [("ip", 5, TEN_MINUTES), ("ip", 30, DAY), ("email", 5, TEN_MINUTES)]


def check(request, email):
    """One post against the test's limits (settings.TEST_RATE_LIMITS), as a form's view asks."""
    spec = getattr(django_settings, "TEST_RATE_LIMITS", REPLY_LIMITS)
    return ratelimit.check(request, "test", spec, email)


def skip_loudly(pytestconfig, reason):
    """Skip, and say why on the terminal even without -rs."""
    say(pytestconfig, f"SKIPPED (rate limits): {reason}")
    pytest.skip(reason)


@pytest.fixture
def clock(monkeypatch):
    """The time hit() and purge_expired() see; tests move it instead of sleeping."""

    class Clock:
        now = T0

    monkeypatch.setattr(ratelimit, "_now", lambda: Clock.now)
    return Clock


@pytest.fixture(params=["database", "redis"])
def store(request, settings, pytestconfig, db):
    if request.param == "redis" and not settings.REDIS_URL:
        skip_loudly(pytestconfig, "the Redis counter needs REDIS_URL (the PostgreSQL/Redis lane)")
    settings.RATE_LIMIT_STORE = request.param
    return request.param


@pytest.fixture
def limits(settings, db):
    """check() with the replies' default limits, on the store the settings chose."""
    settings.TEST_RATE_LIMITS = REPLY_LIMITS
    settings.RATE_LIMIT_MULTIPLIER = 1
    settings.RATE_LIMIT_TRUSTED_PROXIES = []


def stored_keys():
    if django_settings.RATE_LIMIT_STORE == "redis":
        client = redis.Redis.from_url(django_settings.REDIS_URL)
        return [key.decode() for key in client.scan_iter("pursebop:rl:*")]
    return list(RateCounter.objects.values_list("key", flat=True))


def post(ip, **meta):
    return RequestFactory().post("/replies/post/", REMOTE_ADDR=ip, **meta)


# --- hit() and purge_expired() ------------------------------------------------------------


def test_hit_counts_within_a_window_and_restarts_in_the_next(store, clock):
    key = f"test:{uuid.uuid4().hex}"
    assert [hit(key, TEN_MINUTES) for _ in range(3)] == [1, 2, 3]
    clock.now = T0 + TEN_MINUTES - 1  # still the same window
    assert hit(key, TEN_MINUTES) == 4
    clock.now = T0 + TEN_MINUTES  # the next one
    assert [hit(key, TEN_MINUTES) for _ in range(2)] == [1, 2]


def test_keys_and_window_lengths_are_independent(store, clock):
    a, b = f"a:{uuid.uuid4().hex}", f"b:{uuid.uuid4().hex}"
    assert [hit(a, TEN_MINUTES), hit(a, TEN_MINUTES), hit(b, TEN_MINUTES)] == [1, 2, 1]
    assert hit(a, DAY) == 1
    assert hit(b, TEN_MINUTES) == 2


def test_purge_expired_removes_only_ended_windows(settings, db, clock, monkeypatch):
    settings.RATE_LIMIT_STORE = "database"
    monkeypatch.setattr(ratelimit, "PURGE_PROBABILITY", 0)
    hit("short", TEN_MINUTES)  # window ends at T0 + 600
    hit("long", DAY)
    clock.now = T0 + TEN_MINUTES + 1
    hit("short", TEN_MINUTES)  # a new window of the same key
    assert RateCounter.objects.count() == 3
    assert purge_expired() == 1
    assert sorted(RateCounter.objects.values_list("key", "count")) == [("long", 1), ("short", 1)]
    assert RateCounter.objects.get(key="short").window == (T0 + TEN_MINUTES) // TEN_MINUTES
    assert purge_expired() == 0


def test_hit_purges_now_and_then(settings, db, clock, monkeypatch):
    settings.RATE_LIMIT_STORE = "database"
    monkeypatch.setattr(ratelimit, "PURGE_PROBABILITY", 0)
    hit("old", TEN_MINUTES)
    clock.now = T0 + DAY
    monkeypatch.setattr(ratelimit, "PURGE_PROBABILITY", 1)
    assert hit("new", TEN_MINUTES) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


# --- check() ------------------------------------------------------------------------------


def test_sixth_reply_from_one_address_in_ten_minutes_is_limited(limits, clock):
    assert [check(post("203.0.113.7"), None) for _ in range(5)] == [None] * 5
    assert check(post("203.0.113.7"), None) == Limit("ip", 5, TEN_MINUTES)
    assert check(post("203.0.113.8"), None) is None  # another reader is not affected
    clock.now = T0 + TEN_MINUTES  # the next window
    assert check(post("203.0.113.7"), None) is None


def test_thirty_replies_a_day_from_one_address(limits, clock):
    for n in range(30):
        clock.now = T0 + (n // 5) * TEN_MINUTES  # 5 per window: never the 10-minute limit
        assert check(post("198.51.100.20"), None) is None, n
    clock.now = T0 + 6 * TEN_MINUTES
    assert check(post("198.51.100.20"), None) == Limit("ip", 30, DAY)


def test_one_email_address_is_limited_across_addresses(limits, clock):
    spellings = ["reader@example.com", " Reader@Example.com", "READER@EXAMPLE.COM "]
    for n in range(5):
        assert check(post(f"192.0.2.{n + 1}"), spellings[n % 3]) is None
    assert check(post("192.0.2.99"), "reader@example.com") == Limit("email", 5, TEN_MINUTES)
    assert check(post("192.0.2.100"), "someone.else@example.com") is None


def test_addresses_in_one_ipv6_64_share_a_limit(limits, clock):
    for n in range(5):
        assert check(post(f"2001:db8:1:2::{n + 1:x}"), None) is None
    assert check(post("2001:db8:1:2:ffff::1"), None) == Limit("ip", 5, TEN_MINUTES)
    assert check(post("2001:db8:1:3::1"), None) is None


def test_multiplier_raises_every_limit(limits, settings, clock):
    settings.RATE_LIMIT_MULTIPLIER = 10
    assert [check(post("203.0.113.9"), None) for _ in range(50)] == [None] * 50
    assert check(post("203.0.113.9"), None) == Limit("ip", 50, TEN_MINUTES)
    for n in range(50):
        assert check(post(f"10.9.{n // 200}.{n % 200 + 1}"), "a@example.com") is None
    assert check(post("10.9.9.9"), "a@example.com") == Limit("email", 50, TEN_MINUTES)


@pytest.mark.parametrize("multiplier", [0, 0.5, -1, "10"])
def test_multiplier_cannot_switch_limits_off(limits, settings, multiplier):
    settings.RATE_LIMIT_MULTIPLIER = multiplier
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_MULTIPLIER"):
        check(post("203.0.113.9"), None)


def test_defaults_apply_without_settings(settings, db, clock):
    for name in ("RATE_LIMIT_MULTIPLIER", "RATE_LIMIT_TRUSTED_PROXIES"):
        if hasattr(settings, name):
            delattr(settings, name)
    results = [check(post("203.0.113.50"), "x@example.com") for _ in range(6)]
    assert results == [None] * 5 + [Limit("ip", 5, TEN_MINUTES)]


def test_counters_store_no_address_in_clear(limits, clock):
    check(post("203.0.113.77"), "Secret.Reader@Example.com")
    keys = stored_keys()
    assert len(keys) == 3  # ip 10 minutes, ip day, email 10 minutes
    for key in keys:
        assert "203.0.113" not in key and "example" not in key.lower()
        assert re.search(r":[0-9a-f]{64}(:|$)", key), key
