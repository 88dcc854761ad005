"""Input `manage.py import_wordpress` refuses: a hostile or malformed file stops before
anything is written; a post that fails (nested thousands deep, dated out of range) fails
alone, the others imported; an image is read only from inside the uploads folder, and a
huge one never decoded. Each test imports into a fresh site."""

import io
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from advice.models import LetterPage
from comments.models import Reply
from importer.models import ImportedPost
from importer.tests.runs.helpers import OPTIONS, counts, run
from testing.images import isobmff_bomb, webp_bomb
from testing.wordpress import (
    ENTITY_BOMB,
    MALFORMED,
    comment_xml,
    export_xml,
    letter_body,
    post_xml,
)


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
