"""The column's search page, and Wagtail's page view after the request's site is found
(robots.txt, images, the lockout and error pages: base.views)."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail import views as wagtail_views

from advice import sites
from advice.models import LetterPage
from advice.models.routing import home_children
from advice.paginator import ListingPaginator
from advice.search import (
    GUIDES_SHOWN,
    MAX_QUERY_LENGTH,
    add_snippets,
    count_line,
    few_matches,
    normalise_query,
    nothing_found_context,
    search_guides,
    search_letters,
)
from advice.spelling import suggest
from comments.threads import with_reply_counts

PER_PAGE = 10


@dataclass
class Found:
    """What one query found: a page of letters, the guides shown and how many match."""

    letters: object
    guides: list = field(default_factory=list)
    guide_count: int = 0

    @property
    def nothing(self):
        return not self.guide_count and not self.letters.paginator.count


def find(request, query, page_number):
    """The letters (the page asked for) and guides (on the first page) matching `query`."""
    matches = few_matches(query)  # SQLite: a rare word's matches, or a common word's count
    if matches is not None and matches.entries == []:  # no page matched: no list to ask for
        return Found(Paginator([], PER_PAGE).get_page(page_number))
    # SQLite: a queryset, the ten shown read whole, counted alongside (a rare word) or
    # counted already (a common one); PostgreSQL: Wagtail's search results, paginated as
    # Django does.
    count = matches.letters if matches is not None and matches.entries is None else None
    number = ListingPaginator.number_served(page_number, count, PER_PAGE)
    letters = search_letters(query, matches, (number - 1) * PER_PAGE, PER_PAGE, request=request)
    shown = LetterPage.objects.select_related("columnist")
    paginator = ListingPaginator(letters, PER_PAGE, rows=shown, count=count)
    letters_page = paginator.get_page(page_number)
    letters_page.object_list = add_snippets(with_reply_counts(letters_page.object_list), query)
    found = Found(letters_page)
    if letters_page.number == 1:
        found.guides = list(search_guides(query, matches, request)[:GUIDES_SHOWN])
        found.guide_count = len(found.guides)
    if len(found.guides) == GUIDES_SHOWN or letters_page.number != 1:
        found.guide_count = search_guides(query, matches, request).count()  # more than are shown
    add_snippets(found.guides, query)
    return found


def as_typed(raw_query):
    """Whether the reader put the search in quotes: "hermmes" is searched as written."""
    raw_query = raw_query.strip()
    return len(raw_query) > 2 and raw_query[0] in '"“' and raw_query[-1] in '"”'


def search(request):
    """Search results: matching guides first, then letters, newest first, paginated, each
    with a snippet of the text that matched.

    A search that finds nothing is looked at again with its spelling corrected from the live
    pages' words (advice.spelling): when the correction finds something, its results are shown
    under "Showing results for hermès — search instead for hermmes". The second link searches
    for the words in quotes (`as_typed`), as search engines take a quoted search as written: no
    correction is made, and the nothing-found page offers it as "Did you mean hermès?" (the
    quotes keep to `q`, the one parameter a CDN's cache key keeps for search: operations.md).
    Nothing found either way: the topics, the latest letters and the columns' write-in links.

    The site, its root paths and home page are read in one query, as for a page (`serve`),
    and the home page's children in one more, as routing reads them for a page: the
    navigation and the feed links in base.html take their sections from there, where the
    template tags otherwise asked for them each on its own."""
    site = sites.find_site(request)
    if site is not None:
        home_children(request, site.root_page)
    raw_query = request.GET.get("q", "")
    query = normalise_query(raw_query)
    exact = as_typed(raw_query)
    page_number = request.GET.get("page")
    found = None
    corrected_to = did_you_mean = ""
    nothing_found = {}
    if query:
        found = find(request, query, page_number)
        if found.nothing:
            suggestion = suggest(query)
            corrected = find(request, suggestion, page_number) if suggestion else None
            if corrected is not None and not corrected.nothing:
                if exact:
                    did_you_mean = suggestion
                else:
                    found, corrected_to = corrected, suggestion
        if found.nothing:
            nothing_found = nothing_found_context(request)
    context = {
        **nothing_found,
        "search_query": raw_query[:MAX_QUERY_LENGTH],
        "normalised_query": query,
        "query_was_truncated": len(raw_query) > MAX_QUERY_LENGTH,
        "shown_query": corrected_to or query,
        "corrected_to": corrected_to,
        "did_you_mean": did_you_mean,
        "letters": found.letters if found else None,
        "guides": found.guides if found else [],
        "count_line": count_line(found.letters.paginator.count, found.guide_count) if found else "",
        "nothing_found": bool(found and found.nothing),
    }
    return TemplateResponse(request, "advice/search.html", context)


def serve(request, path):
    """Wagtail's page view, once the site answering the request, every site's root path and
    the home page are read in one query (advice.sites.find_site), not three."""
    sites.find_site(request)
    return wagtail_views.serve(request, path)
