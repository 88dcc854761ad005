"""A letter's feed text (advice.models.LetterFeedText): made when the letter is published, read
by the feed instead of cleaning each letter again, kept right as the letter is edited,
republished, unpublished or moved, and made for letters that have none."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice import feeds
from advice.models import LetterFeedText, LetterPage

CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
FEED = "/dear-pursebop/feed/"


def contents(client, url=FEED):
    response = client.get(url)
    assert response.status_code == 200
    return [item.findtext(CONTENT_ENCODED) for item in ET.fromstring(response.content).iter("item")]


@pytest.mark.django_db
def test_publishing_a_letter_stores_its_cleaned_text_for_the_feed(client, make_letter):
    letter = make_letter(
        "Stored?", letter='<p>Mine <a href="/x/">here</a><script>alert(1)</script>.</p>'
    )
    stored = LetterFeedText.objects.get(page=letter)
    assert stored.base_url == "http://testserver" + letter.url
    assert stored.letter_html == '<p>Mine <a href="http://testserver/x/">here</a>alert(1).</p>'
    assert "Answer text number" in stored.answer_html
    [content] = contents(client)
    assert stored.letter_html in content and stored.answer_html in content


@pytest.mark.django_db
def test_the_feed_reads_the_stored_text_and_cleans_nothing(client, make_letter, monkeypatch):
    for n in range(3):
        make_letter(f"Letter {n}?")
    cleaned = []
    monkeypatch.setattr(feeds, "feed_parts", lambda *args: cleaned.append(args) or ("", ""))
    with CaptureQueriesContext(connection) as queries:
        assert len(contents(client)) == 3
    assert cleaned == []
    assert not [
        q for q in queries if "advice_letterfeedtext" in q["sql"] and "JOIN" not in q["sql"]
    ]


@pytest.mark.django_db
def test_an_edit_shows_once_republished_and_an_unpublished_letter_keeps_no_text(
    client, make_letter
):
    letter = make_letter("Edited?", letter="<p>First words.</p>")
    letter = LetterPage.objects.get(pk=letter.pk)
    letter.letter = "<p>Second words.</p>"
    revision = letter.save_revision()
    assert "First words." in contents(client)[0]  # a draft is not what readers get
    revision.publish()
    assert "Second words." in contents(client)[0] and "First words." not in contents(client)[0]
    LetterPage.objects.get(pk=letter.pk).unpublish()
    assert not LetterFeedText.objects.filter(page_id=letter.pk).exists()
    assert contents(client) == []


@pytest.mark.django_db
def test_a_letter_without_text_or_made_for_another_address_is_made_as_it_is_read(
    client, make_letter
):
    kept = make_letter("Kept?", letter="<p>Kept words.</p>")
    missing = make_letter("Missing?", letter="<p>Missing words.</p>")
    LetterFeedText.objects.filter(page=missing).delete()
    LetterFeedText.objects.filter(page=kept).update(
        base_url="http://old.example/x/", letter_html="<p>Old address.</p>"
    )
    joined = "".join(contents(client))
    assert "Missing words." in joined and "Kept words." in joined and "Old address" not in joined

    assert call_command("make_feed_texts") is None
    assert LetterFeedText.objects.filter(page=missing).exists()
    call_command("make_feed_texts", "--all")
    assert LetterFeedText.objects.get(page=kept).letter_html == "<p>Kept words.</p>"


@pytest.mark.django_db
def test_a_columnist_renamed_shows_in_the_feed_without_republishing(client, make_letter):
    letter = make_letter("Named?")
    letter.columnist.name = "Robin Vale"
    letter.columnist.save()
    assert "<p>Robin Vale, Columnist</p>" in contents(client)[0]
