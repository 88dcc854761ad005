"""`make bench-newsletter`: one letter sent to BENCH_SUBSCRIBERS (100,000) readers.

The data (two columns, BENCH_SUBSCRIBERS confirmed "each answer" subscribers of one, written in
bulk) is kept between runs in a database of its own: bench/data/newsletter-<N>.sqlite3, or with
DATABASE_URL `<name>_bench_newsletter` on the PostgreSQL server it names, never the one named.
Each run first removes the letters, issues, deliveries and queued tasks an earlier run left.

(a) Publishing: an editor (a Moderator) presses Publish on a draft letter through the admin's
edit view (django.test.Client), in the subscribed column and in a column nobody subscribes to,
alternately, RUNS times each: medians and their ratio. The email tasks backend is the database
one, as in production: the request makes the Issue and queues the fan-out, nothing more.
(b) and (c): the email worker, a process of its own (`bench/newsletter.py --worker`, the loop
of `manage.py email_worker`), runs the queue until it is empty: `fan_out` writes the
deliveries, then `send_issue` renders and sends every email to the console backend, whose
output is counted, not printed. Rows written a second, emails a second, and the worker's
resident memory (RSS) before the first task, after each, and its peak.
(d) Readers: a letter page is requested (anonymous, caches cleared) every READ_PAUSE seconds
while the worker runs, and before it starts (idle): medians and the slowest, by phase.

Results: a table, and bench/results/newsletter.json (git-ignored). Nothing is asserted but the
counts (each subscriber one delivery, sent, and one email each).

    .venv/bin/python bench/newsletter.py                      # the first run writes the data
    BENCH_SUBSCRIBERS=2000 .venv/bin/python bench/newsletter.py
"""

import argparse
import json
import os
import platform
import sqlite3
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

from bench import newsletter_steps as steps  # noqa: E402
from bench.database import DATA_DIR, bench_database, build_schema, configure_kept  # noqa: E402
from bench.report import ms, progress, say  # noqa: E402

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS") or 100_000)
RUNS = int(os.environ.get("BENCH_RUNS") or 5)
READ_PAUSE = 1.0  # seconds between a reader's requests while the worker runs
IDLE_READS = 20
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results" / "newsletter.json")
QUEUE_SETTINGS = {
    "TASKS": {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    },
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.console.EmailBackend",
}


def newsletter_database(subscribers=SUBSCRIBERS):
    """(kind, url, name) of this benchmark's database: bench/database.py's `<name>_bench` with
    `_newsletter` after it on PostgreSQL, a file of its own in DATA_DIR on SQLite."""
    kind, url, name = bench_database()
    if kind == "postgresql":
        name = f"{name}_newsletter"
        return kind, urlunsplit(urlsplit(url)._replace(path=f"/{name}")), name
    path = DATA_DIR / f"newsletter-{subscribers}.sqlite3"
    return kind, f"sqlite:///{path}", path


def queue_like_production():
    from django.test.utils import override_settings

    override = override_settings(**QUEUE_SETTINGS)
    override.enable()
    return override


def time_publishes(subscribed, quiet, columnist, editor, runs):
    """Publish through the admin, alternately in each column. Returns (subscribed times, quiet
    times, the last subscribed letter, the last quiet letter)."""
    from django.test import Client

    client = Client()
    client.force_login(editor)
    loud_times, quiet_times, loud_letter, quiet_letter = [], [], None, None
    for n in range(runs + 1):  # the first pair warms up, untimed
        loud_letter = steps.draft_letter(subscribed, columnist, f"s{n}")
        quiet_letter = steps.draft_letter(quiet, columnist, f"q{n}")
        loud = steps.publish(client, loud_letter, columnist)
        calm = steps.publish(client, quiet_letter, columnist)
        if n:
            loud_times.append(loud)
            quiet_times.append(calm)
    return loud_times, quiet_times, loud_letter, quiet_letter


def reader(letter):
    """A reader's request for `letter`'s page, caches cleared first; returns its seconds."""
    from django.core.cache import caches
    from django.test import Client

    from pagecache import store

    client, url = Client(), letter.url

    def read():
        for cache in caches.all():
            cache.clear()
        store.forget()
        clock = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - clock
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return seconds

    return read


