"""The rate-limit counter's atomicity across real OS processes (guard.tests.ratelimit_worker):
several processes hitting one key count every hit exactly once, on SQLite (file, WAL),
PostgreSQL and Redis."""

import functools
import json
import os
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
from django.db import connection
from psycopg import sql

from testing.output import say


def skip_loudly(pytestconfig, reason):
    """Skip, and say why on the terminal even without -rs."""
    say(pytestconfig, f"SKIPPED (rate limits): {reason}")
    pytest.skip(reason)


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
