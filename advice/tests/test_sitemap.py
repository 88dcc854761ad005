"""The sitemap at scale: an index of sections, letters in pages, every answer cached until a
page changes. (What it lists: test_feeds_and_sitemap.py.)"""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)


def sections(client):
    _response, index = get(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def locations(client, url):
    parts = urlsplit(url)
    _response, sitemap = get(client, f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return [loc.text for loc in sitemap.findall("sm:url/sm:loc", NS)]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_letters_are_listed_in_pages_of_their_own(client, settings, make_letter, make_guide):
    settings.SITEMAP_LETTERS_PER_PAGE = 2
    letters = [make_letter() for _ in range(5)]
    guide = make_guide("A guide", "a-guide")

    listed = sections(client)
    assert listed == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-letters.xml",
        "http://testserver/sitemap-letters.xml?p=2",
        "http://testserver/sitemap-letters.xml?p=3",
    ]
    pages = locations(client, listed[0])
    assert guide.full_url in pages
    assert "http://testserver/dear-pursebop/" in pages
    assert not any(letter.full_url in pages for letter in letters)
    by_page = [locations(client, url) for url in listed[1:]]
    assert [len(found) for found in by_page] == [2, 2, 1]
    assert sum(by_page, []) == [letter.full_url for letter in letters]  # tree order


@pytest.mark.django_db
def test_a_letters_page_costs_the_same_queries_however_many_letters(client, make_letter):
    from django.core.cache import cache

    def uncached():
        cache.clear()
        return queries(client, "/sitemap-letters.xml")

    make_letter()
    uncached()  # the process's first request reads what it then keeps (content types)
    few = uncached()
    for _ in range(8):
        make_letter()
    assert uncached() == few


@pytest.mark.django_db
def test_answers_are_cached_until_a_page_is_published_or_unpublished(client, make_letter):
    first = make_letter()
    assert locations(client, "/sitemap-letters.xml") == [first.full_url]
    assert queries(client, "/sitemap-letters.xml") == 0
    assert queries(client, "/sitemap.xml") > 0
    assert queries(client, "/sitemap.xml") == 0

    second = make_letter()  # published
    assert locations(client, "/sitemap-letters.xml") == [first.full_url, second.full_url]

    first.unpublish()
    assert locations(client, "/sitemap-letters.xml") == [second.full_url]

    second.delete()
    assert locations(client, "/sitemap-letters.xml") == []


@pytest.mark.django_db
def test_a_cached_answer_keeps_its_headers(client, make_letter):
    make_letter()
    fresh = client.get("/sitemap-letters.xml")
    kept = client.get("/sitemap-letters.xml")
    assert kept.content == fresh.content
    assert kept["Content-Type"] == fresh["Content-Type"] == "application/xml"
    assert kept["X-Robots-Tag"] == fresh["X-Robots-Tag"]
    assert kept["Last-Modified"] == fresh["Last-Modified"]


@pytest.mark.django_db
def test_other_query_parameters_share_the_cached_answer(client, make_letter):
    make_letter()
    client.get("/sitemap-letters.xml")
    assert queries(client, "/sitemap-letters.xml?utm_source=x") == 0
    assert client.get("/sitemap-letters.xml?p=9").status_code == 404
    assert client.get("/sitemap-letters.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.django_db
def test_the_index_costs_the_same_queries_however_many_letters_and_dates_the_newest(
    client, make_letter
):
    from django.core.cache import cache
    from django.utils.http import http_date

    def uncached():
        cache.clear()
        return queries(client, "/sitemap.xml")

    make_letter()
    uncached()  # the process's first request reads what it then keeps (content types)
    few = uncached()
    letters = [make_letter() for _ in range(6)]
    assert uncached() == few

    # An old letter published again is the newest: the index says so, found by the page
    # table's index of last publication rather than a pass over every letter.
    letters[0].save_revision().publish()
    letters[0].refresh_from_db()
    cache.clear()
    response = client.get("/sitemap.xml")
    assert response["Last-Modified"] == http_date(letters[0].last_published_at.timestamp())
    assert len(sections(client)) == 2  # pages, and the one page of letters
