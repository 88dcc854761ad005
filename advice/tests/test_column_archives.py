"""The column's year and month archives, and the sidebar that links them."""

import datetime

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
def letters_by_month(django_db_setup, django_db_blocker):
    """Four letters around a new year, made once for the module."""
    with module_data(django_db_blocker):
        column = add_column(site_home())
        make = letter_maker(column, Columnist.objects.create(name="Avery Stone", slug="avery"))
        make("December?", date=datetime.date(2025, 12, 31))
        make("Early January?", date=datetime.date(2026, 1, 1))
        make("Late January?", date=datetime.date(2026, 1, 31))
        make("February?", date=datetime.date(2026, 2, 1))
        yield


def test_year_archive(client):
    assert listed(client, COLUMN + "2026/") == ["February?", "Late January?", "Early January?"]
    assert heading(client, COLUMN + "2026/") == "Letters from 2026"
    assert listed(client, COLUMN + "2025/") == ["December?"]


def test_month_archive(client):
    assert listed(client, COLUMN + "2026/1/") == ["Late January?", "Early January?"]
    assert listed(client, COLUMN + "2026/01/") == ["Late January?", "Early January?"]
    assert heading(client, COLUMN + "2026/1/") == "Letters from January 2026"


def test_the_sidebar_links_every_month_with_letters(client):
    soup = BeautifulSoup(client.get(COLUMN).content, "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.select("#browse-archive + ul a")]
    assert links == [
        ("February 2026", COLUMN + "2026/2/"),
        ("January 2026", COLUMN + "2026/1/"),
        ("December 2025", COLUMN + "2025/12/"),
    ]
    for _month, href in links:
        assert listed(client, href)


def test_the_sidebar_marks_the_month_being_read(client):
    def current(url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return [a.get_text() for a in soup.select('#browse-archive + ul a[aria-current="page"]')]

    assert current(COLUMN + "2026/1/") == ["January 2026"]
    assert current(COLUMN + "2026/01/") == ["January 2026"]
    assert current(COLUMN + "2025/12/") == ["December 2025"]
    assert current(COLUMN + "2026/1/?page=1") == ["January 2026"]
    # The column, a year and an empty month are no month of the list.
    assert current(COLUMN) == []
    assert current(COLUMN + "2026/") == []
    assert current(COLUMN + "2026/3/") == []


def test_an_empty_month_answers_with_an_empty_listing(client):
    assert listed(client, COLUMN + "2024/") == []
    assert listed(client, COLUMN + "2026/7/") == []


@pytest.mark.parametrize("month", ["13", "0", "00", "99"])
def test_a_month_that_does_not_exist_is_not_found(client, month):
    assert client.get(f"{COLUMN}2026/{month}/").status_code == 404


@pytest.mark.parametrize("path", ["0000/", "0000/01/", "0000/12/"])
def test_year_zero_is_not_found(client, path):
    """No date has year 0 (datetime.MINYEAR is 1): the archive answers 404, never a 500."""
    assert client.get(COLUMN + path).status_code == 404


def test_the_last_possible_year_is_an_empty_listing(client):
    assert listed(client, COLUMN + "9999/") == []
    assert listed(client, COLUMN + "9999/12/") == []
