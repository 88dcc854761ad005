"""The listings' paginator on its own: a page of a queryset is one query, its rows with the
total, and nothing writes into Django's Paginator (its `count` is a cached_property)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.models import LetterPage
from advice.paginator import ListingPaginator


@pytest.fixture
def seven_letters(make_letter):
    """Letters 1 (oldest) to 7 (newest), in the column's listing."""
    return [make_letter(f"Letter {n}?") for n in range(1, 8)]


def titles(page):
    return [letter.title for letter in page.object_list]


def test_a_page_reads_its_rows_and_the_total_in_one_query(column, seven_letters):
    paginator = ListingPaginator(column.listing(), 3, rows=LetterPage.objects.all())
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page("2")
        assert (paginator.count, paginator.num_pages) == (7, 3)
    assert titles(page) == ["Letter 4?", "Letter 3?", "Letter 2?"]
    assert len(queries) == 1
    assert "listing_total" in queries[0]["sql"]
    assert "count" not in vars(paginator)  # Paginator.count's cache is never written


def test_a_known_total_is_not_counted_again(column, seven_letters):
    paginator = ListingPaginator(column.listing(), 3, rows=LetterPage.objects.all(), count=7)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page("3")
    assert titles(page) == ["Letter 1?"]
    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"].upper()
    # Past the end with the total known: the last page, no query to learn where it ends.
    with CaptureQueriesContext(connection) as queries:
        assert titles(paginator.get_page("9")) == ["Letter 1?"]
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("number", "shown", "queries"),
    [
        ("abc", ["Letter 7?", "Letter 6?", "Letter 5?"], 1),  # not a number: page 1
        ("9", ["Letter 1?"], 2),  # past the end: the last page, read backwards
        ("0", ["Letter 1?"], 1),  # below 1: the last page, no offset asked
        (str(10**30), ["Letter 1?"], 1),  # past any database integer: never sent
    ],
)
def test_page_numbers_read_as_djangos_get_page_reads_them(
    column, seven_letters, number, shown, queries
):
    paginator = ListingPaginator(column.listing(), 3, rows=LetterPage.objects.all())
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(number)
    assert titles(page) == shown
    assert page.number == (1 if number == "abc" else 3)
    assert paginator.count == 7
    assert len(captured) == queries


def test_an_empty_listing_is_one_empty_page(column):
    paginator = ListingPaginator(column.listing(), 3, rows=LetterPage.objects.all())
    page = paginator.get_page("4")
    assert (list(page), page.number, paginator.count, paginator.num_pages) == ([], 1, 0, 1)


def test_anything_but_a_queryset_is_paginated_as_django_does():
    paginator = ListingPaginator(list(range(7)), 3)
    assert list(paginator.get_page("x")) == [0, 1, 2]
    assert list(paginator.get_page("99")) == [6]
    assert paginator.count == 7
