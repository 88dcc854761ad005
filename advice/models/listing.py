"""Which letters each column lists, kept beside the page tree (issue 13).

A column lists its live children under no view restriction. Asked of Wagtail's page table,
that is a pass over every page under the column (live, depth, path, then the restrictions)
for each listing, count and sidebar: with 10,000 letters most of a column page's time. Here
each listed letter has one narrow row (its column, date and columnist), so a listing, its
count, a deep page and the sidebar's months read one index of (column, date, letter).

The rows follow the tree, called from advice.signals: `relist_letter` for a letter saved
(published, unpublished, added), `relist_under` for everything under a page moved or
restricted; `manage.py relist_letters` recomputes them all (after loading raw rows).
"""

from django.db import models, transaction
from wagtail.models import Page, PageViewRestriction

from advice.models.routing import ancestor_paths


class ListedLetter(models.Model):
    """A letter as its column lists it: live, the column's child, under no view restriction.

    Measured by bench/reasons.py (3,000 letters, SQLite, the test client with every cache
    cleared, medians of 9 runs; 2 cores under a background test run, 2026-12-07), these rows
    against the same listings asked of the page tree: a column's first page 233 ms and 12
    queries against 387 ms and 14; its last page (301) 197 against 377 ms; a topic's first
    page 206 against 370 ms. The gap grows with the letters: the tree's listing passes over
    every page under the column."""

    letter = models.OneToOneField(
        "advice.LetterPage", primary_key=True, on_delete=models.CASCADE, related_name="listed"
    )
    # Indexed by the (column, date, letter) index below, which starts with it.
    column = models.ForeignKey(
        "advice.AdviceIndexPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField(null=True)  # the letter's publication date, as it is live
    columnist = models.ForeignKey(
        "advice.Columnist", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["column", "date", "letter"], name="advice_listed_order"),
            # Every column's letters newest first: a letter's suggestions on its topics.
            models.Index(fields=["date", "letter"], name="advice_listed_recent"),
        ]

    def __str__(self):
        return f"letter {self.letter_id} in column {self.column_id}"


# A letter saved with only other fields (a draft's revision, a lock) keeps its row.
LISTING_FIELDS = {"live", "date", "columnist", "columnist_id", "path", "depth"}


def listing_rows(letters, columns, restricted):
    """ListedLetter rows for `letters` [(id, path, live, date, columnist id)], given
    {column path: column id} and the paths of restricted pages."""
    rows = []
    for pk, path, live, date, columnist_id in letters:
        column_id = columns.get(path[: -Page.steplen])
        if live and column_id and not any(path.startswith(r) for r in restricted):
            rows.append(
                ListedLetter(
                    letter_id=pk, column_id=column_id, date=date, columnist_id=columnist_id
                )
            )
    return rows


def relist(pages=None):
    """Recompute the rows of the letters among `pages` (a Page queryset; every letter when
    None): one query each for the letters, the columns and the restrictions, then one to
    delete and one to insert."""
    from advice.models import AdviceIndexPage, LetterPage

    letters = LetterPage.objects.all()
    if pages is not None:
        letters = letters.filter(pk__in=pages.values("pk"))
    letters = list(letters.values_list("pk", "path", "live", "date", "columnist_id"))
    if not letters and pages is not None:
        return
    columns = dict(AdviceIndexPage.objects.values_list("path", "pk"))
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    rows = listing_rows(letters, columns, restricted)
    with transaction.atomic():
        stale = ListedLetter.objects.all()
        if pages is not None:
            stale = stale.filter(letter_id__in=[letter[0] for letter in letters])
        stale.delete()
        ListedLetter.objects.bulk_create(rows, batch_size=500)


def relist_letter(letter):
    """Recompute the row of one letter just saved, from the values it was saved with."""
    from advice.models import AdviceIndexPage

    row = []
    if letter.live and letter.path:
        columns = dict(
            AdviceIndexPage.objects.filter(path=letter.path[: -Page.steplen]).values_list(
                "path", "pk"
            )
        )
        restricted = list(
            PageViewRestriction.objects.filter(
                page__path__in=ancestor_paths(letter.path)
            ).values_list("page__path", flat=True)
        )
        entry = (letter.pk, letter.path, letter.live, letter.date, letter.columnist_id)
        row = listing_rows([entry], columns, restricted)
    with transaction.atomic():
        ListedLetter.objects.filter(letter_id=letter.pk).delete()
        ListedLetter.objects.bulk_create(row)


def relist_under(page):
    """Recompute the rows of `page` and every page below it (moved, or its restrictions
    changed)."""
    relist(Page.objects.filter(path__startswith=page.path))
