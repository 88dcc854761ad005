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

from django.db import IntegrityError, transaction
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
    `window`. Call it inside the transaction that stores the post."""
    now = now or timezone.now()
    with transaction.atomic():
        # An expired key no longer counts: the same text may be sent again.
        SubmissionKey.objects.filter(key=key, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                SubmissionKey.objects.create(key=key, expires_at=now + window)
        except IntegrityError:
            return False
    if random.random() < PURGE_PROBABILITY:
        purge(now)
    return True


def purge(now=None) -> int:
    """Delete expired keys; return how many."""
    return SubmissionKey.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
