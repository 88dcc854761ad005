"""Running `manage.py import_wordpress`: a dry run writes nothing, a second run creates nothing
new (but the comments added since), a hostile or malformed file stops before anything is
written, the options choose the column, category and topics, and one post failing leaves the
others imported. Each test imports into a fresh site."""

import io
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from advice.models import Columnist, LetterPage, Topic
from comments import lifecycle
from comments.models import Reply
from importer.management.commands.import_wordpress import Progress
from importer.models import ImportedComment, ImportedImage, ImportedPost
from testing.images import isobmff_bomb, webp_bomb
from testing.pages import add_column, delete_image_files
from testing.wordpress import (
    ENTITY_BOMB,
    EXPORT,
    MALFORMED,
    UPLOADS,
    comment_xml,
    export_xml,
    letter_body,
    post_xml,
)

OPTIONS = ["--category=dear-pursebop", f"--uploads={UPLOADS}", "--old-site=https://old.example"]
COUNTED = [
    Page,
    Revision,
    Reply,
    Redirect,
    Topic,
    Columnist,
    ImportedPost,
    ImportedComment,
    ImportedImage,
    ModelLogEntry,
    PageLogEntry,
]


def run(*args, export=EXPORT, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(export), *args, stdout=out, stderr=err, **options)
    return out.getvalue()


def counts():
    found = {model.__name__: model.objects.count() for model in COUNTED}
    found["Image"] = get_image_model().objects.count()
    return found


def media_files():
    root = settings.MEDIA_ROOT
    return {os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names}


@pytest.fixture(autouse=True)
def _remove_image_files(db):
    yield
    delete_image_files(get_image_model().objects.all())


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


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")


def summary_lines(out, *names):
    return [line for line in out.splitlines() if line.strip().startswith(names)]


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


def test_an_entity_bomb_is_refused_and_nothing_is_written(column):
    before = counts()
    with pytest.raises(CommandError) as refused:
        run(export=ENTITY_BOMB)
    assert "declares a document type (line 4)" in str(refused.value)
    assert counts() == before


def test_a_malformed_file_names_its_line_and_nothing_is_written(column):
    before = counts()
    with pytest.raises(CommandError, match="mismatched tag at line 32, column 5"):
        run(*OPTIONS, export=MALFORMED)
    assert counts() == before


