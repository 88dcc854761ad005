"""The column's search page (robots.txt, images, the lockout and error pages: base.views)."""

from django.template.response import TemplateResponse

from advice.models import LetterPage
from advice.paginator import ListingPaginator
from advice.search import (
    MAX_QUERY_LENGTH,
    add_snippets,
    few_matches,
    normalise_query,
    nothing_found_context,
    search_guides,
    search_letters,
)
from comments.threads import with_reply_counts


def search(request):
    """Search results: matching guides first, then letters, newest first, paginated, each
    with a snippet of the text that matched. Nothing found: the topics and latest letters."""
    raw_query = request.GET.get("q", "")
    query = normalise_query(raw_query)
    letters_page = None
    guides = []
    nothing_found = {}
    if query:
        entries = few_matches(query)  # a rare word's matches, read once for both lists
        letters = search_letters(query, entries)
        # SQLite: a queryset, the ten shown read whole and counted alongside; PostgreSQL:
        # Wagtail's search results, paginated as Django does.
        shown = LetterPage.objects.select_related("columnist")
        paginator = ListingPaginator(letters, 10, rows=shown)
        letters_page = paginator.get_page(request.GET.get("page"))
        letters_page.object_list = add_snippets(with_reply_counts(letters_page.object_list), query)
        if letters_page.number == 1:
            guides = add_snippets(list(search_guides(query, entries)[:5]), query)
        if not guides and not letters_page.paginator.count:
            nothing_found = nothing_found_context(request)
    context = {
        **nothing_found,
        "search_query": raw_query[:MAX_QUERY_LENGTH],
        "normalised_query": query,
        "query_was_truncated": len(raw_query) > MAX_QUERY_LENGTH,
        "letters": letters_page,
        "guides": guides,
    }
    return TemplateResponse(request, "advice/search.html", context)
