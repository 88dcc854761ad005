"""The measured reasons two pieces of the column stay: each timed against Wagtail's own way.

- `ListedLetter` (advice.models.listing): a column's listings read from its narrow rows,
  against the same listings asked of Wagtail's page table (live children of the column under
  no view restriction), the rest of the page unchanged.
- The privacy override (`RequestRoutedMixin.get_view_restrictions`, advice.models.routing):
  the view restrictions a served page reads from the rows the request shares, against
  Wagtail's own check (its ancestors, then their restrictions).

Each page is requested through django.test.Client under the test settings (DEBUG off), every
cache cleared before each request, the two ways alternately round after round; queries are
counted with CaptureQueriesContext on one request of each. The data set is bench/data.py's,
generated into a scratch folder that is removed afterwards (nothing is kept).

    .venv/bin/python bench/reasons.py                  # 3,000 letters
    .venv/bin/python bench/reasons.py --letters 10000 --runs 15
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def tree_listing(column):
    """A column's listing asked of Wagtail's page table, as it was before ListedLetter."""
    from advice.models import LetterPage

    return LetterPage.objects.live().public().child_of(column).order_by("-date", "-pk")


def without_listed_letters():
    from advice.models import AdviceIndexPage

    return mock.patch.object(AdviceIndexPage, "listing", tree_listing)


def without_privacy_override():
    from wagtail.models import Page

    from advice.models.routing import RequestRoutedMixin

    return mock.patch.object(
        RequestRoutedMixin, "get_view_restrictions", Page.get_view_restrictions
    )


def request(client, url, patch):
    """One GET of `url` under `patch`, every cache cleared first: (seconds, queries)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for alias in settings.CACHES:
        caches[alias].clear()
    client.cookies.clear()
    with patch(), CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, len(queries)


def compare(client, url, patch, warmup, runs):
    """{"with": (median ms, queries), "without": (...)}, the two ways alternately."""
    times = {"with": [], "without": []}
    queries = {}
    ways = {"with": nullcontext, "without": patch}
    for round_number in range(warmup + runs):
        if round_number == warmup:
            gc.collect()
        for way, context in ways.items():
            elapsed, queries[way] = request(client, url, context)
            if round_number >= warmup:
                times[way].append(elapsed)
    return {way: (statistics.median(times[way]) * 1e3, queries[way]) for way in ways}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=2)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reasons-") as scratch:
        from bench import data
        from bench.database import build_schema, configure
        from bench.report import say

        configure(Path(scratch))
        build_schema()
        clock = time.perf_counter()
        data.build(options.letters, 10, lambda line: None)
        built = time.perf_counter() - clock

        from django.test import Client

        from advice.models import AdviceIndexPage, LetterPage, Topic

        column = AdviceIndexPage.objects.get(slug="dear-pursebop")
        last = -(-column.listing().count() // max(1, column.letters_per_page))
        topic = Topic.objects.order_by("pk").first()
        letter = LetterPage.objects.get(slug="bench-letter-0")
        pages = {
            "ListedLetter": [
                ("column, page 1", column.url),
                (f"column, page {last} (the last)", f"{column.url}?page={last}"),
                ("topic, page 1", column.topic_url(topic)),
            ],
            "privacy override": [
                ("letter", letter.url),
                ("column, page 1", column.url),
            ],
        }
        patches = {
            "ListedLetter": without_listed_letters,
            "privacy override": without_privacy_override,
        }
        client = Client()
        say(
            f"{options.letters:,} letters (generated in {built:.0f} s), {options.runs} runs "
            f"after {options.warmup}; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
            f"{platform.platform()}"
        )
        for piece, urls in pages.items():
            for label, url in urls:
                found = compare(client, url, patches[piece], options.warmup, options.runs)
                (with_ms, with_q), (without_ms, without_q) = found["with"], found["without"]
                say(
                    f"{piece:17} {label:26} with: {with_ms:7.1f} ms {with_q:3} queries   "
                    f"without: {without_ms:7.1f} ms {without_q:3} queries"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
