"""Running `manage.py import_wordpress` again and again: a dry run writes nothing and counts
as the run does, a second run creates nothing new (but the comments added since), and what
each run prints. Each test imports into a fresh site."""

import io

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import lifecycle
from comments.models import Reply
from importer.management.commands.import_wordpress import Progress
from importer.models import ImportedComment
from importer.tests.runs.helpers import OPTIONS, WRITES, counts, media_files, run, summary_lines
from testing.wordpress import EXPORT, comment_xml, export_xml, post_xml


def test_a_dry_run_reports_the_import_and_writes_nothing(column):
    before, files = counts(), media_files()
    out = run(*OPTIONS, "--dry-run")
    assert counts() == before
    assert media_files() == files
    assert out.startswith("Dry run: nothing was written. The import would do this:\n")
    assert "  Letters:    9 published, 3 kept as drafts (2 not public on WordPress" in out
    assert "  Replies:    16 approved, 2 awaiting moderation" in out
    assert "  Images:     4 imported; 1 not found" in out
    assert "/admin/pages/" not in out  # the drafts it names do not exist


def test_a_dry_run_sends_no_write_to_the_database_and_counts_as_the_run_does(column):
    """No rolled-back transaction either: it would hold SQLite's write lock for the whole run."""
    with CaptureQueriesContext(connection) as queries:
        dry = run(*OPTIONS, "--dry-run")
    assert len(queries) > 0
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    real = run(*OPTIONS)
    counted = ("Letters:", "Replies:", "Images:", "Redirects:", "Created:", "Skipped")
    assert summary_lines(dry, *counted) == summary_lines(real, *counted)
    assert "hung higher" in summary_lines(real, "Replies:")[0]
    # Once imported, a dry run sees it all there, still writing nothing.
    with CaptureQueriesContext(connection) as queries:
        again = run(*OPTIONS, "--dry-run")
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert "  Nothing new: the 12 letters, 18 replies, 4 images and 36 redirects" in again


def test_a_second_run_creates_nothing_new_and_says_so(column):
    run(*OPTIONS)
    before, files = counts(), media_files()
    out = run(*OPTIONS)
    assert counts() == before and media_files() == files
    assert (
        "  Nothing new: the 12 letters, 18 replies, 4 images and 36 redirects of this export "
        "were imported before."
    ) in out.splitlines()


def test_a_newer_export_adds_only_the_comments_written_since(column, tmp_path):
    run(*OPTIONS)
    text = EXPORT.read_text()
    newer = text.replace(
        "<wp:post_id>101</wp:post_id>",
        "<wp:post_id>101</wp:post_id>"
        + comment_xml(2001, "Back from the boutique: fixed!", author="Priya Raman", parent=1006),
    ).replace(
        "<wp:post_id>115</wp:post_id>",
        "<wp:post_id>115</wp:post_id>" + comment_xml(2002, "I kept every dust bag.", approved="0"),
    )
    export = tmp_path / "newer.xml"
    export.write_text(newer)
    before = counts()
    out = run(*OPTIONS, export=export)
    assert counts()["Reply"] == before["Reply"] + 2
    assert counts()["Page"] == before["Page"]
    assert (
        "  Replies:    1 approved, 1 awaiting moderation (1 hung higher: WordPress threads go "
        in out
    )
    late = ImportedComment.objects.get(wp_id=2001).reply
    question = ImportedComment.objects.get(wp_id=1003).reply
    assert (late.parent_id, late.level) == (question.pk, 3)  # 1006 is at our deepest level


def test_an_erased_reply_is_not_brought_back(column):
    run(*OPTIONS)
    lifecycle.erase("sam@example.com", user=None)  # his reply had no answers: deleted
    assert not Reply.objects.filter(user_name="Sam Okoro").exists()
    out = run(*OPTIONS)
    assert not Reply.objects.filter(user_name="Sam Okoro").exists()
    assert ImportedComment.objects.get(wp_id=1006).reply is None
    assert "Nothing new" in out


def test_a_run_that_only_keeps_letters_for_review_is_not_nothing_new(column, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(export_xml([post_xml(1, "A note", "No greeting, no letter.")]))
    out = run(export=export)
    assert "Nothing new" not in out
    assert ", 1 needing review" in out
    assert "Nothing new: the 1 letter, 0 replies, 0 images and 0 redirects" in run(export=export)


def test_verbosity_0_prints_nothing_and_2_names_each_letter(column):
    out = io.StringIO()
    err = io.StringIO()
    call_command(
        "import_wordpress", str(EXPORT), *OPTIONS, "--dry-run", verbosity=0, stdout=out, stderr=err
    )
    assert (out.getvalue(), err.getvalue()) == ("", "")
    out = run(*OPTIONS, "--dry-run", verbosity=2)
    assert (
        "  + letter 'Can I fix a scratch on my Kelly's flap?' at "
        "/dear-pursebop/can-i-fix-a-scratch-on-my-kellys-flap/ (WordPress post 101)"
    ) in out.splitlines()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    terminal = Terminal()
    progress = Progress(OutputWrapper(terminal), verbosity=1)
    progress(1, 4)
    progress(4, 4)
    assert terminal.getvalue() == (
        "\r[#######                       ] 1/4 posts\r[##############################] 4/4 posts\n"
    )
    plain = io.StringIO()
    progress = Progress(OutputWrapper(plain), verbosity=1)
    for done in range(1, 251):
        progress(done, 250)
    assert plain.getvalue() == "100/250 posts\n200/250 posts\n250/250 posts\n"
    quiet = Terminal()
    Progress(OutputWrapper(quiet), verbosity=0)(1, 1)
    assert quiet.getvalue() == ""
