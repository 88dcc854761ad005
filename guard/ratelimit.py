"""Rate limits for reader-facing forms: fixed-window counters with an atomic increment.

Why not Django's cache: DatabaseCache's incr() is a get-then-set (8 processes x 2,000
increments ended at 1,337), and django-ratelimit refuses database caches (E003) and Django's
own Redis backend (W001). So the counter is ours:

- "database" (no REDIS_URL): ONE upsert-and-return statement on guard_ratecounter, which
  was exact (2,000/2,000) across processes on SQLite (WAL, IMMEDIATE, busy timeout) and is
  atomic on PostgreSQL (INSERT ... ON CONFLICT DO UPDATE ... RETURNING).
- "redis": INCR plus EXPIRE NX in one MULTI/EXEC pipeline, through redis-py directly.

Keys are HMACs (salted with SECRET_KEY), so neither store holds an address in clear.
Load runs and benchmarks raise every limit with RATE_LIMIT_MULTIPLIER; nothing turns them off.
Each form names its own limits, e.g. comments' REPLY_RATE_LIMITS.
"""

import functools
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils.crypto import salted_hmac

from guard import mailboxes
from guard.addresses import client_ip
from guard.models import RateCounter

PURGE_PROBABILITY = 0.01  # share of database hits that also delete expired windows
_now = time.time  # patched by tests


@dataclass(frozen=True)
class Limit:
    name: str  # "ip" (per client address) or "email" (per email address)
    count: int  # allowed hits per window; the next one is refused
    window_seconds: int

    @property
    def minutes(self):
        return max(1, self.window_seconds // 60)


def hit(key: str, window_seconds: int) -> int:
    """Count one hit on `key` in the current fixed window; return the window's new count."""
    now = _now()
    window = int(now // window_seconds)
    expires = (window + 1) * window_seconds
    if settings.RATE_LIMIT_STORE == "redis":
        pipe = _redis(settings.REDIS_URL).pipeline(transaction=True)
        name = f"pursebop:rl:{key}:{window}"
        pipe.incr(name)
        pipe.expire(name, int(expires - now) + 1, nx=True)  # the window's end, rounded up
        return pipe.execute()[0]
    count = _db_hit(key, window, datetime.fromtimestamp(expires, tz=UTC))
    if random.random() < PURGE_PROBABILITY:
        purge_expired()
    return count


def _db_hit(key, window, expires_at):
    alias = router.db_for_write(RateCounter)
    connection = connections[alias]
    qn = connection.ops.quote_name
    meta = RateCounter._meta
    table = qn(meta.db_table)
    key_col, window_col, expires_col, count_col = (
        qn(meta.get_field(name).column) for name in ("key", "window", "expires_at", "count")
    )
    sql = (
        f"INSERT INTO {table} ({key_col}, {window_col}, {expires_col}, {count_col}) "
        f"VALUES (%s, %s, %s, 1) ON CONFLICT ({key_col}, {window_col}) "
        f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 RETURNING {count_col}"
    )
    params = [key, window, connection.ops.adapt_datetimefield_value(expires_at)]
    # Alone: its own transaction, committed at once. Inside a form's transaction no savepoint:
    # the upsert cannot conflict, and any other failure rolls the whole post back anyway.
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@functools.lru_cache(maxsize=4)
def _redis(url):
    return redis.Redis.from_url(url)


def purge_expired() -> int:
    """Delete the database windows that have ended; return how many. Redis expires its own."""
    now = datetime.fromtimestamp(_now(), tz=UTC)
    return RateCounter.objects.filter(expires_at__lt=now).delete()[0]


def limits(spec):
    """Limits from a setting's (name, count, window_seconds) triples, raised by
    RATE_LIMIT_MULTIPLIER."""
    multiplier = getattr(settings, "RATE_LIMIT_MULTIPLIER", 1)
    if not isinstance(multiplier, int | float) or multiplier < 1:
        raise ImproperlyConfigured("RATE_LIMIT_MULTIPLIER must be a number >= 1.")
    found = []
    for name, count, window_seconds in spec:
        if name not in ("ip", "email"):
            raise ImproperlyConfigured(f"Rate limits: unknown limit name {name!r}.")
        found.append(Limit(name, int(count * multiplier), int(window_seconds)))
    return found


def _digest(scope, value):
    return salted_hmac(f"pursebop.ratelimit.{scope}", value, algorithm="sha256").hexdigest()


def check(request, scope: str, spec, email: str | None = None) -> Limit | None:
    """Count one post to `scope` ("reply", "letter", …) against every limit in `spec`; return
    the first exceeded, else None."""
    # An address-less request (odd server set-ups) shares one bucket rather than going free.
    values = {"ip": client_ip(request) or "unknown", "email": mailboxes.key(email)}
    exceeded = None
    for limit in limits(spec):
        if not values[limit.name]:
            continue
        key = (
            f"{scope}:{limit.name}:{limit.window_seconds}:{_digest(limit.name, values[limit.name])}"
        )
        if hit(key, limit.window_seconds) > limit.count and exceeded is None:
            exceeded = limit
    return exceeded
