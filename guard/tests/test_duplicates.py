"""Duplicate keys (guard.duplicates): a key unique in the database, claimed inside the
transaction that stores the post, released if that transaction rolls back."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from guard import duplicates
from guard.models import SubmissionKey

pytestmark = pytest.mark.django_db
WINDOW = datetime.timedelta(minutes=10)


def test_a_key_is_taken_once_within_its_window():
    key = duplicates.key_for("reply", "a@example.com", "advice.letterpage", 7, 0, "Hello.")
    now = timezone.now()
    assert duplicates.claim(key, WINDOW, now)
    assert not duplicates.claim(key, WINDOW, now + datetime.timedelta(minutes=9))
    assert duplicates.claim(key, WINDOW, now + WINDOW)  # expired: the same text may come again
    assert SubmissionKey.objects.count() == 1


def test_keys_differ_by_every_part_and_by_scope():
    parts = ("a@example.com", "advice.letterpage", 7, 0, "Hello.")
    keys = {duplicates.key_for("reply", *parts), duplicates.key_for("letter", *parts)}
    for n in range(len(parts)):
        changed = list(parts)
        changed[n] = f"{changed[n]}x"
        keys.add(duplicates.key_for("reply", *changed))
    assert len(keys) == 2 + len(parts)
    assert all(len(key) == 64 and "example" not in key for key in keys)


def test_a_rolled_back_claim_leaves_the_key_free():
    key = duplicates.key_for("reply", "b@example.com", "x", 1, 0, "Refused later.")

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        assert duplicates.claim(key, WINDOW)
        raise Refused
    assert duplicates.claim(key, WINDOW)


def test_expired_keys_are_purged(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(duplicates, "PURGE_PROBABILITY", 0)
    for n in range(3):
        duplicates.claim(f"old-{n}", WINDOW, now - WINDOW)
    duplicates.claim("fresh", WINDOW, now)
    assert duplicates.purge(now) == 3
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["fresh"]
