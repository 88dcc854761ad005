"""The pages the benchmark times: every key requested through django.test.Client, round after
round, against the yardstick (floor, trivial)."""

import gc
import statistics
import time
from dataclasses import dataclass

from bench.database import REPLIES
from bench.measure import percentile
from bench.report import progress

# The demo's Hermès letter: related guides, pictures in its answer, related links.
DEMO_LETTER = "what-happens-if-i-reject-my-hermes-special-order"
WARM_KEYS = {"letter_0", "letter_200", "letter_1000", "sitemap_warm"}


@dataclass
class Key:
    name: str
    what: str
    url: str
    expect: str = ""
    method: str = "get"
    payload: object = None  # a callable making the POST data, outside the timed part
    status: int = 200

    @property
    def warm(self):
        return self.name in WARM_KEYS


def page_keys():
    from advice.models import AdviceIndexPage, GuidePage, LetterPage, Topic
    from bench import data

    column = AdviceIndexPage.objects.get(slug="dear-pursebop")
    per_page = max(1, column.letters_per_page or 10)
    last_page = -(-column.letters().count() // per_page)
    letters = {
        key: LetterPage.objects.get(slug=slug) for key, slug in data.named_letters(REPLIES).items()
    }
    topic = Topic.objects.order_by("pk").first()
    guide = GuidePage.objects.live().order_by("path").first()
    target = letters["reply_target"]
    demo_letter = LetterPage.objects.filter(slug=DEMO_LETTER).first()
    serial = iter(range(10**9))

    def reply_data():
        from testing.replies import reply_form_data

        n = next(serial)
        return reply_form_data(
            target, comment=f"Benchmark reply {n} {time.time_ns()}: I had the same trouble."
        )

    from testing.replies import fresh_address

    letter = {key: page.url for key, page in letters.items()}
    return [
        Key("home", "home page", "/", "</html>"),
        Key("index_first", "column, page 1", column.url, "</html>"),
        Key(
            "index_deep",
            f"column, page {last_page:,} (the last)",
            f"{column.url}?page={last_page}",
            "</html>",
        ),
        Key("topic", f"topic page '{topic.name}'", column.topic_url(topic), topic.name),
        Key("letter_0", "letter, 0 replies (warm)", letter["letter_0"], "</html>"),
        Key(
            "letter_200",
            f"letter, {max(1, REPLIES // 5)} replies (warm)",
            letter["letter_200"],
            "</html>",
        ),
        Key(
            "letter_200_cold",
            f"letter, {max(1, REPLIES // 5)} replies (cold)",
            letter["letter_200"],
            "</html>",
        ),
        Key("letter_1000", f"letter, {REPLIES} replies (warm)", letter["letter_1000"], "</html>"),
        Key("letter_0_cold", "letter, 0 replies (cold)", letter["letter_0"], "</html>"),
        Key(
            "letter_1000_cold",
            f"letter, {REPLIES} replies (cold)",
            letter["letter_1000"],
            "</html>",
        ),
        *(
            [
                Key(
                    "demo_letter_cold",
                    "the demo's letter with guides and pictures (cold)",
                    demo_letter.url,
                    "</html>",
                )
            ]
            if demo_letter is not None
            else []
        ),
        Key("guide", "guide page", guide.url, guide.title[:20]),
        Key("search_common", f"search '{data.COMMON_WORD}'", f"/search/?q={data.COMMON_WORD}"),
        Key("search_rare", f"search '{data.RARE_WORD}'", f"/search/?q={data.RARE_WORD}"),
        Key(
            "search_misspelt",
            f"search '{data.MISSPELT_WORD}' (corrected)",
            f"/search/?q={data.MISSPELT_WORD}",
            "Showing results for",
        ),
        Key("feed", "column feed (RSS)", column.feed_url(), "<rss"),
        Key("sitemap_index", "sitemap.xml (the index)", "/sitemap.xml", "<?xml"),
        Key("sitemap", "sitemap, first page of letters", "/sitemap-letters.xml", "<?xml"),
        Key("sitemap_warm", "the same, warm", "/sitemap-letters.xml", "<?xml"),
        Key(
            "reply_post",
            "reply POST (a new address each)",
            "/replies/post/",
            method="post",
            payload=lambda: (reply_data(), {"REMOTE_ADDR": fresh_address()}),
            status=302,
        ),
    ], target


def clear_caches():
    """Every configured Django cache, whatever it holds (page caches too, if any)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def send(client, key):
    """One request of `key` as a reader without cookies; (seconds, response)."""
    client.cookies.clear()
    if key.method == "post":
        body, extra = key.payload()
        start = time.perf_counter()
        response = client.post(key.url, body, **extra)
    else:
        start = time.perf_counter()
        response = client.get(key.url)
    elapsed = time.perf_counter() - start
    if response.status_code != key.status or (
        key.expect and key.expect.encode() not in response.content
    ):
        raise SystemExit(
            f"{key.method.upper()} {key.url} answered {response.status_code} "
            f"without {key.expect!r}: the benchmark would time the wrong thing."
        )
    return elapsed, response


def measure_pages(keys, warmup, runs):
    """Round after round, every key once (floor and trivial included): times per key."""
    from django.test import Client

    client = Client()
    times = {key.name: [] for key in keys}
    for round_number in range(warmup + runs):
        if round_number == warmup:
            gc.collect()
        for key in keys:
            if key.warm:
                # Other keys clear the caches (and a reply POST may change the site): ask once,
                # untimed, so the timed request meets the page kept, as every reader after the
                # first does.
                send(client, key)
            else:
                clear_caches()
            elapsed, _response = send(client, key)
            if round_number >= warmup:
                times[key.name].append(elapsed)
    return times


def census(keys):
    """Queries and bytes of one request of each key, in its own mode."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    found = {}
    for key in keys:
        if key.warm:
            send(client, key)
        else:
            clear_caches()
        with CaptureQueriesContext(connection) as queries:
            _elapsed, response = send(client, key)
        found[key.name] = (len(queries), len(response.content))
    return found


def run_pages(warmup, runs):
    from django.urls import reverse

    keys, target = page_keys()
    floor = Key("floor", "bare Wagtail page", "/bench-floor/", "Floor")
    trivial = Key("trivial", "Django view", reverse("bench_trivial"), "Trivial")
    everything = [floor, trivial, *keys]
    progress(f"timing {len(everything)} keys: {warmup} warm-up rounds, {runs} timed rounds")
    try:
        times = measure_pages(everything, warmup, runs)
        counted = census(everything)
    finally:
        from comments.counts import recount_page
        from comments.models import Reply

        Reply.objects.filter(object_pk=str(target.pk)).delete()  # the posts of this run
        recount_page(target)  # deleted as rows: its card counts again

    def entry(key):
        queries, size = counted[key.name]
        return {
            "median_ms": statistics.median(times[key.name]) * 1000,
            "p95_ms": percentile(times[key.name], 95) * 1000,
            "queries": queries,
            "bytes": size,
        }

    results = {"floor": entry(floor), "trivial": entry(trivial), "pages": {}}
    for key in keys:
        results["pages"][key.name] = {
            **entry(key),
            "ratio": entry(key)["median_ms"] / results["floor"]["median_ms"],
            "what": key.what,
            "cache": "warm" if key.warm else "cleared",
            "url": key.url,
        }
    return results
