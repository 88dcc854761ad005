"""`make bench-load` in a short setting, so the proof under load runs in CI: gunicorn on a small
data set of its own (a scratch directory, or `<name>_bench` on PostgreSQL), every target loaded
by wrk for LOAD_SECONDS, and no request may fail. With ATTACK=full (`make attack`) each target
is loaded for 60 s, as `make bench-load LOAD_SECONDS=60` does on the kept 10,000 letters.

Speeds are printed, never asserted; errors and the workers' memory are."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from bench.database import ROOT
from testing.output import say

FULL = os.environ.get("ATTACK") == "full"
TARGETS = {
    "static",
    "letter",
    "letter_gzip",
    "column",
    "letter_uncached",
    "reply_post",
}
# A worker that kept what every request allocated would grow by far more than this over the
# thousands of requests of a run; a steady one moves by a few MB as its caches fill.
MEMORY_GROWTH_MB = 100


@pytest.mark.attack
def test_every_target_serves_under_load_without_an_error(tmp_path, pytestconfig):
    if shutil.which("wrk") is None:
        message = "wrk is missing: apt-get install wrk (Debian's package)."
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message + " E2E_REQUIRED=1 makes this a failure.")
        pytest.skip(message)
    results = tmp_path / "load.json"
    env = {
        **os.environ,
        "BENCH_DATA_DIR": str(tmp_path / "data"),
        "BENCH_LETTERS": "30",
        "BENCH_REPLIES": "20",
        "LOAD_SECONDS": "60" if FULL else "2",
        "LOAD_RESULTS": str(results),
        "PYTHONUNBUFFERED": "1",
    }
    # The servers' page cache stays in their own memory: a Redis database other tests share
    # is left alone (the several-servers test covers Redis).
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800 if FULL else 600,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]

    stores = json.loads(results.read_text())["stores"]
    assert set(stores) == {"memory"}  # no REDIS_URL: the per-process page store only
    targets = stores["memory"]["targets"]
    for key, entry in targets.items():
        say(
            pytestconfig,
            f"load {key}: {entry['requests']:,} requests, {entry['requests_per_second']:,.0f}/s, "
            f"{entry['x_static']:.2f}x static, p99 {entry['p99_ms']:.1f} ms, "
            f"{entry['errors']} errors, "
            f"RSS {entry['rss_start_mb']:.0f} -> {entry['rss_end_mb']:.0f} MB",
        )
    assert set(targets) == TARGETS
    for key, entry in targets.items():
        assert entry["requests"] > 0, key
        assert entry["errors"] == 0, (key, entry)
        assert entry["workers"] == 2, key
        assert entry["rss_end_mb"] - entry["rss_start_mb"] < MEMORY_GROWTH_MB, (key, entry)
    # Every reply post answered was stored (one-use opened-at values: none met the confirm step).
    assert targets["reply_post"]["stored"] >= targets["reply_post"]["requests"]
