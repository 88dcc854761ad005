"""The "Write to PurseBop" form: a valid letter is stored exactly as sent; each invalid field,
the honeypot, a stale or forged form, the typing time, the block list, duplicates and the rate
limit are refused with every field kept, checked in the order replies use."""

import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from guard import opened as opened_values
from guard.forms import sign_opened
from guard.models import BlockedSender
from mailbag.models import ReaderLetter, ReaderLetterStatus
from testing.letters import letter_data, post_letter
from testing.replies import fresh_address


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def kept(response):
    """What the form shows back: {field name: value}."""
    page = soup(response)
    values = {}
    for field in page.select("form.letter-form input[name]"):
        if field.get("type") != "checkbox":
            values[field["name"]] = field.get("value", "")
        elif field.has_attr("checked"):
            values[field["name"]] = "on"
    values["letter"] = page.select_one("textarea[name=letter]").text
    selected = page.select_one("select[name=topic] option[selected]")
    values["topic"] = selected["value"] if selected else ""
    return values


def summary(response):
    return [a.text for a in soup(response).select(".error-summary li a")]


def test_the_page_shows_the_form_and_what_happens_next(client, write_in, column, offered_topic):
    response = client.get(write_in.url)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("form.letter-form")["action"] == reverse(
        "mailbag-send", args=[write_in.pk]
    )
    assert "What happens next" in page.text and "two to six weeks" in page.text
    assert [o.text for o in page.select("select[name=topic] option")] == [
        "I’m not sure",
        "Special orders",
    ]
    assert page.select_one(".letter__greeting").text == column.get_greeting()
    assert page.select_one("input[name=honeypot]").find_parent(class_="honeypot")


def test_a_valid_letter_is_stored_exactly_as_sent(client, write_in, column, offered_topic):
    text = "  Dear editors <b>hi</b>,\n\nMy strap <script>x</script> cracked.  "
    response = post_letter(
        client, write_in, letter=text, topic=str(offered_topic.pk), email="Me@Example.com"
    )
    assert response.status_code == 302
    assert response["Location"] == write_in.url + "sent/"
    reader_letter = ReaderLetter.objects.get()
    assert reader_letter.letter == text
    assert (reader_letter.pen_name, reader_letter.topic, reader_letter.email) == (
        "Cracked in Cleveland",
        offered_topic,
        "me@example.com",
    )
    assert reader_letter.notify_on_answer and reader_letter.consent
    assert reader_letter.status == ReaderLetterStatus.NEW
    assert (reader_letter.column, reader_letter.page) == (column, write_in.specific)
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "your letter is with the editors" in sent.text


def test_not_asking_to_be_told_is_kept(client, write_in):
    post_letter(client, write_in, notify_on_answer=None)
    assert ReaderLetter.objects.get().notify_on_answer is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("letter", "", "Please write your letter before sending it."),
        ("letter", " \u200b\n ", "Please write your letter before sending it."),
        ("letter", "x" * 5001, "Your letter is 5001 characters long; the limit is 5000."),
        ("pen_name", "", "Please choose a pen name to sign your letter with."),
        ("pen_name", "\u202e\u200d", "Please choose a pen name to sign your letter with."),
        # Letters that render as nothing (Hangul fillers): refused as replies' names are.
        ("pen_name", "\u3164\u3164", "Please choose a pen name to sign your letter with."),
        ("letter", "\u3164 \u2800", "Please write your letter before sending it."),
        ("pen_name", "n" * 61, "Please shorten your pen name to 60 characters or fewer."),
        ("email", "", "Please give your email address: it is never published."),
        ("email", "not-an-address", "Please check your email address"),
        ("topic", "99999", "Please choose one of the topics listed."),
        ("topic", "abc", "Please choose one of the topics listed."),
        ("consent", None, "Please tick the box to agree"),
    ],
)
def test_each_invalid_field_is_refused_with_every_field_kept(
    client, write_in, offered_topic, field, value, message
):
    fields = {"topic": str(offered_topic.pk), field: value}
    data = letter_data(**fields)
    response = post_letter(client, write_in, **fields)
    assert response.status_code == 400
    assert not ReaderLetter.objects.exists()
    assert any(line.startswith(message) for line in summary(response)), summary(response)
    shown = kept(response)
    for name in ("letter", "pen_name", "email", "topic"):
        if name != field:
            assert shown[name] == data[name].strip("\r\n") if name == "letter" else data[name]
    if field not in ("letter", "topic"):
        assert shown["letter"] == data["letter"]
    # The summary links to the field in error.
    link = soup(response).select_one(".error-summary li a")["href"]
    assert soup(response).select_one(link)


