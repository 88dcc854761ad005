"""A search's snippet work does not grow with a letter's length: each part of a page is read
no further than its first PART_CHARS characters, and its words are passed over once. Counted
(characters given to the snippet, words stemmed), never timed; `make attack` prints the times
(advice/tests/test_search_attack.py)."""

import json
import os
import statistics
import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from advice import search
from advice.models import LetterPage
from testing.output import say
from testing.pages import answer

# What a snippet may read of any page, however long: summary, letter and answer, each to
# PART_CHARS; every word of it stemmed once (a word and a space at least: half as many words).
MOST_CHARACTERS = 30_000
MOST_WORDS = MOST_CHARACTERS // 2
PARAGRAPH = "<p>My special order of a handbag came late, so the boutique sent a scarf too.</p>"


def paragraphs(size):
    """About `size` characters of letter, paragraph after paragraph."""
    return PARAGRAPH * (size // len(PARAGRAPH) + 1)


def long_answer(size):
    """An answer of about `size` characters, as many paragraph blocks."""
    count = size // len(PARAGRAPH) + 1
    return json.dumps([{"type": "paragraph", "value": PARAGRAPH}] * count)


class Work:
    """What add_snippets did: the characters each snippet was cut from and the words stemmed
    (every word the snippet step looks at is stemmed, so this counts its passes too). Past
    `most` words it stops the search: unbounded work would otherwise run for minutes."""

    def __init__(self, most=MOST_WORDS):
        self.characters = 0
        self.stemmed = 0
        self.most = most

    def count(self, pages, query):
        real_snippet, real_stem = search.snippet, search.stem

        def snippet(text, *args, **kwargs):
            self.characters += len(text)
            return real_snippet(text, *args, **kwargs)

        def stem(word):
            self.stemmed += 1
            assert self.stemmed <= self.most, f"more than {self.most:,} words stemmed"
            return real_stem(word)

        with (
            mock.patch.object(search, "snippet", snippet),
            mock.patch.object(search, "stem", stem),
        ):
            return search.add_snippets(pages, query)


def snippet_work(query, **fields):
    values = {"title": "A letter?", "dek": "A summary.", "letter": "<p>Hello.</p>"}
    values["answer"] = answer("Answer text.")
    page = LetterPage(**{**values, **fields})
    work = Work()
    (page,) = work.count([page], query)
    return work, page.search_snippet


@pytest.mark.parametrize("query", ["handbag", "special order"])
@pytest.mark.parametrize("part", ["letter", "answer"])
def test_a_5_mb_letter_costs_its_snippet_no_more_than_a_5_kb_one(db, part, query):
    make = paragraphs if part == "letter" else long_answer
    short, short_snippet = snippet_work(query, **{part: make(5_000)})
    long, long_snippet = snippet_work(query, **{part: make(5_000_000)})
    assert long.characters <= MOST_CHARACTERS
    assert long.stemmed <= MOST_WORDS
    assert long.stemmed <= short.stemmed * MOST_CHARACTERS // 5_000
    assert "<mark>handbag</mark>" in long_snippet or "<mark>special</mark>" in long_snippet
    assert long_snippet == short_snippet + " …" or long_snippet == short_snippet


def test_words_in_the_answer_are_marked_after_a_long_letter(db):
    """Each part of a letter is read to its own limit: a long letter leaves the answer read."""
    work, shown = snippet_work(
        "vachetta", letter=paragraphs(5_000_000), answer=answer("Condition the vachetta yearly.")
    )
    assert "Condition the <mark>vachetta</mark> yearly." in shown


def test_a_word_past_the_limit_shows_the_summary_instead(db):
    late = paragraphs(2 * MOST_CHARACTERS) + "<p>The ostrich one, at last.</p>"
    _, shown = snippet_work("ostrich", letter=late)
    assert shown == ""


def test_a_letter_is_cut_between_tags_and_words(db):
    cut = search._cut('<p>One two</p><p><a href="https://example.com/">three</a></p>', 30)
    assert cut == "<p>One two</p><p>"
    assert search._cut("<p>Alpha beta gamma</p>", 14) == "<p>Alpha beta "


def test_the_window_with_the_most_words_of_the_query_is_shown(db):
    """The one-pass window finds what comparing every match with every other found."""
    text = "order " + "filler " * 60 + "special order " + "filler " * 60 + "special"
    shown = search.snippet(text, "special order")
    assert "<mark>special</mark> <mark>order</mark>" in shown
    assert shown.startswith("… ")


@pytest.mark.django_db
def test_a_search_with_a_long_letter_live_stems_a_bounded_number_of_words(client, make_letter):
    make_letter("A short letter?", letter=paragraphs(5_000))
    make_letter("A long letter?", letter=paragraphs(500_000))
    work = Work(most=2 * MOST_WORDS)
    with mock.patch("advice.views.add_snippets", work.count):
        response = client.get("/search/", {"q": "special order"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".search-result__snippet mark")) >= 4
    assert work.characters <= 2 * MOST_CHARACTERS


# --- make attack: the times, printed ------------------------------------------------------

LONG_LETTER = 5_000_000 if os.environ.get("ATTACK") == "full" else 500_000


def timed_search(client, query, runs=3):
    """The median time of `runs` searches for `query`, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get("/search/", {"q": query})
        times.append(time.perf_counter() - began)
        assert response.status_code == 200
    return statistics.median(times)


@pytest.mark.attack
@pytest.mark.django_db
def test_search_time_over_a_long_letter_against_a_short_one(client, make_letter, pytestconfig):
    """Searches finding a 5 KB letter against the same over a 5 MB one (500 KB in the short
    setting), one word and two: the times and their ratio printed, the work asserted."""
    make_letter("A short letter?", letter=paragraphs(5_000))
    long_text = paragraphs(LONG_LETTER).replace("handbag", "satchel").replace("order", "errand")
    make_letter("A long letter?", letter=long_text)
    for short_query, long_query in [("handbag", "satchel"), ("handbag order", "satchel errand")]:
        short_time = timed_search(client, short_query)
        work = Work()
        with mock.patch("advice.views.add_snippets", work.count):
            long_time = timed_search(client, long_query)
        assert work.characters <= 3 * MOST_CHARACTERS  # three runs
        say(
            pytestconfig,
            f"search “{long_query}” over a {LONG_LETTER // 1000:,} KB letter: "
            f"{long_time * 1000:.0f} ms; “{short_query}” over a 5 KB letter: "
            f"{short_time * 1000:.0f} ms; ratio {long_time / short_time:.1f}",
        )
