"""Top-level threads paginated under a letter: pages of threads, a reply's permalink landing
on the page that shows it, the sort kept across pages, and the policy's threads per page."""

import pytest
from django.core.exceptions import ValidationError

from comments import lifecycle
from comments.models import Reply
from comments.tests.letter_page import ok_soup as soup
from comments.tests.letter_page import texts


@pytest.fixture
def five_threads(make_reply, policy):
    policy.threads_per_page = 2
    policy.save()
    for n in range(1, 6):
        top = make_reply(comment=f"Thread {n}.")
        make_reply(parent=top, comment=f"Under {n}.")


def test_threads_are_paginated(client, letter, five_threads):
    assert texts(client, letter) == ["Thread 1.", "Under 1.", "Thread 2.", "Under 2."]
    assert texts(client, letter, replies=2) == ["Thread 3.", "Under 3.", "Thread 4.", "Under 4."]
    assert texts(client, letter, replies=3) == ["Thread 5.", "Under 5."]
    assert texts(client, letter, replies=99) == ["Thread 5.", "Under 5."]  # the last page
    assert texts(client, letter, replies="abc") == texts(client, letter)  # the first page

    page = soup(client.get(letter.url, {"replies": 2}))
    assert page.select_one("#reply-count").get_text() == "10 replies"  # all of them
    nav = page.select_one("nav.pagination")
    assert nav["aria-label"] == "Pages of replies"
    assert nav.select_one(".pagination__status").get_text() == "Page 2 of 3"
    assert nav.select_one("a[rel=prev]")["href"] == letter.url + "#replies"
    assert nav.select_one("a[rel=next]")["href"] == "?replies=3#replies"
    # Following the links reaches the pages they name.
    assert texts(client, letter, replies=1) == texts(client, letter)


def test_a_reply_s_permalink_lands_on_the_page_of_threads_that_shows_it(
    client, letter, five_threads, moderator
):
    replies = {reply.comment: reply for reply in Reply.objects.all()}
    under_four = replies["Under 4."]
    assert under_four.get_absolute_url() == f"/replies/{under_four.pk}/"  # what emails link to
    response = client.get(under_four.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{letter.url}?replies=2#reply-{under_four.pk}"
    page = soup(client.get(letter.url, {"replies": 2}))
    assert page.select_one(f"#reply-{under_four.pk}") is not None  # the anchor is there
    first = replies["Thread 1."]
    assert client.get(first.get_absolute_url())["Location"] == f"{letter.url}#reply-{first.pk}"
    # Thread 5 picked: shown above the threads on every page, its link goes to the first;
    # the threads after it move up a place.
    lifecycle.pick(replies["Thread 5."], moderator)
    five = replies["Under 5."]
    assert client.get(five.get_absolute_url())["Location"] == f"{letter.url}#reply-{five.pk}"
    # A reply readers cannot see has no permalink.
    lifecycle.moderate(Reply.objects.get(pk=replies["Thread 3."].pk), "reject", moderator)
    assert client.get(replies["Under 3."].get_absolute_url()).status_code == 404
    assert client.get(under_four.get_absolute_url())["Location"] == (
        f"{letter.url}?replies=2#reply-{under_four.pk}"
    )


def test_pagination_keeps_the_sort(client, letter, five_threads):
    assert texts(client, letter, sort="newest") == [
        "Thread 5.",
        "Under 5.",
        "Thread 4.",
        "Under 4.",
    ]
    page = soup(client.get(letter.url, {"sort": "newest", "replies": 2}))
    assert [t.get_text(strip=True) for t in page.select(".reply__body")] == [
        "Thread 3.",
        "Under 3.",
        "Thread 2.",
        "Under 2.",
    ]
    next_link = page.select_one("nav.pagination a[rel=next]")["href"]
    assert next_link == "?replies=3&sort=newest#replies"  # canonical: in name order
    assert texts(client, letter, sort="newest", replies=3) == ["Thread 1.", "Under 1."]


def test_one_page_of_threads_has_no_pagination(client, letter, make_reply):
    for _ in range(3):
        make_reply()
    assert soup(client.get(letter.url)).select_one("nav.pagination") is None


# --- Empty state and counts ------------------------------------------------------------------


def test_the_policy_refuses_zero_threads_per_page(policy):
    policy.threads_per_page = 0
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert "threads_per_page" in refused.value.message_dict


def test_a_stored_zero_threads_per_page_shows_one_thread_a_page_rather_than_failing(
    client, letter, make_reply, policy
):
    """A zero stored before the validator existed (the paginator divides by it)."""
    make_reply(comment="Thread 1.")
    make_reply(comment="Thread 2.")
    type(policy).objects.filter(pk=policy.pk).update(threads_per_page=0)
    assert texts(client, letter) == ["Thread 1."]
    assert texts(client, letter, replies=2) == ["Thread 2."]
