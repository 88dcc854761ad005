"""Site-wide endpoints that are not pages: search, robots.txt, uploaded images and the page a
locked-out sign-in gets (the health checks: advice.health)."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

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

# Wagtail's folders for original images and their renditions: the only uploads that are public.
# Documents are served by Wagtail's document view, which applies collection privacy.
PUBLIC_MEDIA_FOLDERS = ("original_images/", "images/")


@require_GET
def image_media(request, path):
    """Uploaded images and renditions from MEDIA_ROOT, where Django serves media (SERVE_MEDIA:
    make run, development); anything else there, documents above all, is not found."""
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Not an image.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def signin_locked(request, original_response=None, credentials=None):
    """What django-axes answers a sign-in from a locked-out username and address, or address
    (AXES_LOCKOUT_CALLABLE): a page in the admin's design saying why and for how long, 429.
    Rendered here: it replaces the response in axes' middleware, after template rendering."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "axes/locked_out.html", {"minutes": minutes}, status=429)


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /replies/", f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


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
