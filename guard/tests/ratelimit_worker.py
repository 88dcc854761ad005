"""One process of the rate-limit concurrency test (guard/tests/test_ratelimit_processes.py).

Run as `python -m guard.tests.ratelimit_worker KEY HITS WINDOW_SECONDS` from the project
root, with DJANGO_SETTINGS_MODULE, DATABASE_URL and REDIS_URL in the environment (the store
follows REDIS_URL, as in the settings). It connects, prints "ready", waits for a line on stdin
(so every worker starts hammering at once), calls hit() HITS times and prints one JSON line:
the counts hit() returned, the seconds the hits took and when they started and ended.
"""

import json
import sys
import time

import django


def main():
    key, hits, window_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    django.setup()
    from django.conf import settings
    from django.db import connection

    from guard import ratelimit

    if settings.RATE_LIMIT_STORE == "redis":
        ratelimit._redis(settings.REDIS_URL).ping()
    else:
        connection.ensure_connection()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.readline()
    started, clock = time.time(), time.perf_counter()
    counts = [ratelimit.hit(key, window_seconds) for _ in range(hits)]
    seconds, ended = time.perf_counter() - clock, time.time()
    result = {
        "store": settings.RATE_LIMIT_STORE,
        "counts": counts,
        "seconds": seconds,
        "started": started,
        "ended": ended,
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
