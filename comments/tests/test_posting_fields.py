"""Bad input in a reply's fields: a clear message beside the field, a matching status and the
reader's text back; hostile values in any field of the form never make a 500 (the test client
re-raises any exception a view lets escape)."""

import random
import string
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from comments.models import Reply
from comments.tests.reply_pages import (
    TEXT,
    alert,
    field_error,
    field_value,
    soup,
    textarea_text,
)
from testing.replies import fresh_address, posted_reply, reply_form_data

# --- Bad input: a clear message, a matching status, the text kept ---------------------------


def test_an_empty_reply(client, letter, post_reply):
    response = post_reply(client, letter, comment="", name="Kept Name", email="kept@example.com")
    assert response.status_code == 400
    assert "Please correct the marked fields." in alert(response)
    assert "Please write your reply" in field_error(response, "id_comment")
    assert field_value(response, "name") == "Kept Name"
    assert field_value(response, "email") == "kept@example.com"
    assert Reply.objects.count() == 0


def test_a_reply_of_only_spaces_is_empty(client, letter, post_reply):
    response = post_reply(client, letter, comment="   \n\n  ")
    assert response.status_code == 400
    assert "Please write your reply" in field_error(response, "id_comment")
    assert Reply.objects.count() == 0


def test_a_reply_over_the_limit_comes_back_whole(client, letter, post_reply, settings):
    text = "Too long. " * 300 + "The end."
    assert len(text) > settings.COMMENT_MAX_LENGTH
    response = post_reply(client, letter, comment=text)
    assert response.status_code == 400
    error = field_error(response, "id_comment")
    assert f"Your reply is {len(text)} characters long; the limit is 3000" in error
    assert "your text is still here" in error
    assert textarea_text(response) == text
    assert Reply.objects.count() == 0


def test_a_reply_at_the_limit_is_accepted(client, letter, post_reply, settings):
    text = "x" * settings.COMMENT_MAX_LENGTH
    assert posted_reply(post_reply(client, letter, comment=text)).comment == text


@pytest.mark.parametrize("email", ["not-an-email", "jo@", "@example.com", "jo example@x.com"])
def test_a_bad_email(client, letter, post_reply, email):
    response = post_reply(client, letter, comment=TEXT, email=email)
    assert response.status_code == 400
    assert "Please check your email address: it should look like name@example.com." in field_error(
        response, "id_email"
    )
    assert field_value(response, "email") == email
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


def test_a_missing_name_and_email(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, name="  ", email="")
    assert response.status_code == 400
    assert field_error(response, "id_name") == "Please give a name to show with your reply."
    assert field_error(response, "id_email") == "Please give your email address: it is never shown."
    assert textarea_text(response) == TEXT


def test_the_error_summary_lists_and_links_every_field_error(client, letter, post_reply):
    """The GOV.UK pattern: above the form, the problem and a link to each field in error, in
    the form's order, our own words throughout."""
    response = post_reply(client, letter, comment="", name="", email="jo@")
    summary = soup(response).select_one("[data-error-summary]")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert summary.h2.get_text(strip=True) == "Please correct the marked fields."
    links = [(a["href"], a.get_text(strip=True)) for a in summary.select("li a")]
    assert links == [
        ("#id_comment", "Please write your reply before sending it."),
        ("#id_name", "Please give a name to show with your reply."),
        ("#id_email", "Please check your email address: it should look like name@example.com."),
    ]
    for href, _message in links:
        assert soup(response).select_one(href) is not None
    assert len(soup(response).select("[role=alert]")) == 1  # said once, not twice


# --- Hostile input: never a 500 --------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["auth.user", "advice.guidepage", "advice.homepage", "wagtailcore.page", "nope", "", "a.b.c"],
)
def test_a_reply_to_something_that_is_not_a_letter(client, letter, content_type):
    data = reply_form_data(letter, comment=TEXT)
    data["content_type"] = content_type
    data["object_pk"] = "1"
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 404
    assert soup(response).find("textarea", id="kept-text").get_text() == TEXT
    assert Reply.objects.count() == 0


@pytest.mark.parametrize(
    "field",
    [
        "content_type",
        "object_pk",
        "timestamp",
        "security_hash",
        "reply_to",
        "name",
        "email",
        "comment",
        "honeypot",
    ],
)
def test_a_missing_field(client, letter, field):
    data = reply_form_data(letter, comment=TEXT)
    data.pop(field)
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    if field == "honeypot":  # optional: an empty honeypot is what people send
        assert response.status_code == 302
        return
    assert response.status_code in (400, 404)
    if field != "comment":
        kept = soup(response).find("textarea")
        assert kept is not None and kept.get_text() == TEXT
    assert Reply.objects.count() == 0


HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "9" * 400,
    "-" + "9" * 30,
    "NaN",
    "null",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\x00",
    "\ufeff\u202e",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "Ã©Ã¨â€™",
    "%ff%fe",
    "../../etc/passwd",
    "x" * 100_000,
]


@pytest.mark.parametrize(
    "field",
    [
        "content_type",
        "object_pk",
        "timestamp",
        "security_hash",
        "reply_to",
        "name",
        "email",
        "comment",
        "honeypot",
        "followup",
        "notify_on_publish",
    ],
)
def test_hostile_values_in_every_field(client, letter, field):
    rng = random.Random(f"{field}")
    values = HOSTILE + [
        "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 80))) for _ in range(4)
    ]
    for value in values:
        data = reply_form_data(letter, comment=TEXT)
        data[field] = value
        response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
        assert response.status_code in (302, 400, 404), (field, value[:40], response.status_code)
        if response.status_code != 302 and field != "comment":
            kept = soup(response).find("textarea")
            assert kept is not None and kept.get_text() == TEXT, (field, value[:40])


def test_bytes_that_are_not_utf8(client, letter):
    data = reply_form_data(letter, comment="placeholder")
    body = urlencode({k: v for k, v in data.items() if k != "comment"}) + "&comment=caf%E9+%FF%FE"
    response = client.post(
        reverse("comments-post-comment"),
        body,
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=fresh_address(),
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "caf" in posted_reply(response).comment


def test_repeated_fields_and_a_json_body(client, letter):
    data = reply_form_data(letter, comment=TEXT)
    body = urlencode(data) + "&comment=second&reply_to=7&object_pk=0"
    response = client.post(
        reverse("comments-post-comment"),
        body,
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=fresh_address(),
    )
    assert response.status_code in (302, 400, 404)
    response = client.post(
        reverse("comments-post-comment"),
        data,
        content_type="application/json",
        REMOTE_ADDR=fresh_address(),
    )
    assert response.status_code == 404  # no form fields at all: nothing to reply to
    assert Reply.objects.filter(comment=TEXT).count() <= 1