def test_a_malformed_file_makes_the_command_exit_non_zero(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(MALFORMED)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "CommandError" in result.stderr and "line 32, column 5" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_a_topic_mapping_chooses_the_topics_and_creates_none(column, tmp_path, kind):
    care = Topic.objects.create(name="Care & repair", slug="care-repair")
    leather = Topic.objects.create(name="Leather care", slug="leather-care")
    mapping = tmp_path / f"topics.{kind}"
    if kind == "json":
        mapping.write_text(
            '{"care-and-repair": "care-repair", "leather": "leather-care", "buying": null}'
        )
    else:
        mapping.write_text(
            "wordpress,topic\ncare-and-repair,care-repair\nleather,leather-care\nbuying,\n"
        )
    out = run("--category=dear-pursebop", "--tags-as-topics", f"--topics={mapping}")
    assert Topic.objects.count() == 2
    page = ImportedPost.objects.get(wp_id=101).page
    assert set(page.topics.all()) == {care, leather}
    assert not ImportedPost.objects.get(wp_id=102).page.topics.exists()
    assert "  Terms not in the topic mapping: resale, special-orders" in out.splitlines()
    # Without --uploads, no image is imported, and the letters are.
    assert "  Images:     0 imported; 5 not found (listed below)" in out.splitlines()
    assert "    - 2024/05/tan-kelly-flap.png: no --uploads folder given (post 101)" in out
    assert page.live and page.hero_image is None


def test_a_mapping_to_a_missing_topic_stops_before_anything_is_written(column, tmp_path):
    mapping = tmp_path / "topics.json"
    mapping.write_text('{"care-and-repair": "no-such-topic"}')
    before = counts()
    with pytest.raises(CommandError, match="names topics that do not exist: no-such-topic"):
        run(f"--topics={mapping}")
    assert counts() == before


def test_the_column_is_chosen_by_slug_when_there_are_several(column, home_page):
    add_column(home_page, title="The Workbench", slug="the-workbench")
    with pytest.raises(CommandError, match=r"several columns \(dear-pursebop, the-workbench\)"):
        run(*OPTIONS)
    with pytest.raises(CommandError, match="No column with the slug 'nope'"):
        run(*OPTIONS, "--column=nope")
    # The greeting is the column's: these letters say "Dear PurseBop,", not "Dear Workbench,".
    out = run(*OPTIONS, "--column=the-workbench", "--dry-run")
    # Two were drafts or private on WordPress; the ten published there wait for review.
    assert (
        "  Letters:    0 published, 12 kept as drafts (2 not public on WordPress: drafts, "
        "scheduled, private or password-protected posts; 10 published there but not in the "
        "letter's shape), 12 needing review"
    ) in out.splitlines()
    assert "(post 107, draft on WordPress): no greeting" in out
    assert "into the column The Workbench (/the-workbench/)" in out


def test_an_unknown_category_is_an_error_naming_the_categories(column):
    with pytest.raises(CommandError) as error:
        run("--category=nope")
    assert "Its categories: buying, care-and-repair, dear-pursebop, news, uncategorized." in str(
        error.value
    )


def test_a_slug_taken_in_the_column_is_renamed_and_a_taken_old_address_left_alone(
    column, make_letter
):
    existing = make_letter("Dust bags, again", slug="do-dust-bags-really-matter")
    Redirect.objects.create(old_path="/do-dust-bags-really-matter", redirect_page=existing)
    out = run(*OPTIONS)
    page = ImportedPost.objects.get(wp_id=115).page
    assert page.slug == "do-dust-bags-really-matter-2"
    assert (
        "  Slugs taken in the column, so renamed: do-dust-bags-really-matter → "
        "do-dust-bags-really-matter-2"
    ) in out.splitlines()
    assert "    - /do-dust-bags-really-matter (post 115)" in out.splitlines()
    assert (
        Redirect.objects.get(old_path="/do-dust-bags-really-matter").redirect_page_id == existing.pk
    )
    moved = Redirect.objects.get(old_path="/2024/05/20/do-dust-bags-really-matter")
    assert moved.redirect_page_id == page.pk


def test_one_post_failing_leaves_nothing_of_it_and_the_others_imported(column, monkeypatch):
    original = LetterPage.full_clean

    def refuse_one(page, *args, **kwargs):
        if page.title == "Should I buy on resale or keep waiting for the boutique?":
            raise ValueError("the database said no")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(LetterPage, "full_clean", refuse_one)
    with pytest.raises(CommandError, match=r"1 post\(s\) could not be imported"):
        run(*OPTIONS)
    assert not LetterPage.objects.filter(slug="should-i-buy-on-resale-or-keep-waiting").exists()
    assert not ImportedPost.objects.filter(wp_id=102).exists()
    assert not Reply.objects.filter(user_name__in=["Lena", "Patient Paula"]).exists()
    assert not Redirect.objects.filter(old_path="/?p=102").exists()
    assert ImportedPost.objects.count() == 11

    monkeypatch.setattr(LetterPage, "full_clean", original)
    out = run(*OPTIONS)
    assert "  Letters:    1 published, 0 kept as drafts" in out
    assert Reply.objects.filter(user_name__in=["Lena", "Patient Paula"]).count() == 2


def test_a_run_that_only_keeps_letters_for_review_is_not_nothing_new(column, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(export_xml([post_xml(1, "A note", "No greeting, no letter.")]))
    out = run(export=export)
    assert "Nothing new" not in out
    assert ", 1 needing review" in out
    assert "Nothing new: the 1 letter, 0 replies, 0 images and 0 redirects" in run(export=export)


def write_png(path, colour="tan"):
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (8, 8), colour).save(path, format="PNG")


def test_images_are_read_only_from_inside_the_uploads_folder(column, tmp_path):
    uploads = tmp_path / "uploads"
    write_png(tmp_path / "secret.png")
    write_png(uploads / "2024" / "05" / "fine.png")
    (uploads / "2024" / "05" / "fake.png").write_text("not a picture")
    base = "https://old.example/wp-content/uploads"
    answer = "\n\n".join(
        f'<img src="{src}" alt="">'
        for src in (
            f"{base}/2024/05/fine.png",
            f"{base}/../secret.png",
            f"{base}/2024/05/%2e%2e/%2e%2e/%2e%2e/secret.png",
            f"{base}/2024/05/fake.png",
            "https://cdn.example/elsewhere.png",
        )
    )
    body = letter_body("Which picture?", "Curious", answer + "\n\nThat one.")
    export = tmp_path / "export.xml"
    export.write_text(export_xml([post_xml(1, "Pictures", body, meta=[("_thumbnail_id", "999")])]))
    out = run(f"--uploads={uploads}", export=export)
    (page,) = LetterPage.objects.all()
    assert [block.block_type for block in page.answer] == ["image", "paragraph"]
    assert get_image_model().objects.get().title == "fine"
    for line in (
        "    - attachment 999: not in the export (post 1)",
        "    - ../secret.png: outside the uploads folder (post 1)",
        "    - 2024/05/../../../secret.png: outside the uploads folder (post 1)",
        "    - 2024/05/fake.png: not a readable image (post 1)",
        "    - https://cdn.example/elsewhere.png: not an uploaded file (post 1)",
    ):
        assert line in out.splitlines(), line


def test_a_huge_webp_or_avif_upload_is_reported_and_never_decoded(column, tmp_path):
    """The importer checks an upload's size from its header as the admin does (guard.images):
    a few bytes claiming 121 or 64 million pixels are reported, never opened by Pillow."""
    uploads = tmp_path / "uploads" / "2024" / "05"
    uploads.mkdir(parents=True)
    (uploads / "bomb.webp").write_bytes(webp_bomb(11_000, 11_000))
    (uploads / "bomb.avif").write_bytes(isobmff_bomb(8_000, 8_000))
    base = "https://old.example/wp-content/uploads/2024/05"
    answer = f'<img src="{base}/bomb.webp" alt="">\n\n<img src="{base}/bomb.avif" alt="">'
    body = letter_body("Which picture?", "Curious", answer + "\n\nThat one.")
    export = tmp_path / "export.xml"
    export.write_text(export_xml([post_xml(1, "Pictures", body)]))
    opened = []
    real = PILImage.open
    with mock.patch.object(PILImage, "open", lambda *a, **k: opened.append(a) or real(*a, **k)):
        out = run(f"--uploads={tmp_path / 'uploads'}", export=export)
    assert opened == []
    assert not get_image_model().objects.exists()
    lines = out.splitlines()
    assert "    - 2024/05/bomb.webp: more than 40,000,000 pixels (post 1)" in lines
    assert "    - 2024/05/bomb.avif: more than 40,000,000 pixels (post 1)" in lines


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


def test_tags_become_topics_only_when_asked_or_mapped(column, tmp_path):
    out = run("--category=dear-pursebop", "--old-site=https://old.example")
    assert (
        "  Created:    2 topics (Care & repair, Buying), 2 columnists (Avery Stone, Morgan Vale)"
        in out
    )
    assert not Topic.objects.filter(slug__in=["leather", "resale", "special-orders"]).exists()

    ImportedPost.objects.all().delete()
    LetterPage.objects.all().delete()
    mapping = tmp_path / "topics.csv"
    mapping.write_text("leather,care-and-repair\n")  # a tag named in a mapping is used
    run("--category=dear-pursebop", f"--topics={mapping}")
    page = ImportedPost.objects.get(wp_id=101).page
    assert [topic.slug for topic in page.topics.all()] == ["care-and-repair"]


def test_a_dry_run_lists_categories_and_tags_with_their_posts_for_a_mapping(column):
    out = run("--category=dear-pursebop", "--dry-run").splitlines()
    start = out.index(
        "  Categories and tags, with their posts (for a --topics mapping: "
        "wordpress-slug,topic-slug; tags become topics only with --tags-as-topics):"
    )
    assert out[start + 1 : start + 8] == [
        "    - category dear-pursebop (Dear PurseBop): 12 posts",
        "    - category care-and-repair (Care & repair): 5 posts",
        "    - category buying (Buying): 3 posts",
        "    - category uncategorized (Uncategorized): 1 post",
        "    - tag leather (Leather): 4 posts",
        "    - tag resale (Resale): 2 posts",
        "    - tag special-orders (Special orders): 1 post",
    ]


def test_names_lose_stray_markup_and_a_missing_picture_is_listed_once(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    picture = '<img src="https://old.example/wp-content/uploads/2024/05/gone.png">'
    posts = [
        post_xml(n, f"Letter {n}", body + "\n\n" + picture, creator=creator)
        for n, creator in [(1, ">avery"), (2, "avery>"), (3, "<b>avery</b>")]
    ]
    authors = [("avery", 1, "<i>Avery</i> Stone\u202e", "avery@old.example")]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts, authors=authors), encoding="utf-8")
    out = run(f"--uploads={tmp_path}", export=export)
    assert list(Columnist.objects.values_list("name", flat=True)) == ["Avery Stone"]
    assert {page.columnist.name for page in LetterPage.objects.all()} == {"Avery Stone"}
    missing = [line for line in out.splitlines() if "gone.png" in line]
    assert missing == ["    - 2024/05/gone.png: file missing (posts 1, 2, 3)"]


