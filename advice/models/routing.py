"""What a request learns once and every part of a page reuses.

Wagtail asks the database for view restrictions twice for each page it serves (the page's
ancestors, then their restrictions) and once more for each `.public()` listing; it fetches the
home page's child by slug and then the navigation lists the same children again. Here a
request reads both once:

- `restriction_rows(request, page)`: in one query, every restricted page's path and any alias
  among the served page's ancestors (an alias takes its source's restrictions, so a page under
  one is left to Wagtail's own check);
- `public(queryset, request)`: `queryset.public()` from those rows, with no query of its own;
- `home_children(request, home)`: the home page's children, for routing and navigation.
"""

from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PageViewRestriction


def ancestor_paths(path):
    """The paths of the page at `path` and of every page above it."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def restriction_rows(request, page=None):
    """[(path, alias_of_id, restricted)] for every restricted page and for the aliases among
    `page`'s ancestors (itself included), read once per request."""
    cached = getattr(request, "_advice_restrictions", None)
    path = page.path if page is not None else None
    if cached is not None and (path is None or cached[0] == path):
        return cached[1]
    restricted = Exists(PageViewRestriction.objects.filter(page=OuterRef("pk")))

    def rows_of(condition):
        return (
            Page.objects.filter(condition)
            .annotate(restricted=restricted)
            .order_by()
            .values_list("path", "alias_of_id", "restricted")
        )

    # Found by id and by path (indexes), never by testing every page for a restriction: two
    # parts of a UNION, as one WHERE … OR … PostgreSQL read the whole page table (45 ms at
    # 100,000 letters, on every page).
    rows = rows_of(Q(pk__in=PageViewRestriction.objects.values("page_id")))
    if path:
        rows = rows.union(rows_of(Q(path__in=ancestor_paths(path), alias_of__isnull=False)))
    rows = list(rows)
    request._advice_restrictions = (path, rows)
    return rows


def restricted_paths(request):
    return [path for path, _alias, restricted in restriction_rows(request) if restricted]


def public(queryset, request=None):
    """`queryset.public()`: pages under no view restriction (a password, a login, groups),
    reading the restrictions once per request rather than once per listing."""
    if request is None:
        return queryset.public()
    for path in restricted_paths(request):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


class RequestRoutedMixin:
    """A page that remembers the request that routed to it, so that Wagtail's check of its
    view restrictions reads the rows the rest of the request shares.

    Measured by bench/reasons.py (3,000 letters, SQLite, the test client with every cache
    cleared, medians of 9 runs; 2 cores under a background test run, 2026-12-07), against
    Wagtail's own check: a letter's page 15 queries against 17, a column's 12 against 14. The
    time is within the noise of SQLite in the same process (226 against 220 ms, 195 against
    203 ms): the reason is the two queries each page saves, a round trip each to a database
    server."""

    def route(self, request, path_components):
        self._routed_request = request
        return super().route(request, path_components)

    def get_view_restrictions(self):
        request = getattr(self, "_routed_request", None)
        if request is None or self.alias_of_id:
            return super().get_view_restrictions()
        rows = restriction_rows(request, self)
        if any(
            alias or (restricted and self.path.startswith(path))
            for path, alias, restricted in rows
            if alias or restricted
        ):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()


# The sections' own rows, joined to the home page's children (a column with the write-in page
# its navigation and pages link), so the section routed to is its own type with no query.
SECTION_ROWS = ("adviceindexpage__write_in_page", "guideindexpage")


def home_children(request, home):
    """The home page's children (live or not, in tree order), read once per request with the
    sections' own rows: routing finds a section among them by slug, the navigation lists them
    and the home page lists the columns."""
    cached = getattr(request, "_advice_home_children", None)
    if cached is None or cached[0] != home.pk:
        # Sorted here: ordered by the database, SQLite walks the path index over every page
        # of the site, looking each one up, rather than scanning the table once.
        children = sorted(
            Page.objects.child_of(home).select_related(*SECTION_ROWS).order_by(),
            key=lambda page: page.path,
        )
        cached = (home.pk, children)
        request._advice_home_children = cached
    return cached[1]


def section(child):
    """A child of home_children as its own type: the row joined to it when it is a section
    (no query), else Wagtail's `.specific` (one)."""
    for relation in SECTION_ROWS:
        name = relation.split("__")[0]
        specific = getattr(child, name, None)  # the reverse one-to-one, None when absent
        if specific is not None and type(specific) is child.specific_class:
            return specific
    return child.specific
