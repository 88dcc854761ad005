"""Fuzzing the column's reading endpoints (marker `attack`): search, pagination, archives,
topics, columnists, feeds, the letter page's reply pages and sorting, /healthz, with anything
in their path, query string, method and headers, through the project's WSGI application.
Never a 5xx. A few examples per test by default; `make attack` (ATTACK=full) runs many."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comments.models import ReplyStatus
from testing import fuzz
from testing.output import say
from testing.replies import store_reply

pytestmark = [pytest.mark.attack, pytest.mark.django_db]


@pytest.fixture
def fuzzing(make_letter, topic, columnist, pytestconfig, request):
    """A column with two letters (one in a topic, one with replies) and a counter of requests."""
    first = make_letter("Is a bag ever too big?")
    second = make_letter("Should I accept a bag I did not order?", topics=[topic])
    for n in range(3):
        store_reply(
            second,
            status=ReplyStatus.APPROVED,
            user_name=f"Reader {n}",
            user_email=f"r{n}@example.com",
            comment=f"Reply {n}.",
        )
    counter = fuzz.Counter()
    counter.column = first.get_parent().specific
    counter.letters = [first, second]
    counter.topic, counter.columnist = topic, columnist
    yield counter
    say(pytestconfig, f"fuzz {request.node.name} [{fuzz.PROFILE}]: {counter.summary()}")


def page_paths(fuzzing, segment):
    column = fuzzing.column.url
    return {
        "search": "/search/",
        "column": column,
        "archive-year": f"{column}{segment}/",
        "archive-month": f"{column}2025/{segment}/",
        "topic": f"{column}topic/{segment}/",
        "columnist": f"{column}columnist/{segment}/",
        "feed": f"{column}feed/",
        "topic-feed": f"{column}topic/{segment}/feed/",
        "known-topic-feed": f"{column}topic/{fuzzing.topic.slug}/feed/",
        "letter": fuzzing.letters[1].url,
        "letter-child": f"{fuzzing.letters[1].url}{segment}/",
        "healthz": "/healthz",
        "healthz-diagnostics": "/healthz/diagnostics",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "anything": f"/{segment}",
        "media": f"/media/{segment}",
        "documents": f"/documents/{segment}/",
    }


ROUTES = [
    "search",
    "column",
    "archive-year",
    "archive-month",
    "topic",
    "columnist",
    "feed",
    "topic-feed",
    "known-topic-feed",
    "letter",
    "letter-child",
    "healthz",
    "healthz-diagnostics",
    "sitemap",
    "robots",
    "anything",
    "media",
    "documents",
]


@given(
    route=st.sampled_from(ROUTES),
    segment=fuzz.path_segment,
    query=fuzz.query_string,
    method=st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "OPTIONS"]),
    content_type=st.sampled_from(fuzz.CONTENT_TYPES),
    body=st.binary(max_size=300),
)
def test_any_request_to_a_reading_page_never_fails(
    fuzzing, route, segment, query, method, content_type, body
):
    path = page_paths(fuzzing, segment)[route]
    answer = fuzz.send(method, path, query=query, body=body, content_type=content_type)
    fuzzing.add(answer)
    fuzz.assert_no_server_error(answer, f"{method} {path}?{query} ({content_type!r})")


@given(
    route=st.sampled_from(["search", "column", "known-topic-feed", "letter"]),
    name=st.sampled_from(["q", "page", "replies", "sort"]),
    value=st.one_of(fuzz.field_value, st.integers().map(str), st.floats().map(str)),
)
def test_any_search_words_or_page_numbers_never_fail(fuzzing, route, name, value):
    """Search words, page numbers (listings, search and the letter's reply pages) and reply
    sorting with any value, percent-encoded as a browser sends it."""
    from urllib.parse import urlencode

    path = page_paths(fuzzing, "x")[route]
    query = urlencode({name: value.encode("utf-8")})
    answer = fuzz.send("GET", path, query=query)
    fuzzing.add(answer)
    fuzz.assert_no_server_error(answer, f"GET {path}?{query}")
    assert answer.status in (200, 404, 301, 302), answer
