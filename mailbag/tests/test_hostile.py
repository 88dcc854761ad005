"""The hostile inputs replies are tested with, sent as letters: the form never answers 5xx,
and nothing a reader typed runs in the inbox, the draft letter, its page or the emails.

The payloads are the public XSS lists kept with comments' tests (comments/tests/data/xss/)
and hostile names, addresses and numbers."""

import random
from pathlib import Path

import pytest
from bleach._vendor import html5lib  # the HTML5 parser bleach uses, as comments' tests do
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from mailbag import drafts, lifecycle
from mailbag.forms import LetterForm
from mailbag.models import ReaderLetter
from testing.letters import letter_data, store_letter
from testing.pages import answer
from testing.replies import fresh_address

XSS_DIR = Path(settings.BASE_DIR) / "comments" / "tests" / "data" / "xss"
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% now 'Y' %} ${7*7}",
    "' OR 1=1 --",
    "\x00",
    "\ufeff\u202e\u200d",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "Ã©Ã¨â€™",
    "%ff%fe",
    "../../etc/passwd",
    "x" * 100_000,
    "A\r\nBcc: victim@example.com",
]
HOSTILE_EMAILS = [
    "a@b.c\r\nBcc: x@y.z",
    '"<script>"@example.com',
    "x@[127.0.0.1]",
    "ünïcode@exämple.com",
    "a" * 300 + "@example.com",
    "<svg/onload=alert(1)>@example.com",
]


def corpus_lines():
    lines = []
    for path in sorted(XSS_DIR.glob("*.txt")):
        lines += [line for line in path.read_text(errors="replace").split("\n") if line.strip()]
    return lines


def test_the_corpus_is_there():
    assert len(corpus_lines()) > 700


@pytest.fixture
def fast_form(monkeypatch, settings):
    monkeypatch.setattr(LetterForm, "min_seconds_to_type", 0)
    settings.LETTER_RATE_LIMITS = [("ip", 100_000, 3600), ("email", 100_000, 3600)]


def test_the_form_never_answers_5xx(client, write_in, fast_form):
    url = reverse("mailbag-send", args=[write_in.pk])
    statuses = {}
    payloads = HOSTILE + corpus_lines()
    for n, payload in enumerate(payloads):
        fields = [("letter", payload)]
        if n % 3 == 0:
            fields.append(("pen_name", payload[:200]))
        if n % 7 == 0:
            fields += [("email", payload[:300]), ("topic", payload[:50]), ("consent", payload)]
        for field, value in fields:
            data = letter_data(**{field: value})  # each with its own one-use value
            if field != "letter":
                data["letter"] = f"Letter {n} {field}"
            response = client.post(url, data, REMOTE_ADDR=fresh_address())
            statuses.setdefault(response.status_code, 0)
            statuses[response.status_code] += 1
            assert response.status_code in (302, 400), (field, value[:60], response.status_code)
    for email in HOSTILE_EMAILS:
        response = client.post(url, letter_data(email=email), REMOTE_ADDR=fresh_address())
        assert response.status_code in (302, 400), email
    assert statuses.get(302, 0) > 700  # most were taken, as text


def executable(html):
    """(script elements, event-handler attributes, javascript: links) in `html` as a browser
    parses it."""
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    scripts = handlers = links = 0
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            scripts += 1
        handlers += sum(1 for name in element.attrib if name.lower().startswith("on"))
        href = "".join(element.get("href", "").split()).lower()
        links += href.startswith("javascript:")
    return scripts, handlers, links


@pytest.fixture
def hostile_letters(column):
    rng = random.Random(11)
    lines = corpus_lines()
    payloads = HOSTILE[:7] + rng.sample(lines, 40)
    payloads += [path.read_text(errors="replace")[:5000] for path in sorted(XSS_DIR.glob("*.txt"))]
    return [
        store_letter(
            column,
            pen_name=payload.replace("\x00", "")[:80],
            letter=payload.replace("\x00", ""),
            email=f"w{n}@example.com",
        )
        for n, payload in enumerate(payloads)
    ]


def test_nothing_runs_in_the_inbox_or_a_letters_page(client, column, hostile_letters):
    admin = get_user_model().objects.create_superuser("boss", "boss@staff.example", "pw")
    client.force_login(admin)
    benign = store_letter(column, pen_name="Plain Jane", letter="Nothing odd.")
    listing = reverse("wagtailsnippets_mailbag_readerletter:list")
    inspect = "wagtailsnippets_mailbag_readerletter:inspect"
    baseline_list = executable(client.get(listing + "?status=all&q=Nothing").text)
    baseline_page = executable(client.get(reverse(inspect, args=[benign.pk])).text)
    for page in (1, 2):
        response = client.get(listing, {"status": "all", "p": page})
        assert response.status_code == 200
        assert executable(response.text) == baseline_list, page
    for reader_letter in hostile_letters:
        response = client.get(reverse(inspect, args=[reader_letter.pk]))
        assert response.status_code == 200
        assert executable(response.text) == baseline_page, reader_letter.letter[:60]


def test_nothing_runs_in_the_draft_its_page_or_the_email(client, hostile_letters, mailoutbox):
    admin = get_user_model().objects.create_superuser("boss", "boss@staff.example", "pw")
    client.force_login(admin)
    for reader_letter in hostile_letters:
        page = drafts.create_draft(reader_letter, admin)
        fragment = html5lib.parseFragment(
            page.letter, treebuilder="etree", namespaceHTMLElements=False
        )
        tags = {el.tag for el in fragment.iter() if el is not fragment}
        assert tags <= {"p", "br"}, reader_letter.letter[:60]
        assert not [el.attrib for el in fragment.iter() if el is not fragment and el.attrib]
    # Published, the letter's page runs nothing the writer typed; the email is plain text.
    reader_letter = hostile_letters[1]
    page = reader_letter.__class__.objects.get(pk=reader_letter.pk).draft
    page.answer = answer("An answer.")
    page.save_revision().publish()
    page.refresh_from_db()
    client.logout()
    html = client.get(page.url).text
    _scripts, handlers, links = executable(html)
    assert (handlers, links) == (0, 0)
    [message] = mailoutbox
    assert message.content_subtype == "plain" and not message.alternatives
    assert ReaderLetter.objects.get(pk=reader_letter.pk).status == "answered"
    # A decline email with a hostile pen name is plain text too.
    lifecycle.decline(hostile_letters[0], admin, send_email=True)
    assert mailoutbox[-1].content_subtype == "plain"