def test_a_post_nested_thousands_deep_fails_alone_and_a_rerun_goes_past_it(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    deep = "<b><i>" * 1500 + "deep" + "</i></b>" * 1500
    comment = comment_xml(30, "<em>" * 3000 + "still read" + "</em>" * 3000)
    posts = [
        post_xml(1, "Before", body),
        post_xml(2, "Deep", f"{body}\n\n{deep}"),
        post_xml(3, "After", body, comments=[comment]),
    ]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts), encoding="utf-8")
    for _attempt in range(2):
        with pytest.raises(CommandError, match="1 post"):
            run(export=export)
        assert sorted(LetterPage.objects.values_list("title", flat=True)) == ["After", "Before"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_wordpress", str(export), stdout=out, stderr=io.StringIO())
    assert (
        '    - "Deep" (post 2): its HTML nests more than 100 elements deep, which no post '
        "needs; fix it in WordPress and import again"
    ) in out.getvalue().splitlines()
    assert Reply.objects.get().comment == "still read"


def test_posts_not_in_the_letters_shape_can_be_left_out_and_are_listed(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    posts = [
        post_xml(1, "A letter", body),
        post_xml(2, "A note", "Shop news, no letter."),
        post_xml(3, "A plan", "Next week's letters.", status="future"),
    ]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts), encoding="utf-8")
    out = run("--unmatched=skip", export=export).splitlines()
    assert list(LetterPage.objects.values_list("title", flat=True)) == ["A letter"]
    start = out.index("  Not in the letter's shape, left out (--unmatched skip):")
    assert [line.split(": no greeting")[0] for line in out[start + 1 : start + 3]] == [
        '    - "A note" (post 2, published on WordPress)',
        '    - "A plan" (post 3, scheduled on WordPress)',
    ]
    # Left out is not imported: a later run that keeps them as drafts still can.
    out = run(export=export)
    assert sorted(LetterPage.objects.values_list("title", flat=True)) == [
        "A letter",
        "A note",
        "A plan",
    ]
    assert ", 2 needing review" in out