def run_worker_process(database, read):
    """The worker in a process of its own, `read` timed meanwhile. Returns the worker's report
    and the reads as (wall-clock start, seconds)."""
    from django.db import connections

    connections.close_all()  # SQLite: nothing of ours holds the file while the worker writes
    with tempfile.TemporaryDirectory(prefix="pursebop-bench-newsletter-") as scratch:
        out = Path(scratch) / "worker.json"
        command = [sys.executable, __file__, "--worker", str(out), "--database", *database]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
        reads = []
        while process.poll() is None:
            started = time.time()
            reads.append((started, read()))
            connections.close_all()
            time.sleep(READ_PAUSE)
        if process.returncode != 0:
            raise SystemExit(f"the worker failed (exit status {process.returncode})")
        return json.loads(out.read_text(encoding="utf-8")), reads


def worker_main(out, database):
    """`--worker`: the email worker's loop until the queue is empty; its report into `out`."""
    kind, url, name = database
    configure_kept(kind, url, Path(name) if kind == "sqlite" else name)
    queue_like_production()
    report = steps.work_until_done()
    Path(out).write_text(json.dumps(report), encoding="utf-8")


def phases(report, reads):
    """Reads sorted by what the worker was doing: idle (before it started), fan-out, sending."""
    spans = {task["task"]: (task["started"], task["ended"]) for task in report["tasks"]}
    found = {"fan_out": [], "send_issue": []}
    for started, seconds in reads:
        for task, (begin, end) in spans.items():
            if task in found and begin <= started <= end:
                found[task].append(seconds)
    return found


def summary(times):
    if not times:
        return {"reads": 0}
    return {
        "reads": len(times),
        "median_ms": statistics.median(times) * 1e3,
        "max_ms": max(times) * 1e3,
    }


def measure(subscribers, runs, worker, progress=progress, idle_reads=IDLE_READS):
    """Every step, on the database Django is set up with; `worker(read)` runs the queue and
    returns (report, reads). Returns the results (what newsletter.json holds, but meta)."""
    from newsletter.models import Issue

    subscribed, quiet, columnist, editor = steps.prepare_site()
    generated = steps.ensure_subscribers(subscribed, subscribers, progress)
    steps.forget_earlier_runs()
    progress(f"publishing through the admin, {runs} times in each column")
    loud, calm, letter, quiet_letter = time_publishes(subscribed, quiet, columnist, editor, runs)
    issue = Issue.objects.get(letter=letter)
    steps.keep_only_issue(issue)
    read = reader(quiet_letter)
    idle = [read() for _ in range(idle_reads)]
    progress(f"the worker: fan-out and sending to {subscribers:,} subscribers")
    report, reads = worker(read)
    spans = {task["task"]: task for task in report["tasks"]}
    fan, send = spans["fan_out"], spans["send_issue"]
    fan_seconds, send_seconds = fan["ended"] - fan["started"], send["ended"] - send["started"]
    counts = steps.delivery_counts(issue)
    during = phases(report, reads)
    return {
        "subscribers": subscribers,
        "subscribers_written_seconds": generated,
        "publish": {
            "subscribed_ms": [t * 1e3 for t in loud],
            "quiet_ms": [t * 1e3 for t in calm],
            "subscribed_median_ms": statistics.median(loud) * 1e3,
            "quiet_median_ms": statistics.median(calm) * 1e3,
            "ratio": statistics.median(loud) / statistics.median(calm),
        },
        "fan_out": {
            "seconds": fan_seconds,
            "rows": fan["return"],
            "rows_per_second": fan["return"] / fan_seconds if fan_seconds else None,
        },
        "send": {
            "seconds": send_seconds,
            "return": send["return"],
            "emails": report["emails"],
            "emails_per_second": report["emails"] / send_seconds if send_seconds else None,
            "memory_start_kb": report["memory_start"]["rss_kb"],
            "memory_after_fan_out_kb": fan["memory"]["rss_kb"],
            "memory_end_kb": report["memory_end"]["rss_kb"],
            "memory_peak_kb": report["memory_end"]["peak_kb"],
        },
        "readers": {
            "idle": summary(idle),
            "during_fan_out": summary(during["fan_out"]),
            "during_send": summary(during["send_issue"]),
        },
        "deliveries": counts,
        "recipients": report["recipients"],
        "tasks": [(task["task"], task["status"]) for task in report["tasks"]],
    }


