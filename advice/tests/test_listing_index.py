"""Listings newest first read an index, never every letter's row (issue 13).

The column and its topic pages read the column's list of letters (advice.models.listing)
by its (column, date, letter) index; the home page and search walk the letters' (date, id)
index, testing each against that list. These tests hold what that must keep true: the
order follows publishing, unpublishing and a changed date, restricted letters are neither
listed nor counted, later pages cost what the first does, and (on SQLite) the indexes are
what the listings read. test_listed_letters.py holds the list itself to the page tree.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from advice.models import LetterPage, ListedLetter

COLUMN = "/dear-pursebop/"

# What rendering costs: the page cache would answer a second view without rendering.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def cards(soup):
    return [a.get_text() for a in soup.select(".card__title a")]


def months(soup):
    return [a.get_text() for a in soup.select("#browse-archive ~ ul a")]


def home_topic_counts(soup):
    return [" ".join(a.get_text().split()) for a in soup.select("#topics-title ~ ul a")]


def test_the_order_follows_publishing_unpublishing_and_a_changed_date(client, make_letter, topic):
    oldest = make_letter("Oldest?", date=datetime.date(2024, 1, 5), topics=[topic])
    middle = make_letter("Middle?", date=datetime.date(2025, 3, 9), topics=[topic])
    make_letter("Newest?", date=datetime.date(2026, 2, 1), topics=[topic])
    topic_url = f"{COLUMN}topic/{topic.slug}/"

    soup = soup_of(client, COLUMN)
    assert cards(soup) == ["Newest?", "Middle?", "Oldest?"]
    assert "3 letters" in soup.select_one(".page-head__meta").get_text()
    assert months(soup) == ["February 2026", "March 2025", "January 2024"]

    middle.unpublish()
    soup = soup_of(client, COLUMN)
    assert cards(soup) == ["Newest?", "Oldest?"]
    assert "2 letters" in soup.select_one(".page-head__meta").get_text()
    assert months(soup) == ["February 2026", "January 2024"]
    assert cards(soup_of(client, topic_url)) == ["Newest?", "Oldest?"]
    assert home_topic_counts(soup_of(client, "/")) == ["Special orders 2 letters"]

    middle.save_revision().publish()
    assert cards(soup_of(client, COLUMN)) == ["Newest?", "Middle?", "Oldest?"]

    oldest.date = datetime.date(2027, 7, 1)
    oldest.save_revision().publish()
    soup = soup_of(client, COLUMN)
    assert cards(soup) == ["Oldest?", "Newest?", "Middle?"]
    assert months(soup) == ["July 2027", "February 2026", "March 2025"]
    assert cards(soup_of(client, topic_url)) == ["Oldest?", "Newest?", "Middle?"]
    assert cards(soup_of(client, "/"))[:3] == ["Oldest?", "Newest?", "Middle?"]


def test_letters_on_the_same_day_are_newest_first_by_id(client, make_letter):
    day = datetime.date(2025, 5, 5)
    made = [make_letter(f"Same day {n}?", date=day) for n in range(3)]
    assert cards(soup_of(client, COLUMN)) == [letter.title for letter in reversed(made)]


def test_a_restricted_letter_is_neither_listed_nor_counted(client, make_letter, topic):
    make_letter("Public?", date=datetime.date(2025, 1, 1), topics=[topic])
    private = make_letter("Private?", date=datetime.date(2026, 1, 1), topics=[topic])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    soup = soup_of(client, COLUMN)
    assert cards(soup) == ["Public?"]
    assert "1 letter " in soup.select_one(".page-head__meta").get_text() + " "
    assert months(soup) == ["January 2025"]
    assert cards(soup_of(client, f"{COLUMN}topic/{topic.slug}/")) == ["Public?"]
    home = soup_of(client, "/")
    assert "Private?" not in cards(home)
    assert home_topic_counts(home) == ["Special orders 1 letters"]


def count_queries(client, url):
    assert client.get(url).status_code == 200  # renditions made, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), BeautifulSoup(response.content, "html.parser")


def test_search_pages_cost_the_same_whatever_the_page(client, make_letter):
    for n in range(25):
        make_letter(f"Quokka {n}?", letter="<p>A quokka bag.</p>", date=datetime.date(2025, 1, 1))
    first, soup = count_queries(client, "/search/?q=quokka")
    assert len(soup.select(".search-result")) >= 10
    last, soup = count_queries(client, "/search/?q=quokka&page=3")
    assert [a.get_text() for a in soup.select(".search-result .card__title a")] == [
        f"Quokka {n}?" for n in (4, 3, 2, 1, 0)
    ]
    assert soup.select_one(".search__summary").get_text().startswith("25 letters")
    assert last <= first  # the first page also looks for guides


def test_the_listing_indexes_are_in_the_database():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LetterPage._meta.db_table)
        listed = connection.introspection.get_constraints(cursor, ListedLetter._meta.db_table)
    assert constraints["advice_letter_date_order"]["columns"] == ["date", "page_ptr_id"]
    assert constraints["advice_letter_date_order"]["index"]
    assert listed["advice_listed_order"]["columns"] == ["column_id", "date", "letter_id"]
    assert listed["advice_listed_order"]["index"]


def query_plan(sql):
    with connection.cursor() as cursor:
        return " | ".join(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, read by EXPLAIN")
def test_on_sqlite_the_column_reads_its_listing_index_and_no_letter_it_does_not_show(
    client, make_letter
):
    for n in range(12):
        make_letter(f"Letter {n}?", date=datetime.date(2025, 1, 1 + n))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COLUMN + "?page=2").status_code == 200
    listing = next(q["sql"] for q in queries.captured_queries if "listing_total" in q["sql"])
    plan = query_plan(listing)
    # The page's ids and the count come off the column's index alone ...
    assert "SEARCH U0 USING COVERING INDEX advice_listed_order (column_id=?)" in plan, plan
    # ... and the letters' and pages' rows are read only for those ids, never scanned.
    assert "SCAN advice_letterpage " not in plan + " ", plan
    assert "SCAN wagtailcore_page " not in plan + " ", plan
    assert "SCAN U0" not in plan, plan
    sidebar = next(q["sql"] for q in queries.captured_queries if "WITH RECURSIVE" in q["sql"])
    plan = query_plan(sidebar)
    assert "SCAN wagtailcore_page " not in plan + " ", plan
    assert "USING COVERING INDEX advice_listed_order (column_id=?)" in plan, plan
    # The view restrictions are found by the restrictions' and the paths' indexes.
    restrictions = next(
        q["sql"] for q in queries.captured_queries if "pageviewrestriction" in q["sql"]
    )
    assert "SCAN wagtailcore_page " not in query_plan(restrictions) + " "


@pytest.mark.parametrize(
    "few, probe_cost",
    [(100, 50), (0, 0), (0, 10**9)],
    ids=["rare word", "common word walked", "common word read whole"],
)
def test_a_rare_and_a_common_word_find_the_same_letters_in_the_same_order(
    client, make_letter, monkeypatch, few, probe_cost
):
    """On SQLite a word with few matches looks its letters up by id, a common one walks the
    date index probing each letter, or (far from the start, advice.search.Matches.walks)
    reads every match once: the reader sees the same every way."""
    monkeypatch.setattr("advice.search.FEW_MATCHES", few)
    monkeypatch.setattr("advice.search.WALK_PROBE_COST", probe_cost)
    for n in range(12):
        make_letter(
            f"Order {n}?", letter="<p>My special orders.</p>", date=datetime.date(2025, 1, 1 + n)
        )
    make_letter("Unrelated?", letter="<p>A strap.</p>")
    soup = soup_of(client, "/search/?q=special+order")
    assert [a.get_text() for a in soup.select(".search-result .card__title a")] == [
        f"Order {n}?" for n in range(11, 1, -1)
    ]
    assert soup.select_one(".search__summary").get_text().startswith("12 letters")
    assert "<mark>orders</mark>" in str(soup.select_one(".search-result__snippet"))
    soup = soup_of(client, "/search/?q=special+order&page=2")
    assert [a.get_text() for a in soup.select(".search-result .card__title a")] == [
        "Order 1?",
        "Order 0?",
    ]


@pytest.mark.parametrize(
    "few, probe_cost",
    [(100, 50), (0, 0), (0, 10**9)],
    ids=["rare word", "common word walked", "common word read whole"],
)
def test_every_way_of_finding_a_word_counts_the_same_letters_and_guides(
    client, make_letter, make_guide, monkeypatch, few, probe_cost
):
    """A common word's letters are counted apart from the page of them shown, and its guides
    probed one by one (advice.search.few_matches, search_guides): the count line, the guides
    and the pages are what a rare word's would be, withdrawn and private pages left out."""
    monkeypatch.setattr("advice.search.FEW_MATCHES", few)
    monkeypatch.setattr("advice.search.WALK_PROBE_COST", probe_cost)
    body = '[{"type": "paragraph", "value": "<p>All about the tote.</p>"}]'
    for n in range(7):
        make_guide(
            f"Tote guide {n}", f"tote-guide-{n}", body=body, date=datetime.date(2025, 1, 1 + n)
        )
    make_guide("Withdrawn tote guide", "withdrawn-tote-guide", body=body).unpublish()
    private_guide = make_guide("Private tote guide", "private-tote-guide", body=body)
    PageViewRestriction.objects.create(
        page=private_guide, restriction_type="password", password="x"
    )
    for n in range(11):
        make_letter(f"Tote {n}?", letter="<p>My tote.</p>", date=datetime.date(2025, 2, 1 + n))
    make_letter("Withdrawn tote?", letter="<p>My tote.</p>").unpublish()
    private = make_letter("Private tote?", letter="<p>My tote.</p>")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    make_letter("Unrelated?", letter="<p>A strap.</p>")

    soup = soup_of(client, "/search/?q=tote")
    assert soup.select_one(".search__summary").get_text() == "11 letters and 7 guides for “tote”."
    guides = [a.get_text() for a in soup.select("#guide-results ~ .cards .card__title a")]
    assert guides == [f"Tote guide {n}" for n in range(6, 1, -1)]
    assert cards_of_letters(soup) == [f"Tote {n}?" for n in range(10, 0, -1)]
    for later in ("2", "99"):
        soup = soup_of(client, f"/search/?q=tote&page={later}")
        assert soup.select_one(".search__summary").get_text().startswith("11 letters and 7 guides")
        assert cards_of_letters(soup) == ["Tote 0?"]


