"""Posts not in the letter's shape (`--unmatched publish`): published as they were when they
were public on WordPress (the whole post as the answer, no letter, no pen name, so the answer
opens with the column's default salutation), kept as drafts otherwise, and listed."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from advice.models import LetterPage
from testing.wordpress import export_xml, letter_body, post_xml

pytestmark = pytest.mark.django_db

HEADING = "  Published as they were, not in the letter's shape (--unmatched publish: the whole "


def run(export, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(export), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def listed(out, heading):
    """The posts listed under the report's heading that starts with `heading`."""
    start = next(n for n, line in enumerate(out) if line.startswith(heading)) + 1
    end = next((n for n in range(start, len(out)) if not out[n].startswith("    - ")), len(out))
    return out[start:end]


@pytest.fixture
def export(tmp_path):
    posts = [
        post_xml(1, "A letter", letter_body("Is it real?", "Doubter", "It is.")),
        post_xml(2, "A note", "Shop news, no letter."),
        post_xml(3, "A plan", "Next week's letters.", status="draft"),
    ]
    path = tmp_path / "export.xml"
    path.write_text(export_xml(posts), encoding="utf-8")
    return path


def test_a_public_post_not_in_the_letters_shape_is_published_as_it_was(client, column, export):
    column.default_salutation = "Dear reader,"
    column.save_revision().publish()
    out = run(export, "--unmatched=publish", "--old-site=https://old.example")
    note = LetterPage.objects.get(title="A note")
    assert note.live and (note.letter, note.pen_name) == ("", "")
    response = client.get(note.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(class_="letter__letter") is None
    assert soup.find(class_="letter__greeting") is None
    assert soup.find(class_="letter__signature") is None
    assert soup.find(class_="letter__salutation").get_text(strip=True) == "Dear reader,"
    assert soup.find(class_="prose").get_text(strip=True) == "Shop news, no letter."
    # It is live, so its old address redirects to it.
    old = client.get("/2024/05/03/letter-2/")
    assert (old.status_code, old["Location"]) == (301, note.url)
    # Not public on WordPress: still a draft, with no redirect.
    plan = LetterPage.objects.get(title="A plan")
    assert not plan.live
    assert client.get("/2024/05/03/letter-3/").status_code == 404
    # Listed under its own heading with its WordPress status; the draft waits for review.
    assert [line.split(": no greeting")[0] for line in listed(out, HEADING)] == [
        '    - "A note" (post 2, published on WordPress)'
    ]
    assert [line.split(": no greeting")[0] for line in listed(out, "  Needs review")] == [
        '    - "A plan" (post 3, draft on WordPress)'
    ]
    assert any(line.startswith("  Letters:    2 published, 1 kept as drafts") for line in out), out


def test_without_a_default_salutation_a_post_published_as_it_was_opens_with_none(
    client, column, export
):
    run(export, "--unmatched=publish", "--old-site=https://old.example")
    note = LetterPage.objects.get(title="A note")
    soup = BeautifulSoup(client.get(note.url).content, "html.parser")
    assert soup.find(class_="letter__salutation") is None
    assert "A reader" not in soup.get_text()
