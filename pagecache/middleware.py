"""Serves anonymous readers whole pages from `pagecache.store`, with the headers a CDN or
reverse proxy needs to serve them too (Cache-Control public, s-maxage; ETag, Last-Modified;
304 to a conditional GET), gzip-compressed when the client accepts it. Pages are kept under
their path and the query parameters they read, normalised (pagecache.keys); only a page's
canonical address is offered to a shared cache.

It sits above the session, CSRF and authentication middleware: a kept page is answered
before any of them runs, so it can set no cookie and vary on none. The headers added below
it (CSP, X-Frame-Options) are kept with the page; those added above it (security headers)
are added again to every response.
"""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from pagecache import keys, store


def shared(request, response, entry, version, started):
    """A page every reader may be given, by us or by a shared cache between us. Validators:
    the ETag (a hash of the kept bytes) changes with every version that reads differently;
    Last-Modified is sent only while it tells versions apart (store.last_modified), and
    Django's get_conditional_response() weighs If-None-Match before If-Modified-Since."""
    if keys.is_canonical(request, entry["query"]):
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_S_MAXAGE,
        )
    else:
        # Not the page's canonical address (`?utm_source=…`, `?page=abc`): the browser may
        # keep it, a CDN may not (it would keep a copy per address, which no purge reaches).
        response["Cache-Control"] = f"private, max-age={settings.PAGE_CACHE_MAX_AGE}"
    if entry["varies"]:
        patch_vary_headers(response, ("Accept-Encoding",))
    modified = store.last_modified(version, started)
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=modified, response=response
    )


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
        version, entry = store.fetch(key, gzipped)
        if entry is not None:
            response = store.replay(entry, request)
            response["X-Page-Cache"] = "hit"
            return shared(request, response, entry, version, started)
        # Templates leave out what belongs to one reader (CSRF token, user bar) when set.
        request.shared_page = True
        request.GET = keys.ReadParameters.of(request.GET)  # notes what the page reads
        response = self.get_response(request)
        canonical = keys.rendered(request, params)
        if canonical is not None and store.storable(request, response):
            canonical_key = keys.key_for(request, canonical)
            entry = store.save(canonical_key, version, response, gzipped, query=canonical)
            if canonical_key != key:
                store.alias(key, canonical_key, version)
            response = store.replay(entry, request)
            response["X-Page-Cache"] = "miss"
            return shared(request, response, entry, version, started)
        return response
