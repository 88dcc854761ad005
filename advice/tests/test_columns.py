"""Several columns on one site: each greets readers its own way and keeps its own archives,
links and feeds under its own address; the home page shows them all."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from advice.models import AdviceIndexPage, Topic
from testing.pages import listed, publish_child

SECOND = "/the-workbench/"
ATOM_SELF = "{http://www.w3.org/2005/Atom}link"


@pytest.fixture
def second_column(home_page):
    return publish_child(
        home_page,
        AdviceIndexPage(
            title="The Workbench",
            slug="the-workbench",
            intro="<p>Repairs and how bags are made.</p>",
            greeting="Dear Workbench,",
        ),
    )


@pytest.fixture
def zips(db):
    return Topic.objects.create(name="Hardware & zips", slug="hardware-zips")


def get_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup):
    return [a.get_text() for a in soup.select(".card__title a")]


def channel(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def item_titles(rss_channel):
    return [item.findtext("title") for item in rss_channel.findall("item")]


@pytest.mark.django_db
def test_each_column_greets_readers_its_own_way(client, column, second_column, make_letter):
    first = make_letter("In the first column?")
    second = make_letter("In the second column?", parent=second_column)

    greeting = get_soup(client, second.url).find(class_="letter__greeting").get_text()
    assert greeting == "Dear Workbench,"
    greeting = get_soup(client, first.url).find(class_="letter__greeting").get_text()
    assert greeting == "Dear PurseBop,"


@pytest.mark.django_db  # a new page looks up its content type
def test_a_column_without_a_greeting_is_greeted_by_its_title():
    assert AdviceIndexPage(title="Ask the Atelier").get_greeting() == "Dear Ask the Atelier,"
    assert AdviceIndexPage(title="Dear Prudence").get_greeting() == "Dear Prudence,"
    assert AdviceIndexPage(title="Dear Prudence", greeting="Hi P,").get_greeting() == "Hi P,"


@pytest.mark.django_db
def test_a_letters_links_point_under_its_own_column(
    client, column, second_column, make_letter, topic, columnist
):
    make_letter("First column, same topic?", topics=[topic])
    letter = make_letter("Second column?", parent=second_column, topics=[topic])

    soup = get_soup(client, letter.url)

    kicker = [(a.get_text(), a["href"]) for a in soup.select(".kicker a")]
    assert kicker == [
        ("The Workbench", SECOND),
        ("Special orders", SECOND + "topic/special-orders/"),
    ]
    byline = soup.select_one(".byline a")["href"]
    assert byline == SECOND + "columnist/avery-stone/"
    feed = soup.find("link", rel="alternate", type="application/rss+xml")
    assert (feed["href"], feed["title"]) == (SECOND + "feed/", "The Workbench")
    for href in (kicker[1][1], byline):
        assert card_titles(get_soup(client, href)) == ["Second column?"]


@pytest.mark.django_db
def test_the_second_columns_feed_has_its_own_title_and_only_its_letters(
    client, column, second_column, make_letter
):
    make_letter("In the first column?")
    older = make_letter("Older at the bench?", parent=second_column)
    newer = make_letter("Newer at the bench?", parent=second_column)

    rss = channel(client, SECOND + "feed/")

    assert rss.findtext("title") == "The Workbench"
    assert rss.findtext("link") == "http://testserver/the-workbench/"
    assert rss.find(ATOM_SELF).get("href") == "http://testserver/the-workbench/feed/"
    assert rss.findtext("description") == "Repairs and how bags are made."
    assert item_titles(rss) == ["Newer at the bench?", "Older at the bench?"]
    links = [item.findtext("link") for item in rss.findall("item")]
    assert links == [newer.full_url, older.full_url]
    assert item_titles(channel(client, "/dear-pursebop/feed/")) == ["In the first column?"]


@pytest.mark.django_db
def test_a_topic_archive_and_its_feed_under_the_second_column(
    client, column, second_column, make_letter, topic, zips
):
    make_letter("First column, special order?", topics=[topic])
    make_letter("Bench, special order?", parent=second_column, topics=[topic])
    make_letter("Bench, a zip?", parent=second_column, topics=[zips])

    url = SECOND + "topic/special-orders/"
    soup = get_soup(client, url)
    assert card_titles(soup) == ["Bench, special order?"]
    assert soup.title.string == "Special orders · The Workbench · Dear PurseBop"
    assert soup.select_one(".kicker a")["href"] == SECOND
    sidebar = [a["href"] for a in soup.select(".topic-list a")]
    assert sidebar == [SECOND + "topic/hardware-zips/", url]
    feed = soup.find("link", rel="alternate", type="application/rss+xml")["href"]
    assert feed == url + "feed/"
    assert soup.find("a", string="RSS feed")["href"] == feed

    rss = channel(client, feed)
    assert rss.findtext("title") == "The Workbench: Special orders"
    assert rss.findtext("link") == "http://testserver" + url
    assert rss.find(ATOM_SELF).get("href") == "http://testserver" + feed
    assert item_titles(rss) == ["Bench, special order?"]


@pytest.mark.django_db
def test_the_second_columns_month_archive(client, second_column, make_letter):
    letter = make_letter("At the bench in January?", parent=second_column)
    month = f"{SECOND}{letter.date.year}/{letter.date.month}/"
    soup = get_soup(client, SECOND)
    assert [a["href"] for a in soup.select("#browse-archive + ul a")] == [month]
    assert card_titles(get_soup(client, month)) == ["At the bench in January?"]


@pytest.mark.django_db
def test_renaming_a_topic_redirects_its_archive_and_feed_in_every_column(
    client, column, second_column, make_letter, topic
):
    make_letter(topics=[topic])
    make_letter(parent=second_column, topics=[topic])
    topic.slug = "made-to-order"
    topic.save()

    for base in ("/dear-pursebop/", SECOND):
        for old, new in [
            ("topic/special-orders/", "topic/made-to-order/"),
            ("topic/special-orders/feed/", "topic/made-to-order/feed/"),
        ]:
            response = client.get(base + old)
            assert response.status_code == 301, base + old
            assert response["Location"] == base + new
            assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_home_page_shows_every_column_and_names_each_cards_column(
    client, column, second_column, make_letter, topic, zips
):
    make_letter("First column?", topics=[topic])
    make_letter("At the bench?", parent=second_column, topics=[topic, zips])

    soup = get_soup(client, "/")

    cards = [
        (card.select_one(".card__kicker").get_text(), card.select_one(".card__title").get_text())
        for card in soup.select(".home-latest .card")
    ]
    assert cards == [("The Workbench", "At the bench?"), ("Dear PurseBop", "First column?")]
    head_links = [(a.get_text(), a["href"]) for a in soup.select(".section-head a")]
    assert head_links == [("Dear PurseBop", "/dear-pursebop/"), ("The Workbench", SECOND)]
    topics = soup.find(id="topics-title").parent
    assert [h3.get_text() for h3 in topics.find_all("h3")] == ["Dear PurseBop", "The Workbench"]
    links = [(a.get_text(" ", strip=True), a["href"]) for a in topics.select(".topic-list a")]
    assert links == [
        ("Special orders 1 letters", "/dear-pursebop/topic/special-orders/"),
        ("Hardware & zips 1 letters", SECOND + "topic/hardware-zips/"),
        ("Special orders 1 letters", SECOND + "topic/special-orders/"),
    ]
    for _name, href in links:
        assert card_titles(get_soup(client, href))


@pytest.mark.django_db
def test_with_one_column_the_home_page_stays_as_it_was(client, column, make_letter, topic):
    make_letter("Only column?", topics=[topic])
    soup = get_soup(client, "/")
    assert soup.select(".home-latest .card__kicker") == []
    assert [a["href"] for a in soup.select(".section-head a")] == ["/dear-pursebop/"]
    assert soup.find(id="topics-title").parent.find("h3") is None
    links = [a["href"] for a in soup.select("#topics-title + ul a")]
    assert links == ["/dear-pursebop/topic/special-orders/"]


@pytest.mark.django_db
def test_the_main_navigation_lists_every_column_in_the_menu(client, column, second_column):
    for page in (column, second_column):
        page.show_in_menus = True
        page.save_revision().publish()
    soup = get_soup(client, "/")
    nav = [(a.get_text(), a["href"]) for a in soup.select(".site-nav a")]
    assert nav == [("Dear PurseBop", "/dear-pursebop/"), ("The Workbench", SECOND)]
    current = get_soup(client, SECOND).select_one('.site-nav a[aria-current="page"]')
    assert current["href"] == SECOND


@pytest.mark.django_db
def test_the_sidebar_offers_only_this_columns_topics_and_months(
    client, make_letter, topic, second_column, page_cache_off
):
    elsewhere = Topic.objects.create(name="Workbench only", slug="workbench-only")
    make_letter("March?", topics=[topic], date=datetime.date(2024, 3, 30))
    make_letter("Early March?", date=datetime.date(2024, 3, 1))
    make_letter("January?", date=datetime.date(2024, 1, 15))
    make_letter("Years before?", date=datetime.date(2021, 11, 2))
    make_letter("At the bench?", topics=[elsewhere], parent=second_column)
    soup = BeautifulSoup(client.get("/dear-pursebop/").content, "html.parser")
    assert [a.get_text() for a in soup.select(".topic-list a")] == ["Special orders"]
    assert [a.get_text() for a in soup.select("#browse-archive + ul a")] == [
        "March 2024",
        "January 2024",
        "November 2021",
    ]


@pytest.mark.django_db
def test_a_topics_pages_count_only_its_letters_in_this_column(
    client, column, second_column, make_letter, topic, page_cache_off
):
    column.letters_per_page = 2
    column.save_revision().publish()
    for n in range(4):
        make_letter(f"On the topic {n}?", topics=[topic])
    make_letter("Elsewhere on the topic?", topics=[topic], parent=second_column)
    make_letter("Withdrawn on the topic?", topics=[topic]).unpublish()
    make_letter("Off the topic?")
    url = "/dear-pursebop/topic/special-orders/"
    status = get_soup(client, url).select_one(".pagination__status").get_text()
    assert status == "Page 1 of 2"
    assert listed(client, url + "?page=2") == ["On the topic 1?", "On the topic 0?"]
