"""A reader's letter, all the way, in Chromium: the reader finds the column's "Write to
PurseBop" page (/dear-pursebop/write/) from the home page and the site's navigation, sends
their letter (and is told what happens next); an editor finds it in the inbox, creates the
draft, sees the reader's letter beside it in the editor, writes the answer and publishes it; the writer's email links to the published letter and to a
private reply link; the writer replies with the "Letter writer" badge; a moderator approves it
on the desk and the badge shows on the letter page. The form, its errors, the "sent" page and
the letter page pass axe-core's WCAG 2.2 A/AA rules (screenshots with `make screenshots`)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from advice.models import LetterPage
from comments.forms import ReplyForm
from comments.models import Reply, ReplyStatus
from mailbag.forms import LetterForm
from mailbag.models import ReaderLetter, ReaderLetterStatus
from testing.browser import save_screenshot
from testing.letters import add_write_in_page, store_letter
from testing.pages import add_column, answer, letter_maker
from testing.users import ensure_reply_moderators_group

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "handbag-desk-2026"
LETTER = (
    "I saved for two years for a classic flap bag.\n\n"
    "Now the boutique says the price goes up next month. Should I buy now, or wait for a "
    "colour I really love?"
)


@pytest.fixture
def write_in(site_at_live_server, monkeypatch, settings, topic):
    # The live server runs in this process: the typing time is patched away, not waited for.
    monkeypatch.setattr(LetterForm, "min_seconds_to_type", 0)
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)
    settings.RATE_LIMIT_MULTIPLIER = 50
    column = add_column(site_at_live_server)
    # The form offers the topics of the column's letters: one is filed under this topic.
    letter_maker(column, None)(topics=[topic])
    return add_write_in_page(column)


def user(name, *groups, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(name, f"{name}@staff.example", PASSWORD)
    person = User.objects.create_user(name, f"{name}@staff.example", PASSWORD)
    for group in groups:
        person.groups.add(group)
    return person


def log_in(page, username):
    assert page.goto("/admin/login/").status == 200
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/admin/"), page.url


def check_accessible(page, label):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def test_a_readers_letter_from_the_form_to_the_writers_badge(
    page, browser, live_server, write_in, topic, mailoutbox
):
    # 1. The home page invites readers to write, in its column and in the site's navigation;
    #    the column's form says what happens next.
    assert write_in.url == "/dear-pursebop/write/"
    assert page.goto("/").status == 200
    nav_link = page.locator(".site-nav .site-nav__write-in a")
    expect(nav_link).to_have_text("Write to PurseBop")
    expect(nav_link).to_have_attribute("href", write_in.url)
    with page.expect_navigation():
        page.locator(".write-in-link a").click()
    assert page.url.endswith(write_in.url)
    assert page.locator("h1").inner_text() == "Write to PurseBop"
    assert page.get_by_role("heading", name="What happens next").is_visible()
    check_accessible(page, "write-in form")

    # 2. Sent without a pen name and consent, it comes back with both errors and the text.
    page.locator("#id_letter").fill(LETTER)
    page.locator("#id_email").fill("saver@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.locator("li").count() == 2
    assert page.locator("#id_letter").input_value() == LETTER
    assert page.locator("#id_email").input_value() == "saver@example.com"
    check_accessible(page, "write-in form with errors")
    save_screenshot(page, "letter-form-errors.png", full_page=True)

    # 3. Completed and sent: the reader is told what happens next; nothing is published.
    page.get_by_label("Sign it with a pen name").fill("Saving in Seattle")
    page.get_by_label("What is it about? (optional)").select_option(label=topic.name)
    page.get_by_label(re.compile("Email me once")).check()
    page.get_by_label(re.compile("I agree")).check()
    save_screenshot(page, "letter-form.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()
    assert page.locator("h1").inner_text() == "Thank you: your letter is with the editors"
    check_accessible(page, "letter sent")
    reader_letter = ReaderLetter.objects.get()
    # Kept as the browser sent it (forms send line breaks as CR LF).
    assert (reader_letter.pen_name, reader_letter.letter, reader_letter.topic) == (
        "Saving in Seattle",
        LETTER.replace("\n", "\r\n"),
        topic,
    )

    # 4. An editor finds it in the inbox (menu count, "New" tab) and creates the draft.
    editor = user("eddie", Group.objects.get(name="Editors"))
    editor_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    desk = editor_context.new_page()
    try:
        log_in(desk, editor.username)
        desk.get_by_role("link", name="Reader letters (1 new)").click()
        desk.wait_for_url(re.compile("/admin/snippets/mailbag/readerletter/"))
        row = desk.locator("table.listing tbody tr").filter(has_text="Saving in Seattle")
        expect(row).to_contain_text("saver@example.com")
        save_screenshot(desk, "letter-inbox.png", full_page=True)
        check_accessible(desk, "the reader letters inbox")
        with desk.expect_navigation():
            row.get_by_role("link", name=re.compile("^Saving in Seattle")).click()
        with desk.expect_navigation():
            desk.get_by_role("button", name="Create the draft letter").click()
        assert "/admin/pages/" in desk.url and "/edit/" in desk.url
        expect(desk.locator("#id_title")).to_have_value("Letter from Saving in Seattle")
        # The reader's letter is shown in the editor, above the title, with its address
        # (Editors may see it) and a link back to the inbox.
        panel = desk.locator(".mailbag-editor-panel")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("I saved for two years for a classic flap bag.")
        expect(panel).to_contain_text("saver@example.com")
        expect(
            panel.get_by_role("link", name="Open the reader’s letter in the inbox")
        ).to_be_visible()
    finally:
        editor_context.close()
    reader_letter.refresh_from_db()
    draft = LetterPage.objects.get(pk=reader_letter.draft_id)
    assert not draft.live and draft.pen_name == "Saving in Seattle"

    # 5. The answer is written and published (by someone who may publish): the letter is
    #    answered and the writer gets one email with the letter's link and a private link.
    draft.title = "Should I buy my flap bag before the price rise?"
    draft.answer = answer("Buy the colour you love, not the price rise.")
    draft.save_revision().publish()
    reader_letter.refresh_from_db()
    assert reader_letter.status == ReaderLetterStatus.ANSWERED
    [message] = mailoutbox
    assert message.to == ["saver@example.com"]
    base = re.escape(settings.WAGTAILADMIN_BASE_URL)
    letter_path, pass_path = re.findall(rf"{base}(\S+)", message.body)
    draft.refresh_from_db()
    assert letter_path == draft.url

    # 6. The writer follows the links in their own browser: the letter, then the private
    #    link, whose form replies with the badge (held for a moderator).
    writer_context = browser.new_context(base_url=live_server.url)
    writer = writer_context.new_page()
    try:
        assert writer.goto(letter_path).status == 200
        assert writer.locator("h1").inner_text() == draft.title
        check_accessible(writer, "answered letter")
        assert writer.goto(pass_path).status == 200
        expect(writer.get_by_text("letter writer", exact=False).first).to_be_visible()
        writer.fill("#id_comment", "Thank you! I bought it in the colour I love.")
        assert writer.locator("#id_email").input_value() == "saver@example.com"
        with writer.expect_navigation():
            writer.get_by_role("button", name="Send reply").click()
        reply = Reply.objects.get()
        assert (reply.author_badge, reply.status) == ("writer", ReplyStatus.PENDING)
    finally:
        writer_context.close()

    # 7. A moderator approves it on the desk; the badge shows on the letter page.
    moderator = user("mona", ensure_reply_moderators_group())
    log_in(page, moderator.username)
    page.goto("/admin/snippets/comments/reply/")
    rows = page.locator("table.listing tbody tr")
    with page.expect_navigation():
        rows.filter(has_text="I bought it").get_by_role("button", name="Approve").click()
    page.context.clear_cookies()
    assert page.goto(letter_path).status == 200
    badge = page.locator(f"#reply-{reply.pk} .badge--writer")
    expect(badge).to_have_text("Letter writer")
    badge.scroll_into_view_if_needed()
    save_screenshot(page, "letter-writer-badge.png", full_page=True)
    check_accessible(page, "letter with the writer's reply")
    # The one 400 is the form sent back with its errors (step 2), as it should be.
    assert [e for e in page.console.errors if "status of 400" not in e] == []


def test_the_form_works_without_javascript(browser, live_server, write_in):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto(write_in.url).status == 200
        page.locator("#id_letter").fill("No script here.")
        page.get_by_label("Sign it with a pen name").fill("Plain Paula")
        page.locator("#id_email").fill("paula@example.com")
        page.get_by_label(re.compile("I agree")).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send my letter").click()
        assert page.locator("h1").inner_text() == "Thank you: your letter is with the editors"
        assert ReaderLetter.objects.get().pen_name == "Plain Paula"
    finally:
        context.close()


def test_a_letter_sent_without_its_cookie_comes_back_as_a_confirm_step(
    browser, live_server, write_in
):
    """The CSRF cookie is gone when the writer sends (cleared, or never kept): the confirm
    step, every field kept, and Send there sends the letter."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto(write_in.url).status == 200
        page.locator("#id_letter").fill("Sent after my cookies were cleared.")
        page.get_by_label("Sign it with a pen name").fill("Cleared Clara")
        page.locator("#id_email").fill("clara@example.com")
        page.get_by_label(re.compile("I agree")).check()
        context.clear_cookies()
        with page.expect_navigation() as sent:
            page.get_by_role("button", name="Send my letter").click()
        assert sent.value.status == 200
        assert page.locator("h1").inner_text() == "One more step"
        assert not ReaderLetter.objects.exists()
        assert page.locator("#id_letter").input_value() == "Sent after my cookies were cleared."
        assert page.get_by_label("Sign it with a pen name").input_value() == "Cleared Clara"
        assert page.get_by_label(re.compile("I agree")).is_checked()
        with page.expect_navigation():
            page.get_by_role("button", name="Send", exact=True).click()
        assert page.locator("h1").inner_text() == "Thank you: your letter is with the editors"
        assert ReaderLetter.objects.get().pen_name == "Cleared Clara"
    finally:
        context.close()


def test_every_tab_of_the_inbox_passes_every_axe_rule(page, write_in, topic):
    """Each status tab ("All letters" included), a search and the topic filter: axe-core's
    rules all run, best practices too (Wagtail's count of matches once carried a role a
    heading may not have: aria-allowed-role)."""
    column = write_in.get_column()
    store_letter(column, pen_name="Saving in Seattle", topic=topic)
    store_letter(column, pen_name="Careful Cy", status=ReaderLetterStatus.SHORTLISTED)
    user("eddie", Group.objects.get(name="Editors"))
    log_in(page, "eddie")
    inbox = "/admin/snippets/mailbag/readerletter/"
    for query in [
        "",
        *(f"?status={value}" for value in ReaderLetterStatus.values),
        "?status=all",
        "?status=all&q=Seattle",
        f"?status=all&topic={topic.pk}",
    ]:
        assert page.goto(inbox + query).status == 200, query
        expect(page.locator("table.listing, .nice-padding p").first).to_be_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, f"inbox{query}:\n{results.generate_report()}"
    # The count of matches is still announced, politely, as a status.
    page.goto(inbox + "?status=all")
    expect(page.locator('[role="status"] h2')).to_have_text("There are 2 matches")
    assert page.console.errors == []
