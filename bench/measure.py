"""Timing and counting: medians of alternated runs, queries of one request."""

import gc
import statistics
import time
from dataclasses import dataclass


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


def percentile(times, share):
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[share - 1]


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
