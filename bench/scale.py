"""`make bench-scale`: how each page's cost grows from 1,000 to 100,000 letters.

For each size (BENCH_SCALE_SIZES, default 1000,10000,100000) and each store (SQLite always;
PostgreSQL too when DATABASE_URL names it), a data set of its own is generated in bulk once
(bench/data.py) and kept: SQLite files in bench/data/, PostgreSQL databases named
`<name>_scale_<letters>` (never the one named). Each size runs in a process of its own (Django
is set up once per process, on one database), which times the pages cold as bench/run.py does:
page cache off, every Django cache cleared before each request, the keys interleaved round
after round with `floor` (a bare Wagtail page) in the same rounds, medians.

A page's cost at a size is its median over that run's floor, so sizes measured minutes apart on
a shared machine compare like with like; `growth` is the cost at the largest size over the cost
at the smallest (targets: 1.3 for every page, 2 for search). Results: bench/results/scale.json.
Nothing is asserted.

    .venv/bin/python bench/scale.py                      # the first run generates (minutes)
    BENCH_SCALE_SIZES=1000,10000 .venv/bin/python bench/scale.py --runs 5
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (1_000, 10_000, 100_000)
RESULTS = Path(os.environ.get("BENCH_SCALE_RESULTS") or ROOT / "bench" / "results" / "scale.json")
KEYS = (
    "index_first",
    "index_deep",
    "topic",
    "letter",
    "search_common",
    "search_rare",
    "sitemap_index",
    "sitemap_last",
)
SEARCH_KEYS = {"search_common", "search_rare"}
GROWTH_TARGET, SEARCH_GROWTH_TARGET = 1.3, 2.0


def sizes_wanted():
    given = os.environ.get("BENCH_SCALE_SIZES", "").replace(" ", "")
    if not given:
        return list(DEFAULT_SIZES)
    return sorted({int(size.replace("_", "")) for size in given.split(",") if size})


def stores_wanted():
    """SQLite always; PostgreSQL as well when DATABASE_URL names a PostgreSQL server."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return ["sqlite", "postgresql"] if url.startswith("postgres") else ["sqlite"]


def scale_database(store, letters, replies):
    """(kind, DATABASE_URL, name) of one size's own database: never the one DATABASE_URL names."""
    from bench.database import DATA_DIR

    if store == "postgresql":
        parts = urlsplit(os.environ["DATABASE_URL"].strip())
        name = f"{parts.path.lstrip('/') or 'postgres'}_scale_{letters}"
        return "postgresql", urlunsplit(parts._replace(path=f"/{name}")), name
    path = DATA_DIR / f"site-{letters}-{replies}.sqlite3"
    return "sqlite", f"sqlite:///{path}", path


