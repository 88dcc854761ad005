"""Posting a reply through the real view (comments.views.post_reply): the happy path (held,
told so, shown to nobody yet), a reply sent twice, the signed "posted" page, the form the letter
page renders, and the rate limits. Bad input is in test_posting_fields and
test_posting_refusals; the test client re-raises any exception a view lets escape."""

import time

from django.urls import reverse

from comments.models import Reply, ReplyStatus
from comments.tests.reply_pages import (
    TEXT,
    alert,
    field_value,
    soup,
    textarea_text,
)
from guard import opened as opened_values
from testing.replies import MIN_SECONDS_TO_TYPE, fresh_address, posted_reply, reply_form_data


def test_a_reply_is_held_and_the_reader_told_so(client, other_visitor, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, name="Careful Buyer")

    assert response.status_code == 302
    assert response["Location"].startswith("/replies/posted/")
    reply = posted_reply(response)
    assert reply.status == ReplyStatus.PENDING
    assert reply.comment == TEXT  # exactly what the reader typed
    assert reply.html == (
        "<p>My <strong>bag</strong> arrived scratched.</p>\n"
        '<p>See <a href="https://example.com/photo" rel="nofollow ugc noopener">'
        "https://example.com/photo</a> for the damage.</p>"
    )
    assert (reply.is_public, reply.is_removed) == (False, False)
    assert reply.content_object == letter

    posted = client.get(response["Location"])
    assert posted.status_code == 200
    page = soup(posted)
    assert page.h1.get_text() == "Thank you: your reply is awaiting moderation"
    assert "not visible to other readers yet" in posted.content.decode()
    assert "arrived scratched" in page.select_one(".reply__body").get_text()
    assert page.select_one(".reply__body strong").get_text() == "bag"

    for reader in (client, other_visitor):
        letter_page = reader.get(letter.url)
        assert letter_page.status_code == 200
        assert "arrived scratched" not in letter_page.content.decode()
        assert soup(letter_page).select_one("#reply-count").get_text() == "No replies yet"


def test_the_same_reply_sent_twice_is_stored_once(client, letter, post_reply, make_reply):
    """A double click, or Back and Send again: the second post lands on the first reply."""
    first = post_reply(client, letter, comment="Sent twice by accident.", email="twice@example.com")
    again = post_reply(
        client, letter, comment="Sent twice by accident.", email="TWICE@example.com", age=9
    )
    assert again.status_code == 302
    assert posted_reply(again) == posted_reply(first)
    assert Reply.objects.filter(comment="Sent twice by accident.").count() == 1

    other = post_reply(client, letter, comment="A second thought.", email="twice@example.com")
    assert posted_reply(other) != posted_reply(first)
    answer = post_reply(
        client,
        letter,
        comment="Sent twice by accident.",
        email="twice@example.com",
        reply_to=make_reply(),
    )
    assert posted_reply(answer).parent_id != posted_reply(answer).pk  # a reply to a reply


def test_the_posted_page_needs_its_signed_link(client, letter, post_reply):
    reply = posted_reply(post_reply(client, letter))
    assert client.get(f"/replies/posted/{reply.pk}/").status_code == 404
    assert client.get("/replies/posted/not-a-token/").status_code == 404


def test_posting_needs_post_and_csrf(letter):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(reverse("comments-post-comment")).status_code == 405
    response = strict.post(reverse("comments-post-comment"), reply_form_data(letter))
    # Without a token nothing is stored: the reader gets the confirm step (test_csrf_failure).
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "One more step"
    assert Reply.objects.count() == 0


def form_data(response):
    form = soup(response).select_one("form[data-reply-form]")
    return form["action"], {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("type") not in ("checkbox",) and field.get("name")
    }


def test_the_letter_page_form_posts_through_the_confirm_step(client, letter):
    """The form the page renders (hidden fields and all) is what the posting view takes. The
    page is the same for every reader, so its "opened at" value is a page value, which posts
    nothing by itself: the confirm step comes back, and its form, as it is, posts the reply."""
    action, data = form_data(client.get(letter.url))
    assert data["reply_to"] == "0"
    assert not opened_values.read(data["opened"]).one_use
    # As if the page was rendered a little while ago (the reader took their time typing).
    timestamp = int(time.time()) - MIN_SECONDS_TO_TYPE - 1
    from django_comments_xtd import get_form

    data["timestamp"] = str(timestamp)
    data["security_hash"] = get_form()(letter).initial_security_hash(timestamp)
    data["opened"] = opened_values.issue(timestamp, one_use=False)
    data.update(name="Form Reader", email="form@example.com", comment="From the page's form.")
    address = fresh_address()
    response = client.post(action, data, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "One more step"
    assert textarea_text(response) == "From the page's form."
    assert Reply.objects.count() == 0

    action, data = form_data(response)
    data["comment"] = textarea_text(response)
    assert opened_values.read(data["opened"]).one_use
    response = client.post(action, data, REMOTE_ADDR=address)
    assert response.status_code == 302
    assert posted_reply(response).comment == "From the page's form."


def test_the_rate_limit_per_address(client, letter, post_reply):
    address = fresh_address()
    for n in range(5):
        assert (
            post_reply(client, letter, remote_addr=address, comment=f"Reply {n}").status_code == 302
        )
    response = post_reply(client, letter, remote_addr=address, comment=TEXT)
    assert response.status_code == 429
    assert "the limit is 5 in 10 minutes" in alert(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 5
    # Another address is not affected.
    assert post_reply(client, letter, comment=TEXT).status_code == 302


def test_the_rate_limit_per_email(client, letter, post_reply):
    email = f"busy-{fresh_address()}@example.com"
    for n in range(5):
        assert post_reply(client, letter, email=email, comment=f"Reply {n}").status_code == 302
    response = post_reply(client, letter, email=email, comment=TEXT)
    assert response.status_code == 429
    assert textarea_text(response) == TEXT
    assert field_value(response, "email") == email


def test_refused_posts_do_not_count_against_the_limit(client, letter, post_reply):
    address = fresh_address()
    for _ in range(6):
        assert post_reply(client, letter, remote_addr=address, comment="").status_code == 400
    assert post_reply(client, letter, remote_addr=address).status_code == 302


def test_the_form_sent_back_says_how_replies_are_moderated_as_the_letter_does(
    client, letter, post_reply, policy
):
    note = soup(post_reply(client, letter, comment="")).select_one(".reply-form__note")
    assert note.get_text(" ", strip=True).startswith(
        "Every reply is read by a moderator before it appears."
    )
