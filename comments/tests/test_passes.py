"""Reply passes (comments.passes): a private, signed, expiring link gives one address the
"Letter writer" badge under one page; the badge is never available any other way, and such
replies are always read by a moderator first."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client

from comments import lifecycle, passes
from comments.models import Reply, ReplyStatus
from testing.replies import posted_reply


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def writer_link(letter):
    return passes.url(letter, "Writer@Example.com", "writer", name="Second Guesser")


def path(url):
    return url.removeprefix("http://testserver")


def test_the_link_opens_the_form_and_gives_the_badge_held_for_a_moderator(
    client, letter, post_reply, writer_link, moderator, hold_untrusted
):
    page = client.get(path(writer_link))
    assert page.status_code == 200
    form = soup(page)
    assert form.find("input", attrs={"name": "email"})["value"] == "writer@example.com"
    assert form.find("input", attrs={"name": "name"})["value"] == "Second Guesser"
    assert "“Letter writer” badge" in form.select_one(".notice").get_text()
    assert client.cookies[passes.COOKIE]["httponly"]

    reply = posted_reply(
        post_reply(client, letter, email="writer@example.com", name="Second Guesser")
    )
    assert (reply.author_badge, reply.status) == ("writer", ReplyStatus.PENDING)
    assert reply.hold_reason == "the letter’s writer: always read first"
    lifecycle.moderate(reply, "approve", moderator)
    badge = soup(Client().get(letter.url)).select_one(f"#reply-{reply.pk} .badge")
    assert (badge.get_text(), badge["class"]) == ("Letter writer", ["badge", "badge--writer"])


def test_a_trusted_writer_is_still_held(
    client, letter, post_reply, writer_link, hold_untrusted, trusted_email
):
    link = passes.url(letter, trusted_email, "writer")
    client.get(path(link))
    reply = posted_reply(post_reply(client, letter, email=trusted_email, comment="Thank you!"))
    assert (reply.author_badge, reply.status) == ("writer", ReplyStatus.PENDING)


@pytest.mark.parametrize("case", ["no link", "other address", "other letter", "other browser"])
def test_the_badge_is_never_given_any_other_way(
    client, letter, make_letter, post_reply, writer_link, case
):
    other_letter = make_letter("Another question?")
    sender = client
    if case != "no link":
        client.get(path(writer_link))
    if case == "other browser":
        sender = Client()
    email = "someone@example.com" if case == "other address" else "writer@example.com"
    target = other_letter if case == "other letter" else letter
    reply = posted_reply(post_reply(sender, target, email=email, comment=f"Case {case}."))
    assert reply.author_badge == ""


def test_forged_or_expired_links_are_refused(client, letter, monkeypatch):
    assert client.get("/replies/as/forged/").status_code == 404
    payload = {"t": "advice.letterpage", "p": letter.pk, "e": "a@x.example", "b": "columnist"}
    other_badge = signing.dumps(payload, salt=passes.SALT)
    assert client.get(f"/replies/as/{other_badge}/").status_code == 404  # not a pass badge
    link = passes.url(letter, "a@x.example", "writer")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + passes.MAX_AGE + 60)
    assert client.get(path(link)).status_code == 404
    assert Reply.objects.count() == 0


def test_a_link_to_an_unpublished_letter_is_refused(client, letter):
    link = passes.url(letter, "a@x.example", "writer")
    letter.unpublish()
    assert client.get(path(link)).status_code == 404
