"""XSS through reader letters in a real browser (markers `e2e`, `attack`): payloads from the
corpus (testing.xss) typed into the real "Write to PurseBop" form in Chromium as the letter,
the pen name and, where an address can carry one, the address; then every page where a letter
appears opened with the trap: the page the form lands on, the inbox's listing and each
letter's page, the draft letter an editor makes from it (the page editor and its preview),
the published letter, the column's front page, feed and the home page, and the "answered"
email the writer gets. No script runs, no on* attribute or javascript: URL survives, no CSP
violation on public pages, no request leaves the site.

Short setting (CI): 16 payloads and the address-shaped ones, 8 of them taken to a draft.
ATTACK=full (make attack): every payload through the form and the inbox, 100 of them (spread
over the corpus) taken to a draft: a draft (editor, preview, publication, the letter) costs
2.5 to 4 s, so all 668 would add half an hour or more. ATTACK_XSS_LETTERS (short setting) and ATTACK_XSS_DRAFTS (0: every
letter) change the numbers.
The trap's own tests are in e2e/test_xss.py."""

import math
import os
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from advice.models import LetterPage
from mailbag.forms import LetterForm
from mailbag.models import ReaderLetter, ReaderLetterStatus
from testing import xss
from testing.letters import add_write_in_page
from testing.output import say
from testing.pages import add_column, answer

pytestmark = [pytest.mark.attack]

CI_LETTERS = int(os.environ.get("ATTACK_XSS_LETTERS", 16))
DRAFTS = int(os.environ.get("ATTACK_XSS_DRAFTS", 100 if xss.FULL else 8))
PASSWORD = "pw-for-the-letters-xss-run"
INBOX_URL = "/admin/snippets/mailbag/readerletter/"
INBOX_PER_PAGE = 50  # mailbag.inbox.viewsets.ReaderLetterViewSet.list_per_page
# The page editor renders Wagtail's own preview frame (empty until the panel opens).
EDITOR_FRAMES = ["iframe#w-preview-iframe"]
PREVIEW = """async (url) => {
  const response = await fetch(url, {method: "POST", body: new FormData(
    document.querySelector("#page-edit-form"))});
  return response.json();
}"""


@pytest.fixture
def write_in(site_at_live_server, monkeypatch, settings):
    """A column with its write-in page; the typing time patched away (the live server runs in
    this process) and the letter rate limits raised far above the run."""
    monkeypatch.setattr(LetterForm, "min_seconds_to_type", 0)
    settings.LETTER_RATE_LIMITS = [("ip", 100_000, 3600), ("email", 100_000, 3600)]
    column = add_column(site_at_live_server)
    return column, add_write_in_page(column)


