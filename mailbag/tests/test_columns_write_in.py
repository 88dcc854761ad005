"""Each column has its own write-in page, under it: a reader of The Workbench writes to The
Workbench, the letter is filed there and found under the inbox's Workbench filter, and the
form offers only the topics of The Workbench's letters."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from advice.models import Topic
from mailbag.models import ReaderLetter
from mailbag.tests.test_inbox import LIST, make_user, names
from testing.letters import add_write_in_page, post_letter
from testing.pages import add_column, letter_maker


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def workbench(home_page, columnist):
    return add_column(home_page, title="The Workbench", slug="the-workbench")


@pytest.fixture
def topics(column, workbench, columnist):
    """Special orders filed in Dear PurseBop, Zips in The Workbench, Care in both, Travel in
    none."""
    special = Topic.objects.create(name="Special orders", slug="special-orders")
    zips = Topic.objects.create(name="Zips and hardware", slug="zips")
    care = Topic.objects.create(name="Care", slug="care")
    Topic.objects.create(name="Travel", slug="travel")
    letter_maker(column, columnist)(topics=[special, care])
    letter_maker(workbench, columnist)(topics=[zips, care], slug="worn-zip")
    return {"special": special, "zips": zips, "care": care}


@pytest.fixture
def pages(column, workbench):
    return {
        "pursebop": add_write_in_page(column),
        "workbench": add_write_in_page(workbench, title="Write to The Workbench"),
    }


def test_each_columns_page_lives_under_it_and_is_headed_with_its_name(
    client, column, workbench, pages
):
    assert pages["pursebop"].url == "/dear-pursebop/write/"
    assert pages["workbench"].url == "/the-workbench/write/"
    for key, heading, kicker in (
        ("pursebop", "Write to PurseBop", "Dear PurseBop"),
        ("workbench", "Write to The Workbench", "The Workbench"),
    ):
        page = pages[key]
        response = client.get(page.url)
        assert response.status_code == 200
        assert soup(response).h1.text == heading
        assert soup(response).select_one(".kicker a").text == kicker
        assert page.specific.get_column() == (column if key == "pursebop" else workbench)


def test_a_reader_of_the_workbench_writes_to_the_workbench(
    client, column, workbench, pages, topics
):
    response = post_letter(client, pages["workbench"], topic=str(topics["zips"].pk))
    assert response.status_code == 302
    assert response["Location"] == "/the-workbench/write/sent/"
    stored = ReaderLetter.objects.get()
    assert (stored.column, stored.page, stored.topic) == (
        workbench,
        pages["workbench"].specific,
        topics["zips"],
    )
    sent = client.get(response["Location"])
    assert "Read the answers in The Workbench" in sent.text

    # The inbox's column filter finds it under The Workbench and not under Dear PurseBop.
    post_letter(client, pages["pursebop"], pen_name="Boutique Blues")
    client.force_login(make_user("eddie", groups=["Editors"]))
    listing = {"column": workbench.pk, "status": "all"}
    assert names(client.get(reverse(LIST), listing)) == ["Cracked in Cleveland"]
    listing["column"] = column.pk
    assert names(client.get(reverse(LIST), listing)) == ["Boutique Blues"]
    assert len(names(client.get(reverse(LIST), {"status": "all"}))) == 2


def test_the_form_offers_only_the_columns_topics(client, pages, topics):
    def offered(page):
        options = soup(client.get(page.url)).select("select[name=topic] option")
        return [option.text for option in options]

    assert offered(pages["workbench"]) == ["I’m not sure", "Care", "Zips and hardware"]
    assert offered(pages["pursebop"]) == ["I’m not sure", "Care", "Special orders"]


def test_a_topic_of_another_column_is_refused(client, pages, topics):
    response = post_letter(client, pages["workbench"], topic=str(topics["special"].pk))
    assert response.status_code == 400
    assert "Please choose one of the topics listed." in response.text
    assert not ReaderLetter.objects.exists()
    # Nor is a topic no letter of the column is filed under.
    travel = Topic.objects.get(slug="travel")
    assert post_letter(client, pages["workbench"], topic=str(travel.pk)).status_code == 400
    assert not ReaderLetter.objects.exists()


def test_an_unpublished_letter_lends_its_column_no_topic(
    client, workbench, columnist, pages, topics
):
    letter_maker(workbench, columnist)(topics=[topics["care"]], slug="saddle-soap")
    workbench.get_children().get(slug="worn-zip").specific.unpublish()
    options = soup(client.get(pages["workbench"].url)).select("select[name=topic] option")
    assert [option.text for option in options] == ["I’m not sure", "Care"]
    response = post_letter(client, pages["workbench"], topic=str(topics["zips"].pk))
    assert response.status_code == 400
    assert not ReaderLetter.objects.exists()


def test_a_column_without_topics_asks_for_none(client, workbench, pages):
    response = client.get(pages["workbench"].url)
    assert response.status_code == 200
    assert not soup(response).select("select[name=topic]")
    # A topic posted anyway is not stored: the form has no topic to choose.
    stray = Topic.objects.create(name="Stray", slug="stray")
    assert post_letter(client, pages["workbench"], topic=str(stray.pk)).status_code == 302
    stored = ReaderLetter.objects.get()
    assert (stored.column, stored.topic) == (workbench, None)


def test_a_page_left_under_the_home_page_keeps_the_column_that_chose_it(
    client, home_page, workbench
):
    """A page made before columns held their own stays where it is, for the column whose
    chooser picks it."""
    page = add_write_in_page(workbench, parent=home_page, slug="old-write")
    assert page.url == "/old-write/"
    assert post_letter(client, page).status_code == 302
    assert ReaderLetter.objects.get().column == workbench
    assert soup(client.get(page.url)).h1.text == "Write to The Workbench"


def nav_links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [(a.text, a["href"]) for a in soup(response).select(".site-nav .site-nav__write-in a")]


def test_the_site_navigation_links_the_columns_write_in_page(
    client, home_page, column, workbench, pages, topics
):
    pursebop = ("Write to PurseBop", "/dear-pursebop/write/")
    bench = ("Write to The Workbench", "/the-workbench/write/")
    letter = workbench.get_children().get(slug="worn-zip")
    for url, expected in (
        (column.url, pursebop),
        (workbench.url, bench),
        (letter.url, bench),
        (pages["workbench"].url, bench),
        (pages["workbench"].url + "sent/", bench),
        (workbench.url + "topic/zips/", bench),
        (home_page.url, pursebop),  # the home page: its first column
    ):
        assert nav_links(client, url) == [expected], url
    # On its own page the link says so.
    current = soup(client.get(pages["workbench"].url)).select_one(".site-nav__write-in a")
    assert current["aria-current"] == "page"
    # Outside any column (search), no write-in link.
    assert nav_links(client, "/search/?q=zip") == []


def test_no_navigation_link_without_a_live_write_in_page(client, column, workbench, pages):
    pages["workbench"].unpublish()
    assert nav_links(client, workbench.url) == []
    assert nav_links(client, column.url) == [("Write to PurseBop", "/dear-pursebop/write/")]
