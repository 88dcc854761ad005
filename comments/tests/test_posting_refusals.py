"""Posts the reply pipeline refuses whatever their fields hold: an expired or tampered form,
a letter gone or closed, a filled honeypot, a post quicker than typing, a reply to a reply
that is not shown (offered as a reply to the letter instead). Each comes back with a clear
message, a matching status and the reader's text."""

import time

import pytest
from django.urls import reverse

from comments.models import Reply, ReplyStatus
from comments.tests.reply_pages import (
    TEXT,
    alert,
    assert_refused,
    expired_message,
    field_value,
    soup,
    textarea_text,
)
from testing.replies import MIN_SECONDS_TO_TYPE, fresh_address, posted_reply, reply_form_data


def test_a_tampered_security_hash(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, security_hash="0" * 40)
    assert response.status_code == 400
    assert expired_message(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


def test_a_tampered_timestamp(client, letter):
    data = reply_form_data(letter, comment=TEXT)
    data["timestamp"] = str(int(data["timestamp"]) + 1)  # the hash no longer matches
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 400
    assert expired_message(response)
    assert textarea_text(response) == TEXT


def test_an_expired_form_comes_back_fresh_and_can_be_sent_again(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, age=3 * 60 * 60)  # over 2 hours old
    assert response.status_code == 400
    assert expired_message(response)
    assert textarea_text(response) == TEXT
    page = soup(response)
    timestamp = int(page.find("input", attrs={"name": "timestamp"})["value"])
    assert abs(time.time() - timestamp) < 60  # a fresh timestamp and hash, ready to send

    # The refreshed form is valid as it stands (once a person could have typed it).
    data = {
        field["name"]: field.get("value", "")
        for field in page.select("form[data-reply-form] input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    data["comment"] = textarea_text(response)
    from django_comments_xtd import get_form

    assert get_form()(letter, data=data).is_valid()


def test_a_pointed_object_pk_that_does_not_match_the_hash(client, letter, make_letter):
    other = make_letter("Another letter?")
    data = reply_form_data(letter, comment=TEXT)
    data["object_pk"] = str(other.pk)  # signed for `letter`, sent for `other`
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 400
    assert expired_message(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


def test_a_reply_to_a_letter_that_does_not_exist(client, letter):
    data = reply_form_data(letter, comment=TEXT)
    data["object_pk"] = "999999"
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 404
    assert "We could not find the letter you replied to" in alert(response)
    assert soup(response).find("textarea", id="kept-text").get_text() == TEXT
    assert Reply.objects.count() == 0


def test_a_reply_to_an_unpublished_letter(client, letter, post_reply):
    data = reply_form_data(letter, comment=TEXT)
    letter.unpublish()
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 404
    assert "it may have been unpublished" in alert(response)
    assert soup(response).find("textarea", id="kept-text").get_text() == TEXT
    assert Reply.objects.count() == 0


def test_a_reply_to_a_closed_letter(client, letter, post_reply):
    letter.allow_replies = False
    letter.save_revision().publish()
    response = post_reply(client, letter, comment=TEXT)
    assert_refused(response, 403, "Replies are turned off for this letter.")


def test_a_filled_honeypot(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, honeypot="http://spam.example")
    assert_refused(response, 400, "Please leave the last field empty")


def test_too_fast_to_be_typed(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, age=0)
    assert_refused(response, 400, "quicker than anyone can type")


def test_a_reply_to_a_reply_that_does_not_exist(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, reply_to=424242)
    assert_refused(response, 400, "The reply you answered is no longer shown")


@pytest.mark.parametrize("status", [ReplyStatus.PENDING, ReplyStatus.REJECTED, ReplyStatus.SPAM])
def test_a_reply_to_a_reply_not_shown(client, letter, post_reply, make_reply, status):
    hidden = make_reply(status=status)
    response = post_reply(client, letter, comment=TEXT, reply_to=hidden)
    assert response.status_code == 400
    assert "The reply you answered is no longer shown" in alert(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 1


def resend(client, response, letter):
    """Send the form a refused post came back with, as the reader would, once a person could
    have typed it (the timestamp made old enough, its hash recomputed)."""
    from django_comments_xtd import get_form

    page = soup(response)
    form = page.select_one("form[data-reply-form]")
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and (field.get("type") != "checkbox" or field.has_attr("checked"))
    }
    data["comment"] = form.find("textarea", attrs={"name": "comment"}).get_text()
    timestamp = int(data["timestamp"]) - MIN_SECONDS_TO_TYPE - 1
    data["timestamp"] = str(timestamp)
    data["security_hash"] = get_form()(letter).initial_security_hash(timestamp)
    return client.post(form["action"], data, REMOTE_ADDR=fresh_address())


@pytest.mark.parametrize("reply_to", ["held", "missing", "garbled", "huge", "negative"])
def test_a_refused_reply_to_a_reply_can_be_sent_to_the_letter_instead(
    client, letter, post_reply, make_reply, reply_to
):
    """The message says "you can send it as a reply to the letter instead": the form it
    comes back with must do that, not point at the same reply again."""
    held = make_reply(status=ReplyStatus.PENDING)
    value = {
        "held": str(held.pk),
        "missing": None,
        "garbled": "seven",
        "huge": "9" * 30,
        "negative": "-3",
    }[reply_to]
    response = post_reply(client, letter, comment=TEXT, reply_to=value)
    assert response.status_code == 400
    assert "you can send it as a reply to the letter instead" in alert(response)
    assert textarea_text(response) == TEXT
    assert field_value(response, "reply_to") == "0"

    again = resend(client, response, letter)
    assert again.status_code == 302
    reply = posted_reply(again)
    assert reply.comment == TEXT
    assert (reply.level, reply.parent_id) == (0, reply.pk)


def test_a_reply_under_a_full_thread_can_be_sent_to_the_letter_instead(
    client, letter, post_reply, make_reply, settings
):
    deepest = make_reply()
    for _ in range(settings.COMMENTS_XTD_MAX_THREAD_LEVEL):
        deepest = make_reply(parent=deepest)
    response = post_reply(client, letter, comment=TEXT, reply_to=deepest)
    assert response.status_code == 400
    again = resend(client, response, letter)
    assert again.status_code == 302
    assert posted_reply(again).level == 0


def test_a_reply_to_a_reply_under_another_letter(
    client, letter, post_reply, make_reply, make_letter
):
    elsewhere = make_reply(on=make_letter("Elsewhere?"))
    response = post_reply(client, letter, comment=TEXT, reply_to=elsewhere)
    assert response.status_code == 400
    assert "The reply you answered is no longer shown" in alert(response)
    assert Reply.objects.count() == 1


def test_a_reply_below_the_deepest_level(client, letter, post_reply, make_reply, settings):
    reply = make_reply()
    for _ in range(settings.COMMENTS_XTD_MAX_THREAD_LEVEL):
        reply = make_reply(parent=reply)
    assert reply.level == settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    response = post_reply(client, letter, comment=TEXT, reply_to=reply)
    assert response.status_code == 400
    assert "its thread cannot go deeper" in alert(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == settings.COMMENTS_XTD_MAX_THREAD_LEVEL + 1
