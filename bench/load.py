"""`make bench-load`: the site under gunicorn, driven by wrk, target after target.

Serves the benchmark's kept data set (bench/run.py: generated on first use, BENCH_LETTERS and
DATABASE_URL as there) with the production settings over plain HTTP on a free local port
(`make run`'s way: DJANGO_LOCAL_HTTP=1, static files collected and served by WhiteNoise), once
for each page store: per-process memory (no Redis), then Redis when REDIS_URL is set. Each
target is loaded for LOAD_SECONDS (10 by default) by Debian's `wrk` (`apt-get install wrk`)
with LOAD_CONNECTIONS connections (8) on 2 threads. The first four are loaded in LOAD_ROUNDS
(5) rounds of LOAD_SECONDS / LOAD_ROUNDS seconds each, in turn, so that each kept page is
compared with the static file loaded seconds before it (a shared machine's load moves by
more than the difference measured); the last two once, for LOAD_SECONDS:

- static: a CSS file (21 KB), from WhiteNoise in the same server;
- letter: a letter with 200 replies, the same URL every time (kept by the page cache),
  asked without Accept-Encoding (wrk's default: the plain page, 124 KB);
- letter_gzip: the same, with `Accept-Encoding: gzip` as a browser asks (the compressed page);
- column: the column's first page (kept);
- letter_uncached: the same letter with a new page number every request, which no page cache
  has seen (rendered);
- reply_post: the reply form posted (a new text each time; replies are held or published as
  the policy says, and removed again afterwards).

For each: requests per second, the ratio to the static file (for a kept page, the median of
the rounds' ratios), median and 99th-percentile latency (over rounds, the median of the
rounds'), errors (responses other than 2xx/3xx, and socket errors) and the workers' memory
(RSS, summed) before its first run and after its last. LOAD_RESULTS names
another results file (the short run in the tests, bench/tests/test_load.py). The load
generator shares the machine's cores with the server, so the figures are for comparing targets
with each other. Prints a table a store and writes bench/results/load.json.
"""

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from bench.report import progress, say  # noqa: E402

SECONDS = int(os.environ.get("LOAD_SECONDS") or 10)
ROUNDS = int(os.environ.get("LOAD_ROUNDS") or 5)  # the static file and kept pages, in turn
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS") or 8)
OPENED_VALUES = 50_000  # more reply posts than a run sends
WORKERS = int(os.environ.get("WORKERS") or 2)
RESULTS = Path(os.environ.get("LOAD_RESULTS") or ROOT / "bench" / "results" / "load.json")
STATIC_PATH = "/static/css/site.css"
STORES = {"memory": "per-process memory", "redis": "Redis"}
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The timing half of the benchmark (bench.database) drops REDIS_URL so that it never clears a
# shared Redis; the app servers under load take it as given, so Redis can be measured.
SERVER_REDIS_URL = os.environ.get("REDIS_URL")


def server_environment(database_url, port, secret_key, store):
    """The server's environment, its page cache in `store`: "memory" (each worker's own, the
    version read from the database) or "redis" (REDIS_URL, which must be set)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "NEWSLETTER_SUPPRESSION_KEY": "bench-" + secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DJANGO_LOCAL_HTTP": "1",
        "SITE_DOMAIN": f"127.0.0.1:{port}",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Every post below comes from 127.0.0.1: the limits stay on, multiplied out of the way.
        "RATE_LIMIT_MULTIPLIER": "1000000",
    }
    env.pop("REDIS_URL", None)
    if store == "redis":
        env["REDIS_URL"] = SERVER_REDIS_URL
    return env


def rss_mb(master_pid):
    """The resident memory of the gunicorn master's workers, summed, in MB."""
    total = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024, len(children)


