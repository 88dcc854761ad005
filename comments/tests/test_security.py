"""What an attack run found in the reply path, each reproduced here and refused: trust taken
by typing a regular's address, the "posted" page showing text to anyone with its link, hidden
replies read or answered by id, invisible and impersonating names."""

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from comments import lifecycle, trust
from comments.models import ReaderEmail, Reply, ReplyStatus
from testing.replies import fresh_address, posted_reply, reply_form_data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def posted_url(response):
    return response["Location"]


# --- Trust rests on proof ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["trusted@example.com", "TRUSTED@Example.com"])
def test_typing_a_regulars_address_is_not_trust(
    letter, post_reply, hold_untrusted, trusted_email, spelling
):
    """The regular's own browser is trusted (trusted_email opened the link in `client`);
    a stranger typing the address, in any case, is held."""
    stranger = Client()
    reply = posted_reply(post_reply(stranger, letter, email=spelling, comment="I am them."))
    assert (reply.status, reply.hold_reason) == (
        ReplyStatus.PENDING,
        "a trusted address, not proven by this browser",
    )


def test_a_forged_or_foreign_proof_cookie_proves_nothing(
    client, letter, post_reply, hold_untrusted, trusted_email
):
    forger = Client()
    forger.cookies[trust.PROOF_COOKIE] = "trusted@example.com"  # unsigned
    forged = post_reply(forger, letter, email=trusted_email, comment="Forged.")
    assert posted_reply(forged).status == "pending"
    other = Client()  # a genuine proof, of another address
    other.post(reverse("comments-confirm-email", args=[trust.confirmation_token("b@x.example")]))
    foreign = post_reply(other, letter, email=trusted_email, comment="Foreign.")
    assert posted_reply(foreign).status == "pending"
    # Signed for the right address with another key's salt: refused too.
    other.cookies[trust.PROOF_COOKIE] = signing.get_cookie_signer(salt="elsewhere").sign(
        trusted_email
    )
    resigned = post_reply(other, letter, email=trusted_email, comment="Re-signed.")
    assert posted_reply(resigned).status == "pending"
    own = post_reply(client, letter, email=trusted_email, comment="Really me.")
    assert posted_reply(own).status == "approved"


