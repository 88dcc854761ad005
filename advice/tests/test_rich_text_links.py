"""A crafted link in a letter: refused on save with the text kept, shown as plain text when
one is already stored (the letter, the column's feed and the letter's editor all answer), and
unwrapped by `manage.py repair_rich_text`."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.management import call_command
from wagtail.blocks import RichTextBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.test.utils.form_data import rich_text, streamfield

from advice.models import LetterPage
from advice.tests.test_editor_experience import letter_form

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

BAD_LINK = '<p>Ask at <a linktype="page" id="abc">the boutique</a> first.</p>'


def crafted_contentstate(page_id):
    """What a browser posts for a link whose page id was edited by hand."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "Ask at the boutique first.",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 7, "length": 12, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": page_id}}},
        }
    )


def store_bad_link(letter):
    """A bad link already stored, as it was before links were checked (no validation)."""
    LetterPage.objects.filter(pk=letter.pk).update(letter=BAD_LINK)
    letter.refresh_from_db()
    return letter


@pytest.mark.django_db
def test_a_stored_bad_link_shows_as_text_on_the_letter_feed_and_editor(
    client, admin_client, make_letter
):
    letter = store_bad_link(make_letter("Where do I ask?"))
    page = client.get(letter.url)
    assert page.status_code == 200
    body = BeautifulSoup(page.content, "html.parser")
    assert "Ask at the boutique first." in body.get_text()
    assert all(a.get_text() != "the boutique" or not a.get("href") for a in body.find_all("a"))

    assert client.get("/dear-pursebop/feed/").status_code == 200
    editor = admin_client.get(f"/admin/pages/{letter.pk}/edit/")
    assert editor.status_code == 200
    assert b"the boutique" in editor.content


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", ["abc", "-3", "0", "99999999999999999999"])
def test_the_editor_refuses_a_link_whose_page_id_is_not_a_page_number(
    admin_client, make_letter, topic, columnist, page_id
):
    letter = make_letter("Where do I ask?", topics=[topic])
    form = letter_form(
        topic, columnist, title=letter.title, slug=letter.slug, letter=crafted_contentstate(page_id)
    )
    response = admin_client.post(f"/admin/pages/{letter.pk}/edit/", form)
    assert response.status_code == 200  # the form again, not saved
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "which is not a page number" in text
    assert "the boutique" in response.content.decode()  # what they typed is kept
    letter.refresh_from_db()
    assert "linktype" not in letter.letter
    assert not letter.get_latest_revision().content["letter"].count('id="')


@pytest.mark.django_db
def test_an_answer_paragraph_refuses_a_bad_link_too(admin_client, make_letter, topic, columnist):
    letter = make_letter("Where do I ask?", topics=[topic])
    form = letter_form(
        topic,
        columnist,
        title=letter.title,
        slug=letter.slug,
        answer=streamfield([("paragraph", crafted_contentstate("abc"))]),
    )
    response = admin_client.post(f"/admin/pages/{letter.pk}/edit/", form)
    assert response.status_code == 200
    assert "which is not a page number" in response.content.decode()
    form["answer-0-value"] = rich_text(f'<p>See <a linktype="page" id="{letter.pk}">this</a>.</p>')
    assert admin_client.post(f"/admin/pages/{letter.pk}/edit/", form).status_code == 302


def rich_text_blocks(block):
    if isinstance(block, RichTextBlock):
        yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from rich_text_blocks(child)
    if getattr(block, "child_block", None) is not None:
        yield from rich_text_blocks(block.child_block)


def test_every_rich_text_field_and_block_checks_its_links():
    from guard.richtext import validate_rich_text

    unchecked = []
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"advice", "comments", "mailbag", "guard"}:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, RichTextField) and validate_rich_text not in field.validators:
                unchecked.append(f"{model.__name__}.{field.name}")
            if isinstance(field, StreamField):
                for block in rich_text_blocks(field.stream_block):
                    if validate_rich_text not in block.field.validators:
                        unchecked.append(f"{model.__name__}.{field.name}: {block.name}")
    assert unchecked == []


@pytest.mark.django_db
def test_repair_rich_text_unwraps_stored_bad_links_keeping_their_words(make_letter):
    good = make_letter("A good one")
    letter = store_bad_link(make_letter("Where do I ask?"))
    paragraph = f'<p>See <a linktype="page" id="{good.pk}">the good one</a>, not <a linktype="page" id="0">that</a>.</p>'
    answer = [{"type": "paragraph", "value": paragraph}]
    LetterPage.objects.filter(pk=letter.pk).update(answer=json.dumps(answer))
    letter.refresh_from_db()
    revision = letter.save_revision(clean=False)  # the editor's latest content has them too

    out = io.StringIO()
    call_command("repair_rich_text", "--dry-run", stdout=out)
    assert f"advice.letterpage {letter.pk} letter" in out.getvalue()
    assert "answer" in out.getvalue()
    letter.refresh_from_db()
    assert letter.letter == BAD_LINK  # a dry run changes nothing

    call_command("repair_rich_text", stdout=io.StringIO())
    letter.refresh_from_db()
    assert letter.letter == "<p>Ask at the boutique first.</p>"
    assert letter.answer.raw_data[0]["value"] == (
        f'<p>See <a linktype="page" id="{good.pk}">the good one</a>, not that.</p>'
    )
    revision.refresh_from_db()
    assert revision.content["letter"] == "<p>Ask at the boutique first.</p>"
    assert "not that." in str(revision.content["answer"])

    again = io.StringIO()
    call_command("repair_rich_text", "--dry-run", stdout=again)
    assert "Nothing to repair" in again.getvalue()
