"""Site search over letters (question, letter, answer, pen name) and guides.

Results are ordered by date, never by relevance: Wagtail's SQLite backend re-runs the match
for every row when ordering by relevance (20 s for a common word over 10,000 letters,
DESIGN.md §4a). Queries are reduced to their words, so no punctuation a reader types can reach
the full-text engine's query syntax.
"""

import re

from advice.models import GuidePage, LetterPage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def normalise_query(raw):
    """The words of a query, at most MAX_QUERY_LENGTH characters in all, joined by spaces."""
    raw = (raw or "")[:MAX_QUERY_LENGTH]
    words = WORD.findall(raw)[:MAX_TERMS]
    return " ".join(word.replace("’", "'") for word in words)


def search_letters(query):
    return (
        LetterPage.objects.live()
        .public()
        .select_related("columnist")
        .order_by("-date", "-id")
        .search(query, operator="and", order_by_relevance=False)
    )


def search_guides(query):
    return (
        GuidePage.objects.live()
        .public()
        .order_by("-date", "-id")
        .search(query, operator="and", order_by_relevance=False)
    )
