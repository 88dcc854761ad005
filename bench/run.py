"""`make bench`: how the site's speed scales, measured side by side in one run.

Three comparisons, each measured in this one process after warm-up runs, and reported as
medians, 90th percentiles and the ratio of the medians:

1. a letter page with 0 approved replies against the same letter with 200 threaded replies;
2. the moderation desk's "All replies" queue with 5,000 replies stored, page 1 against the
   last page, logged in as a superuser (and the SQL queries of each);
3. ``comments.sanitize.render_reply`` on a typical 600-character reply against hostile
   100,000-character inputs (several shapes; the slowest is the headline).

The two sides of each comparison are timed alternately (A, B, A, B, ...), so a slow moment
of the machine lands on both. Everything runs on a throwaway SQLite database in a temporary directory
(never db.sqlite3) with the test settings (DEBUG off, no Redis), through django.test.Client:
no server, no network. Nothing here asserts a time; the figures are for people to compare.
Query-count budgets are tests (comments/tests/test_reply_query_counts.py,
advice/tests/test_query_counts.py), not this.

    .venv/bin/python bench/run.py           # about a minute
    .venv/bin/python bench/run.py --quick   # fewer runs: a smoke check of the benchmark
"""

import argparse
import datetime
import gc
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The test settings: DEBUG off (no query log, no debug pages, as in production), "testserver"
# allowed, fast password hashing, mail kept in memory. The dev settings have DEBUG on, which
# records every query, and do not allow django.test.Client's host.
SETTINGS = "config.settings.test"
LISTED_REPLIES = 5_000  # in the desk's "All replies" queue: exactly 100 pages of 50
PER_PAGE = 50
LETTER_REPLIES = 200  # 50 threads of four levels: one page of threads under the letter
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


# --- data -----------------------------------------------------------------------------------


def make_letters():
    """Two published letters made from the first demo letter, the same but for their slug."""
    from django.utils import timezone

    from advice.demo import letter_fields, read_content
    from advice.models import LetterPage, Topic

    data = read_content()["letters"][0]
    source = LetterPage.objects.get(slug=data["slug"])
    column = source.get_parent()
    letters = []
    for slug in ("bench-no-replies", "bench-200-replies"):
        page = LetterPage(
            title=data["title"],
            slug=slug,
            **letter_fields(data),
            date=timezone.localdate(),  # open for replies under any closing period
            columnist=source.columnist,
            hero_image=source.hero_image,
        )
        column.add_child(instance=page)
        page.topics.set(Topic.objects.filter(slug__in=data.get("topics", [])))
        page.save_revision().publish()
        page.refresh_from_db()
        letters.append(page)
    return letters


def reply_fields(target, n, **fields):
    from django.contrib.contenttypes.models import ContentType

    values = {
        "content_type": ContentType.objects.get_for_model(target),
        "object_pk": str(target.pk),
        "site_id": 1,
        "user_name": f"Reader {n}",
        "user_email": f"reader{n}@example.com",
        "ip_address": f"10.{n // 62_500 % 250}.{n // 250 % 250}.{n % 250 + 1}",
    }
    values.update(fields)
    return values


def add_threaded_replies(letter, count, posted):
    """`count` approved replies in threads of four (levels 0 to 3), like the query-count test's:
    saved one by one through the model, so xtd computes thread_id, level and order and save()
    renders the HTML. Dated from `posted` on, a minute apart."""
    from comments.models import Reply, ReplyStatus

    made = []
    for n in range(count):
        level = n % 4
        text = f"Reply {n} at level {level}. I kept the receipt and the dust bag, as you said."
        text += (
            f" More at https://example.com/{n} and *more*." if n % 3 == 0 else " <em>Agreed.</em>"
        )
        made.append(
            Reply.objects.create(
                **reply_fields(
                    letter,
                    n,
                    comment=text,
                    parent_id=made[-1].pk if level else 0,
                    status=ReplyStatus.APPROVED,
                    author_badge="editor" if n % 7 == 0 else "",
                    submit_date=posted + datetime.timedelta(minutes=n),
                )
            )
        )
    return made


def add_desk_replies(count, newest):
    """`count` top-level replies spread over the demo letters, every status (4 pending, 4
    approved, 1 rejected, 1 spam in 10), one in 50 reported, dated 13 hours apart back from
    `newest`. Saved one by one: Django's bulk_create refuses Reply, which is a multi-table
    child (django_comments' Comment, then xtd's XtdComment, then Reply)."""
    from advice.models import LetterPage
    from comments.models import Reply, ReplyReport, ReplyStatus
    from guard.addresses import address_hash

    letters = list(LetterPage.objects.exclude(slug__startswith="bench-").order_by("pk"))
    statuses = [ReplyStatus.PENDING] * 4 + [ReplyStatus.APPROVED] * 4
    statuses += [ReplyStatus.REJECTED, ReplyStatus.SPAM]
    texts = [
        "Same here with my tote. " * (1 + n % 6) + f"See https://example.com/help/{n} first."
        for n in range(20)
    ]
    made = [
        Reply.objects.create(
            **reply_fields(
                letters[n % len(letters)],
                10_000 + n,
                comment=texts[n % len(texts)],
                status=statuses[n % len(statuses)],
                submit_date=newest - datetime.timedelta(hours=13 * n),
            )
        )
        for n in range(count)
    ]
    ReplyReport.objects.bulk_create(
        ReplyReport(reply=reply, reason="spam", reporter_hash=address_hash(f"bench-{reply.pk}"))
        for reply in made[::50]
    )
    return made


