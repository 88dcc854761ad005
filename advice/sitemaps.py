"""The XML sitemap, split and cached so it stays fast at 100,000 pages.

/sitemap.xml is a sitemap index (what robots.txt names) listing the sections: `pages` (home,
columns, guides: everything but letters) and `letters`, in pages of SITEMAP_LETTERS_PER_PAGE
(5,000 by default; the protocol's ceiling is 50,000) at /sitemap-letters.xml?p=N. Letters are
counted and paged through the column listing's narrow rows (advice.models.listing), then read
without their text, their URLs built from the site's root paths, never through `.specific()`
or a query per page; the index's newest publication is found through an index of the page
table (migration 0023). So the index and a letters page cost the same at 1,000 letters as at
100,000 (`make bench-scale`).

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
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page, get_page_models

from advice.models import AdviceIndexPage, LetterPage
from advice.models.listing import ListedLetter

VERSION_KEY = "sitemap:version"
DEFAULT_CACHE_SECONDS = 6 * 60 * 60
DEFAULT_LETTERS_PER_PAGE = 5_000
KEPT_HEADERS = ("Last-Modified", "X-Robots-Tag")


class SummaryMixin:
    """The section's size and newest publication, asked once a request and shared by the
    index's lastmod and the paginator's count. Django's default calls lastmod() on every item
    of the section (all 100,000 letters), and its paginator, made anew at each use, counts them
    again each time."""

    def summary(self):
        """{"total", "latest"}: one aggregate query (a section of a few dozen pages)."""
        if not hasattr(self, "_summary"):
            self._summary = (
                self.items()
                .order_by()
                .aggregate(total=Count("pk"), latest=Max("last_published_at"))
            )
        return self._summary

    def get_latest_lastmod(self):
        return self.summary()["latest"]

    @cached_property
    def paginator(self):
        paginator = Paginator(self._items(), self.limit)
        if hasattr(self, "_summary"):
            paginator.count = self._summary["total"]  # known: not counted again
        return paginator


class PagesSitemap(SummaryMixin, Sitemap):
    """Every live public page of the site except letters: a few dozen at most, read by their
    page types (an index), never by a pass over every page under the root."""

    def items(self):
        others = [model for model in get_page_models() if not issubclass(model, LetterPage)]
        return super().items().exact_type(*others)


class LettersSitemap(SummaryMixin, Sitemap):
    """The site's listed letters (advice.models.listing: live, under a column, under no view
    restriction), in the order they were made: counted and paged through the narrow listing
    rows, so page 20 skips 95,000 of those rather than of the page table's rows. Three columns of
    each letter, never the page objects, each address made from the site's root URL and the
    letter's url_path (what Page.get_full_url works out page by page, for one site)."""

    @property
    def limit(self):
        return getattr(settings, "SITEMAP_LETTERS_PER_PAGE", DEFAULT_LETTERS_PER_PAGE)

    def listing(self):
        """The site's listing rows: every row when all columns are under the site's root (one
        site, the usual case), read in the order of the table's key with nothing to sort; else
        by the columns' ids, through the listing's (column, date, letter) index."""
        if not hasattr(self, "_columns"):
            # The columns are matched here: a path LIKE in SQL would pass over the index of
            # every page's path (SQLite's LIKE ignores case, so it is no range of that index).
            root = self.get_wagtail_site().root_page.path
            columns = AdviceIndexPage.objects.values_list("pk", "path")
            ours = [pk for pk, path in columns if path.startswith(root)]
            self._columns = None if len(ours) == len(columns) else ours
        if self._columns is None:
            return ListedLetter.objects.all()
        return ListedLetter.objects.filter(column_id__in=self._columns)

    def summary(self):
        """The count from the listing rows' index; the newest publication by walking the page
        table's index of last publication (advice migration 0023) from the end to the first
        listed letter: a step or two, however many letters there are."""
        if not hasattr(self, "_summary"):
            listed = self.listing().filter(letter_id=OuterRef("pk"))
            latest = (
                Page.objects.filter(last_published_at__isnull=False)
                .filter(Exists(listed))
                .order_by("-last_published_at")
                .values_list("last_published_at", flat=True)
                .first()
            )
            self._summary = {"total": self.listing().count(), "latest": latest}
        return self._summary

    def items(self):
        return self.listing().order_by("letter_id").values_list("letter_id", flat=True)

    def _urls(self, page, protocol, domain):
        site = self.get_wagtail_site()
        base = site.root_url + reverse("wagtail_serve", args=("",))
        cut = len(site.root_page.url_path)
        ids = self.paginator.page(page).object_list
        rows = (
            Page.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("url_path", "last_published_at", "latest_revision_created_at")
        )
        urls = [
            {"location": base + url_path[cut:], "lastmod": published or revised}
            for url_path, published, revised in rows
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
