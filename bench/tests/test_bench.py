"""The benchmark's code, run tiny so it cannot rot: 20 letters generated in bulk on the test
database, every key requested once. Times are not looked at (no timed assertions in tests)."""

import pytest
from django.conf import settings as django_settings

from advice.models import LetterPage
from bench import data, database, pages
from comments.models import Reply


def stored_counts():
    """{letter pk: its card's stored reply count}, the letters with replies readers see."""
    from comments.models import ReplyCount

    return {int(row.object_pk): row.shown for row in ReplyCount.objects.all() if row.shown}


def shown_counts():
    """The same, counted from the replies."""
    from comments.threads import visible_counts

    counts = visible_counts(Reply.objects.all())
    return {int(object_pk): shown for (_type, object_pk), shown in counts.items() if shown}


@pytest.fixture
def bench_settings(settings):
    """What bench/database.py sets: its URLs (the trivial view) and the floor page's template."""
    settings.ROOT_URLCONF = "bench.urls"
    engine = {**django_settings.TEMPLATES[0]}
    engine["DIRS"] = [database.ROOT / "bench" / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine]
    settings.RATE_LIMIT_MULTIPLIER = 1000
    return settings


@pytest.mark.django_db
def test_bench_generates_its_data_and_measures_every_key(bench_settings):
    data.build(20, 10, progress=lambda line: None)

    letters = LetterPage.objects.filter(slug__startswith="bench-letter-")
    assert letters.count() == 20
    assert data.existing_description() == data.describe(20, 10)
    # The bulk-written pages are a proper tree and searchable.
    assert LetterPage.objects.get(slug="bench-letter-6").get_parent().slug == "dear-pursebop"
    biggest = LetterPage.objects.get(slug="bench-letter-6")
    assert Reply.objects.filter(object_pk=str(biggest.pk), status="approved").count() == 10
    assert Reply.objects.filter(object_pk=str(biggest.pk), user__isnull=False).count() == 4
    # Written as rows, the replies are counted for the cards all the same (comments.counts).
    assert stored_counts() == shown_counts()
    assert stored_counts()[biggest.pk] == 10

    results = pages.run_pages(warmup=0, runs=1)

    assert set(results) == {"floor", "trivial", "pages"}
    assert results["floor"]["median_ms"] > 0
    assert set(results["pages"]) >= {
        "home",
        "index_first",
        "index_deep",
        "topic",
        "letter_0",
        "letter_200",
        "letter_200_cold",
        "letter_1000",
        "guide",
        "search_common",
        "search_rare",
        "search_misspelt",
        "feed",
        "sitemap",
        "reply_post",
    }
    for entry in results["pages"].values():
        assert {"median_ms", "p95_ms", "queries", "ratio", "bytes"} <= set(entry)
    # The posts made while measuring are removed again.
    target = LetterPage.objects.get(slug=data.named_letters(10)["reply_target"])
    assert not Reply.objects.filter(object_pk=str(target.pk)).exists()
    assert target.pk not in stored_counts()  # and its card counts them no more
    assert stored_counts() == shown_counts()
    search = results["pages"]["search_rare"]
    assert search["bytes"] > 0


def test_the_bench_database_is_never_the_one_named(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pursebop")
    assert database.bench_database()[1:] == (
        "postgres://postgres@127.0.0.1:5432/pursebop_bench",
        "pursebop_bench",
    )
