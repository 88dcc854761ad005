"""The empty state under a letter, as the poster of a held reply meets it: the letter page is
the same for everyone (and kept by the page cache), so "Be the first" is taken away by the
script for the poster only, when it puts in their held reply (static/js/replies.js); the
empty state for everyone else is in test_threads.py."""

from bs4 import BeautifulSoup

from testing.replies import posted_reply


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_a_posters_held_reply_takes_the_place_of_be_the_first_for_them_only(
    client, other_visitor, letter, post_reply
):
    """The letter page is the same for everyone (and kept by the page cache): the poster's
    held reply comes from its own fragment, and the script puts it in, removing the empty
    state's invitation it marks (static/js/replies.js). "Be the first" is not for them any
    more; a different visitor still has it and gets no fragment. In Chromium:
    e2e/test_replies.py."""
    posted_reply(post_reply(client, letter, comment="Mine, still waiting."))
    page = soup(client.get(letter.url))
    empty = page.select_one("[data-replies-empty]")
    assert empty.get_text() == "Be the first to share your thoughts."
    fragment = soup(client.get(page.select_one("[data-own-replies]")["data-own-replies"]))
    assert fragment.h3.get_text(strip=True) == "Your reply awaiting moderation"
    assert "Mine, still waiting." in fragment.get_text()
    assert "Be the first" not in fragment.get_text()

    seen = soup(other_visitor.get(letter.url))
    assert seen.select_one(".empty").get_text() == "Be the first to share your thoughts."
    assert (
        other_visitor.get(page.select_one("[data-own-replies]")["data-own-replies"]).status_code
        == 204
    )
