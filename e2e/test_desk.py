"""The moderation desk in Chromium: a moderator logs in through the admin's login form, sees
how many replies are held (dashboard panel, sidebar menu), approves one from the queue and
rejects another with a reason from the list; the letter's page then shows only the approved
one, each author hears the outcome by email, and the count is back to 0. The queue and a
reply's page pass axe-core's WCAG 2.2 A/AA rules (screenshots with `make screenshots`)."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import RejectionReason, Reply, ReplyReport, ReplyStatus
from guard.permissions import SEE_ADDRESSES
from testing.browser import save_screenshot
from testing.replies import store_reply
from testing.users import ensure_reply_moderators_group, grant

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
QUEUE_URL = "/admin/snippets/comments/reply/"
PASSWORD = "handbag-desk-2026"
# One of the reasons the desk's migration seeds.
REASON = "It shares someone’s personal details."


@pytest.fixture
def letter(site_at_live_server, make_letter):
    return make_letter(
        "Should I accept a bag in a colour I did not order?", date=timezone.localdate()
    )


@pytest.fixture
def moderator(transactional_db):
    """A member of the "Reply moderators" group (a migration made it, with the desk's permissions)."""
    user = get_user_model().objects.create_user(
        "mona", email="mona@example.com", password=PASSWORD, first_name="Mona"
    )
    user.groups.add(ensure_reply_moderators_group())
    return user


def log_in(page, username, password=PASSWORD):
    """Through the admin's real login form; lands on the dashboard."""
    assert page.goto("/admin/login/").status == 200
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/admin/"), page.url


def unexpected_errors(page):
    return list(page.console.errors)


def check_accessible(page, label):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


# Wagtail's admin scrolls inside <main>, not the document: a full-page screenshot would stop
# at the viewport, and documentElement.scrollWidth never sees content wider than <main>.
OVERFLOWS = """() => {
    const main = document.querySelector("main");
    const found = [];
    if (main.scrollWidth > main.clientWidth) {
        found.push(`<main> scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
    }
    for (const box of document.querySelectorAll(".desk-card, .desk-queues, td[class^=desk-]")) {
        const edge = box.getBoundingClientRect().right;
        for (const element of box.querySelectorAll("*")) {
            const rect = element.getBoundingClientRect();
            if (rect.width && rect.right > edge + 1) {
                found.push(`${element.tagName.toLowerCase()}.${element.className} sticks out ` +
                    `of .${box.className.split(" ")[0]} by ${Math.round(rect.right - edge)}px`);
            }
        }
    }
    return found;
}"""


def screenshot_admin_page(page, name, width=1280):
    height = page.evaluate("document.querySelector('main').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, 900)})
    save_screenshot(page, name)
    page.set_viewport_size({"width": width, "height": 900})


def held_panel_heading(page):
    return page.get_by_role("heading", name=re.compile(r"^Replies awaiting moderation"))


def open_desk_menu(page, label):
    """Open the sidebar's "Replies" group by its label (which carries the count) and
    return the submenu's heading. Closed, the label wraps rather than being cut short, so the
    count is visible before the group is opened."""
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_be_visible()
    text = button.locator(".menuitem-label")
    assert text.evaluate("label => label.scrollWidth <= label.clientWidth"), "label cut short"
    button.click()
    heading = page.get_by_role("heading", name=label, exact=True)
    expect(heading).to_be_visible()
    return heading


def queue_menu_item(page, label):
    """The submenu's link to the queue, checked to be shown whole (not cut short)."""
    link = page.get_by_role("link", name=label, exact=True)
    expect(link).to_be_visible()
    assert link.evaluate("link => link.scrollWidth <= link.clientWidth")
    return link


def test_a_moderator_approves_one_held_reply_and_rejects_another(
    page, browser, live_server, letter, moderator, mailoutbox
):
    kept = store_reply(
        letter,
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge instead of rose. I kept it, and I love it now.",
        notify_on_publish=True,
    )
    refused = store_reply(
        letter,
        user_name="Quentin",
        user_email="quentin@example.com",
        comment="Call the boutique manager on her mobile, 555 0100, she will sort it.",
        notify_on_publish=True,
    )

    # 1. Logged in, the moderator sees two held replies on the dashboard and in the menu.
    log_in(page, moderator.username)
    assert held_panel_heading(page).inner_text() == "Replies awaiting moderation (2)"
    open_desk_menu(page, "Replies (2 waiting)")
    queue_link = queue_menu_item(page, "Moderation queue (2 waiting)")

    # 2. The menu opens the queue of held replies: both are listed.
    with page.expect_navigation():
        queue_link.click()
    assert page.url.endswith(QUEUE_URL)
    current = page.locator(".desk-queues__tab[aria-current=page]")
    assert " ".join(current.inner_text().split()) == "Awaiting moderation 2"
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2

    # 3. Approve one with its row's button: it leaves the queue.
    with page.expect_navigation():
        rows.filter(has_text="rouge instead of rose").get_by_role("button", name="Approve").click()
    assert page.get_by_text(f"Reply #{kept.pk} approved.").is_visible()
    assert " ".join(current.inner_text().split()) == "Awaiting moderation 1"
    assert rows.count() == 1
    assert rows.filter(has_text="rouge instead of rose").count() == 0

    # 4. Reject the other: "Reject…" asks for a reason, picked from the list.
    with page.expect_navigation():
        rows.filter(has_text="boutique manager").get_by_role(
            "link", name=re.compile(r"^Reject")
        ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reject a reply"
    reasons = page.get_by_label("Reason", exact=True)
    offered = reasons.locator("option").all_inner_texts()
    assert offered == ["Choose a reason…"] + list(
        RejectionReason.objects.values_list("text", flat=True)
    )
    reasons.select_option(label=REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Reject", exact=True).click()
    assert page.url.endswith(QUEUE_URL)
    assert page.get_by_text(f"Reply #{refused.pk} rejected.").is_visible()
    assert " ".join(current.inner_text().split()) == "Awaiting moderation 0"
    assert rows.count() == 0

    kept.refresh_from_db()
    refused.refresh_from_db()
    assert kept.status == ReplyStatus.APPROVED
    assert (refused.status, refused.rejection_reason) == (ReplyStatus.REJECTED, REASON)

    # 5. Nothing is held any more: the dashboard says 0 and the menu drops its count.
    page.goto("/admin/")
    assert held_panel_heading(page).inner_text() == "Replies awaiting moderation (0)"
    assert page.get_by_text("Nothing is waiting.").is_visible()
    open_desk_menu(page, "Replies")
    queue_menu_item(page, "Moderation queue")
    assert page.get_by_text(re.compile(r"\d+ waiting")).count() == 0
    assert unexpected_errors(page) == []

    # 6. Each author heard the outcome, once: Rosa that her reply is published, with its
    #    link; Quentin why his was not. Nobody else was written to.
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert sorted(by_recipient) == [("quentin@example.com",), ("rosa@example.com",)]
    assert len(mailoutbox) == 2
    published = by_recipient[("rosa@example.com",)]
    assert published.subject == "[Dear PurseBop] Your reply is published"
    rejected = by_recipient[("quentin@example.com",)]
    assert rejected.subject == "[Dear PurseBop] About your reply"
    assert REASON in rejected.body

    # 7. Rosa follows her email's link in her own browser (not logged in): the letter's page
    #    shows her reply and not Quentin's, and logs no error.
    link = re.search(rf"{re.escape(settings.WAGTAILADMIN_BASE_URL)}(\S+)", published.body)
    assert link.group(1) == f"/replies/{kept.pk}/"  # its permalink, which lands on the letter
    author_context = browser.new_context(base_url=live_server.url)
    try:
        author = author_context.new_page()
        errors = []
        author.on("console", lambda m: m.type == "error" and errors.append(m.text))
        author.on("pageerror", lambda error: errors.append(str(error)))
        assert author.goto(link.group(1)).status == 200
        assert author.locator("#reply-count").inner_text() == "1 reply"
        expect(author.locator(f"#reply-{kept.pk}")).to_contain_text("rouge instead of rose")
        expect(author.locator(f"#reply-{kept.pk}")).to_be_in_viewport()
        assert author.get_by_text("boutique manager").count() == 0
        assert author.locator(f"#reply-{refused.pk}").count() == 0
        assert errors == []
    finally:
        author_context.close()


def test_the_queue_and_a_reply_page_are_accessible(page, letter, make_letter, moderator):
    """Several held replies, as a moderator finds them on a busy morning: the queue at
    1280 px and one reply's page pass axe-core (screenshots with `make screenshots`). The
    moderator may see readers' addresses, as the erasure page needs."""
    grant(moderator, SEE_ADDRESSES)
    other_letter = make_letter("Is it rude to ask a boutique for a waiting-list position?")
    now = timezone.now()
    earlier = store_reply(
        letter,
        status=ReplyStatus.APPROVED,
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge instead of rose. I kept it, and I love it now.",
    )
    store_reply(
        letter,
        status=ReplyStatus.REJECTED,
        user_name="Noor",
        user_email="noor@example.com",
        comment="Buy from the resale sites instead, much cheaper.",
        rejection_reason="It advertises or links to a sale.",
    )
    held = [
        store_reply(
            letter,
            parent=earlier,
            user_name="Noor",
            user_email="noor@example.com",
            ip_address="203.0.113.7",
            comment="Rouge is the *better* colour anyway. My sales associate told me that the "
            "rose batch had a dye problem that season, so you may have been lucky.",
            hold_reason="first reply from this address",
            notify_on_publish=True,
        ),
        store_reply(
            letter,
            user_name="Quentin",
            user_email="quentin@example.com",
            ip_address="198.51.100.23",
            comment="See https://example.com/exchanges and https://example.com/colours for "
            "the store's exchange terms.",
            hold_reason="contains 2 links",
        ),
        store_reply(
            other_letter,
            user_name="Avery Reader-Longname",
            user_email="avery.reader-longname@example.com",
            comment="Ask politely, once, and say which colours you would accept.",
        ),
        store_reply(
            letter,
            user_name="Sam",
            user_email="sam@example.com",
            comment="I refused mine and waited another eight months. No regrets.",
        ),
    ]
    for age, reply in enumerate(reversed(held)):
        Reply.objects.filter(pk=reply.pk).update(
            submit_date=now - datetime.timedelta(minutes=7 * age + 3)
        )
    ReplyReport.objects.create(reply=held[1], reason="spam", reporter_hash="r" * 40)
    ReplyReport.objects.create(
        reply=held[0], reason="other", note="Is this an ad for that shop?", reporter_hash="s" * 40
    )

    log_in(page, moderator.username)

    assert page.goto(QUEUE_URL).status == 200
    assert page.locator("table.listing tbody tr").count() == len(held)
    check_accessible(page, "the moderation queue")
    assert page.evaluate(OVERFLOWS) == []
    screenshot_admin_page(page, "desk-queue.png")

    detail = held[0]
    assert page.goto(f"{QUEUE_URL}inspect/{detail.pk}/").status == 200
    assert page.get_by_role("heading", level=1).inner_text().startswith("Reply by Noor")
    assert page.get_by_text("Is this an ad for that shop?").is_visible()
    check_accessible(page, "a reply's page")
    assert page.evaluate(OVERFLOWS) == []
    screenshot_admin_page(page, "desk-detail.png")

    assert page.goto(f"{QUEUE_URL}moderate/{detail.pk}/").status == 200
    check_accessible(page, "the reject page")

    # The dashboard's held-replies panel and the erasure page (their dates and copy).
    assert page.goto("/admin/").status == 200
    expect(held_panel_heading(page)).to_be_visible()
    check_accessible(page, "the dashboard")
    assert page.goto(f"{QUEUE_URL}erase/").status == 200
    check_accessible(page, "the erasure page")

    # On a phone: the queue and a reply's page still fit and pass.
    page.set_viewport_size({"width": 390, "height": 900})
    for url, name in (
        (QUEUE_URL, "desk-queue-phone.png"),
        (f"{QUEUE_URL}inspect/{detail.pk}/", "desk-detail-phone.png"),
    ):
        assert page.goto(url).status == 200
        check_accessible(page, f"{name} at 390px")
        screenshot_admin_page(page, name, width=390)
    page.set_viewport_size({"width": 1280, "height": 900})

    assert unexpected_errors(page) == []


def test_a_reply_page_answers_to_the_keyboard(page, letter, moderator):
    """On a reply's page the moderator approves with the "a" key, which the page announces;
    typing the same letter into the reason box does nothing."""
    first = store_reply(letter, user_name="Rosa", user_email="rosa@example.com", comment="One.")
    second = store_reply(letter, user_name="Sam", user_email="sam@example.com", comment="Two.")
    log_in(page, moderator.username)

    assert page.goto(f"{QUEUE_URL}inspect/{first.pk}/").status == 200
    page.get_by_label("In your own words").fill("a a a")  # typing is not a shortcut
    first.refresh_from_db()
    assert first.status == ReplyStatus.PENDING
    assert page.get_by_role("button", name="Approve").get_attribute("aria-keyshortcuts") == "a"
    page.evaluate("document.activeElement.blur()")  # out of the text box
    with page.expect_navigation():
        page.keyboard.press("a")
    first.refresh_from_db()
    assert first.status == ReplyStatus.APPROVED
    # "Then open the oldest reply still waiting" was ticked: the next held reply is open.
    assert page.url.endswith(f"{QUEUE_URL}inspect/{second.pk}/")
    assert page.get_by_text(f"Reply #{first.pk} approved.").is_visible()
    assert unexpected_errors(page) == []
