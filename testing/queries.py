"""Counting what a page costs cold: the queries of a request made with every Django cache
empty (Wagtail's site root paths, renditions, anything a view keeps), as the first reader after
a deploy or a cache flush meets it. Rendition rows may exist already (made by a first request,
as on a live site): only the caches are emptied, never the database."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext


def clear_caches():
    """Every configured Django cache, whatever it holds (as bench/pages.py clears them)."""
    for alias in settings.CACHES:
        caches[alias].clear()


def cold_queries(client, url, **params):
    """(queries, response) of `url` asked with every cache cleared, after a first request
    (renditions made, content types known to the process)."""
    assert client.get(url, params).status_code == 200
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return queries, response