def cards_of_letters(soup):
    return [a.get_text() for a in soup.select("#letter-results ~ .cards .card__title a")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, read by EXPLAIN")
@pytest.mark.parametrize("probe_cost", [0, 10**9], ids=["walked", "read whole"])
def test_on_sqlite_a_common_word_is_mapped_through_the_index_not_the_entries_rows(
    client, make_letter, monkeypatch, probe_cost
):
    """A common word's letters are counted by reading its matches once, each entry looked up
    in the (id, content type, object id) index; its page of letters walks the date index,
    each letter's entry found through Wagtail's (content type, object id) index (probed, or
    tested against the matches read once). No entry's row, which holds a page's whole text,
    is read."""
    monkeypatch.setattr("advice.search.FEW_MATCHES", 0)  # every word is common
    monkeypatch.setattr("advice.search.WALK_PROBE_COST", probe_cost)
    make_letter("Quokka?", letter="<p>A quokka bag.</p>")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/?q=quokka").status_code == 200
    count = next(q["sql"] for q in queries.captured_queries if "count(*)" in q["sql"])
    plan = query_plan(count)
    assert "SEARCH entry USING COVERING INDEX advice_search_entry_by_id (id=?" in plan, plan
    assert "SEARCH entry USING INTEGER PRIMARY KEY" not in plan, plan
    listing = next(
        q["sql"]
        for q in queries.captured_queries
        if '"advice_letterpage"."answer"' in q["sql"] and "MATCH" in q["sql"]
    )
    plan = query_plan(listing)
    assert "SEARCH entry USING COVERING INDEX" in plan, plan
    assert "SEARCH entry USING INTEGER PRIMARY KEY" not in plan, plan
    assert "USING COVERING INDEX advice_letter_date_order" in plan, plan
    if probe_cost:  # every match read once, each entry looked up by id
        assert "SEARCH entry USING COVERING INDEX advice_search_entry_by_id (id=?" in plan, plan
    else:  # each letter walked probed by its entry's rowid
        assert "CORRELATED SCALAR SUBQUERY" in plan, plan
        assert "VIRTUAL TABLE INDEX 0:=M" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, read by EXPLAIN")
def test_on_sqlite_a_rare_words_letters_are_looked_up_by_id(client, make_letter):
    make_letter("Quokka?", letter="<p>A quokka bag.</p>")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/?q=quokka").status_code == 200
    listing = next(q["sql"] for q in queries.captured_queries if "listing_total" in q["sql"])
    plan = query_plan(listing)
    assert "SEARCH entry USING INTEGER PRIMARY KEY" in plan, plan
    assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan
