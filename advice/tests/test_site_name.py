"""The site's name comes from Settings → Sites (WAGTAIL_SITE_NAME while it is blank), and the
footer sentence from the home page: editors change them, not templates."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site


def get_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def og_site_name(soup):
    return soup.find("meta", property="og:site_name")["content"]


def rename_site(name):
    site = Site.objects.get(is_default_site=True)
    site.site_name = name
    site.save()


@pytest.fixture
def letter(make_letter):
    return make_letter("Can a torn strap be saved?", columnist=None)


@pytest.mark.django_db
def test_a_blank_site_name_falls_back_to_the_setting(client, letter, settings):
    settings.WAGTAIL_SITE_NAME = "Purse Post"
    assert Site.objects.get(is_default_site=True).site_name == ""
    soup = get_soup(client, letter.url)
    assert soup.title.string == "Can a torn strap be saved? · Purse Post"
    assert og_site_name(soup) == "Purse Post"


@pytest.mark.django_db
def test_the_site_name_follows_settings_sites(client, letter, topic, make_letter):
    rename_site("Handbag Letters")
    make_letter(topics=[topic])

    soup = get_soup(client, letter.url)
    assert soup.title.string == "Can a torn strap be saved? · Handbag Letters"
    assert og_site_name(soup) == "Handbag Letters"
    logo = soup.select_one(".site-header .site-title")
    assert logo.get_text() == "Handbag Letters"
    assert logo.find("span").get_text() == "Letters"
    assert "PurseBop" not in soup.select_one(".site-header").get_text()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["publisher"]["name"] == "Handbag Letters"
    assert data["author"]["name"] == "Handbag Letters"  # no columnist: the site answers

    # The column no longer bears the site's name, so its pages name both; the home page
    # bearing the column's title says it is the home page.
    titles = {
        "/": "Home · Dear PurseBop · Handbag Letters",
        "/dear-pursebop/": "Dear PurseBop · Handbag Letters",
        "/dear-pursebop/topic/special-orders/": "Special orders · Dear PurseBop · Handbag Letters",
        "/search/": "Search · Handbag Letters",
    }
    for url, title in titles.items():
        assert get_soup(client, url).title.string == title, url


@pytest.mark.django_db
def test_a_column_named_like_the_renamed_site_is_named_once(client, column, topic, make_letter):
    make_letter(topics=[topic])
    rename_site("Dear PurseBop")
    soup = get_soup(client, "/dear-pursebop/topic/special-orders/")
    assert soup.title.string == "Special orders · Dear PurseBop"
    rename_site("Handbag Letters")
    column.title = "Handbag Letters"
    column.save_revision().publish()
    soup = get_soup(client, "/dear-pursebop/topic/special-orders/")
    assert soup.title.string == "Special orders · Handbag Letters"


@pytest.mark.django_db
def test_a_one_word_site_name_is_the_whole_logo(client, home_page):
    rename_site("PurseBop")
    logo = get_soup(client, "/").select_one(".site-title")
    assert logo.get_text() == "PurseBop"
    assert logo.find("span") is None


@pytest.mark.django_db
def test_the_footer_sentence_is_the_home_pages(client, home_page, letter):
    footer = get_soup(client, letter.url).select_one(".site-footer p")
    assert footer.get_text().startswith("Dear PurseBop answers readers’ questions")

    home_page.footer_text = "Letters about bags, answered with care."
    home_page.save_revision().publish()
    for url in ("/", letter.url, "/search/", "/no-such-page/"):
        response = client.get(url)
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one(".site-footer p").get_text() == (
            "Letters about bags, answered with care."
        ), url

    home_page.footer_text = ""
    home_page.save_revision().publish()
    assert get_soup(client, letter.url).select_one(".site-footer p") is None


@pytest.mark.django_db
def test_the_site_name_and_footer_cost_a_page_no_query(client, letter, page_cache_off):
    """Wagtail loads the Site and its HomePage to route the page; the templates reuse them.
    (Rendering, counted with the page cache off: a kept page costs no query for them.)"""
    rename_site("Handbag Letters")
    for url in (letter.url, "/dear-pursebop/", "/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert b"Handbag Letters" in response.content
        sql = [query["sql"] for query in queries]
        assert len([q for q in sql if 'FROM "wagtailcore_site"' in q]) == 1, url
        assert len([q for q in sql if 'FROM "advice_homepage"' in q]) <= 1, url


@pytest.mark.django_db
def test_the_500_page_names_the_site_from_settings_without_a_query(
    settings, django_assert_num_queries
):
    """Django renders it without a context: the database may be what failed."""
    settings.WAGTAIL_SITE_NAME = "Purse Post"
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.string == "Something went wrong · Purse Post"
    assert "PurseBop" not in html
