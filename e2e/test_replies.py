"""The reader's story in Chromium: a reader posts a reply and is told it awaits moderation;
another visitor does not see it; once approved it appears, threaded, for everyone; a reply
to it (through the in-page "Reply" button) appears nested under it once approved. The pages
pass axe-core's WCAG 2.2 A/AA rules and log no console error (screenshots with
`make screenshots`)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from comments import lifecycle
from comments.forms import ReplyForm
from comments.models import Reply, ReplyStatus
from guard import gate
from testing.browser import save_screenshot
from testing.replies import store_reply

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def letter(site_at_live_server, make_letter, monkeypatch, settings):
    # The live server runs in this process: the minimum typing time can be patched away
    # rather than waited for. Rate-limit counters may outlive the test (Redis), and the
    # browser always posts from 127.0.0.1: limits are raised, never switched off.
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)
    settings.RATE_LIMIT_MULTIPLIER = 50
    return make_letter(
        "Should I accept a bag in a colour I did not order?",
        date=timezone.localdate(),
    )


def approve(reply):
    """Through the one way a reply changes state, which also drops the kept pages."""
    reply = Reply.objects.get(pk=reply.pk)
    lifecycle.moderate(reply, "approve", None)
    return reply


def check_accessible(page, label):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def fill_and_send(page, text, name, email):
    page.fill("#id_comment", text)
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    with page.expect_navigation():
        page.get_by_role("button", name="Send reply").click()


def test_a_reply_is_moderated_then_threaded_for_everyone(page, browser, live_server, letter):
    url = letter.url
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    visitor = other.new_page()
    try:
        # 1. A reader replies and is told it awaits moderation.
        assert page.goto(url).status == 200
        assert page.locator("#reply-count").inner_text() == "No replies yet"
        fill_and_send(
            page, "Mine came in rouge instead of rose.\n\nI kept it!", "Rosa", "rosa@example.com"
        )
        assert page.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
        assert "Mine came in rouge instead of rose." in page.locator(".reply__body").inner_text()
        (reply,) = Reply.objects.all()
        assert reply.status == ReplyStatus.PENDING

        # 2. Another visitor does not see it; the reader, back on the letter page in the same
        # browser, sees it marked as awaiting moderation, apart from the published replies.
        visitor.goto(url)
        assert visitor.locator("#reply-count").inner_text() == "No replies yet"
        assert visitor.get_by_text("rouge instead of rose").count() == 0
        assert visitor.locator(".own-replies").count() == 0
        page.goto(url)
        own = page.locator(".own-replies")
        own.wait_for()
        assert own.locator("h3").inner_text() == "Your reply awaiting moderation"
        assert "rouge instead of rose" in own.inner_text()
        assert own.locator(".badge--held").inner_text().lower() == "awaiting moderation"
        assert page.locator(".reply-list:not(.own-replies .reply-list)").count() == 0
        assert page.locator("#reply-count").inner_text() == "No replies yet"
        # "Be the first" is not for someone whose reply is already there; the visitor has it.
        assert page.get_by_text("Be the first").count() == 0
        assert visitor.get_by_text("Be the first to share your thoughts.").is_visible()

        # 3. Approved, it appears for everyone, as a thread of its own.
        reply = approve(reply)
        for browser_page in (page, visitor):
            browser_page.reload()
            assert browser_page.locator("#reply-count").inner_text() == "1 reply"
            item = browser_page.locator(f"#reply-{reply.pk}")
            assert item.get_attribute("class") == "reply reply--level-0"
            assert "rouge instead of rose" in item.locator(".reply__body").inner_text()

        # 4. The in-page "Reply" button moves the form under the reply; the nested reply
        #    is held, then shown under its parent, one level deeper.
        page.locator(f"#reply-{reply.pk} .reply__reply").click()
        assert page.url.endswith(url)  # no navigation: the form opened in place
        banner = page.locator("[data-replying-to]")
        assert banner.is_visible()
        assert banner.inner_text().startswith("Replying to Rosa.")
        assert page.locator(f"#reply-{reply.pk} form[data-reply-form]").count() == 1
        assert page.locator("input[name=reply_to]").input_value() == str(reply.pk)
        assert page.evaluate("document.activeElement.id") == "id_comment"
        fill_and_send(page, "Rouge is the better colour anyway.", "Noor", "noor@example.com")
        assert page.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
        nested = Reply.objects.get(user_name="Noor")
        assert (nested.parent_id, nested.level, nested.status) == (reply.pk, 1, ReplyStatus.PENDING)
        visitor.reload()
        assert visitor.get_by_text("Rouge is the better colour").count() == 0

        approve(nested)
        for browser_page in (page, visitor):
            browser_page.goto(url)
            assert browser_page.locator("#reply-count").inner_text() == "2 replies"
            ids = browser_page.locator(".reply-list > li").evaluate_all(
                "items => items.map(item => [item.id, item.className])"
            )
            assert ids == [
                [f"reply-{reply.pk}", "reply reply--level-0"],
                [f"reply-{nested.pk}", "reply reply--level-1"],
            ]
            parent_box = browser_page.locator(f"#reply-{reply.pk}").bounding_box()
            child_box = browser_page.locator(f"#reply-{nested.pk}").bounding_box()
            assert child_box["y"] > parent_box["y"]
            assert child_box["x"] > parent_box["x"]  # indented under its parent

        # "Reply to the letter instead" puts the form back, replying to the letter.
        page.locator(f"#reply-{nested.pk} .reply__reply").click()
        page.get_by_role("button", name="Reply to the letter instead").click()
        assert page.locator("input[name=reply_to]").input_value() == "0"
        assert page.locator(".reply-list form[data-reply-form]").count() == 0
        assert not page.locator("[data-replying-to]").is_visible()

        assert page.console.errors == []
        visitor_errors = []
        visitor.on("console", lambda m: m.type == "error" and visitor_errors.append(m.text))
        visitor.reload()
        assert visitor_errors == []
    finally:
        other.close()


def test_the_threaded_page_and_the_error_form_are_accessible(page, letter):
    def add(parent=None, **fields):
        return store_reply(letter, parent, ReplyStatus.APPROVED, **fields)

    first = add(
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge instead of rose. I kept it, and I love it now.\n\n"
        "The store offered an exchange: see https://example.com/exchanges for their terms.",
    )
    second = add(
        first,
        user_name="Noor",
        user_email="noor@example.com",
        comment="Rouge is the *better* colour anyway.",
    )
    add(
        second,
        user_name="Avery Stone",
        user_email="avery@example.com",
        author_badge="columnist",
        comment="Thank you both: a surprise colour is often the one we wear most.",
    )
    add(
        user_name="Sam",
        user_email="sam@example.com",
        comment="I refused mine and waited another eight months. No regrets.",
    )

    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.goto(letter.url).status == 200
        assert page.locator("#reply-count").inner_text() == "4 replies"
        assert page.locator(".reply--level-2 .badge--columnist").inner_text().lower() == "columnist"
        check_accessible(page, f"letter with replies at {width}px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#replies").scroll_into_view_if_needed()
        save_screenshot(page, f"replies-{label}.png", full_page=True)

    # The form with errors: an empty reply and a bad address come back with every error
    # beside its field and the name kept.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(letter.url)
    page.fill("#id_name", "Quick Sender")
    page.fill("#id_email", "not-an-email")
    with page.expect_navigation():
        response_wait = page.get_by_role("button", name="Send reply")
        response_wait.click()
    assert page.locator("h1").inner_text() == "Your reply"
    summary = page.locator("[data-error-summary]")
    assert summary.locator("h2").inner_text() == "Please correct the marked fields."
    assert summary.evaluate("element => element === document.activeElement")  # focused
    assert summary.locator("a").all_inner_texts() == [
        "Please write your reply before sending it.",
        "Please check your email address: it should look like name@example.com.",
    ]
    assert (
        page.locator("#id_comment-error").inner_text()
        == "Please write your reply before sending it."
    )
    assert page.locator("#id_email-error").inner_text() == (
        "Please check your email address: it should look like name@example.com."
    )
    assert page.locator("#id_comment").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_name").input_value() == "Quick Sender"
    check_accessible(page, "reply form with errors")
    save_screenshot(page, "reply-errors-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    check_accessible(page, "reply form with errors at 390px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(page, "reply-errors-phone.png", full_page=True)

    # The browser reports the 400 status of the error page itself; nothing else may appear.
    unexpected = [
        error
        for error in page.console.errors
        if not re.fullmatch(
            r"Failed to load resource: the server responded with a status of 400 .*", error
        )
    ]
    assert unexpected == []


def test_replying_to_a_reply_without_javascript(page, browser, live_server, letter):
    parent = store_reply(
        letter,
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge.",
        status=ReplyStatus.APPROVED,
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        no_js = context.new_page()
        no_js.goto(letter.url)
        with no_js.expect_navigation():
            no_js.locator(f"#reply-{parent.pk} .reply__reply").click()
        assert no_js.url.endswith(f"/replies/reply/{parent.pk}/")
        assert no_js.locator("h1").inner_text() == "Reply to Rosa"
        assert "Mine came in rouge." in no_js.locator("blockquote").inner_text()
        # No control that needs the script is offered without it.
        assert not no_js.get_by_role("button", name="Reply to the letter instead").is_visible()
        fill_and_send(no_js, "Rouge suits you.", "Noor", "noor@example.com")
        assert no_js.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
        nested = Reply.objects.get(user_name="Noor")
        assert (nested.parent_id, nested.level) == (parent.pk, 1)
    finally:
        context.close()

    # With the script, the same page counts characters and can switch to the letter.
    page.goto(f"/replies/reply/{parent.pk}/")
    assert page.locator("#id_comment-count").inner_text() == "3000 of 3000 characters left."
    page.get_by_role("button", name="Reply to the letter instead").click()
    assert page.locator("input[name=reply_to]").input_value() == "0"
    assert page.console.errors == []


def test_a_second_click_while_sending_posts_the_reply_once(page, letter, monkeypatch):
    """A slow answer and an impatient second click: the form ignores a second submit while
    the first is on its way. (The server's own duplicate check is switched off here, so only
    the page can keep the count at one.)"""
    import time

    monkeypatch.setattr(gate.duplicates, "claim", lambda *args: True)
    check = gate.ratelimit.check

    def slow_check(*args, **kwargs):
        time.sleep(1.5)
        return check(*args, **kwargs)

    monkeypatch.setattr(gate.ratelimit, "check", slow_check)
    posts = []
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and "/replies/post/" in request.url
            and posts.append(request.url)
        ),
    )
    assert page.goto(letter.url).status == 200
    page.fill("#id_comment", "Clicked twice in my impatience.")
    page.fill("#id_name", "Eager Reader")
    page.fill("#id_email", "eager@example.com")
    # Raw mouse clicks at the button's place: while a navigation is pending, Playwright's
    # locators wait for the next document, but the reader's mouse still hits this one.
    send = page.locator("[data-reply-form] button[type=submit]")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_navigation(url=re.compile(r"/replies/posted/")):
        page.mouse.click(x, y)
        page.wait_for_timeout(500)  # the answer takes 1.5 s: the first post is on its way
        page.mouse.click(x, y)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Thank you: your reply is awaiting moderation"
    )
    assert len(posts) == 1
    assert Reply.objects.filter(comment="Clicked twice in my impatience.").count() == 1
    assert page.console.errors == []


def test_a_reply_sent_after_the_page_expired_comes_back_as_a_confirm_step(page, letter):
    """The CSRF cookie is gone when the reader sends (cleared, or the browser dropped it): the
    confirm step, not an error, with the text and a fresh token; Send there posts the reply."""
    text = "My strap snapped after a week.\n\nThe shop says it is wear and tear."
    assert page.goto(letter.url).status == 200
    page.fill("#id_comment", text)
    page.fill("#id_name", "Strap Snapped")
    page.fill("#id_email", "strap@example.com")
    # The form fetched its token when the reader entered it (a kept page carries none).
    page.wait_for_function("document.querySelector('input[name=csrfmiddlewaretoken]')?.value")
    page.context.clear_cookies()
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Send reply").click()
    assert sent.value.status == 200
    assert page.locator("h1").inner_text() == "One more step"
    assert (
        page.locator("[data-confirm-step]")
        .inner_text()
        .startswith(
            "Press Send to post your reply. It is below, just as you wrote it: nothing has been "
            "posted yet."
        )
    )
    assert not Reply.objects.exists()
    assert page.locator("#id_comment").input_value() == text
    assert page.locator("#id_name").input_value() == "Strap Snapped"
    assert page.locator("#id_email").input_value() == "strap@example.com"
    check_accessible(page, "reply form after the page expired")
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        save_screenshot(page, f"reply-expired-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation(url=re.compile(r"/replies/posted/")):
        page.get_by_role("button", name="Send", exact=True).click()
    assert page.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
    (reply,) = Reply.objects.all()
    assert reply.comment.replace("\r\n", "\n") == text
    assert page.console.errors == []  # the confirm step is a 200: nothing failed to load


def test_the_pages_around_a_reply_are_accessible(page, letter):
    """The reply-to page, the report page and the thank-you page, at both widths."""
    parent = store_reply(
        letter,
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge.",
        status=ReplyStatus.APPROVED,
    )
    pages = {
        "reply-to": f"/replies/reply/{parent.pk}/",
        "report": f"/replies/report/{parent.pk}/",
    }
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            assert page.goto(url).status == 200, url
            check_accessible(page, f"{name} at {width}px")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            save_screenshot(page, f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(pages["reply-to"])
    fill_and_send(page, "Rouge suits you.", "Noor", "noor@example.com")
    assert page.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
    check_accessible(page, "reply posted")
    assert page.console.errors == []
