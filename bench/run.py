"""`make bench`: the whole site measured side by side in one run, against a yardstick.

The data set (bench/data.py: the demo site grown to 10,000 letters over 20 topics, letters with
0, 200 and 1,000 approved replies, a third of the replies by registered users) is generated in
bulk once and kept between runs: in bench/data/ (SQLite, git-ignored), or with DATABASE_URL in a
PostgreSQL database of its own named `<name>_bench`, never the one named. BENCH_LETTERS and
BENCH_REPLIES (the largest letter's replies; the middle one gets a fifth) make it smaller.

Every page is requested through django.test.Client with the test settings (DEBUG off), after
warm-up rounds, the keys interleaved round after round so a slow moment of the machine lands on
all of them. The yardstick is `floor`: a bare Wagtail page with a one-line template under the
same settings and middleware; `trivial` is a Django view that returns a fixed string. Each key's
ratio is its median over floor's median.

"Warm" keys (letter_0, letter_200, letter_1000, sitemap_warm) are requested the way an anonymous
reader meets them with every cache on; every other key with every cache cleared before each
request (Django's caches, whatever they hold: page caches included, when there are any). Each
request is made without cookies. The results go to bench/results/latest.json (git-ignored).

Then the two comparisons the benchmark always made: the moderation desk's "All replies" queue,
page 1 against the last page, and the sanitiser on a typical reply against hostile inputs.

Nothing here asserts a time; query budgets are tests (advice/tests/test_query_counts.py,
comments/tests/test_reply_query_counts.py).

    .venv/bin/python bench/run.py            # the first run generates the data (minutes)
    .venv/bin/python bench/run.py --quick    # fewer rounds: a smoke check
    BENCH_LETTERS=2000 .venv/bin/python bench/run.py
"""

import argparse
import gc
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The test settings: DEBUG off (no query log, no debug pages, as in production), "testserver"
# allowed, fast password hashing, mail kept in memory. The dev settings have DEBUG on, which
# records every query, and do not allow django.test.Client's host.
SETTINGS = "config.settings.test"
PER_PAGE = 50  # the desk's "All replies" queue
LETTERS = int(os.environ.get("BENCH_LETTERS") or 10_000)
REPLIES = int(os.environ.get("BENCH_REPLIES") or 1_000)
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR") or ROOT / "bench" / "data")
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results" / "latest.json")
WARM_KEYS = {"letter_0", "letter_200", "letter_1000", "sitemap_warm"}
HOSTILE_LENGTH = 100_000
TYPICAL_BATCH = 20  # typical replies timed together per sample (see sanitiser_pair)

TYPICAL_REPLY = (
    "Dear PurseBop, I had nearly the same thing happen with a special order last spring. The "
    "boutique rang to say my bag had arrived, but the leather was a different grain from the "
    "sample and the hardware was gold, not palladium. I said <em>no thank you</em> politely "
    "and they were fine about it. Honestly, relief.\n\n"
    "My advice: ask for the order form in writing before you decide, and check the deposit "
    "terms. Mine are explained at https://shop.example.com/help/special-orders?lang=en "
    "(section 4b). It took two weeks to get my deposit back, but I did get it.\n\n"
    "<b>Good luck</b>, and tell us what you choose!"
)