def build_data():
    """The demo site, two letters (0 and 200 replies), and desk replies up to 5,000 listed.

    The desk's replies are the newest and the oldest of all, so its first and last pages show
    the same mix of statuses, letters and reports; the demo's and the letter's replies are
    dated between them."""
    from django.db import transaction
    from django.utils import timezone

    from advice.demo import load_demo_content
    from comments.models import Reply

    load_demo_content()
    quiet, busy = make_letters()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        add_threaded_replies(busy, LETTER_REPLIES, posted=now - datetime.timedelta(days=400))
        add_desk_replies(LISTED_REPLIES - Reply.objects.count(), newest=now)
    return quiet, busy


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

    def stats(self, stats):
        row = (stats.label, stats.warmup, len(stats.times), ms(stats.median), ms(stats.p90), "")
        self.rows.append(row)

    def pair(self, a, b, ratio_label, note=""):
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


# --- main -----------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: a smoke check")
    quick = parser.parse_args(argv).quick
    runs = {  # (warm-up, timed) runs
        "letter": (2, 5) if quick else (5, 30),
        "desk": (1, 3) if quick else (3, 15),
        "render": (1, 3) if quick else (3, 12),  # per hostile shape, typical alongside
    }
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="pursebop-bench-") as scratch:
        database = configure(Path(scratch))

        import django
        import wagtail
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connections
        from django.test import Client

        from comments import sanitize
        from comments.models import Reply

        setup = {}
        clock = time.perf_counter()
        progress(f"migrating a throwaway database in {scratch}")
        build_schema()
        setup["migrate"] = time.perf_counter() - clock
        clock = time.perf_counter()
        progress(f"demo content, {LETTER_REPLIES} threaded replies, desk up to {LISTED_REPLIES:,}")
        quiet, busy = build_data()
        setup["data"] = time.perf_counter() - clock
        table = Table()

        # 1. A letter page: no replies, then 200 approved replies in 50 threads.
        progress("timing the letter pages")
        table.section("Letter page (anonymous reader)")
        reader = Client()
        no_replies = page(reader, quiet.url, "No replies yet")
        many_replies = page(reader, busy.url, f"{LETTER_REPLIES} replies")
        table.pair(
            *side_by_side(
                ("0 replies", no_replies),
                (f"{LETTER_REPLIES} replies in {LETTER_REPLIES // 4} threads", many_replies),
                *runs["letter"],
            ),
            f"{LETTER_REPLIES} replies / 0 replies",
        )
        table.note(f"  SQL queries: {count_queries(no_replies)} and {count_queries(many_replies)}")

        # 2. The moderation desk, "All replies": page 1 and the last page.
        progress("timing the moderation desk")
        listed = Reply.objects.count()
        last = -(-listed // PER_PAGE)
        table.section(f"Moderation desk, queue=all, {listed:,} replies, {PER_PAGE} a page")
        moderator = Client()
        moderator.force_login(
            get_user_model().objects.create_superuser("bench", email="bench@example.com")
        )
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

        # 3. The sanitiser. render_reply is lru-cached, so the undecorated function is timed:
        # the work done when a new reply is saved. Each hostile shape is timed alternately
        # with the typical reply (whose figures pool all those runs); see sanitiser_pair().
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
        connections.close_all()

    say()
    kind = "quick" if quick else "full"
    say(f"Dear PurseBop benchmark: {kind} run, {time.strftime('%Y-%m-%d %H:%M')}")
    say(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, django-comments-xtd {version('django-comments-xtd')}, "
        f"bleach {version('bleach')}"
    )
    say(
        f"Database: SQLite {sqlite3.sqlite_version}, a throwaway {database.name} in a temporary "
        f"directory (WAL); cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"settings: {SETTINGS} (DEBUG {'on' if settings.DEBUG else 'off'})"
    )
    say(f"Machine: {os.cpu_count()} CPUs, {platform.platform()}")
    say(
        f"Setup: migrate {setup['migrate']:.1f} s, data {setup['data']:.1f} s. The two sides "
        "of each comparison are timed alternately (A, B, A, B, ...) after the warm-up runs."
    )
    say()
    for line in table.lines():
        say(line)
    say()
    say(f"Total {time.perf_counter() - started:.0f} s. Times are wall-clock; nothing is asserted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
