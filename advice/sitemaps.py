"""The XML sitemap, split and cached so it stays fast at 100,000 pages.

/sitemap.xml is a sitemap index (what robots.txt names) listing the sections: `pages` (home,
columns, guides: everything but letters) and `letters`, in pages of SITEMAP_LETTERS_PER_PAGE
(5,000 by default; the protocol's ceiling is 50,000) at /sitemap-letters.xml?p=N. Letters are
read without their text (`only()`), their URLs built from the site's root paths cached on the
request, never through `.specific()` or a query per page.

Each answer is kept in Django's cache for SITEMAP_CACHE_SECONDS under a version that publishing,
unpublishing, moving, renaming or deleting a page bumps. Without Redis the cache is per process
and keeps nothing longer than a minute (base.cache), so another worker's copy is at most that
old; crawlers expect no better.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap

from advice.models import LetterPage

VERSION_KEY = "sitemap:version"
DEFAULT_CACHE_SECONDS = 6 * 60 * 60
DEFAULT_LETTERS_PER_PAGE = 5_000
KEPT_HEADERS = ("Last-Modified", "X-Robots-Tag")


class LatestLastmodMixin:
    """The newest publication date by one aggregate query. Django's default calls lastmod()
    on every item of the section: all 100,000 letters, for each request of the index."""

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


class PagesSitemap(LatestLastmodMixin, Sitemap):
    """Every live public page of the site except letters: a few dozen at most."""

    def items(self):
        return super().items().not_type(LetterPage)


class LettersSitemap(LatestLastmodMixin, Sitemap):
    """The site's live public letters, in tree order: three columns of each row, never the
    page objects, and each address made from the site's root URL and the letter's url_path
    (what Page.get_full_url works out page by page, for one site)."""

    @property
    def limit(self):
        return getattr(settings, "SITEMAP_LETTERS_PER_PAGE", DEFAULT_LETTERS_PER_PAGE)

    def items(self):
        root = self.get_wagtail_site().root_page
        return (
            LetterPage.objects.live()
            .public()
            .descendant_of(root)
            .order_by("path")
            .values_list("url_path", "last_published_at", "latest_revision_created_at")
        )

    def _urls(self, page, protocol, domain):
        site = self.get_wagtail_site()
        base = site.root_url + reverse("wagtail_serve", args=("",))
        cut = len(site.root_page.url_path)
        urls = [
            {"location": base + url_path[cut:], "lastmod": published or revised}
            for url_path, published, revised in self.paginator.page(page).object_list
        ]
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


SECTIONS = {"pages": PagesSitemap, "letters": LettersSitemap}


def version():
    found = cache.get(VERSION_KEY)
    if found is None:
        found = 1
        cache.add(VERSION_KEY, found, timeout=None)
    return found


def changed(**kwargs):
    """A page was published, unpublished, moved, renamed or deleted: start new copies."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not stored (yet, or any more): the next read starts at 1 again
        cache.set(VERSION_KEY, 2, timeout=None)


def connect():
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(changed, dispatch_uid=f"sitemap-{id(signal)}")
    # Deleting any page deletes its wagtailcore_page row: Django signals it with sender=Page.
    post_delete.connect(changed, sender=Page, dispatch_uid="sitemap-page-deleted")


def cached(view):
    """Keep the view's 200 answers per host, scheme, section and page number. Other query
    parameters are not part of the key: a crawler's junk parameters never fill the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        page = request.GET.get("p", "1")
        if request.method not in ("GET", "HEAD") or not page.isdigit() or len(page) > 6:
            return view(request, *args, **kwargs)
        section = kwargs.get("section", "index")
        key = f"sitemap:{version()}:{request.scheme}:{request.get_host()}:{section}:{int(page)}"
        kept = cache.get(key)
        if kept is not None:
            response = HttpResponse(kept["content"], content_type=kept["content_type"])
            for name, value in kept["headers"].items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            kept = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
            }
            seconds = getattr(settings, "SITEMAP_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
            cache.set(key, kept, timeout=seconds)
        return response

    return wrapper


@x_robots_tag
def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index, its addresses on the host the request came to (as the pages'
    own addresses are) rather than on django.contrib.sites' domain."""
    sitemaps = wagtail_sitemap_views.prepare_sitemaps(request, sitemaps)
    items, latest = [], []
    for name, site in sitemaps.items():
        url = request.build_absolute_uri(reverse(sitemap_url_name, kwargs={"section": name}))
        lastmod = site.get_latest_lastmod()
        latest.append(lastmod)
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, site.paginator.num_pages + 1)
        ]
    headers = None
    if latest and None not in latest:
        headers = {"Last-Modified": http_date(max(latest).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers=headers,
    )


def _day(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.isoformat()


@x_robots_tag
def sitemap_section(request, sitemaps, section):
    """One page of one section, the XML written here rather than by Django's template (which
    took most of the time for 5,000 addresses): location and day of last publication."""
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    site = wagtail_sitemap_views.prepare_sitemaps(request, {section: sitemaps[section]})[section]
    try:
        urls = site.get_urls(
            page=request.GET.get("p", 1), site=RequestSite(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"No page {request.GET.get('p')!r} of this sitemap.") from error
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in urls:
        lastmod = url.get("lastmod")
        day = f"<lastmod>{_day(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{day}</url>")
    lines.append("</urlset>\n")
    response = HttpResponse("\n".join(lines), content_type="application/xml")
    latest = getattr(site, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


index = cached(sitemap_index)
section = cached(sitemap_section)
