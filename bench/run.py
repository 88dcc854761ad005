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

Its parts: bench/database.py (the settings and the kept data set), bench/pages.py (the pages
timed), bench/desk.py (the desk and the sanitiser), bench/measure.py and bench/report.py.
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402
    LETTERS,
    REPLIES,
    SETTINGS,
    bench_database,
    configure_kept,
    ensure_data,
)
from bench.desk import run_desk_and_sanitiser  # noqa: E402
from bench.pages import run_pages  # noqa: E402
from bench.report import Table, page_table, say  # noqa: E402

RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results" / "latest.json")


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
