"""The column is written in British English: the language the pages, feeds and dates declare."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Locale, Page


@pytest.mark.django_db
def test_pages_declare_british_english_and_show_british_dates(client, make_letter):
    letter = make_letter("Which strap?", date=datetime.date(2026, 11, 30))
    for url in (letter.url, "/dear-pursebop/", "/"):
        html = client.get(url).content.decode()
        assert '<html lang="en-gb">' in html, url
    html = client.get(letter.url).content.decode()
    assert '<time datetime="2026-11-30">30 November 2026</time>' in html
    assert "Nov. 30" not in html and "November 30" not in html


@pytest.mark.django_db
def test_feeds_declare_british_english(client, make_letter):
    make_letter()
    rss = ET.fromstring(client.get("/dear-pursebop/feed/").content)
    assert rss.find("channel").findtext("language") == "en-gb"


@pytest.mark.django_db
def test_wagtail_finds_its_default_locale_for_en_gb(admin_client, column):
    """Wagtail's locale row says "en"; pages created under "en-gb" go into it, not a new one."""
    assert Locale.get_default().language_code == "en"
    assert Locale.objects.count() == 1
    response = admin_client.get(f"/admin/pages/add/advice/letterpage/{column.pk}/")
    assert response.status_code == 200
    assert all(page.locale.language_code == "en" for page in Page.objects.all())
