"""Posting a reply through the real view (comments.views.post_reply): the happy path, and
every kind of bad input getting a clear message, a matching status and the reader's text back,
never a 500 (the test client re-raises any exception a view lets escape)."""

import random
import string
import time
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import Reply, ReplyStatus
from guard import opened as opened_values
from testing.replies import MIN_SECONDS_TO_TYPE, fresh_address, posted_reply, reply_form_data

TEXT = "My <b>bag</b> arrived scratched.\n\nSee https://example.com/photo for the damage."


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def textarea_text(response, name="comment"):
    area = soup(response).find("textarea", attrs={"name": name})
    assert area is not None, "the form with the reader's text is not on the page"
    return area.get_text()


def field_value(response, name):
    field = soup(response).find("input", attrs={"name": name})
    assert field is not None, f"no {name} field on the page"
    return field.get("value")


def alert(response):
    box = soup(response).select_one("[role=alert]")
    assert box is not None, "no message on the page"
    return " ".join(box.get_text().split())


def field_error(response, field_id):
    error = soup(response).find(id=f"{field_id}-error")
    assert error is not None, f"no error shown beside {field_id}"
    return " ".join(error.get_text().split())


# --- The happy path --------------------------------------------------------------------------


def assert_refused(response, status, message):
    """The post was refused with `status` and `message`, the reader's text came back, and
    nothing was stored."""
    assert response.status_code == status
    assert message in alert(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


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


def _expired_message(response):
    return "This form had expired or was changed on its way to us" in alert(response)


def test_a_tampered_security_hash(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, security_hash="0" * 40)
    assert response.status_code == 400
    assert _expired_message(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


def test_a_tampered_timestamp(client, letter):
    data = reply_form_data(letter, comment=TEXT)
    data["timestamp"] = str(int(data["timestamp"]) + 1)  # the hash no longer matches
    response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 400
    assert _expired_message(response)
    assert textarea_text(response) == TEXT


def test_an_expired_form_comes_back_fresh_and_can_be_sent_again(client, letter, post_reply):
    response = post_reply(client, letter, comment=TEXT, age=3 * 60 * 60)  # over 2 hours old
    assert response.status_code == 400
    assert _expired_message(response)
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
    assert _expired_message(response)
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


def test_the_form_sent_back_says_how_replies_are_moderated_as_the_letter_does(
    client, letter, post_reply, policy
):
    note = soup(post_reply(client, letter, comment="")).select_one(".reply-form__note")
    assert note.get_text(" ", strip=True).startswith(
        "Every reply is read by a moderator before it appears."
    )
