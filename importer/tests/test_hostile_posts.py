"""A post too large to be a letter fails alone, with its reason, in a dry run and a real run;
the posts around it are imported (the attack run's 22 MB post held SQLite's write lock for
minutes in a dry run)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from advice.models import LetterPage
from importer.letters import MAX_POST_CHARACTERS
from testing.wordpress import export_xml, letter_body, post_xml

pytestmark = pytest.mark.attack


def run(export, *args):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 post"):
        call_command("import_wordpress", str(export), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def test_a_post_larger_than_any_letter_fails_alone(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    huge = letter_body("Is it real? " * (MAX_POST_CHARACTERS // 10), "Doubter", "It is.")
    posts = [post_xml(1, "Before", body), post_xml(2, "Huge", huge), post_xml(3, "After", body)]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts), encoding="utf-8")
    reason = (
        f'    - "Huge" (post 2): its body is {len(huge):,} characters, more than the '
        f"{MAX_POST_CHARACTERS:,} a letter may hold; shorten it in WordPress and import again"
    )

    assert reason in run(export, "--dry-run")
    assert not LetterPage.objects.exists()
    assert reason in run(export)
    assert sorted(LetterPage.objects.values_list("title", flat=True)) == ["After", "Before"]