def test_posts_dated_outside_the_columns_range_fail_alone_and_the_rest_are_imported(
    column, tmp_path
):
    body = letter_body("Is it real?", "Doubter", "It is.")
    posts = [
        post_xml(1, "Before", body),
        post_xml(2, "Too early", body, date="0999-05-01 10:00:00"),
        post_xml(3, "Too late", body, date="9999-05-01 10:00:00"),
        post_xml(4, "After", body, date="1000-01-01 00:00:00"),
    ]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 post"):
        call_command("import_wordpress", str(export), stdout=out, stderr=io.StringIO())
    assert sorted(LetterPage.objects.values_list("title", flat=True)) == ["After", "Before"]
    failed = out.getvalue().splitlines()
    assert (
        '    - "Too early" (post 2): it is dated 0999-05-01, outside the dates the column can '
        "show (1000-01-01 to 9989-12-31); fix its date in WordPress and import again"
    ) in failed
    assert any(
        line.startswith('    - "Too late" (post 3): it is dated 9999-05-01') for line in failed
    )


def test_imported_letters_are_marked_imported_so_nothing_announces_them(column, make_letter):
    written_here = make_letter("Written here")
    run(*OPTIONS)
    letters = LetterPage.objects.exclude(pk=written_here.pk)
    assert letters.count() == 12
    assert set(letters.values_list("imported", flat=True)) == {True}
    written_here.refresh_from_db()
    assert written_here.imported is False
    # The revisions say so too: publishing a draft later keeps the mark.
    draft = ImportedPost.objects.get(wp_id=107).page  # a draft on WordPress
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    assert draft.live and draft.imported
