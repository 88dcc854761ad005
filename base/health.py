"""The health checks, split as load balancers and operators need them.

- `/healthz`, liveness (public, cheap): 200 whenever this process answers requests. It reads
  no database, cache or queue and writes nothing, so a database outage does not take every
  server out of a load balancer's pool at once (they could not help it; only a process that
  stopped answering should go). HEAD answers the same with no body.
- `/healthz/diagnostics` (a staff user, or the HEALTH_DIAGNOSTICS_TOKEN setting in the
  X-Health-Token header): the database's write path (one INSERT into HealthProbe, rolled back,
  within its own short timeout), the cache, then the checks other apps register (`register`,
  from their ready(): outbox adds the email worker's last beat and the oldest email waiting to
  be sent). 503 naming what failed when the database refuses the write, the cache fails, or a
  registered check reports an error (the worker last beat longer ago than
  HEALTH_WORKER_BEAT_LIMIT seconds, or never).

Error details stay in the log, not in the bodies.
"""

import hmac
import logging
from contextlib import contextmanager

import psycopg.errors
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from base.models import HealthProbe

logger = logging.getLogger(__name__)

# How long the write check may wait for a lock or, on PostgreSQL, for a new connection: never
# the 20 s SQLite busy timeout or the 5 s connect_timeout that pages use.
HEALTH_TIMEOUT_SECONDS = 2
# What a check that gave up waiting raises (its cause, under Django's own error).
TIMEOUTS = (
    psycopg.errors.ConnectionTimeout,
    psycopg.errors.QueryCanceled,
    psycopg.errors.LockNotAvailable,
)


class _RollBack(Exception):
    """Raised to undo the write check's INSERT."""


@contextmanager
def _sqlite_busy_timeout(seconds):
    """SQLite's busy timeout set to `seconds` for the block, then back to the configured one
    (the connection may serve more requests). Other databases time out inside the check."""
    if connection.vendor != "sqlite":
        yield
        return
    configured = connection.settings_dict["OPTIONS"].get("timeout", 5)  # sqlite3's default
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(configured * 1000)}")


@contextmanager
def _postgresql_connect_timeout(seconds):
    """A connection opened in the block waits at most `seconds` for the server (psycopg's
    minimum is 2), so a server that accepts and never answers fails the check in 2 s, not the
    configured connect_timeout. Only this thread's connection object is changed."""
    if connection.vendor != "postgresql":
        yield
        return
    configured = connection.settings_dict
    options = configured.get("OPTIONS", {})
    timeout = min(int(options.get("connect_timeout") or seconds), seconds)
    connection.settings_dict = {**configured, "OPTIONS": {**options, "connect_timeout": timeout}}
    try:
        yield
    finally:
        connection.settings_dict = configured


def _check_database():
    """The database takes a write within HEALTH_TIMEOUT_SECONDS: one INSERT, rolled back.

    A read would pass while another connection holds SQLite's write lock, or against a
    read-only PostgreSQL; the INSERT needs the lock (BEGIN IMMEDIATE) or a writable primary.
    """
    milliseconds = int(HEALTH_TIMEOUT_SECONDS * 1000)
    with (
        _sqlite_busy_timeout(HEALTH_TIMEOUT_SECONDS),
        _postgresql_connect_timeout(HEALTH_TIMEOUT_SECONDS),
    ):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")
                        cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                HealthProbe.objects.create()
                raise _RollBack
        except _RollBack:
            pass


def _check_cache():
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _timed_out(error):
    """The check gave up waiting (connect, statement or lock timeout; SQLite's busy timeout),
    as against being refused: the body says which, without the error's text."""
    while error is not None:
        if isinstance(error, TIMEOUTS) or "database is locked" in str(error):
            return True
        error = error.__cause__
    return False


# The checks other apps add, by name, in the order they registered (see `register`).
_registered = {}


def register(name, check):
    """Add `check` to the diagnostics under `name`, from an app's ready().

    `check()` reads the database, so it runs only when the database check passed (otherwise
    its result is "unknown: the database failed"). It returns (result, details): result is
    "ok" or "error: ..." (checks[name] in the body; an error makes the answer 503), details a
    dict of entries added to the body beside "checks". An exception it raises is logged and
    reported as "error: <its type>"."""
    _registered[name] = check


def _run(name, check):
    try:
        check()
    except Exception as error:
        logger.warning("health diagnostics: %s check failed", name, exc_info=True)
        return "error: timeout" if _timed_out(error) else f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    """Liveness: this process answers. Nothing else is asked (see the module's docstring)."""
    if request.method == "HEAD":
        return HttpResponse(status=200)
    return JsonResponse({"status": "ok"})


def _allowed(request):
    """The token first (no session, so no database read), then a signed-in staff user."""
    token = settings.HEALTH_DIAGNOSTICS_TOKEN
    given = request.headers.get("X-Health-Token", "")
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff


@never_cache
@require_safe
def diagnostics(request):
    """What is wrong, for the people who run the site: see the module's docstring."""
    if not _allowed(request):
        return JsonResponse(
            {"status": "forbidden", "detail": "Sign in as staff, or send the diagnostics token."},
            status=403,
        )
    checks = {"database": _run("database", _check_database), "cache": _run("cache", _check_cache)}
    body = {}
    for name, check in _registered.items():
        if checks["database"] != "ok":
            checks[name] = "unknown: the database failed"
            continue
        try:
            checks[name], details = check()
        except Exception as error:
            logger.warning("health diagnostics: the %s check failed", name, exc_info=True)
            checks[name] = f"error: {type(error).__name__}"
        else:
            body.update(details)
    failed = [name for name, result in checks.items() if result.startswith("error")]
    status = 503 if failed or checks["database"] != "ok" else 200
    if request.method == "HEAD":
        return HttpResponse(status=status)
    body = {"status": "error" if status == 503 else "ok", "checks": checks, **body}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=status)
