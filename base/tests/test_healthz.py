"""The health checks (base.health): liveness at /healthz, public and cheap, which asks
nothing of the database, cache or queue; diagnostics at /healthz/diagnostics, for staff or a
monitor with the token, which proves the database takes a write, the cache answers and the
email worker beats, and reports the email queue."""

import datetime
import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import InternalError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from base import health
from base.models import HealthProbe
from outbox.delivery import enqueue
from outbox.models import WorkerBeat
from testing import locked_sqlite, mail
from testing.output import say

DIAGNOSTICS = "/healthz/diagnostics"
TOKEN = "a-monitors-token"


@pytest.fixture
def monitor(client, settings):
    """A monitor's client: the diagnostics token in its header."""
    settings.HEALTH_DIAGNOSTICS_TOKEN = TOKEN
    client.defaults["HTTP_X_HEALTH_TOKEN"] = TOKEN
    return client


def beat(seconds_ago=0):
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerBeat.objects.update_or_create(backend="email", defaults={"beat_at": at, "started_at": at})


# --- Liveness --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_stays_up_while_the_database_and_cache_fail(client):
    """Only a process that stopped answering leaves the pool: a database outage would take
    every server out at once."""
    with (
        mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
            side_effect=OperationalError("refused"),
        ),
        mock.patch("base.health.cache.set", side_effect=ConnectionError("down")),
    ):
        assert client.get("/healthz").status_code == 200
        assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_head_with_no_body_and_refuses_post(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert client.post("/healthz").status_code == 405


# --- Who may see diagnostics -----------------------------------------------------------------


@pytest.mark.django_db
def test_diagnostics_are_refused_to_readers_editors_and_wrong_tokens(client, settings):
    settings.HEALTH_DIAGNOSTICS_TOKEN = TOKEN
    assert client.get(DIAGNOSTICS).status_code == 403
    assert client.get(DIAGNOSTICS, headers={"X-Health-Token": "guess"}).status_code == 403
    assert client.get(DIAGNOSTICS, {"token": TOKEN}).status_code == 403  # never in a URL
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=False)
    client.force_login(editor)
    response = client.get(DIAGNOSTICS)
    assert response.status_code == 403
    assert "checks" not in response.json()


@pytest.mark.django_db
def test_without_a_token_set_no_header_opens_diagnostics(client, settings):
    settings.HEALTH_DIAGNOSTICS_TOKEN = ""
    assert client.get(DIAGNOSTICS, headers={"X-Health-Token": ""}).status_code == 403


@pytest.mark.django_db
def test_staff_see_diagnostics(client):
    beat()
    staff = get_user_model().objects.create_user("ops", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(DIAGNOSTICS)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "worker": "ok"}


# --- What diagnostics report -----------------------------------------------------------------


@pytest.mark.django_db
def test_diagnostics_report_the_oldest_waiting_email_and_the_workers_beat(monitor, email_queue):
    beat(seconds_ago=30)
    old = enqueue([EmailMessage("Old", "Body", to=["a@example.com"])])
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    mail.queued().filter(pk=old.id).update(enqueued_at=ten_minutes_ago)
    enqueue([EmailMessage("New", "Body", to=["b@example.com"])])
    response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["emails"]["waiting"] == 2 and body["emails"]["failed"] == 0
    assert 600 <= body["emails"]["oldest_waiting_seconds"] < 660
    assert 30 <= body["worker"]["seconds_since_beat"] < 90
    assert body["worker"]["limit_seconds"] == settings.HEALTH_WORKER_BEAT_LIMIT
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_diagnostics_are_503_when_the_worker_never_beat_or_stopped(monitor, settings):
    response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"] == "error: it never ran"
    beat(seconds_ago=settings.HEALTH_WORKER_BEAT_LIMIT + 60)
    response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503 and response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"].startswith("error: no beat for ")
    beat()
    assert monitor.get(DIAGNOSTICS).status_code == 200