def test_the_honeypot_refuses_and_keeps_the_text(client, write_in):
    response = post_letter(client, write_in, honeypot="http://spam.example")
    assert response.status_code == 400
    assert "leave the last field empty" in response.text
    assert kept(response)["letter"].startswith("My bag's strap")
    assert not ReaderLetter.objects.exists()


@pytest.mark.parametrize("opened", ["", "forged", sign_opened(time.time() - 3 * 60 * 60)])
def test_a_stale_or_forged_form_comes_back_fresh(client, write_in, opened):
    response = post_letter(client, write_in, opened=opened)
    assert response.status_code == 400
    assert "expired" in response.text
    assert not ReaderLetter.objects.exists()
    # Sent again as it came back (after the typing time), it is taken.
    data = kept(response)
    data["opened"] = sign_opened(time.time() - 60)
    again = client.post(reverse("mailbag-send", args=[write_in.pk]), data)
    assert again.status_code == 302 and ReaderLetter.objects.count() == 1


def test_typing_faster_than_a_person_is_refused(client, write_in):
    response = post_letter(client, write_in, age=0)
    assert response.status_code == 400
    assert "quicker than anyone can type" in response.text
    assert kept(response)["pen_name"] == "Cracked in Cleveland"
    assert not ReaderLetter.objects.exists()


def test_a_refused_address_is_told_and_spends_no_limit(client, write_in, settings):
    settings.LETTER_RATE_LIMITS = [("ip", 1, 3600)]
    address = fresh_address()
    BlockedSender.objects.create(kind="email", value="no@example.com", action="refuse")
    response = post_letter(client, write_in, address=address, email="NO@example.com")
    assert response.status_code == 403
    assert "cannot accept letters from this address" in response.text
    assert kept(response)["letter"].startswith("My bag's strap")
    # The block list came first: the address's one letter is still allowed.
    assert post_letter(client, write_in, address=address).status_code == 302


def test_an_ip_on_the_block_list_is_refused(client, write_in):
    address = fresh_address()
    BlockedSender.objects.create(kind="ip", value=address, action="refuse")
    assert post_letter(client, write_in, address=address).status_code == 403
    assert not ReaderLetter.objects.exists()


def test_the_same_letter_twice_is_stored_once_and_spends_no_limit(client, write_in, settings):
    settings.LETTER_RATE_LIMITS = [("ip", 2, 3600)]
    address = fresh_address()
    data = letter_data()
    url = reverse("mailbag-send", args=[write_in.pk])
    first = client.post(url, data, REMOTE_ADDR=address)
    second = client.post(url, data, REMOTE_ADDR=address)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ReaderLetter.objects.count() == 1
    # The duplicate was stopped before the rate limit: one more letter fits.
    assert post_letter(client, write_in, address=address).status_code == 302


def test_the_rate_limit_refuses_with_the_text_kept(client, write_in, settings):
    settings.LETTER_RATE_LIMITS = [("ip", 2, 3600)]
    address = fresh_address()
    for n in range(2):
        assert (
            post_letter(client, write_in, address=address, letter=f"Letter {n}").status_code == 302
        )
    response = post_letter(client, write_in, address=address, letter="A third letter")
    assert response.status_code == 429
    assert "the limit is 2 in 60 minutes" in response.text
    assert kept(response)["letter"] == "A third letter"
    assert ReaderLetter.objects.count() == 2


def assert_confirm_step(response, data):
    """The confirm step: 200, "One more step", every field as the reader left it, a fresh
    token and a one-use "opened at" value, a Send button; nothing stored."""
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "One more step"
    assert "Press Send to send your letter" in page.select_one("[data-confirm-step]").text
    assert page.select_one("form.letter-form button[type=submit]").get_text() == "Send"
    shown = kept(response)
    for name in ("letter", "pen_name", "email", "topic", "notify_on_answer", "consent"):
        assert shown.get(name, "") == data.get(name, ""), name
    assert len(shown["csrfmiddlewaretoken"]) == 64
    assert opened_values.read(shown["opened"]).one_use
    assert shown["opened"] != data.get("opened")
    assert not ReaderLetter.objects.exists()
    return shown