def print_report(results, meta):
    publish, fan, send, readers = (
        results["publish"],
        results["fan_out"],
        results["send"],
        results["readers"],
    )
    say()
    say(f"Dear PurseBop newsletter benchmark, {meta['date']}")
    say(
        f"Python {meta['python']}, Django {meta['django']}, Wagtail {meta['wagtail']}; "
        f"{meta['database']}; {meta['cpus']} CPUs, load average {meta['load_before']} before, "
        f"{meta['load_after']} after"
    )
    written = results["subscribers_written_seconds"]
    say(
        f"{results['subscribers']:,} confirmed 'each answer' subscribers of one column, "
        + (f"written in {written:.1f} s this run" if written else "kept from an earlier run")
    )
    say()
    rows = [
        (
            "publish (admin POST), subscribed column",
            f"median {ms(publish['subscribed_median_ms'] / 1e3)}",
        ),
        (
            "publish (admin POST), column with none",
            f"median {ms(publish['quiet_median_ms'] / 1e3)}",
        ),
        ("  ratio of medians", f"{publish['ratio']:.2f}x ({len(publish['quiet_ms'])} runs each)"),
        (
            "fan-out (worker's fan_out task)",
            f"{fan['seconds']:.2f} s, {fan['rows']:,} rows, {fan['rows_per_second']:,.0f} rows/s",
        ),
        (
            "send (worker's send_issue task)",
            f"{send['seconds']:.1f} s, {send['emails']:,} emails, "
            f"{send['emails_per_second']:,.0f} emails/s",
        ),
        (
            "worker RSS: start / after fan-out / end / peak",
            " / ".join(
                f"{send[k] / 1024:,.0f} MB"
                for k in (
                    "memory_start_kb",
                    "memory_after_fan_out_kb",
                    "memory_end_kb",
                    "memory_peak_kb",
                )
            ),
        ),
    ]
    for phase, label in (
        ("idle", "idle"),
        ("during_fan_out", "during fan-out"),
        ("during_send", "during sending"),
    ):
        entry = readers[phase]
        shown = (
            f"{entry['reads']} reads, median {entry['median_ms']:.1f} ms, slowest "
            f"{entry['max_ms']:.1f} ms"
            if entry["reads"]
            else "no read fell in it"
        )
        rows.append((f"reader's letter page, {label}", shown))
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        say(f"{label.ljust(width)}  {value}")
    counts = results["deliveries"]
    say()
    say(
        f"Deliveries: {counts['rows']:,} rows for {counts['subscribers']:,} subscribers, "
        f"by state {counts['states']}; tasks {results['tasks']}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        return worker_main(options.worker, options.database)
    started = time.perf_counter()
    load_before = os.getloadavg()
    kind, url, name = newsletter_database()
    configure_kept(kind, url, name)
    import django
    import wagtail
    from django.db import connection

    build_schema()
    queue_like_production()
    results = measure(
        SUBSCRIBERS, RUNS, lambda read: run_worker_process((kind, url, str(name)), read)
    )
    if kind == "postgresql":
        database = f"PostgreSQL {connection.pg_version // 10000}, database {name}"
    else:
        database = f"SQLite {sqlite3.sqlite_version}, {name} (WAL)"
    results.pop("recipients")
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "database": database,
        "cpus": os.cpu_count(),
        "load_before": " ".join(f"{v:.2f}" for v in load_before),
        "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "seconds": time.perf_counter() - started,
    }
    results["meta"] = meta
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(results, meta)
    say()
    say(f"Results in {RESULTS}. Total {meta['seconds']:.0f} s; nothing is asserted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
