"""Telling a CDN or reverse proxy in front of the site to drop pages.

Through `wagtail.contrib.frontend_cache`'s public API (settings.WAGTAILFRONTENDCACHE; empty, and
nothing is sent, unless PAGE_CACHE_PURGE_URL or another backend is configured): `PurgeBatch`
collects the addresses, and its `purge()` runs in our own task. Its app is not installed: its
signal handlers purge inside the publishing request, before the change is committed, with no
timeout, and only the published page; and `PurgeBatch.purge()` called in a request would run
there too, under the immediate default task backend. Instead every purge here
- waits for the transaction to commit (a proxy that fetched the page again at once would
  otherwise keep the old one),
- covers the page and every page above it (a letter shows on its column, its topics and
  the home page: each ancestor's `get_cached_paths()`), and every page below it when a change
  hides them all (a view restriction, a move),
- runs as one task per change on the background queue (TASKS[settings.PAGE_CACHE_PURGE_TASKS]),
  and each purge request has a timeout (HTTPBackend below).
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django_tasks import task
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch

logger = logging.getLogger(__name__)


class HTTPBackend(WagtailHTTPBackend):
    """Wagtail's generic HTTP purge (a PURGE request per address to LOCATION, with the page's
    Host header), with a timeout (OPTIONS TIMEOUT, seconds; Wagtail's has none), after which
    the batch gives up: a proxy that does not answer must not hold the worker."""

    def __init__(self, params):
        self.timeout = float(params.pop("TIMEOUT", 5))
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            with urlopen(request, timeout=self.timeout):  # LOCATION is ours
                return True
        except HTTPError as error:
            logger.error("Could not purge %s: HTTP %d %s", url, error.code, error.reason)
            return True  # the proxy answered: try the next address
        except (URLError, TimeoutError, OSError) as error:
            logger.error("Could not purge %s: %s", url, getattr(error, "reason", error))
            return False

    def purge_batch(self, urls):
        urls = list(urls)
        for index, url in enumerate(urls):
            if not self.purge(url):
                logger.error("Purge stopped: %d addresses left to expire", len(urls) - index)
                return


@task(backend=getattr(settings, "PAGE_CACHE_PURGE_TASKS", "default"))
def purge_task(urls):
    """Purge these full addresses, in the worker, through Wagtail's public `PurgeBatch.purge()`
    (each backend for its hostnames). That hands them to Wagtail's own task on the default
    backend, which stays the immediate one (config.settings TASKS): the purge runs here, in
    this task, never in the request that changed the page."""
    PurgeBatch(urls).purge()


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_batch(batch):
    """Queue one purge task for what `batch` (a PurgeBatch) collected, once the transaction
    commits (at once outside one)."""
    urls = sorted(batch.urls)
    if not urls or not configured():
        return
    transaction.on_commit(lambda: purge_task.enqueue(urls))


def add_pages(batch, pages, descendants=False):
    """Add to `batch` the addresses a CDN may keep of `pages` (their `get_cached_paths()`
    under each one's URL), of every page above them (not the tree's root) and, with
    `descendants`, of every page below them (a page hidden or moved hides them all)."""
    for page in pages:
        batch.add_pages(page.get_ancestors().filter(depth__gt=1).defer_streamfields().specific())
        if descendants:
            batch.add_pages(page.get_descendants(inclusive=True).defer_streamfields().specific())
        else:
            batch.add_page(page.specific)
    return batch


def purge_pages(pages, descendants=False):
    """Purge `pages` and the pages above them (and below them with `descendants`), in one
    task once the transaction commits."""
    if configured():
        purge_batch(add_pages(PurgeBatch(), pages, descendants=descendants))