def scale_keys():
    """The pages timed at every size (bench.pages.Key), floor first."""
    from django.conf import settings

    from advice.models import AdviceIndexPage, LetterPage, Topic
    from advice.sitemaps import DEFAULT_LETTERS_PER_PAGE
    from bench import data
    from bench.database import REPLIES
    from bench.pages import Key

    column = AdviceIndexPage.objects.get(slug="dear-pursebop")
    per_page = max(1, column.letters_per_page or 10)
    last_page = -(-column.letters().count() // per_page)
    topic = Topic.objects.order_by("pk").first()
    letter = LetterPage.objects.get(slug=data.named_letters(REPLIES)["letter_200"])
    per_sitemap = getattr(settings, "SITEMAP_LETTERS_PER_PAGE", DEFAULT_LETTERS_PER_PAGE)
    sitemap_pages = max(1, -(-LetterPage.objects.live().count() // per_sitemap))
    return [
        Key("floor", "bare Wagtail page", "/bench-floor/", "Floor"),
        Key("index_first", "column, page 1", column.url, "</html>"),
        Key(
            "index_deep",
            f"column, page {last_page:,} (the last)",
            f"{column.url}?page={last_page}",
            "</html>",
        ),
        Key("topic", f"topic '{topic.name}'", column.topic_url(topic), topic.name),
        Key("letter", f"letter, {max(1, REPLIES // 5)} replies", letter.url, "</html>"),
        Key("search_common", f"search '{data.COMMON_WORD}'", f"/search/?q={data.COMMON_WORD}"),
        Key("search_rare", f"search '{data.RARE_WORD}'", f"/search/?q={data.RARE_WORD}"),
        Key("sitemap_index", "sitemap.xml (the index)", "/sitemap.xml", "<sitemapindex"),
        Key(
            "sitemap_last",
            f"letters sitemap, page {sitemap_pages} (the last)",
            f"/sitemap-letters.xml?p={sitemap_pages}",
            "<urlset",
        ),
    ]


def measure_size(store, letters, warmup, runs, generate_only=False):
    """In this process: set Django up on the size's database, generate the data unless kept,
    time every key cold. Returns the size's results."""
    os.environ["BENCH_LETTERS"] = str(letters)
    from bench import database

    kind, url, name = scale_database(store, letters, database.REPLIES)
    database.configure_kept(kind, url, name)

    from django.db import connections

    generated = database.ensure_data(kind, url, name)
    from bench.data import analyze

    analyze()  # a kept data set too: made before the generator analysed what it wrote
    if generate_only:
        connections.close_all()
        return {"store": store, "letters": letters, "generation_seconds": generated}
    found = time_size(store, letters, warmup, runs)
    found["generation_seconds"] = generated
    found["database"] = str(name) if kind == "postgresql" else Path(name).name
    connections.close_all()
    return found


def time_size(store, letters, warmup, runs):
    """Every key on the database Django is set up on, cold: page cache off, every Django
    cache cleared before each request (bench.pages), floor in the same rounds."""
    from django.conf import settings
    from django.db import connection

    from bench.pages import census, measure_pages
    from bench.report import progress

    settings.PAGE_CACHE_ENABLED = False
    keys = scale_keys()
    progress(f"{store}, {letters:,} letters: {warmup} warm-up and {runs} timed rounds")
    times = measure_pages(keys, warmup, runs)
    counted = census(keys)
    floor = statistics.median(times["floor"])
    pages = {}
    for key in keys:
        median = statistics.median(times[key.name])
        queries, size = counted[key.name]
        pages[key.name] = {
            "what": key.what,
            "url": key.url,
            "median_ms": median * 1000,
            "cost": median / floor,
            "queries": queries,
            "bytes": size,
        }
    if connection.vendor == "sqlite":
        vendor = f"SQLite {connection.Database.sqlite_version}"
    else:
        vendor = f"PostgreSQL {connection.pg_version // 10000}"
    return {
        "store": store,
        "letters": letters,
        "vendor": vendor,
        "rounds": {"warm_up": warmup, "timed": runs},
        "floor_ms": floor * 1000,
        "pages": pages,
    }


def run_size(store, letters, warmup, runs):
    """One size in a child process (Django is set up once a process, on one database)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "size.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--one", store, str(letters)]
        command += ["--warmup", str(warmup), "--runs", str(runs), "--out", str(out)]
        subprocess.run(command, check=True, cwd=ROOT)
        return json.loads(out.read_text(encoding="utf-8"))


def growth_of(sizes):
    """Each key's cost at the largest size over its cost at the smallest."""
    if len(sizes) < 2:
        return {}
    small, large = sizes[0]["pages"], sizes[-1]["pages"]
    growth = {}
    for key in KEYS:
        ratio = large[key]["cost"] / small[key]["cost"]
        target = SEARCH_GROWTH_TARGET if key in SEARCH_KEYS else GROWTH_TARGET
        growth[key] = {"ratio": ratio, "target": target, "within": ratio <= target}
    return growth


def table(store, sizes, growth):
    """The printed table of one store: × floor and queries per size, then the growth."""
    from bench.report import say

    head = ["key"] + [f"{entry['letters']:,}" for entry in sizes] + ["growth", "target"]
    rows = [["floor"] + [f"{entry['floor_ms']:.1f} ms" for entry in sizes] + ["", ""]]
    for key in KEYS:
        cells = [
            f"{entry['pages'][key]['cost']:.2f}× {entry['pages'][key]['queries']}q"
            for entry in sizes
        ]
        if key in growth:
            found = growth[key]
            mark = "" if found["within"] else "  over"
            cells += [f"{found['ratio']:.2f}{mark}", f"≤ {found['target']}"]
        else:
            cells += ["", ""]
        rows.append([key, *cells])
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    say(f"{store}: cost as × floor (queries), growth = cost at the largest size over the smallest")
    say("  ".join(cell.ljust(width) for cell, width in zip(head, widths, strict=True)).rstrip())
    for row in rows:
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    made = [
        f"{entry['letters']:,}: generated in {entry['generation_seconds']:.0f} s"
        if entry.get("generation_seconds") is not None
        else f"{entry['letters']:,}: kept"
        for entry in sizes
    ]
    say(f"data: {'; '.join(made)}")


def write_results(stores):
    """bench/results/scale.json: {"date", "cpus", "stores": {store: {"sizes", "growth"}}}."""
    results = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "stores": stores}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS") or 10))
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--one", nargs=2, metavar=("STORE", "LETTERS"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument(
        "--generate-only", action="store_true", help="make the missing data sets, time nothing"
    )
    options = parser.parse_args(argv)
    if options.one:
        store, letters = options.one[0], int(options.one[1])
        found = measure_size(store, letters, options.warmup, options.runs, options.generate_only)
        if options.out:
            Path(options.out).write_text(json.dumps(found), encoding="utf-8")
        return 0

    from bench.report import progress, say

    started = time.perf_counter()
    if options.generate_only:
        for store in stores_wanted():
            for letters in sizes_wanted():
                command = [sys.executable, str(Path(__file__).resolve()), "--one", store]
                subprocess.run([*command, str(letters), "--generate-only"], check=True, cwd=ROOT)
        return 0
    stores = {}
    for store in stores_wanted():
        sizes = []
        for letters in sizes_wanted():
            progress(f"{store}: {letters:,} letters")
            sizes.append(run_size(store, letters, options.warmup, options.runs))
            growth = growth_of(sizes)
            stores[store] = {"sizes": sizes, "growth": growth}
            write_results(stores)  # after each size: a run stopped part-way keeps what it found
        say()
        table(store, sizes, growth)
    say()
    say(f"Results in {RESULTS}. Total {time.perf_counter() - started:.0f} s; nothing is asserted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
