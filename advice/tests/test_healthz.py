import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.db import InternalError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext

from advice.models import HealthProbe
from testing import locked_sqlite
from testing.output import say


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_naming_the_database_when_it_fails(client):
    with mock.patch(
        "advice.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"][0] == "database"
    assert body["checks"]["database"] == "error: OperationalError"
    assert "refused" not in response.content.decode()  # details stay in the log


@pytest.mark.django_db
def test_healthz_is_503_naming_the_cache_when_it_fails(client):
    with mock.patch("advice.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_is_503_when_the_database_server_is_unreachable():
    """A real unreachable PostgreSQL (nothing listens on port 9): no mock in between."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "y" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOCAL_HTTP": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stderr
    # Without Redis the cache is each process's memory: only the database failed.
    assert json.loads(body)["failed"] == ["database"]


def test_healthz_is_503_in_its_own_timeout_when_the_database_server_never_answers(pytestconfig):
    """A PostgreSQL address that accepts connections and never answers (a listening socket
    nobody reads): the check gives up after its own 2 s connect timeout, not the 5 s pages
    wait, and says it timed out."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nothing ever answers
    port = silent.getsockname()[1]
    code = (
        "import time, django; django.setup(); from django.test import Client; "
        "t = time.monotonic(); r = Client().get('/healthz'); "
        "print(r.status_code); print(round(time.monotonic() - t, 2)); print(r.content.decode())"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "y" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOCAL_HTTP": "1",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{port}/nothing",  # connect_timeout 5
    }
    environment.pop("REDIS_URL", None)
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        silent.close()
    status, seconds, body = result.stdout.strip().split("\n", 2)
    say(
        pytestconfig, f"/healthz, PostgreSQL accepting and never answering: {status} in {seconds} s"
    )
    assert status == "503", result.stderr
    assert json.loads(body)["checks"]["database"] == "error: timeout"
    # The pages' connect_timeout is 5 s: anything under 4 s can only be the check's own 2 s
    # (the bound is generous for a busy machine; the figure is printed, not asserted closer).
    assert float(seconds) < 4


@contextmanager
def refusing_writes():
    """Reads work, INSERTs fail, as on a read-only PostgreSQL (a replica promoted away, a
    disk-full safeguard): Django's cursor refuses them; our code is not patched."""
    execute = CursorWrapper.execute

    def refuse(self, sql, params=None):
        if sql.lstrip().upper().startswith("INSERT"):
            raise InternalError("cannot execute INSERT in a read-only transaction")
        return execute(self, sql, params)

    with mock.patch.object(CursorWrapper, "execute", refuse):
        yield


@pytest.mark.django_db
def test_healthz_writes_to_the_database_and_leaves_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").status_code == 200
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and '"advice_healthprobe"' in inserts[0]
    assert not HealthProbe.objects.exists()  # rolled back


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_reads_but_refuses_writes(client):
    with refusing_writes():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "error: InternalError"


@pytest.mark.django_db
def test_healthz_answers_head_with_its_status_and_no_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]
    with refusing_writes():
        assert client.head("/healthz").status_code == 503
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_puts_sqlites_busy_timeout_back(client):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout: the test database is not SQLite")
    client.get("/healthz")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == connection.settings_dict["OPTIONS"]["timeout"] * 1000


def test_healthz_is_503_within_seconds_while_sqlite_is_locked(sqlite_site, tmp_path, pytestconfig):
    """A real SQLite file whose write lock another connection holds: a SELECT would pass; the
    write check waits its own 2 s, not the 20 s busy timeout, and names the database."""
    result = locked_sqlite.run(sqlite_site, tmp_path, "healthz")
    locked = result["locked"]
    say(
        pytestconfig,
        f"/healthz with SQLite's write lock held elsewhere: {locked['status']} in "
        f"{locked['seconds']:.2f} s; once released: {result['free']['status']} in "
        f"{result['free']['seconds']:.2f} s",
    )
    assert locked["status"] == 503
    assert json.loads(locked["body"])["failed"] == ["database"]
    assert locked["seconds"] < 4
    assert result["locked_head"] == {"status": 503, "body": ""}
    assert result["free"]["status"] == 200
