"""Each column's list of letters (advice.models.listing) follows the page tree (issue 13).

The column's pages, its sidebar, its feed, the home page, search and a letter's neighbours
read which letters a column lists from ListedLetter rather than from Wagtail's page table.
These tests change the tree every way an editor or a script can (publish, unpublish, a
draft, a new date or columnist, a move, a view restriction on the letter or above it, a
delete, a copy, a page added live without publishing) and check what readers then see, and
that the rows always equal what the tree says (`relist` from scratch).
"""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from advice.models import Columnist, LetterPage, ListedLetter
from advice.models.listing import relist
from testing.pages import add_column, answer, listed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

COLUMN = "/dear-pursebop/"


def rows():
    return sorted(
        ListedLetter.objects.values_list("letter_id", "column_id", "date", "columnist_id")
    )


def assert_rows_match_the_tree():
    """The kept rows are what recomputing them from the tree gives."""
    kept = rows()
    relist()
    assert rows() == kept


def test_publishing_unpublishing_and_deleting_keep_the_rows(client, make_letter, column):
    first = make_letter("First?")
    second = make_letter("Second?")
    assert rows() == [
        (first.pk, column.pk, first.date, first.columnist_id),
        (second.pk, column.pk, second.date, second.columnist_id),
    ]
    second.unpublish()
    assert listed(client, COLUMN) == ["First?"]
    assert_rows_match_the_tree()
    second.save_revision().publish()
    assert listed(client, COLUMN) == ["Second?", "First?"]
    first.delete()
    assert listed(client, COLUMN) == ["Second?"]
    assert [row[0] for row in rows()] == [second.pk]


def test_a_letter_unpublished_as_a_plain_page_leaves_its_column(client, make_letter, column):
    make_letter("First?")
    second = make_letter("Second?")
    Page.objects.get(pk=second.pk).unpublish()  # a Page's save, not a LetterPage's
    assert listed(client, COLUMN) == ["First?"]
    assert_rows_match_the_tree()


def test_a_draft_changes_nothing_until_it_is_published(client, make_letter):
    older = make_letter("Older?", date=datetime.date(2025, 1, 1))
    make_letter("Newer?", date=datetime.date(2025, 6, 1))
    other = Columnist.objects.create(name="Blair Field", slug="blair-field")
    draft = LetterPage.objects.get(pk=older.pk)
    draft.date = datetime.date(2026, 1, 1)
    draft.columnist = other
    draft.save_revision()
    assert listed(client, COLUMN) == ["Newer?", "Older?"]
    assert listed(client, f"{COLUMN}columnist/blair-field/") == []
    assert listed(client, f"{COLUMN}2026/1/") == []

    draft.get_latest_revision().publish()
    assert listed(client, COLUMN) == ["Older?", "Newer?"]
    assert listed(client, f"{COLUMN}columnist/blair-field/") == ["Older?"]
    assert listed(client, f"{COLUMN}2026/1/") == ["Older?"]
    assert_rows_match_the_tree()


def test_a_letter_moved_to_another_column_is_listed_there(client, make_letter, home_page):
    other = add_column(home_page, title="Second Opinions", slug="second-opinions")
    stays = make_letter("Stays?")
    moves = make_letter("Moves?")
    moves.move(other, pos="last-child")
    assert listed(client, COLUMN) == ["Stays?"]
    assert listed(client, "/second-opinions/") == ["Moves?"]
    assert [row[1] for row in rows()] == [stays.get_parent().pk, other.pk]
    assert_rows_match_the_tree()


def test_a_column_moved_keeps_its_letters(client, make_letter, home_page, column):
    make_letter("Along for the ride?")
    shelf = add_column(home_page, title="Shelf", slug="shelf")
    # Wagtail allows a column only under the home page; the tree itself allows more.
    column.move(shelf, pos="last-child")
    assert_rows_match_the_tree()
    assert [row[1] for row in rows()] == [column.pk]


def test_a_restriction_on_the_column_hides_its_letters_and_lifting_it_shows_them(
    client, make_letter, column
):
    make_letter("Behind a password?")
    restriction = PageViewRestriction.objects.create(
        page=column, restriction_type="password", password="x"
    )
    assert rows() == []
    assert "Behind a password?" not in listed(client, "/")
    assert_rows_match_the_tree()
    restriction.delete()
    assert listed(client, COLUMN) == ["Behind a password?"]
    assert listed(client, "/") == ["Behind a password?"]


def test_a_restriction_on_one_letter_hides_only_it(client, make_letter):
    make_letter("Open?")
    private = make_letter("Private?")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert listed(client, COLUMN) == ["Open?"]
    # Published again, it stays hidden: its restriction is still there.
    private.save_revision().publish()
    assert listed(client, COLUMN) == ["Open?"]
    assert_rows_match_the_tree()


def test_a_page_added_live_without_publishing_and_a_live_copy_are_listed(
    client, make_letter, column
):
    letter = LetterPage(
        title="Added live?",
        slug="added-live",
        letter="<p>Text.</p>",
        pen_name="Reader",
        answer=answer("Answer."),
        date=datetime.date(2025, 2, 2),
    )
    column.add_child(instance=letter)  # Wagtail's pages are live unless told otherwise
    source = make_letter("Original?", date=datetime.date(2025, 1, 1))
    source.copy(update_attrs={"slug": "copy-of-original"}, keep_live=True)
    assert listed(client, COLUMN) == ["Added live?", "Original?", "Original?"]
    assert_rows_match_the_tree()


def test_the_command_and_the_migration_rebuild_the_rows(make_letter, column):
    make_letter("One?")
    make_letter("Two?")
    kept = rows()
    ListedLetter.objects.all().delete()
    call_command("relist_letters", stdout=open("/dev/null", "w"))
    assert rows() == kept

    ListedLetter.objects.all().delete()
    migration = __import__("advice.migrations.0014_listed_letters", fromlist=["x"])
    migration.list_published_letters(apps, None)
    assert rows() == kept