def hostile_inputs():
    """100,000 characters aimed at the sanitiser's slow corners: the parser (html5lib) and the
    linkifier. The shapes of comments/tests/test_sanitize.py, and a mix of tags and links."""
    shapes = {
        "tags+links": '<em>x</em> <a href="http://a.example/">y</a> www.b.example ',
        "urls": "http://example.com/ ",
        "www+parens": "www.x.example/(a)(b) ",
        "amp": "&",
        "lt": "<",
        "paragraphs": "x\n\n",
        "nested <b>": "<b>",
        "open <a": "<a ",
        "prose": "A reader's long letter about handbags. ",
        "newlines": "line of text\n",
    }
    texts = {
        name: (unit * (HOSTILE_LENGTH // len(unit) + 1))[:HOSTILE_LENGTH]
        for name, unit in shapes.items()
    }
    texts["equals"] = ("<a " + "=" * HOSTILE_LENGTH)[:HOSTILE_LENGTH]
    return texts


def say(line=""):
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def progress(line):
    """What the benchmark is doing, on stderr, so the report on stdout stays a report."""
    sys.stderr.write(f"bench: {line}\n")
    sys.stderr.flush()


# --- settings and database ------------------------------------------------------------------


def configure(scratch):
    """Point Django at a new SQLite file and media folder under `scratch`, then set it up."""
    database = scratch / "bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # The settings read these two: a PostgreSQL URL or a shared Redis must be neither used
    # nor written to by a benchmark of the SQLite setup.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(database)
    settings.MEDIA_ROOT = scratch / "media"  # the demo's images and their renditions
    django.setup()

    from django.db import connection

    if Path(connection.settings_dict["NAME"]).resolve() != database.resolve():
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")
    return database


def build_schema():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Stats:
    label: str
    times: list
    warmup: int

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def p90(self):
        if len(self.times) < 2:
            return self.times[0]
        return statistics.quantiles(self.times, n=10, method="inclusive")[-1]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def side_by_side(a, b, warmup, runs):
    """Time two (label, callable) pairs alternately, after `warmup` untimed calls of each."""
    (label_a, call_a), (label_b, call_b) = a, b
    for _ in range(warmup):
        call_a()
        call_b()
    gc.collect()
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(timed(call_a))
        times_b.append(timed(call_b))
    return Stats(label_a, times_a, warmup), Stats(label_b, times_b, warmup)


def sanitiser_pair(render, typical, hostile, warmup, runs, batch=TYPICAL_BATCH):
    """Time `render` on a typical and a hostile (label, text) alternately. A typical call
    takes well under a millisecond and would pay for the cache misses the 100,000-character
    call just caused, so each typical sample is the mean of `batch` calls, after one untimed
    call."""
    (typical_label, typical_text), (hostile_label, hostile_text) = typical, hostile
    for _ in range(warmup):
        render(typical_text)
        render(hostile_text)
    gc.collect()
    typical_times, hostile_times = [], []
    for _ in range(runs):
        render(typical_text)
        start = time.perf_counter()
        for _ in range(batch):
            render(typical_text)
        typical_times.append((time.perf_counter() - start) / batch)
        hostile_times.append(timed(lambda: render(hostile_text)))
    return Stats(typical_label, typical_times, warmup), Stats(hostile_label, hostile_times, warmup)


def page(client, url, expect):
    """A GET that must answer 200 and contain `expect`: a login page, a redirect or an empty
    page is never what gets timed."""

    def get():
        response = client.get(url)
        if response.status_code != 200 or expect.encode() not in response.content:
            raise SystemExit(
                f"GET {url} answered {response.status_code} without {expect!r}: "
                "the benchmark would time the wrong page."
            )
        return response

    return get


def count_queries(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


# --- report ---------------------------------------------------------------------------------


def ms(seconds):
    if seconds < 0.001:
        return f"{seconds * 1e6:,.0f} µs"
    return f"{seconds * 1e3:,.1f} ms"


class Table:
    HEADER = ("", "warm-up", "runs", "median", "p90", "ratio of medians")

    def __init__(self):
        self.rows = []
        self.last_pairs = []

    def stats(self, stats):
        row = (stats.label, stats.warmup, len(stats.times), ms(stats.median), ms(stats.p90), "")
        self.rows.append(row)

    def pair(self, a, b, ratio_label, note=""):
        self.last_pairs.append((a, b))
        self.stats(a)
        self.stats(b)
        ratio = f"{b.median / a.median:,.2f}x" + (f"  {note}" if note else "")
        self.rows.append((f"  {ratio_label}", "", "", "", "", ratio))

    def note(self, text):
        self.rows.append((text, "", "", "", "", ""))

    def section(self, title):
        if self.rows:
            self.rows.append(("", "", "", "", "", ""))
        self.note(title)

    def lines(self):
        widths = [max(len(str(row[i])) for row in [self.HEADER, *self.rows]) for i in range(5)]
        rule = "-" * (sum(widths) + 2 * 5 + len(self.HEADER[5]))

        def fmt(row):
            first = str(row[0]).ljust(widths[0])
            rest = [
                str(cell).rjust(width) for cell, width in zip(row[1:5], widths[1:], strict=True)
            ]
            return "  ".join([first, *rest, str(row[5])]).rstrip()

        return [fmt(self.HEADER), rule, *(fmt(row) for row in self.rows)]


# --- the kept database ----------------------------------------------------------------------


def bench_database():
    """(kind, DATABASE_URL, name) of the benchmark's own database: `<name>_bench` on the
    PostgreSQL server DATABASE_URL names, or a SQLite file in DATA_DIR named by its size."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url and not url.startswith("sqlite"):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'postgres'}_bench"
        return "postgresql", urlunsplit(parts._replace(path=f"/{name}")), name
    path = DATA_DIR / f"site-{LETTERS}-{REPLIES}.sqlite3"
    return "sqlite", f"sqlite:///{path}", path


def postgres_admin(url):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def create_postgres_database(url, name, drop=False):
    from psycopg import sql

    with postgres_admin(url) as admin:
        if drop:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure_kept(kind, url, name):
    """Django on the benchmark's database, with the test settings, the bench's URLs (the site's
    plus the trivial view) and its one-line page template; no Redis (clearing the caches must
    never empty someone's Redis database); rate limits raised for the timed reply posts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ["RATE_LIMIT_MULTIPLIER"] = "1000000"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    if kind == "postgresql":
        create_postgres_database(url, name)
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)

    import django
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    settings.TEMPLATES[0]["DIRS"] = [ROOT / "bench" / "templates", *settings.TEMPLATES[0]["DIRS"]]
    settings.MEDIA_ROOT = DATA_DIR / "media"
    django.setup()

    from django.db import connection

    if kind == "sqlite" and Path(connection.settings_dict["NAME"]).resolve() != name.resolve():
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")
    if kind == "postgresql" and connection.settings_dict["NAME"] != name:
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")


def wipe(kind, url, name):
    """Start the kept database again (its data set is of an older shape)."""
    from django.db import connections

    connections.close_all()
    if kind == "postgresql":
        create_postgres_database(url, name, drop=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def ensure_data(kind, url, name):
    """Migrate, and generate the data set unless the kept one matches. Returns the seconds
    generation took, or None when the kept data set was used."""
    from bench import data

    build_schema()
    wanted = data.describe(LETTERS, REPLIES)
    found = data.existing_description()
    if found == wanted:
        progress(f"using the kept data set ({wanted})")
        return None
    if found is not None:
        progress(f"the kept data set is '{found}': generating it again")
        wipe(kind, url, name)
        build_schema()
    progress(f"generating the data set ({wanted}), once")
    clock = time.perf_counter()
    data.build(LETTERS, REPLIES, progress)
    return time.perf_counter() - clock


# --- the pages --------------------------------------------------------------------------------


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
        Key("guide", "guide page", guide.url, guide.title[:20]),
        Key("search_common", f"search '{data.COMMON_WORD}'", f"/search/?q={data.COMMON_WORD}"),
        Key("search_rare", f"search '{data.RARE_WORD}'", f"/search/?q={data.RARE_WORD}"),
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


def percentile(times, share):
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[share - 1]


def page_table(results):
    floor = results["floor"]["median_ms"]
    header = ("key", "what", "median", "p95", "x floor", "queries", "KB")
    rows = [
        (
            "floor",
            "bare Wagtail page, one-line template",
            f"{floor:.1f} ms",
            f"{results['floor']['p95_ms']:.1f} ms",
            "1.00",
            str(results["floor"]["queries"]),
            f"{results['floor']['bytes'] / 1024:.1f}",
        ),
        (
            "trivial",
            "Django view, fixed string",
            f"{results['trivial']['median_ms']:.1f} ms",
            f"{results['trivial']['p95_ms']:.1f} ms",
            f"{results['trivial']['median_ms'] / floor:.2f}",
            str(results["trivial"]["queries"]),
            f"{results['trivial']['bytes'] / 1024:.1f}",
        ),
    ]
    for name, entry in results["pages"].items():
        rows.append(
            (
                name,
                entry["what"],
                f"{entry['median_ms']:.1f} ms",
                f"{entry['p95_ms']:.1f} ms",
                f"{entry['ratio']:.2f}",
                str(entry["queries"]),
                f"{entry['bytes'] / 1024:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        return "  ".join(cells)

    return [fmt(header), "-" * (sum(widths) + 2 * (len(widths) - 1)), *map(fmt, rows)]


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
        from comments.models import Reply

        Reply.objects.filter(object_pk=str(target.pk)).delete()  # the posts of this run

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


# --- the desk and the sanitiser -------------------------------------------------------------


def run_desk_and_sanitiser(table, runs):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from comments import sanitize
    from comments.models import Reply

    # The moderation desk, "All replies": page 1 and the last page.
    progress("timing the moderation desk")
    listed = Reply.objects.count()
    last = max(1, -(-listed // PER_PAGE))
    table.section(f"Moderation desk, queue=all, {listed:,} replies, {PER_PAGE} a page")
    moderator = Client()
    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", email="bench@example.com")
    moderator.force_login(user)
    newest = Reply.objects.order_by("-submit_date", "-pk").first()
    oldest = Reply.objects.order_by("submit_date", "pk").first()
    url = "/admin/snippets/comments/reply/?queue=all"
    first_page = page(moderator, url, f"snippet_{newest.pk}_title")
    last_page = page(moderator, f"{url}&p={last}", f"snippet_{oldest.pk}_title")
    table.pair(
        *side_by_side(("page 1", first_page), (f"page {last}", last_page), *runs["desk"]),
        f"page {last} / page 1",
    )
    table.note(f"  SQL queries: {count_queries(first_page)} and {count_queries(last_page)}")

    # The sanitiser. render_reply is lru-cached, so the undecorated function is timed: the
    # work done when a new reply is saved. Each hostile shape is timed alternately with the
    # typical reply (whose figures pool all those runs); see sanitiser_pair().
    progress("timing render_reply")
    render = sanitize.render_reply.__wrapped__
    table.section("comments.sanitize.render_reply, per call")
    typical_label = f"typical reply, {len(TYPICAL_REPLY)} chars ({TYPICAL_BATCH} calls a run)"
    typical_times, hostile = [], []
    for name, text in hostile_inputs().items():
        typical_stats, hostile_stats = sanitiser_pair(
            render, (typical_label, TYPICAL_REPLY), (name, text), *runs["render"]
        )
        typical_times += typical_stats.times
        hostile.append(hostile_stats)
    typical = Stats(typical_label, typical_times, runs["render"][0] * len(hostile))
    hostile.sort(key=lambda stats: stats.median, reverse=True)
    worst = hostile[0]
    table.pair(
        typical,
        Stats(f"hostile, {HOSTILE_LENGTH:,} chars: {worst.label}", worst.times, worst.warmup),
        "slowest hostile / typical",
        f"(the input is {HOSTILE_LENGTH / len(TYPICAL_REPLY):,.0f}x longer)",
    )
    table.note(f"  every hostile shape, {HOSTILE_LENGTH:,} chars:")
    for stats in hostile:
        table.rows.append(
            (
                f"    {stats.label}",
                stats.warmup,
                len(stats.times),
                ms(stats.median),
                ms(stats.p90),
                f"{stats.median / typical.median:,.0f}x typical",
            )
        )
    return {
        "desk": {
            "replies": listed,
            "first_median_ms": table.last_pairs[0][0].median * 1000,
            "last_median_ms": table.last_pairs[0][1].median * 1000,
        },
        "sanitiser": {
            "typical_median_ms": typical.median * 1000,
            "worst_hostile": worst.label,
            "worst_hostile_median_ms": worst.median * 1000,
        },
    }


# --- main -----------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a smoke check")
    parser.add_argument(
        "--pages-only", action="store_true", help="leave out the desk and the sanitiser"
    )
    options = parser.parse_args(argv)
    quick = options.quick
    runs = {  # (warm-up, timed) runs
        "pages": (1, 3) if quick else (3, int(os.environ.get("BENCH_RUNS") or 25)),
        "desk": (1, 3) if quick else (3, 15),
        "render": (1, 3) if quick else (3, 12),  # per hostile shape, typical alongside
    }
    started = time.perf_counter()
    kind, url, name = bench_database()
    configure_kept(kind, url, name)

    import django
    import wagtail
    from django.conf import settings
    from django.db import connection, connections

    generated = ensure_data(kind, url, name)
    results = run_pages(*runs["pages"])
    table = Table()
    if not options.pages_only:
        results.update(run_desk_and_sanitiser(table, runs))
    if kind == "postgresql":
        database = f"PostgreSQL {connection.pg_version // 10000}, database {name}"
    else:
        shown = name.relative_to(ROOT) if name.is_relative_to(ROOT) else name
        database = f"SQLite {sqlite3.sqlite_version}, {shown} (WAL)"
    connections.close_all()
    results["meta"] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "letters": LETTERS,
        "replies": REPLIES,
        "database": database,
        "generation_seconds": generated,
        "cpus": os.cpu_count(),
        "rounds": {"warm_up": runs["pages"][0], "timed": runs["pages"][1]},
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    say()
    say(f"Dear PurseBop benchmark: {'quick' if quick else 'full'} run, {results['meta']['date']}")
    say(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, django-comments-xtd {version('django-comments-xtd')}, "
        f"bleach {version('bleach')}"
    )
    say(
        f"Data: {LETTERS:,} letters, replies up to {REPLIES:,}; "
        + (
            f"generated in {generated:.0f} s this run"
            if generated is not None
            else "kept from an earlier run"
        )
    )
    say(
        f"Database: {database}; cache: "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; settings: {SETTINGS} "
        f"(DEBUG {'on' if settings.DEBUG else 'off'}); machine: {os.cpu_count()} CPUs, "
        f"{platform.platform()}"
    )
    say(
        f"Pages: {runs['pages'][0]} warm-up and {runs['pages'][1]} timed rounds, every key "
        "once a round; 'warm' keys with caches on, the others with caches cleared before each "
        "request."
    )
    say()
    for line in page_table(results):
        say(line)
    if table.rows:
        say()
        for line in table.lines():
            say(line)
    say()
    say(f"Results in {RESULTS}.")
    say(f"Total {time.perf_counter() - started:.0f} s. Times are wall-clock; nothing is asserted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