def wait_until_up(base, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting: see the lines above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {base}/healthz within {timeout} s")


def post_body(letter, secret_key):
    """The reply form as the letter page would send it, with a CSRF cookie and token, and a
    timestamp old enough to pass the typing-time check: the first line is the Cookie header,
    the second the body, the rest one-use "opened at" values, one a request (a value posts
    one reply: reused, the post would measure the confirm step instead)."""
    from django.test import override_settings

    from guard.forms import sign_opened
    from testing.replies import reply_form_data

    with override_settings(SECRET_KEY=secret_key):
        data = reply_form_data(letter, comment="Load test reply {N}: same trouble here.")
        opened = [quote(sign_opened(time.time() - 60), safe="") for _ in range(OPENED_VALUES)]
    data["email"] = "load-{N}@example.com"
    data["opened"] = "{OPENED}"
    csrf = secrets.token_hex(16)  # a 32-character secret, accepted unmasked as the token
    data["csrfmiddlewaretoken"] = csrf
    body = urlencode(data).replace("%7BN%7D", "{N}").replace("%7BOPENED%7D", "{OPENED}")
    return "\n".join([f"csrftoken={csrf}", body, *opened])


def wrk(url, mode, seconds, extra=()):
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "load.lua"),
        url,
        "--",
        mode,
        *extra,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = [text for text in output.splitlines() if text.startswith("{")][-1]
    return json.loads(line)


def targets_for(letter, column):
    """(key, what, path, mode, interleaved): the static file and the kept pages are loaded
    in rounds, one short wrk run each in turn, so each kept page's ratio to the static file
    compares runs seconds apart on a machine whose load moves; then the rest, once each."""
    return [
        ("static", "static file (WhiteNoise)", STATIC_PATH, "get", True),
        ("letter", "letter, 200 replies, same URL (kept), no Accept-Encoding", letter, "get", True),
        ("letter_gzip", "the same, Accept-Encoding: gzip (as browsers)", letter, "gzip", True),
        ("column", "column, page 1 (kept)", column, "get", True),
        (
            "letter_uncached",
            "the same letter, a new page number each request",
            letter,
            "bust",
            False,
        ),
        ("reply_post", "reply POST", "/replies/post/", "post", False),
    ]


def figures(what, path, runs, workers, rss):
    """One target's figures over its wrk runs: req/s over them all; p50 and p99 the median
    of the runs' own (one run: its own)."""
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["duration_us"] for run in runs) / 1e6
    return {
        "what": what,
        "url": path,
        "runs": len(runs),
        "requests": requests,
        "requests_per_second": requests / seconds,
        "runs_requests_per_second": [run["requests"] / run["duration_us"] * 1e6 for run in runs],
        "p50_ms": statistics.median(run["p50_us"] for run in runs) / 1000,
        "p99_ms": statistics.median(run["p99_us"] for run in runs) / 1000,
        "errors": sum(
            run["status_errors"] + run["connect"] + run["read"] + run["write"] + run["timeout"]
            for run in runs
        ),
        "workers": workers,
        "rss_start_mb": rss[0],
        "rss_end_mb": rss[1],
    }


