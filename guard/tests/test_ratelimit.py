"""Rate limits (guard.ratelimit, guard.addresses): counters, limits, client addresses, and the
counter's atomicity across real OS processes on SQLite (file, WAL), PostgreSQL and Redis.

The limits under test are the ones replies use by default (5 per 10 minutes and 30 a day per
address, 5 per 10 minutes per email address), given here as a form would give them."""

import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from psycopg import sql

from guard import ratelimit
from guard.addresses import client_address, client_ip
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


# --- client_ip() --------------------------------------------------------------------------


@pytest.mark.parametrize("proxies", [None, []])
def test_forged_forwarded_for_is_ignored_without_trusted_proxies(settings, proxies):
    if proxies is None:
        if hasattr(settings, "RATE_LIMIT_TRUSTED_PROXIES"):
            del settings.RATE_LIMIT_TRUSTED_PROXIES
    else:
        settings.RATE_LIMIT_TRUSTED_PROXIES = proxies
    request = post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert client_ip(request) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        # The client's own forged entries sit left of what our proxy appended.
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (["10.0.0.0/8"], "10.20.30.40", "203.0.113.5", "203.0.113.5"),
        # A chain of trusted proxies: the first untrusted address from the right.
        (
            ["10.0.0.0/8", "172.16.0.1"],
            "10.0.0.2",
            "6.6.6.6, 203.0.113.5, 172.16.0.1, 10.9.9.9",
            "203.0.113.5",
        ),
        (["10.0.0.0/8"], "10.0.0.2", " 203.0.113.5 ,10.1.1.1 ", "203.0.113.5"),
        # Nothing usable: REMOTE_ADDR.
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "10.1.1.1, 10.2.2.2", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.5, 10.1.1.1, <script>", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.5:4711", "10.0.0.2"),
        # Garbage the client typed, left of a real hop, does not matter.
        (["10.0.0.0/8"], "10.0.0.2", "garbage, 203.0.113.5", "203.0.113.5"),
        # IPv6 proxies and clients; clients are counted per /64.
        (["2001:db8:ffff::/48"], "2001:db8:ffff::1", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        (["10.0.0.1"], "10.0.0.1", "::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_forwarded_for_through_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.RATE_LIMIT_TRUSTED_PROXIES = proxies
    assert client_ip(post(remote, HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_client_address_keeps_the_whole_ipv6_address(settings):
    """client_address() is the address to store (a reply's ip_address); client_ip() what the
    limits count."""
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = post("10.0.0.2", HTTP_X_FORWARDED_FOR="2001:DB8:1:2:3:4:5:6, 10.1.1.1")
    assert client_address(request) == "2001:db8:1:2:3:4:5:6"
    assert client_ip(request) == "2001:db8:1:2::/64"
    assert client_address(post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.7"


def test_missing_forwarded_for_header_behind_a_proxy(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(post("10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd:12::/64"),
        ("2001:DB8:ABCD:12::9", "2001:db8:abcd:12::/64"),
        ("::1", "::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
    ],
)
def test_client_addresses_are_normalised(settings, remote, expected):
    settings.RATE_LIMIT_TRUSTED_PROXIES = []
    assert client_ip(post(remote)) == expected


def test_a_bad_trusted_proxy_setting_fails_loudly(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.com"]
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TRUSTED_PROXIES"):
        client_ip(post("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5"))


# --- Concurrency: several OS processes on one key -----------------------------------------

WORKERS, HITS = 4, 500  # 2,000 hits: long enough for the processes to overlap
WINDOW = 10**9  # one window for the whole run: no boundary can split the count


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"


def migrate_counter_table(env):
    """Run the migration that creates the counter table, and only it: the rest of the
    project's migrations (and system checks of models being edited) are not under test."""
    manage(env, "migrate", "guard", "0001_counters_and_keys", "--skip-checks", "--verbosity=0")


def worker_env(**values):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **values}


def hammer(env, key, pytestconfig, label, prepare=None):
    """Start WORKERS processes, run prepare() while they start up, release them together,
    and return every count hit() gave them."""
    command = [sys.executable, "-m", "guard.tests.ratelimit_worker", key, str(HITS), str(WINDOW)]
    processes = [
        subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    # A worker that hangs is killed, so the test fails instead of waiting for ever.
    watchdog = threading.Timer(60, lambda: [process.kill() for process in processes])
    watchdog.start()
    try:
        if prepare is not None:
            prepare()
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                process.kill()
                pytest.fail(f"a {label} worker did not start:\n{process.communicate()[1]}")
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=30)
            assert process.returncode == 0, f"a {label} worker failed:\n{err}"
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        watchdog.cancel()
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    counts = sorted(count for result in results for count in result["counts"])
    slowest = max(result["seconds"] for result in results)
    overlap = min(r["ended"] for r in results) - max(r["started"] for r in results)
    say(
        pytestconfig,
        f"{label} counter: {WORKERS} processes x {HITS} hits -> final count {counts[-1]}; "
        f"slowest worker {slowest:.3f} s ({WORKERS * HITS / slowest:,.0f} hits/s), "
        f"all {WORKERS} hitting at once for {max(overlap, 0):.3f} s",
    )
    assert {result["store"] for result in results} == {"redis" if label == "Redis" else "database"}
    return counts


def test_sqlite_file_counter_is_exact_across_processes(tmp_path, pytestconfig):
    path = tmp_path / "rl.sqlite3"
    env = worker_env(DATABASE_URL=f"sqlite:///{path}", REDIS_URL="")
    key = f"concurrency:{uuid.uuid4().hex}"
    prepare = functools.partial(migrate_counter_table, env)
    counts = hammer(env, key, pytestconfig, "SQLite (WAL)", prepare)
    # Every increment returned a distinct count: none was lost or seen twice.
    assert counts == list(range(1, WORKERS * HITS + 1))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT count FROM guard_ratecounter WHERE key = ?", (key,))
        assert rows.fetchall() == [(WORKERS * HITS,)]
    db.close()


def test_postgresql_counter_is_exact_across_processes(pytestconfig):
    if connection.vendor != "postgresql":
        skip_loudly(
            pytestconfig,
            "the PostgreSQL counter test runs when the test database is PostgreSQL "
            "(DATABASE_URL=postgres://...; the PostgreSQL/Redis lane)",
        )
    params = connection.settings_dict
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"] or "postgres",
        "password": params["PASSWORD"] or None,
    }
    name = f"pursebop_ratelimit_{uuid.uuid4().hex[:12]}"
    credentials = quote(server["user"]) + (
        f":{quote(server['password'])}" if server["password"] else ""
    )
    url = f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    # Fails loudly when the server does not answer: this lane promised PostgreSQL.
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            env = worker_env(DATABASE_URL=url, REDIS_URL="")
            key = f"concurrency:{uuid.uuid4().hex}"
            prepare = functools.partial(migrate_counter_table, env)
            counts = hammer(env, key, pytestconfig, "PostgreSQL", prepare)
            assert counts == list(range(1, WORKERS * HITS + 1))
            with psycopg.connect(dbname=name, **server) as db:
                rows = db.execute("SELECT count FROM guard_ratecounter WHERE key = %s", (key,))
                assert rows.fetchall() == [(WORKERS * HITS,)]
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_redis_counter_is_exact_across_processes(settings, pytestconfig):
    if not settings.REDIS_URL:
        skip_loudly(
            pytestconfig, "the Redis counter test needs REDIS_URL (the PostgreSQL/Redis lane)"
        )
    key = f"concurrency:{uuid.uuid4().hex}"
    counts = hammer(worker_env(REDIS_URL=settings.REDIS_URL), key, pytestconfig, "Redis")
    assert counts == list(range(1, WORKERS * HITS + 1))
    client = redis.Redis.from_url(settings.REDIS_URL)
    name = f"pursebop:rl:{key}:{int(time.time()) // WINDOW}"
    try:
        assert int(client.get(name)) == WORKERS * HITS
        assert client.ttl(name) > 0  # EXPIRE NX took
    finally:
        client.delete(name)
