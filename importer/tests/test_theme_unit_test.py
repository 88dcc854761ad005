"""WordPress's own theme unit test export (tests/data/theme-unit-test, a real WordPress.com file
with no hand edit) imported once for the module, then again: every post lands as the report
says, comments as replies or held or skipped and counted, redirects only to live letters, and
the second run creates nothing. Tests here only read; what one changes is undone after it."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from advice.models import LetterPage
from comments.models import Reply, ReplyStatus
from importer.importing import HOLD_REASON
from importer.models import ImportedComment, ImportedPost
from importer.tests.runs.helpers import counts
from importer.wxr import read_export
from testing.db import module_data
from testing.pages import add_column, site_home

EXPORT = Path(__file__).parent / "data" / "theme-unit-test" / "themeunittestdata.trimmed.xml"


def import_export(*args):
    out = io.StringIO()
    call_command("import_wordpress", str(EXPORT), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The export tried (a dry run), imported into a new column, and imported again; the
    reports, and what the database held between the runs."""
    with module_data(django_db_blocker):
        column = add_column(site_home())
        before = counts()
        dry = import_export("--dry-run")
        after_dry = counts()
        first = import_export()
        after_first = counts()
        second = import_export()
        yield {
            "column": column,
            "dry": dry,
            "dry_wrote": before != after_dry,
            "first": first,
            "second": second,
            "after_first": after_first,
            "after_second": counts(),
            "export": read_export(EXPORT),
        }


@pytest.fixture(autouse=True)
def _db(db):
    """Every test reads the database (inside the module's import)."""


def letters_line(out):
    line = next(line for line in out.splitlines() if line.startswith("  Letters:"))
    published, drafts, review = map(
        int,
        re.match(
            r"  Letters:    (\d+) published, (\d+) kept as drafts .*, (\d+) needing review", line
        ).groups(),
    )
    return published, drafts, review


def test_every_post_becomes_a_letter_or_a_draft_as_the_report_says(imported):
    published, drafts, review = letters_line(imported["first"])
    posts = imported["export"].posts
    pages = LetterPage.objects.child_of(imported["column"])
    assert ImportedPost.objects.count() == len(posts) == published + drafts
    assert pages.live().count() == published
    assert pages.not_live().count() == drafts
    listed = re.findall(
        r'^    - ".*" \(post (\d+), ([\w-]+) on WordPress\)', imported["first"], re.M
    )
    assert len(listed) == review
    for number, _status in listed:
        assert not ImportedPost.objects.get(wp_id=number).page.live
    # WordPress's draft, scheduled and password-protected posts are listed as such.
    statuses = {status for _, status in listed}
    assert {"draft", "scheduled", "password-protected"} <= statuses


def test_approved_comments_become_approved_replies_and_the_pending_one_is_held(imported):
    comments = [c for post in imported["export"].posts for c in post.comments]
    real = [c for c in comments if (c.type or "comment") == "comment"]
    approved = [c.id for c in real if c.approved == "1"]
    pending = [c.id for c in real if c.approved == "0"]
    assert len(pending) == 1
    records = ImportedComment.objects.select_related("reply")
    by_id = {record.wp_id: record.reply for record in records}
    assert sorted(by_id) == sorted(approved + pending)
    assert {by_id[number].status for number in approved} == {ReplyStatus.APPROVED}
    held = by_id[pending[0]]
    assert (held.status, held.hold_reason, held.is_public) == (
        ReplyStatus.PENDING,
        HOLD_REASON,
        False,
    )
    assert Reply.objects.count() == len(approved) + 1
    replies = next(line for line in imported["first"].splitlines() if "  Replies:" in line)
    assert replies.startswith(f"  Replies:    {len(approved)} approved, 1 awaiting moderation")


def test_pingbacks_and_trackbacks_are_skipped_and_counted(imported):
    comments = [c for post in imported["export"].posts for c in post.comments]
    skipped = {c.id for c in comments if c.type in {"pingback", "trackback"}}
    assert len(skipped) == 4
    assert not ImportedComment.objects.filter(wp_id__in=skipped).exists()
    assert "  Skipped comments: 2 pingbacks, 2 trackbacks" in imported["first"].splitlines()


def test_redirects_lead_only_to_live_letters(imported, client):
    live = LetterPage.objects.child_of(imported["column"]).live()
    assert all(redirect.redirect_page.specific.live for redirect in Redirect.objects.all())
    assert Redirect.objects.count() == sum(
        len(record.old_paths) for record in ImportedPost.objects.filter(page__in=live)
    )
    # A post kept for review gains its old addresses once an editor publishes it.
    record = ImportedPost.objects.get(wp_id=1148)  # "Template: Comments", published there
    assert record.old_paths and not record.page.live
    assert not Redirect.objects.filter(redirect_page=record.page).exists()
    page = record.page
    page.pen_name = "Commenter"
    page.letter = "<p>How do threads look?</p>"
    page.save_revision().publish()
    response = client.get(record.old_paths[0])
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_a_second_run_creates_nothing(imported):
    assert imported["after_second"] == imported["after_first"]
    nothing_new = [line for line in imported["second"].splitlines() if "Nothing new" in line]
    assert len(nothing_new) == 1, imported["second"]


def test_the_dry_run_wrote_nothing_and_counted_what_the_import_did(imported):
    assert not imported["dry_wrote"]
    counted = ("Letters:", "Replies:", "Images:", "Redirects:", "Created:", "Skipped")

    def lines(out):
        return [line for line in out.splitlines() if line.strip().startswith(counted)]

    assert lines(imported["dry"]) == lines(imported["first"])
    assert "hung higher" in imported["first"]
