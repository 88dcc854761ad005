"""Site-wide endpoints that are not pages: robots.txt, uploaded images, the page a locked-out
sign-in gets, and the error pages (handler400, handler500, CSRF_FAILURE_VIEW), which pick a
page by what failed. The health checks are in base.health."""

import posixpath
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

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


def plain_page(template_name, status, context=None):
    """An error page in the site's design, rendered without the request, as Django renders its
    own 400 and 500 pages: the request may be what is broken, and the page needs no query."""
    return HttpResponse(loader.render_to_string(template_name, context), status=status)


def bad_request(request, exception):
    """handler400. A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 and says so: the
    reader's text is still in the form they came from, and they only need to shorten it."""
    if isinstance(exception, RequestDataTooBig):
        length = getattr(settings, "COMMENT_MAX_LENGTH", None)
        return plain_page("413.html", 413, {"max_reply_length": f"{length:,}" if length else ""})
    return plain_page("400.html", 400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. A view may declare how its own form answers a missing or stale CSRF
    token (`view.csrf_failure = handler`: replies, reports and letters answer with a confirm
    step, everything the reader typed kept); any other form gets our 403 page. Either way
    nothing the form sent is acted on."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    handler = getattr(match.func, "csrf_failure", None) if match is not None else None
    # The confirm step is for a form sent as forms are: any other method gets the 403 page.
    if handler is not None and request.method == "POST":
        return handler(request, reason)
    return plain_page("403.html", 403, {"csrf_failure": True})


def server_error(request):
    """handler500. When the database is what failed (unreachable, cut off, locked past its
    busy timeout), the page is a 503 with Retry-After: the site is down for a moment, not
    broken, and caches and crawlers should come back. Otherwise Django's own 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = plain_page("503.html", 503)
        response["Retry-After"] = "60"
        return response
    return plain_page("500.html", 500)
