"""The column's archive, page by page: twelve letters, five to a page."""

import pytest
from bs4 import BeautifulSoup

from advice.models import Columnist
from testing.db import module_data
from testing.pages import add_column, letter_maker, listed, site_home

COLUMN = "/dear-pursebop/"


def heading(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.find("h1").get_text()


@pytest.fixture(autouse=True)
def _db(db):
    """Every test reads the module's letters."""


@pytest.fixture(scope="module", autouse=True)
def twelve_letters(django_db_setup, django_db_blocker):
    """Letters 1 (oldest) to 12 (newest), five to an archive page: made once for the module."""
    with module_data(django_db_blocker):
        column = add_column(site_home(), letters_per_page=5)
        make = letter_maker(column, Columnist.objects.create(name="Avery Stone", slug="avery"))
        yield [make(f"Letter {n}?") for n in range(1, 13)]


def test_the_first_page_has_the_newest_letters_per_page(client):
    assert listed(client, COLUMN) == [f"Letter {n}?" for n in (12, 11, 10, 9, 8)]
    html = client.get(COLUMN).content.decode()
    assert "12 letters" in html
    assert "Page 1 of 3" in html


def test_page_two_continues_where_page_one_stopped(client):
    assert listed(client, COLUMN + "?page=2") == [f"Letter {n}?" for n in (7, 6, 5, 4, 3)]
    soup = BeautifulSoup(client.get(COLUMN + "?page=2").content, "html.parser")
    assert soup.find("a", rel="prev")["href"] == COLUMN  # the first page's canonical address
    assert soup.find("a", rel="next")["href"] == "?page=3"
    assert soup.find("link", rel="canonical")["href"] == "http://testserver/dear-pursebop/?page=2"


def test_a_page_beyond_the_end_shows_the_last_page(client):
    assert listed(client, COLUMN + "?page=999") == ["Letter 2?", "Letter 1?"]
    assert listed(client, COLUMN + "?page=3") == ["Letter 2?", "Letter 1?"]


def test_a_page_number_beyond_any_database_integer_shows_the_last_page(client):
    """Found by fuzzing: its offset overflowed SQL's 64-bit integers (a database error, 503)."""
    for number in ("99999999999999999999999", str(2**63 // 5 + 1), str(10**400)):
        assert listed(client, f"{COLUMN}?page={number}") == ["Letter 2?", "Letter 1?"], number


def test_a_malformed_page_number_shows_a_page_never_an_error(client):
    first = [f"Letter {n}?" for n in (12, 11, 10, 9, 8)]
    last = ["Letter 2?", "Letter 1?"]
    expected = {"abc": first, "": first, "1.5": first, "%00": first, "0": last, "-1": last}
    for page, titles in expected.items():
        assert listed(client, f"{COLUMN}?page={page}") == titles, page
