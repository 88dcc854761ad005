"""`make bench-scale`'s code, run tiny so it cannot rot: two sizes (20 and 40 letters)
generated in bulk on the test database one after the other, every key requested once. Times are
not looked at (no timed assertions in tests)."""

import json

import pytest
from django.db import transaction

from bench import data, scale
from bench.tests.test_bench import bench_settings  # noqa: F401 (a fixture)


def measured(letters):
    """One size's entry, its data set rolled back afterwards so the next size starts empty."""
    with transaction.atomic():
        data.build(letters, 10, progress=lambda line: None)
        entry = scale.time_size("sqlite", letters, warmup=0, runs=1)
        transaction.set_rollback(True)
    return entry


@pytest.mark.django_db
def test_bench_scale_times_every_key_at_two_sizes(bench_settings, tmp_path, monkeypatch):  # noqa: F811
    sizes = [measured(20), measured(40)]

    for entry, letters in zip(sizes, (20, 40), strict=True):
        assert entry["letters"] == letters
        # Every key answered 200 with what it should show (bench.pages.send stops otherwise).
        assert set(entry["pages"]) == {"floor", *scale.KEYS}
        for page in entry["pages"].values():
            assert {"what", "url", "median_ms", "cost", "queries", "bytes"} <= set(page)
            assert page["bytes"] > 0
    # The column's last page and the letters sitemap's last page follow the size.
    assert sizes[0]["pages"]["index_deep"]["url"] != sizes[1]["pages"]["index_deep"]["url"]
    assert sizes[1]["pages"]["sitemap_last"]["url"] == "/sitemap-letters.xml?p=1"

    growth = scale.growth_of(sizes)
    assert set(growth) == set(scale.KEYS)
    assert growth["search_rare"]["target"] == 2.0
    assert growth["sitemap_index"]["target"] == 1.3

    results = tmp_path / "scale.json"
    monkeypatch.setattr(scale, "RESULTS", results)
    scale.write_results({"sqlite": {"sizes": sizes, "growth": growth}})
    written = json.loads(results.read_text())
    assert written["stores"]["sqlite"]["sizes"][1]["letters"] == 40
    scale.table("sqlite", sizes, growth)


def test_each_size_has_a_database_of_its_own_never_the_one_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pursebop")
    assert scale.stores_wanted() == ["sqlite", "postgresql"]
    assert scale.scale_database("postgresql", 1000, 1000)[1:] == (
        "postgres://postgres@127.0.0.1:5432/pursebop_scale_1000",
        "pursebop_scale_1000",
    )
    assert scale.scale_database("sqlite", 1000, 1000)[2].name == "site-1000-1000.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///somewhere.sqlite3")
    assert scale.stores_wanted() == ["sqlite"]
    monkeypatch.setenv("BENCH_SCALE_SIZES", "40, 20")
    assert scale.sizes_wanted() == [20, 40]
