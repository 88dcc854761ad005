"""Stop a form being stored twice (a double click, Back and Send again, a script firing the same
post at once) with a key unique in the database, never check-then-insert: 25 identical pairs
fired at once stored one or two twice when the check was a SELECT before the INSERT.

Claim the key inside the transaction that stores the post. A concurrent identical post blocks
on the unique index until the first transaction ends (PostgreSQL), or waits for the write lock
(SQLite, IMMEDIATE transactions): it then finds the key taken. If the first transaction rolls
back (say, a rate limit refused it), its key goes with it.
"""

import datetime
import random

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from guard.models import SubmissionKey

PURGE_PROBABILITY = 0.01


def key_for(scope, *parts):
    """A keyed hash of what makes two posts the same (who, where, what)."""
    text = "\x1f".join(str(part) for part in parts)
    return salted_hmac(f"pursebop.duplicates.{scope}", text, algorithm="sha256").hexdigest()


def claim(key, window=datetime.timedelta(minutes=10), now=None) -> bool:
    """Take `key` for a new post; False when a post with the same key was taken within
    `window`. Call it inside the transaction that stores the post.

    One statement, no savepoint: an INSERT that, when the key exists, takes it over only if
    it has expired (an expired key no longer counts: the same text may be sent again), and
    returns a row only when it took the key."""
    now = now or timezone.now()
    alias = router.db_for_write(SubmissionKey)
    connection = connections[alias]
    qn = connection.ops.quote_name
    table = qn(SubmissionKey._meta.db_table)
    key_col, expires_col = (
        qn(SubmissionKey._meta.get_field(name).column) for name in ("key", "expires_at")
    )
    sql = (
        f"INSERT INTO {table} ({key_col}, {expires_col}) VALUES (%s, %s) "
        f"ON CONFLICT ({key_col}) DO UPDATE SET {expires_col} = EXCLUDED.{expires_col} "
        f"WHERE {table}.{expires_col} <= %s RETURNING {key_col}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, [key, adapt(now + window), adapt(now)])
        taken = cursor.fetchone() is not None
    if taken and random.random() < PURGE_PROBABILITY:
        purge(now)
    return taken


def purge(now=None) -> int:
    """Delete expired keys; return how many."""
    return SubmissionKey.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
