"""The signed "form opened at" value (guard.opened): a page value can never post; a one-use
value posts once (its nonce claimed under a unique key, pruned by age on a later write); a
form sent back to its reader gets a new one-use value that keeps their typing time."""

import datetime
import time

import pytest
from django.core import signing
from django.utils import timezone

from guard import duplicates, opened
from guard.forms import GuardedForm
from guard.models import SubmissionKey

pytestmark = pytest.mark.django_db


def test_a_one_use_value_is_claimed_once():
    value = opened.read(opened.issue())
    assert value.one_use
    assert opened.claim(value)
    assert not opened.claim(value)
    assert SubmissionKey.objects.count() == 1


def test_two_values_issued_at_the_same_second_are_different():
    now = time.time()
    first, second = opened.read(opened.issue(now)), opened.read(opened.issue(now))
    assert first.at == second.at and first.nonce != second.nonce
    assert opened.claim(first) and opened.claim(second)


def test_a_page_value_never_posts():
    page = opened.read(opened.issue(one_use=False))
    assert page is not None and not page.one_use
    assert not opened.claim(page)
    assert not SubmissionKey.objects.exists()


def test_a_bare_signed_time_from_an_older_page_is_a_page_value():
    old = signing.dumps(int(time.time()) - 60, salt=opened.SALT)
    value = opened.read(old)
    assert value is not None and not value.one_use


@pytest.mark.parametrize(
    "posted",
    [
        "",
        "forged",
        signing.dumps({"t": int(time.time()), "n": "x"}, salt="another.salt"),
        signing.dumps({"t": "soon", "n": "x"}, salt=opened.SALT),
        signing.dumps({"t": int(time.time()) - 3 * 3600, "n": "x"}, salt=opened.SALT),
        signing.dumps({"t": int(time.time()) + 3600, "n": "x"}, salt=opened.SALT),
    ],
)
def test_a_missing_forged_stale_or_future_value_reads_as_none(posted):
    assert opened.read(posted) is None


def test_a_value_sent_back_keeps_the_readers_typing_time():
    now = time.time()
    page = opened.issue(now - 40, one_use=False)
    renewed = opened.read(opened.renew(page, now))
    assert renewed.one_use and renewed.at == int(now - 40)
    # Opened long ago (a page open for hours): counted from at most 15 minutes back.
    stale = signing.dumps({"t": int(now) - 5 * 3600}, salt=opened.SALT)
    assert opened.read(opened.renew(stale, now)).at == int(now - opened.KEPT_TYPING_SECONDS)
    # Not ours: the typing time counts from now.
    assert opened.read(opened.renew("forged", now)).at == int(now)


def test_the_form_asks_for_the_confirm_step_for_a_page_value():
    class Letter(GuardedForm):
        pass

    assert Letter({"opened": opened.issue(one_use=False)}).needs_confirming()
    assert Letter({}).needs_confirming()
    form = Letter({"opened": Letter().fields["opened"].initial})
    assert not form.needs_confirming()
    assert form.claim_opened() and not form.claim_opened()


def test_used_values_are_pruned_by_age_on_a_later_write(monkeypatch):
    assert opened.claim(opened.read(opened.issue()))
    (row,) = SubmissionKey.objects.all()
    life = row.expires_at - timezone.now()
    assert datetime.timedelta(seconds=opened.MAX_AGE) < life
    assert life <= datetime.timedelta(seconds=opened.MAX_AGE + 60)
    SubmissionKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    monkeypatch.setattr(duplicates, "PURGE_PROBABILITY", 1)
    assert opened.claim(opened.read(opened.issue()))
    assert SubmissionKey.objects.count() == 1
    assert SubmissionKey.objects.get().pk != row.pk
