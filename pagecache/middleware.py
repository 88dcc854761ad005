"""Serves anonymous readers whole pages from `pagecache.store`, with the headers a CDN or
reverse proxy needs to serve them too (Cache-Control public, s-maxage; ETag, Last-Modified;
304 to a conditional GET), gzip-compressed when the client accepts it. Pages are kept under
their path and the query parameters they read, normalised (pagecache.keys); only a page's
canonical address is offered to a shared cache.

It sits above the session, CSRF and authentication middleware: a kept page is answered
before any of them runs, so it can set no cookie and vary on none. The headers added below
it (CSP, X-Frame-Options) are kept with the page; those added above it (security headers)
are added again to every response.

When the database cannot be read, or a page that is past its hour fails to render again, the
last current copy of the page is served instead of the error, marked `X-Page-Cache: stale`
(store: stale-if-error), and kept pages tell a CDN it may do the same (`stale-if-error`).
"""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from pagecache import keys, store

# The request headers that can make a kept page's answer a 304 or a 412.
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


@functools.lru_cache(maxsize=16)
def _http_date(seconds):
    """Last-Modified changes only with the version: formatted once per version."""
    return http_date(seconds)


@functools.lru_cache(maxsize=64)
def _public(kept_cache_control, max_age, s_maxage, stale_if_error):
    """The Cache-Control of a kept page at its canonical address, from the one it was kept
    with: worked out once per process, not parsed and rebuilt on every page served."""
    response = HttpResponse()
    if kept_cache_control is not None:
        response["Cache-Control"] = kept_cache_control
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    if stale_if_error:  # a CDN may do as we do when we answer with an error
        patch_cache_control(response, stale_if_error=stale_if_error)
    return response["Cache-Control"]


@functools.lru_cache(maxsize=64)
def _varied(kept_vary):
    """The Vary of a page kept in a plain and a compressed form, once per process."""
    response = HttpResponse()
    if kept_vary is not None:
        response["Vary"] = kept_vary
    patch_vary_headers(response, ("Accept-Encoding",))
    return response["Vary"]


def shared(request, response, entry, version, started):
    """A page every reader may be given, by us or by a shared cache between us. Validators:
    the ETag (a hash of the kept bytes) changes with every version that reads differently;
    Last-Modified is sent only while it tells versions apart (store.last_modified), and
    Django's get_conditional_response() weighs If-None-Match before If-Modified-Since."""
    if keys.is_canonical(request, entry["query"]):
        response["Cache-Control"] = _public(
            response.get("Cache-Control"),
            settings.PAGE_CACHE_MAX_AGE,
            settings.PAGE_CACHE_S_MAXAGE,
            store.stale_limit(),
        )
    else:
        # Not the page's canonical address (`?utm_source=…`, `?page=abc`): the browser may
        # keep it, a CDN may not (it would keep a copy per address, which no purge reaches).
        response["Cache-Control"] = f"private, max-age={settings.PAGE_CACHE_MAX_AGE}"
    if entry["varies"]:
        response["Vary"] = _varied(response.get("Vary"))
    modified = store.last_modified(version, started)
    if modified is not None:
        response["Last-Modified"] = _http_date(modified)
    if not any(name in request.META for name in CONDITIONS):
        return response  # what get_conditional_response() returns then, without its parsing
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=modified, response=response
    )


def serve_stale(request, entry):
    """A page past its hour, served because rendering it again failed or the database
    cannot be read (store: stale-if-error). Nobody downstream may keep it: a CDN or browser
    asks again, and gets the fresh page once the database is back."""
    response = store.replay(entry, request)
    response["X-Page-Cache"] = "stale"
    response["Cache-Control"] = "no-cache"
    if entry["varies"]:
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (store.enabled() and store.is_page_request(request)):
            return self.get_response(request)
        if not store.anonymous(request):
            # A signed-in user's page (user bar, their CSRF token): never in a shared cache.
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        params = keys.asked(request)
        key = keys.key_for(request, keys.query(params))
        gzipped = store.accepts_gzip(request)
        started = store.now()  # before the version is read (store.last_modified)
        version, entry, stale = store.fetch(key, gzipped)
        if entry is not None:
            response = store.replay(entry, request)
            response["X-Page-Cache"] = "hit"
            return shared(request, response, entry, version, started)
        if stale is not None and version is None:  # the database cannot be read
            return serve_stale(request, stale)
        # Templates leave out what belongs to one reader (CSRF token, user bar) when set.
        request.shared_page = True
        request.GET = keys.ReadParameters.of(request.GET)  # notes what the page reads
        response = self.get_response(request)
        if stale is not None and response.status_code >= 500:
            return serve_stale(request, stale)
        canonical = keys.rendered(request, params)
        if version is not None and canonical is not None and store.storable(request, response):
            canonical_key = keys.key_for(request, canonical)
            entry = store.save(canonical_key, version, response, gzipped, query=canonical)
            if canonical_key != key:
                store.alias(key, canonical_key, version)
            response = store.replay(entry, request)
            response["X-Page-Cache"] = "miss"
            return shared(request, response, entry, version, started)
        return response