def test_no_letter_payload_runs_anywhere_it_is_shown(
    browser, live_server, write_in, pytestconfig, mailoutbox
):
    column, write_in_page = write_in
    chosen = xss.sample(CI_LETTERS)
    chosen += [p for p in xss.address_shaped() if p not in chosen]
    get_user_model().objects.create_superuser("xsseditor", "xsseditor@staff.example", PASSWORD)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    trap = xss.site_trap(context, live_server.url)
    page = context.new_page()
    counts = Counter()
    seconds = Counter()
    try:
        # 1. Through the real form: the letter, the pen name (its first 60 characters, the
        #    field's limit) and the address where a valid one can carry the payload.
        started = time.monotonic()
        for n, payload in enumerate(chosen):
            email, carried = xss.address_for(payload, n)
            counts["addresses"] += carried
            page.goto(write_in_page.url)
            page.fill("#id_letter", payload.text)
            page.fill("#id_pen_name", payload.text[:60])
            page.fill("#id_email", email)
            page.check("#id_notify_on_answer")
            page.check("#id_consent")
            with page.expect_navigation():
                page.get_by_role("button", name="Send my letter").click()
            counts["sent" if page.url.endswith("/sent/") else "refused"] += 1
            trap.check(page, f"after sending #{n} ({payload.source})")
        letters = list(ReaderLetter.objects.order_by("pk"))
        # A payload that differs from an earlier one only in what the form strips is the
        # same letter from the same address: it lands on "sent" and nothing new is stored.
        assert 0 < len(letters) <= counts["sent"]
        assert all(letter.status == ReaderLetterStatus.NEW for letter in letters)
        seconds["form"] = time.monotonic() - started

        # 2. The inbox, as an editor who sees addresses: every listing page, every letter.
        started = time.monotonic()
        page.goto("/admin/login/")
        page.get_by_label("Username").fill("xsseditor")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        for number in range(1, math.ceil(len(letters) / INBOX_PER_PAGE) + 1):
            assert page.goto(f"{INBOX_URL}?status=all&p={number}").status == 200
            trap.check(page, f"inbox page {number}")
        for letter in letters:
            assert page.goto(f"{INBOX_URL}inspect/{letter.pk}/").status == 200
            trap.check(page, f"inbox letter {letter.pk}")
        seconds["inbox"] = time.monotonic() - started

        # 3. Each letter made into a draft with the inbox's button (which opens the page
        #    editor), previewed as the editor's preview panel does (the form posted, then
        #    the preview shown), published, and the published letter opened.
        started = time.monotonic()
        drafted = xss.spread(letters, DRAFTS)
        for letter in drafted:
            page.goto(f"{INBOX_URL}inspect/{letter.pk}/")
            with page.expect_navigation():
                page.get_by_role("button", name="Create the draft letter").click()
            assert "/edit/" in page.url, page.url
            trap.check(page, f"draft editor for letter {letter.pk}", allowed=EDITOR_FRAMES)
            preview_url = page.url.rstrip("/") + "/preview/"
            assert page.evaluate(PREVIEW, preview_url)["is_valid"] is True
            assert page.goto(preview_url).status == 200
            trap.check(page, f"draft preview for letter {letter.pk}")
            letter.refresh_from_db()
            draft = LetterPage.objects.get(pk=letter.draft_id)
            draft.answer = answer("Keep the receipt, and ask the shop first.")
            draft.save_revision().publish()
            draft.refresh_from_db()
            assert page.goto(draft.url).status == 200
            trap.check(page, f"published letter {draft.pk}")
            counts["published"] += 1
        assert ReaderLetter.objects.filter(status=ReaderLetterStatus.ANSWERED).count() == len(
            drafted
        )
        seconds["drafts"] = time.monotonic() - started

        # 4. Where the published letters are listed: every page of the column, its feed, the
        #    home page.
        pages_of_column = math.ceil(len(drafted) / column.letters_per_page)
        urls = [f"{column.url}?page={n}" for n in range(1, pages_of_column + 1)]
        for url in urls + [column.feed_url(), "/"]:
            assert page.goto(url).status == 200, url
            trap.check(page, url)

        # 5. The "answered" email each writer got: its HTML part, if it has one; its text as
        #    a mail client shows a text/plain email.
        answered = [m for m in mailoutbox if "has been answered" in m.subject]
        assert len(answered) == len(drafted)
        for n, message in enumerate(answered):
            parts = [(message.body, "text/plain")]
            parts += [(c, kind) for c, kind in getattr(message, "alternatives", [])]
            for part, (content, kind) in enumerate(parts):
                counts["html emails" if kind == "text/html" else "text emails"] += 1
                url = f"{xss.MAIL_ORIGIN}/{n}/{part}"
                page.route(url, xss.serve(content, f"{kind}; charset=utf-8"))
                page.goto(url)
                trap.check(page, f"answered email {n} ({kind})", public=False)
    finally:
        context.close()

    say(
        pytestconfig,
        f"xss letters [{'full' if xss.FULL else 'ci'}]: {len(chosen)} payloads of "
        f"{len(xss.payloads())} sent as letter and pen name ({counts['addresses']} also as "
        f"address): {counts['sent']} sent, {len(letters)} stored "
        f"({counts['sent'] - len(letters)} the same letter again), {counts['refused']} "
        f"refused by the form; {len(letters)} inbox pages; {counts['published']} drafts made, "
        f"previewed and published; "
        f"{trap.pages} pages opened; answered emails: {counts['text emails']} text, "
        f"{counts['html emails']} HTML; {len(trap.findings)} findings; "
        + ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()),
    )
    assert trap.findings == [], "\n".join(f"{label}: {item}" for label, item in trap.findings[:50])