def load_store(store, env, port, body_file, letter, column):
    """One gunicorn with the page cache in `store` ("memory", or "redis" when env names
    REDIS_URL), every target loaded; {key: figures}."""
    base = f"http://127.0.0.1:{port}"
    progress(f"gunicorn, {WORKERS} workers, on {base} (page cache: {STORES[store]})")
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--forwarded-allow-ips=",
        ],
        cwd=ROOT,
        env=env,
    )
    targets = targets_for(letter, column)
    rounds = max(1, min(ROUNDS, SECONDS))
    runs = {key: [] for key, *_ in targets}
    rss = {}
    try:
        wait_until_up(base, server)
        # Requests first, so each worker that answers is past its first-use costs and has
        # the page kept (in memory, each worker keeps its own copy).
        for _key, _what, path, mode, _interleaved in targets:
            if mode != "post":
                for _ in range(2 * WORKERS):
                    urllib.request.urlopen(base + path, timeout=30).read()
        schedule = [
            (target, SECONDS // rounds) for _ in range(rounds) for target in targets if target[4]
        ]
        schedule += [(target, SECONDS) for target in targets if not target[4]]
        for (key, _what, path, mode, _interleaved), seconds in schedule:
            before, workers = rss_mb(server.pid)
            rss.setdefault(key, [before, before])
            progress(f"{store}, {key}: {seconds} s of wrk, {CONNECTIONS} connections")
            extra = [str(body_file)] if mode == "post" else []
            runs[key].append(wrk(base + path, mode, seconds, extra))
            rss[key][1] = rss_mb(server.pid)[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    results = {
        key: figures(what, path, runs[key], workers, rss[key])
        for key, what, path, _mode, _interleaved in targets
    }
    static = results["static"]
    interleaved = {key for key, *_rest, together in targets if together}
    for key, entry in results.items():
        if key in interleaved:
            # Each round's ratio to the static file's run of the same round; their median.
            pairs = zip(
                entry["runs_requests_per_second"],
                static["runs_requests_per_second"],
                strict=True,
            )
            entry["x_static_runs"] = [mine / theirs for mine, theirs in pairs]
            entry["x_static"] = statistics.median(entry["x_static_runs"])
        else:
            entry["x_static"] = entry["requests_per_second"] / static["requests_per_second"]
    return results


def table(results):
    header = ("target", "req/s", "x static", "p50", "p99", "errors", "RSS start", "RSS end")
    rows = [
        (
            key,
            f"{entry['requests_per_second']:,.0f}",
            f"{entry['x_static']:.2f}",
            f"{entry['p50_ms']:.1f} ms",
            f"{entry['p99_ms']:.1f} ms",
            f"{entry['errors']:,}",
            f"{entry['rss_start_mb']:.0f} MB",
            f"{entry['rss_end_mb']:.0f} MB",
        )
        for key, entry in results.items()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, None, *rows]:
        if row is None:
            say("-" * (sum(widths) + 2 * (len(widths) - 1)))
            continue
        say(
            "  ".join(
                [row[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
            )
        )


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    kind, database_url, name = database.bench_database()
    database.configure_kept(kind, database_url, name)

    from django.conf import settings
    from django.db import connections

    from advice.models import AdviceIndexPage, LetterPage
    from bench import data
    from comments.counts import recount_page
    from comments.models import Reply

    database.ensure_data(kind, database_url, name)
    named = data.named_letters(database.REPLIES)
    letter = LetterPage.objects.get(slug=named["letter_200"])
    target = LetterPage.objects.get(slug=named["reply_target"])
    column = AdviceIndexPage.objects.get(slug="dear-pursebop")
    secret_key = secrets.token_urlsafe(50)
    body_file = Path(tempfile.mkstemp(prefix="pursebop-load-", suffix=".txt")[1])
    body_file.write_text(post_body(target, secret_key), encoding="utf-8")
    before = set(Reply.objects.filter(object_pk=str(target.pk)).values_list("pk", flat=True))
    connections.close_all()

    stores = ["memory", "redis"] if SERVER_REDIS_URL else ["memory"]
    found = {}
    stored = 0
    try:
        for store in stores:
            port = free_port()
            env = server_environment(database_url, port, secret_key, store)
            if not found:
                progress("collecting static files (production storage)")
                subprocess.run(
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
            found[store] = load_store(store, env, port, body_file, letter.url, column.url)
            posted = Reply.objects.filter(object_pk=str(target.pk)).exclude(pk__in=before)
            # A post that came back as the confirm step stored nothing.
            found[store]["reply_post"]["stored"] = posted.count() - stored
            stored = posted.count()
    finally:
        body_file.unlink(missing_ok=True)
        Reply.objects.filter(object_pk=str(target.pk)).exclude(pk__in=before).delete()
        recount_page(target)  # deleted as rows: its card counts again
        connections.close_all()

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "seconds_per_target": SECONDS,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "database": kind,
        "letters": database.LETTERS,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "settings": "config.settings.production (DJANGO_LOCAL_HTTP=1)",
        "django_cache_backend": settings.CACHES["default"]["BACKEND"],
        "rounds": max(1, min(ROUNDS, SECONDS)),
        "x_static": "kept pages: the median over the rounds of req/s over the static file's "
        "in the same round; the rest: req/s over the static file's over all its rounds",
    }
    stores_out = {store: {"cache": STORES[store], "targets": found[store]} for store in found}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "stores": stores_out}, indent=2) + "\n")

    for store, results in found.items():
        say()
        say(
            f"Dear PurseBop under load, {meta['date']}: page cache in {STORES[store]}; gunicorn "
            f"{WORKERS} workers, {kind}, {database.LETTERS:,} letters; wrk 2 threads, "
            f"{CONNECTIONS} connections, {SECONDS} s a target, on the same {os.cpu_count()} CPUs"
        )
        table(results)
    say()
    for key, what, _path, _mode, _interleaved in targets_for(letter.url, column.url):
        say(f"  {key}: {what}")
    load = ", ".join(f"{value:.1f}" for value in meta["load_average"])
    say(
        f"x static: kept pages, the median of {meta['rounds']} rounds' ratios to the static file "
        f"loaded in the same round; p50 and p99 the median of the rounds'. Load average after: "
        f"{load}."
    )
    say(f"Results in {RESULTS}. RSS is the {WORKERS} workers' resident memory, summed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
