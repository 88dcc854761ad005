"""The one paginator of the column's listings: a column's archive and its filters, search."""

import inspect

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Func, QuerySet, Subquery
from django.utils.inspect import method_has_no_args

# An offset past any real listing is past the end; one past SQL's 64-bit integers would fail
# in the database (found by fuzzing), so it is never sent.
MAX_PAGE_NUMBER = 10**9


class ListingPaginator(Paginator):
    """Django's Paginator, with a page of a queryset read in one query: its rows and, unless
    the total is known, the listing's total together (a COUNT subquery of the same query,
    `listing_total` on each row), rather than a COUNT query and then the slice.

    `object_list` is the listing in its order, a queryset that reads only indexes (a column's
    ListedLetter rows, or letters in date order); the page's rows are read whole from `rows`
    (letters with what the list shows joined; the listing itself when None), and only those on
    the page. `count`: the total when the caller already knows it (then nothing counts it);
    `total`: an expression that counts it, in place of a COUNT over the listing.
    Anything else (a list, search results) is paginated as Django does.

    get_page() reads a page number as Django's does: "abc" is page 1; 0, -1 or one past the
    end is the last page (a stale link), read backwards from the end with the total in one
    more query. A number past MAX_PAGE_NUMBER is past the end without asking the database.

    Deep pages: a page is an OFFSET into the listing's order, so page 500 of ten walks 4,990
    index entries to skip them. Seeking instead is a change to `window()` alone: page() takes
    the last row's sort key of the page before (`page(number, after=(date, id))`, carried in
    the "Older" link), and window() filters the listing to the rows past that key and takes
    `per_page` of them, reading no more than it shows; the total still comes from the same
    COUNT subquery (or `count`), so the page numbers and the links to them stay as they are.
    """

    def __init__(self, object_list, per_page, *, rows=None, count=None, total=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.known_count = count
        # An expression counting the listing another way than COUNT over it (a topic's
        # letters counted from the topic's side), read with the page as the COUNT would be.
        self.total = total

    @property
    def count(self):
        """The listing's total: the one known, else counted once (as Paginator.count counts)."""
        if self.known_count is None:
            count = getattr(self.object_list, "count", None)
            if callable(count) and not inspect.isbuiltin(count) and method_has_no_args(count):
                self.known_count = count()
            else:
                self.known_count = len(self.object_list)
        return self.known_count

    def reads_rows(self):
        """Whether pages are read here (a queryset) rather than by Django's slicing."""
        return isinstance(self.object_list, QuerySet)

    def page(self, number):
        """Page `number` (an int), or EmptyPage as Paginator.page() raises it."""
        if not self.reads_rows():
            return super().page(number)
        if self.known_count is not None:
            number = self.validate_number(number)  # no query: the total is known
        elif not 1 <= number <= MAX_PAGE_NUMBER:
            raise EmptyPage("That page number is out of range")
        found = self.window(self.object_list, (number - 1) * self.per_page)
        if self.known_count is None:
            if not found and number != 1:
                raise EmptyPage("That page contains no results")
            self.known_count = found[0].listing_total if found else 0
        return Page(found, number, self)

    @staticmethod
    def number_served(number, count, per_page):
        """The page get_page(number) serves when the total is `count`, found without a
        query: 1 for "abc", the last page for 0, -1 or one past the end; while the total is
        unknown (None), the number as asked (at least 1)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        if count is None:
            return max(number, 1)
        last = max(1, -(-count // per_page))
        return number if 1 <= number <= last else last

    def get_page(self, number):
        """Page `number` as Paginator.get_page() gives it, read as int() reads it."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        try:
            return self.page(number)
        except EmptyPage:
            return self.last_page()

    def last_page(self):
        """The last page: with the total unknown, the listing read backwards from its end,
        the total counted in the same query."""
        if not self.reads_rows() or self.known_count is not None:
            return self.page(self.num_pages)
        tail = self.window(self.object_list.reverse(), 0)
        self.known_count = tail[0].listing_total if tail else 0
        number = self.num_pages
        return Page(tail[: self.known_count - (number - 1) * self.per_page][::-1], number, self)

    def window(self, listing, start):
        """The rows `start` to `start + per_page` of `listing`, in its order, read whole from
        `rows`: their keys come from a subquery that reads only the listing's index, and only
        the rows shown are read. Each has `listing_total` while the total is unknown."""
        keys = listing.values("pk")[start : start + self.per_page]
        rows = listing if self.rows is None else self.rows
        rows = rows.filter(pk__in=keys).order_by(*listing.query.order_by)
        if not listing.query.standard_ordering:  # listing.reverse()
            rows = rows.reverse()
        if self.known_count is None:
            total = self.total
            if total is None:
                counted = listing.order_by().values(total=Func(F("pk"), function="COUNT"))
                total = Subquery(counted)
            rows = rows.annotate(listing_total=total)
        return list(rows)
