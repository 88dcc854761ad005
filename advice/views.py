"""Site-wide endpoints that are not pages: search, health check, robots.txt, uploaded
images and the page a locked-out sign-in gets."""

import logging
import posixpath
from contextlib import contextmanager

import psycopg.errors
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve

from advice.models import HealthProbe, LetterPage
from advice.models.pages import page_of
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

# How long the write check may wait for a lock or, on PostgreSQL, for a new connection: never
# the 20 s SQLite busy timeout or the 5 s connect_timeout that pages use.
HEALTH_TIMEOUT_SECONDS = 2
# What a check that gave up waiting raises (its cause, under Django's own error).
TIMEOUTS = (
    psycopg.errors.ConnectionTimeout,
    psycopg.errors.QueryCanceled,
    psycopg.errors.LockNotAvailable,
)


class _RollBack(Exception):
    """Raised to undo the write check's INSERT."""


@contextmanager
def _sqlite_busy_timeout(seconds):
    """SQLite's busy timeout set to `seconds` for the block, then back to the configured one
    (the connection may serve more requests). Other databases time out inside the check."""
    if connection.vendor != "sqlite":
        yield
        return
    configured = connection.settings_dict["OPTIONS"].get("timeout", 5)  # sqlite3's default
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(configured * 1000)}")


@contextmanager
def _postgresql_connect_timeout(seconds):
    """A connection opened in the block waits at most `seconds` for the server (psycopg's
    minimum is 2), so a server that accepts and never answers fails the check in 2 s, not the
    configured connect_timeout. Only this thread's connection object is changed."""
    if connection.vendor != "postgresql":
        yield
        return
    configured = connection.settings_dict
    options = configured.get("OPTIONS", {})
    timeout = min(int(options.get("connect_timeout") or seconds), seconds)
    connection.settings_dict = {**configured, "OPTIONS": {**options, "connect_timeout": timeout}}
    try:
        yield
    finally:
        connection.settings_dict = configured


def _check_database():
    """The database takes a write within HEALTH_TIMEOUT_SECONDS: one INSERT, rolled back.

    A read would pass while another connection holds SQLite's write lock, or against a
    read-only PostgreSQL; the INSERT needs the lock (BEGIN IMMEDIATE) or a writable primary.
    """
    milliseconds = int(HEALTH_TIMEOUT_SECONDS * 1000)
    with (
        _sqlite_busy_timeout(HEALTH_TIMEOUT_SECONDS),
        _postgresql_connect_timeout(HEALTH_TIMEOUT_SECONDS),
    ):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")
                        cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                HealthProbe.objects.create()
                raise _RollBack
        except _RollBack:
            pass


def _check_cache():
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _timed_out(error):
    """The check gave up waiting (connect, statement or lock timeout; SQLite's busy timeout),
    as against being refused: the body says which, without the error's text."""
    while error is not None:
        if isinstance(error, TIMEOUTS) or "database is locked" in str(error):
            return True
        error = error.__cause__
    return False


logger = logging.getLogger(__name__)

HEALTH_CHECKS = {"database": _check_database, "cache": _check_cache}


@never_cache
@require_safe
def healthz(request):
    """200 when the database takes a write and the cache answers; 503 naming what failed
    otherwise. HEAD answers the same status with no body (load balancers' checks).

    Error details stay in the log, not in the body: the endpoint is public.
    """
    results = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("healthz: %s check failed", name, exc_info=True)
            results[name] = (
                "error: timeout" if _timed_out(error) else f"error: {type(error).__name__}"
            )
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    status = 503 if failed else 200
    if request.method == "HEAD":
        return HttpResponse(status=status)
    body = {"status": "error" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=status)


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
        if isinstance(letters, QuerySet):  # SQLite: the ten shown read whole, counted alongside
            shown = LetterPage.objects.select_related("columnist")
            letters_page = page_of(letters, 10, request.GET.get("page"), rows=shown)
        else:
            letters_page = Paginator(letters, 10).get_page(request.GET.get("page"))
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