def test_the_proof_cookie_is_httponly_and_an_erasure_ends_the_trust(
    client, letter, post_reply, hold_untrusted, trusted_email, moderator
):
    cookie = client.cookies[trust.PROOF_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    lifecycle.erase(trusted_email, moderator)
    assert not ReaderEmail.objects.filter(email=trusted_email).exists()
    assert posted_reply(post_reply(client, letter, email=trusted_email)).status == "pending"


# --- The "posted" page --------------------------------------------------------------------------


def test_the_posted_page_is_for_the_sending_browser_and_only_while_held(
    client, letter, post_reply, moderator
):
    response = post_reply(client, letter, comment="Visit https://bad.example now")
    url = posted_url(response)
    assert "https://bad.example" in client.get(url).text  # the sender sees what they wrote
    assert Client().get(url).status_code == 404  # anyone else with the link sees nothing
    reply = posted_reply(response)
    lifecycle.moderate(reply, "spam", moderator)
    page = client.get(url)
    assert page.status_code == 200
    assert "bad.example" not in page.text  # kept out: never shown again
    assert soup(page).h1.get_text() == "Thank you for your reply"


def test_the_posted_cookie_is_signed_httponly_and_remembers_recent_replies(
    client, letter, post_reply
):
    first = post_reply(client, letter, comment="One.")
    second = post_reply(client, letter, comment="Two.")
    cookie = client.cookies[trust.POSTED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get(posted_url(first)).status_code == 200
    assert client.get(posted_url(second)).status_code == 200
    forged = Client()
    forged.cookies[trust.POSTED_COOKIE] = str(posted_reply(first).pk)
    assert forged.get(posted_url(first)).status_code == 404


# --- Hidden replies cannot be read or answered by id --------------------------------------------


@pytest.fixture
def hidden_cases(letter, make_letter, make_reply, home_page):
    """Approved replies that no letter page shows, by why."""
    draft = make_letter("Withdrawn?")
    draft.unpublish()
    locked = make_letter("Members only?")
    PageViewRestriction.objects.create(
        page=locked, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    held_parent = make_reply(status=ReplyStatus.PENDING, comment="Held parent.")
    rejected_top = make_reply(status=ReplyStatus.REJECTED, comment="Rejected top.")
    deeper = make_reply(parent=rejected_top, comment="Under a rejected one.")
    return {
        "unpublished letter": make_reply(on=draft, comment="Secret draft reply."),
        "password letter": make_reply(on=locked, comment="Secret members reply."),
        "held parent": make_reply(parent=held_parent, comment="Hidden child."),
        "rejected grandparent": make_reply(parent=deeper, comment="Hidden grandchild."),
    }


@pytest.mark.parametrize(
    "case", ["unpublished letter", "password letter", "held parent", "rejected grandparent"]
)
def test_a_hidden_reply_is_not_shown_or_answered_by_its_id(client, hidden_cases, letter, case):
    reply = hidden_cases[case]
    for url in (f"/replies/reply/{reply.pk}/", f"/replies/report/{reply.pk}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert reply.comment not in response.text
    report = client.post(f"/replies/report/{reply.pk}/", {"reason": "spam"})
    assert report.status_code == 404
    assert not reply.reports.exists()
    if reply.content_object == letter:  # answering it through the letter's form
        data = reply_form_data(letter, reply_to=reply.pk, comment="An answer.")
        response = client.post(reverse("comments-post-comment"), data, REMOTE_ADDR=fresh_address())
        assert response.status_code == 400
        assert not Reply.objects.filter(comment="An answer.").exists()


# --- Names and text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["\u200b\u200b", "\u202e\u2066 \u2069", "\x07\x1b", "\u3164\u3164", " \n\t \u00a0"]
)
def test_a_reply_with_no_visible_character_is_refused(client, letter, post_reply, text):
    response = post_reply(client, letter, comment=text)
    assert response.status_code == 400
    assert "Please write your reply before sending it." in response.text
    assert Reply.objects.count() == 0


def test_bidi_and_invisible_characters_are_taken_out_of_names(client, letter, post_reply):
    reply = posted_reply(post_reply(client, letter, name="\u202eevE\u202c \u200bJo\x07"))
    assert reply.user_name == "evE Jo"
    refused = post_reply(client, letter, name="\u200b\u2066\u3164")
    assert refused.status_code == 400
    assert "Please give a name to show with your reply." in refused.text


@pytest.mark.parametrize(
    "name",
    ["Avery Stone", "avery  STONE", "Ávery Stóne", "Dear PurseBop", "dear-pursebop", "Mo", "mod"],
)
def test_a_reader_cannot_take_a_columnists_the_columns_or_staff_names(
    client, letter, post_reply, columnist, moderator, name
):
    """Avery Stone is the columnist, "Dear PurseBop" the column and the site, Mo (mod) a
    moderator: refused with the text kept."""
    response = post_reply(client, letter, name=name, comment="Official advice!")
    assert response.status_code == 400
    assert "That name belongs to the column or one of its staff." in response.text
    assert "Official advice!" in response.text
    assert Reply.objects.count() == 0


def test_names_are_isolated_from_the_text_around_them(client, other_visitor, letter, make_reply):
    reply = make_reply(user_name="\u05e9\u05dc\u05d5\u05dd 123")
    name = soup(other_visitor.get(letter.url)).select_one(f"#reply-{reply.pk} > header > bdi")
    assert name.get_text() == "\u05e9\u05dc\u05d5\u05dd 123"


def test_a_poster_sees_their_held_reply_on_the_letter_and_nobody_else_does(
    client, letter, post_reply, moderator
):
    post_reply(client, letter, comment="Mine, still waiting.")
    assert client.cookies[trust.POSTED_FLAG_COOKIE].value == "1"
    assert not client.cookies[trust.POSTED_FLAG_COOKIE]["httponly"]  # the script reads it
    url = soup(client.get(letter.url)).select_one("[data-own-replies]")["data-own-replies"]
    fragment = client.get(url)
    assert fragment.status_code == 200
    assert "no-store" in fragment["Cache-Control"] or "max-age=0" in fragment["Cache-Control"]
    part = soup(fragment)
    assert part.h3.get_text(strip=True) == "Your reply awaiting moderation"
    assert "Mine, still waiting." in part.get_text()
    assert part.select_one(".badge--held").get_text() == "Awaiting moderation"
    assert Client().get(url).status_code == 204  # another browser: nothing
    reply = Reply.objects.get(comment="Mine, still waiting.")
    lifecycle.moderate(reply, "approve", moderator)
    assert client.get(url).status_code == 204  # published: on the page for everyone now
