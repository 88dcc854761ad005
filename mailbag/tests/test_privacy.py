"""What we keep of a writer, and for how long: `mailbag_cleanup` deletes declined letters after
the retention period and erases addresses that have served; a reader's erasure request at the
desk covers their letters too."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments import lifecycle as reply_lifecycle
from mailbag.models import ReaderLetter, ReaderLetterStatus
from testing.letters import store_letter


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def letters(column):
    made = {
        "old_declined": store_letter(column, status="declined", status_changed_at=days_ago(91)),
        "recent_declined": store_letter(column, status="declined", status_changed_at=days_ago(89)),
        "old_new": store_letter(column, status="new", status_changed_at=days_ago(400)),
        "answered_told": store_letter(column, status="answered", writer_told_at=days_ago(1)),
        "answered_not_asked": store_letter(column, status="answered", notify_on_answer=False),
        "answered_waiting": store_letter(column, status="answered"),  # told later
    }
    return made


def cleanup(*args):
    out = StringIO()
    call_command("mailbag_cleanup", *args, stdout=out)
    return out.getvalue()


def test_cleanup_deletes_old_declined_letters_and_erases_served_addresses(letters):
    assert cleanup() == "Deleted 1 declined letters; erased 2 writers' addresses.\n"
    remaining = {s.pk: s for s in ReaderLetter.objects.all()}
    assert letters["old_declined"].pk not in remaining
    assert letters["recent_declined"].pk in remaining and letters["old_new"].pk in remaining
    assert remaining[letters["answered_told"].pk].email == ""
    assert remaining[letters["answered_told"].pk].email_erased_at is not None
    assert remaining[letters["answered_not_asked"].pk].email == ""
    assert remaining[letters["answered_waiting"].pk].email != ""
    # The letters themselves stay; running again changes nothing.
    assert cleanup() == "Deleted 0 declined letters; erased 0 writers' addresses.\n"


def test_the_period_is_configurable(letters, settings):
    settings.MAILBAG_DECLINED_RETENTION_DAYS = 30
    cleanup()
    assert not ReaderLetter.objects.filter(pk=letters["recent_declined"].pk).exists()


def test_the_days_option_overrides_the_setting(letters):
    cleanup("--days", "200")
    assert ReaderLetter.objects.filter(pk=letters["old_declined"].pk).exists()


def test_the_desks_erasure_covers_the_readers_letters(column, client):
    moderator = get_user_model().objects.create_superuser("mod", "mod@staff.example", "pw")
    waiting = store_letter(column, email="Gone@Example.com")
    answered = store_letter(column, email="gone@example.com", status="answered")
    other = store_letter(column, email="stay@example.com")
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailsnippets_comments_reply:erase"),
        {"email": "gone@example.com", "step": "erase", "confirm": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert not ReaderLetter.objects.filter(pk=waiting.pk).exists()
    answered.refresh_from_db()
    assert answered.email == "" and answered.status == ReaderLetterStatus.ANSWERED
    assert ReaderLetter.objects.get(pk=other.pk).email == "stay@example.com"
    assert "1 reader letter deleted" in response.text


def test_erasure_through_the_lifecycle_says_what_it_did(column):
    store_letter(column, email="x@example.com")
    plan = reply_lifecycle.erase("x@example.com", None)
    assert plan["elsewhere"] == ["1 reader letter deleted"]
    assert reply_lifecycle.erase("nobody@example.com", None)["elsewhere"] == []
