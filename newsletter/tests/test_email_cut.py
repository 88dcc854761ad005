"""The answer's email, whole or cut where the editor chose: the cut counts paragraphs (a list is
one) as readers see them, takes the headings, quotes and pictures before it along, ends with
"Read on", cuts the plain-text part too, and never splits the HTML. The cut is set in the
letter's editor, kept with the draft, and reaches subscribers only when published."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from advice.models import LetterPage
from newsletter import emails
from newsletter.models import EmailCut, Subscriber

ANSWER = json.dumps(
    [
        {
            "type": "paragraph",
            "value": "<p>First <b>bold</b> point.</p><p>Second point.</p>"
            "<ul><li>Third, a list</li><li>still the third</li></ul>",
        },
        {"type": "pull_quote", "value": {"quote": "Quote after three.", "attribution": ""}},
        {"type": "paragraph", "value": "<p>Fourth point.</p>"},
    ]
)
VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr"}


class Balance(HTMLParser):
    """Fails on a closing tag that does not close the element open last."""

    def __init__(self):
        super().__init__()
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open)
        self.open.pop()


def assert_well_formed(html):
    parser = Balance()
    parser.feed(html)
    parser.close()
    assert parser.open == []


@pytest.fixture
def letter(make_letter):
    return make_letter(title="How much should I say?", answer=ANSWER, sign_off="Good luck!")


@pytest.fixture
def subscriber(db):
    return Subscriber.objects.create(address="one@example.com", key="one@example.com")


def email_of(letter, subscriber):
    message = emails.issue_message(emails.letter_content(letter), subscriber)
    return message.alternatives[0][0], message.body


def test_without_a_cut_the_email_carries_the_whole_answer(letter, subscriber):
    html, text = email_of(letter, subscriber)
    for words in ("Second point.", "still the third", "Quote after three.", "Fourth point."):
        assert words in html and words in text
    assert "Good luck!" in html and "Good luck!" in text
    url = letter.get_full_url()
    assert f'href="{url}"' in html and "Read on, and read the replies</a>" in html
    assert f"Read on, and read the replies: {url}" in text
    assert "<b>bold</b>" in html and "<b>" not in text


def test_a_cut_ends_the_answer_there_with_read_on(letter, subscriber):
    EmailCut.objects.create(letter=letter, paragraphs=2)
    html, text = email_of(letter, subscriber)
    url = letter.get_full_url()
    for part in (html, text):
        assert "First" in part and "Second point." in part
        assert "Third" not in part and "Quote after three." not in part
        assert "Fourth" not in part and "Good luck!" not in part
    assert f'href="{url}"' in html and ">Read on</a>" in html
    assert f"Read on: {url}" in text and "read the replies" not in text
    assert "Letter text number" in html and "Letter text number" in text  # the letter whole
    assert_well_formed(html)


def test_a_list_counts_as_one_paragraph_and_what_follows_the_cut_stays_out(letter, subscriber):
    EmailCut.objects.create(letter=letter, paragraphs=3)
    html, text = email_of(letter, subscriber)
    assert "still the third" in html and "- still the third" in text
    assert "Quote after three." not in html and "Fourth" not in html
    EmailCut.objects.filter(letter=letter).update(paragraphs=4)
    html, text = email_of(letter, subscriber)
    assert "Quote after three." in html and "Fourth point." in text
    assert "Read on, and read the replies" in text  # nothing was left out


def test_a_cut_at_nought_sends_the_letter_alone(letter, subscriber):
    EmailCut.objects.create(letter=letter, paragraphs=0)
    html, text = email_of(letter, subscriber)
    assert "Letter text number" in html and "First" not in html and "First" not in text
    assert f"Read on: {letter.get_full_url()}" in text


@pytest.mark.parametrize("paragraphs", range(6))
def test_the_cut_never_splits_the_html(letter, subscriber, paragraphs):
    EmailCut.objects.create(letter=letter, paragraphs=paragraphs)
    html, _ = email_of(letter, subscriber)
    assert_well_formed(html)


def edit_form(letter, cut=None):
    data = {
        "title": letter.title,
        "slug": letter.slug,
        "dek": "",
        "letter": rich_text(letter.letter),
        "pen_name": letter.pen_name,
        "salutation": "",
        "answer": streamfield(
            [
                ("paragraph", rich_text("<p>First point.</p>")),
                ("paragraph", rich_text("<p>Second point.</p>")),
            ]
        ),
        "sign_off": letter.sign_off,
        "columnist": letter.columnist_id,
        "date": letter.date.isoformat(),
        "related_links": inline_formset([]),
    }
    if cut is not None:
        data["newsletter_email_cut"] = inline_formset([{"paragraphs": cut}])
    return nested_form_data(data)


def test_the_editor_sets_the_cut_in_a_draft_and_publishing_sends_it(admin_client, letter):
    edit_url = reverse("wagtailadmin_pages:edit", args=[letter.pk])
    form = admin_client.get(edit_url).content.decode()
    assert "Email to subscribers" in form and "Add email cut" in form
    assert "newsletter_email_cut-TOTAL_FORMS" in form

    response = admin_client.post(edit_url, edit_form(letter, cut=1))
    assert response.status_code == 302
    live = LetterPage.objects.get(pk=letter.pk)
    assert not EmailCut.objects.exists()  # a draft: subscribers would still get it whole
    assert "Fourth point." in emails.letter_content(live)["answer_html"]
    draft = emails.letter_content(live.get_latest_revision_as_object())
    assert draft["cut"] and "Second point." not in draft["answer_text"]

    live.get_latest_revision().publish()
    published = emails.letter_content(LetterPage.objects.get(pk=letter.pk))
    assert published["cut"] and published["answer_text"] == "First point."
    assert EmailCut.objects.get().paragraphs == 1

    # A form without the cut's fields leaves it as it was.
    response = admin_client.post(edit_url, {**edit_form(letter), "action-publish": "1"})
    assert response.status_code == 302
    assert EmailCut.objects.get().paragraphs == 1


def test_the_text_part_carries_no_control_or_bidi_character(letter, subscriber):
    """The letter began as a reader's and the text part is printed with escaping off: a bidi
    override or a control character in it reaches no subscriber, the lines stay as they were."""
    letter.letter = (
        "<p>I want \u202ethe bag\u202c back.</p><ul><li>First\x1b[31m</li><li>Second</li></ul>"
    )
    letter.save_revision().publish()
    letter.refresh_from_db()
    _html, text = email_of(letter, subscriber)
    assert "I want the bag back.\n\n- First[31m\n- Second" in text
    assert not {"\u202e", "\u202c", "\x1b"} & set(text)