@pytest.mark.django_db
def test_diagnostics_are_503_naming_the_database_when_it_fails(monitor):
    beat()
    with mock.patch(
        "base.health.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == "error: OperationalError"
    assert body["checks"]["worker"] == "unknown: the database failed"
    assert "refused" not in response.content.decode()  # details stay in the log


@pytest.mark.django_db
def test_diagnostics_are_503_naming_the_cache_when_it_fails(monitor):
    beat()
    with mock.patch("base.health.cache.set", side_effect=ConnectionError("down")):
        response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


@pytest.fixture
def registered(monkeypatch):
    """Diagnostics with checks registered here, as an app registers its own from ready()."""
    checks = dict(health._registered)
    monkeypatch.setattr(health, "_registered", checks)
    return checks


@pytest.mark.django_db
def test_a_registered_check_adds_its_result_and_its_details(monitor, registered):
    beat()
    registered["archive"] = lambda: ("ok", {"archive": {"letters": 3}})
    response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": "ok", "cache": "ok", "worker": "ok", "archive": "ok"}
    assert body["archive"] == {"letters": 3}
    assert set(body["worker"]) == {"last_beat", "seconds_since_beat", "limit_seconds"}


@pytest.mark.django_db
def test_a_registered_check_that_raises_is_named_and_makes_it_503(monitor, registered):
    beat()

    def broken():
        raise LookupError("the archive's table is gone")

    registered["archive"] = broken
    response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["archive"]
    assert body["checks"]["archive"] == "error: LookupError"
    assert "archive" not in body and "gone" not in response.content.decode()


@pytest.mark.django_db
def test_registered_checks_are_not_asked_when_the_database_failed(monitor, registered):
    registered["archive"] = mock.Mock(return_value=("ok", {}))
    with mock.patch("base.health.connection.cursor", side_effect=OperationalError("refused")):
        response = monitor.get(DIAGNOSTICS)
    assert response.json()["checks"]["archive"] == "unknown: the database failed"
    registered["archive"].assert_not_called()


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
def test_diagnostics_write_to_the_database_and_leave_nothing(monitor):
    beat()
    with CaptureQueriesContext(connection) as queries:
        assert monitor.get(DIAGNOSTICS).status_code == 200
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and '"base_healthprobe"' in inserts[0]
    assert not HealthProbe.objects.exists()  # rolled back


@pytest.mark.django_db
def test_diagnostics_are_503_when_the_database_reads_but_refuses_writes(monitor):
    beat()
    with refusing_writes():
        response = monitor.get(DIAGNOSTICS)
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "error: InternalError"


@pytest.mark.django_db
def test_diagnostics_answer_head_with_their_status_and_no_body(monitor):
    beat()
    response = monitor.head(DIAGNOSTICS)
    assert response.status_code == 200 and response.content == b""
    with refusing_writes():
        assert monitor.head(DIAGNOSTICS).status_code == 503
    assert monitor.post(DIAGNOSTICS).status_code == 405


@pytest.mark.django_db
def test_diagnostics_put_sqlites_busy_timeout_back(monitor):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout: the test database is not SQLite")
    monitor.get(DIAGNOSTICS)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == connection.settings_dict["OPTIONS"]["timeout"] * 1000


# --- Real outages, in processes of their own --------------------------------------------------


def production_process(database_url, code):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "y" * 60,
        "NEWSLETTER_SUPPRESSION_KEY": "z" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOCAL_HTTP": "1",
        "DATABASE_URL": database_url,
        "HEALTH_DIAGNOSTICS_TOKEN": TOKEN,
    }
    environment.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


CHECK_BOTH = (
    "import time, django; django.setup(); from django.test import Client; "
    f"c = Client(headers={{'X-Health-Token': {TOKEN!r}}}); "
    "alive = c.get('/healthz'); t = time.monotonic(); r = c.get('/healthz/diagnostics'); "
    "print(alive.status_code); print(r.status_code); print(round(time.monotonic() - t, 2)); "
    "print(r.content.decode())"
)


def test_liveness_stays_up_and_diagnostics_say_503_when_the_database_is_unreachable():
    """A real unreachable PostgreSQL (nothing listens on port 9): no mock in between."""
    result = production_process(
        "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2", CHECK_BOTH
    )
    alive, status, _, body = result.stdout.strip().split("\n", 3)
    assert (alive, status) == ("200", "503"), result.stderr
    # Without Redis the cache is each process's memory: only the database failed.
    assert json.loads(body)["failed"] == ["database"]


def test_diagnostics_are_503_in_their_own_timeout_when_the_database_never_answers(pytestconfig):
    """A PostgreSQL address that accepts connections and never answers (a listening socket
    nobody reads): the write check gives up after its own 2 s connect timeout, not the 5 s
    pages wait, and says it timed out; liveness answers all the while."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nothing ever answers
    port = silent.getsockname()[1]
    try:
        result = production_process(f"postgres://nobody@127.0.0.1:{port}/nothing", CHECK_BOTH)
    finally:
        silent.close()
    alive, status, seconds, body = result.stdout.strip().split("\n", 3)
    say(
        pytestconfig,
        f"/healthz/diagnostics, PostgreSQL accepting and never answering: {status} in "
        f"{seconds} s (liveness {alive})",
    )
    assert (alive, status) == ("200", "503"), result.stderr
    assert json.loads(body)["checks"]["database"] == "error: timeout"
    # The pages' connect_timeout is 5 s: anything under 4 s can only be the check's own 2 s
    # (the bound is generous for a busy machine; the figure is printed, not asserted closer).
    assert float(seconds) < 4


def test_diagnostics_are_503_within_seconds_while_sqlite_is_locked(
    sqlite_site, tmp_path, pytestconfig
):
    """A real SQLite file whose write lock another connection holds: a SELECT would pass; the
    write check waits its own 2 s, not the 20 s busy timeout, and names the database. The
    liveness check stays 200 throughout."""
    result = locked_sqlite.run(sqlite_site, tmp_path, "healthz")
    locked = result["locked"]
    say(
        pytestconfig,
        f"/healthz/diagnostics with SQLite's write lock held elsewhere: {locked['status']} in "
        f"{locked['seconds']:.2f} s; once released: {result['free']['status']} in "
        f"{result['free']['seconds']:.2f} s; /healthz meanwhile: {result['alive']['status']}",
    )
    assert result["alive"]["status"] == 200
    assert locked["status"] == 503
    assert json.loads(locked["body"])["failed"] == ["database"]
    assert locked["seconds"] < 4
    assert result["locked_head"] == {"status": 503, "body": ""}
    assert result["free"]["status"] == 200, result["free"]["body"]