def test_a_stale_csrf_token_brings_the_confirm_step(write_in, offered_topic):
    """A post without a valid CSRF token (the cookie cleared or never set) is no error: the
    confirm step, every field kept, and pressing Send there posts the letter at once (the
    reader typed already: the typing time counts from when they opened the form)."""
    browser = Client(enforce_csrf_checks=True)
    data = letter_data(letter="Kept through a stale page", topic=str(offered_topic.pk))
    data["opened"] = sign_opened(time.time() - 5 * 60, one_use=False)
    response = browser.post(reverse("mailbag-send", args=[write_in.pk]), data)
    shown = assert_confirm_step(response, data)
    assert "csrftoken" in response.cookies

    again = browser.post(reverse("mailbag-send", args=[write_in.pk]), shown)
    assert again.status_code == 302
    (reader_letter,) = ReaderLetter.objects.all()
    assert (reader_letter.letter, reader_letter.topic) == (
        "Kept through a stale page",
        offered_topic,
    )


def test_a_page_value_leads_to_the_confirm_step(client, write_in):
    """An "opened at" value printed for every reader (no nonce) never sends a letter itself."""
    data = letter_data(opened=sign_opened(time.time() - 60, one_use=False))
    response = client.post(reverse("mailbag-send", args=[write_in.pk]), data)
    shown = assert_confirm_step(response, data)
    assert client.post(reverse("mailbag-send", args=[write_in.pk]), shown).status_code == 302
    assert ReaderLetter.objects.count() == 1


def test_one_opened_value_sends_one_letter(client, write_in):
    """The value a form was given is good for one letter: 20 different letters posted with
    it store the first, and the rest come back as the confirm step with their text."""
    opened = sign_opened(time.time() - 60)
    url = reverse("mailbag-send", args=[write_in.pk])
    statuses = []
    for n in range(20):
        data = letter_data(letter=f"Letter number {n}", opened=opened)
        response = client.post(url, data, REMOTE_ADDR=fresh_address())
        statuses.append(response.status_code)
        if n:
            assert soup(response).h1.get_text() == "One more step"
            assert kept(response)["letter"] == f"Letter number {n}"
    assert statuses == [302] + [200] * 19
    assert list(ReaderLetter.objects.values_list("letter", flat=True)) == ["Letter number 0"]


def test_a_letter_to_a_page_that_is_gone_is_404(client, write_in):
    write_in.unpublish()
    assert post_letter(client, write_in).status_code == 404
    assert client.get(reverse("mailbag-send", args=[write_in.pk])).status_code == 405


def test_the_write_in_page_is_linked_from_home_column_and_letters(
    client, write_in, home_page, column, make_letter
):
    letter = make_letter()
    for url in (home_page.url, column.url, letter.url):
        links = [a["href"] for a in soup(client.get(url)).select(".write-in-link a")]
        assert links == [write_in.url], url


def test_no_link_without_a_chosen_live_page(client, home_page, column, make_letter):
    letter = make_letter()
    for url in (home_page.url, column.url, letter.url):
        assert not soup(client.get(url)).select(".write-in-link"), url


def test_a_failing_database_answers_503_with_the_text(client, write_in, monkeypatch):
    from django.db import DatabaseError

    from mailbag import views

    def fail(request, page):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(views, "submit", fail)
    response = post_letter(client, write_in, letter="Kept when the database fails")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert soup(response).select_one("#kept-text").text == "Kept when the database fails"


def test_the_form_page_and_a_refusal_take_few_queries(
    client, write_in, offered_topic, django_assert_max_num_queries, page_cache_off
):
    """What rendering the form costs (with the page cache on, its version read comes on top:
    the form carries a CSRF token, so the page is never kept)."""
    client.get(write_in.url)  # Wagtail caches the site's root paths on the first request
    with django_assert_max_num_queries(11):
        assert client.get(write_in.url).status_code == 200
    with django_assert_max_num_queries(14):
        assert post_letter(client, write_in, pen_name="").status_code == 400


def test_editors_create_the_page_under_a_column_only(home_page, column):
    from wagtail.test.utils import WagtailPageTestCase

    from advice.models import AdviceIndexPage, HomePage
    from mailbag.models import WriteInPage

    case = WagtailPageTestCase()
    case.assertAllowedParentPageTypes(WriteInPage, {AdviceIndexPage})
    case.assertAllowedSubpageTypes(WriteInPage, set())
    assert WriteInPage in AdviceIndexPage.allowed_subpage_models()
    assert WriteInPage not in HomePage.allowed_subpage_models()
    assert WriteInPage.can_create_at(column) and not WriteInPage.can_create_at(home_page)
