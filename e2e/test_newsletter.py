"""Letters by email in Chromium, the whole journey: a reader subscribes to the weekly round-up
from the column's page and confirms from the email (the link opens a page; only its button
confirms); a letter is published and a moderator picks a reply; the round-up command sends an
email with the letter and the pick, whose one-click unsubscribe works by a POST with no cookie.
The new pages pass axe-core; screenshots of the form, the email and the admin's subscribers."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from comments import lifecycle
from comments.models import ReplyStatus
from newsletter import roundup
from newsletter.forms import SubscribeForm
from newsletter.models import Subscriber
from testing.browser import save_screenshot
from testing.replies import store_reply

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "handbag-newsletter-2026"


def check_accessible(page, label):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


@pytest.fixture
def column(site_at_live_server, column, monkeypatch, settings):
    # The live server runs in this process: the typing time is patched away, not waited for.
    monkeypatch.setattr(SubscribeForm, "min_seconds_to_type", 0)
    settings.NEWSLETTER_RATE_LIMITS = []
    return column


def newsletter_mail(mailoutbox, subject_part):
    return [m for m in mailoutbox if subject_part in m.subject]


def test_a_reader_subscribes_confirms_and_gets_the_weekly_roundup(
    page, browser, live_server, column, make_letter, mailoutbox, django_user_model
):
    make_letter("An older letter to show the column?", date=timezone.localdate())
    mailoutbox.clear()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(column.url).status == 200
    form = page.locator("form.subscribe-form")
    form.get_by_label("Email address").fill("weekly.reader@example.com")
    form.get_by_label("A weekly round-up").check()
    form.scroll_into_view_if_needed()
    save_screenshot(page, "newsletter-form.png", full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name=re.compile("Subscribe")).click()
    if page.get_by_role("heading", name="One more step").count():  # a kept page: no token
        with page.expect_navigation():
            page.locator("form.subscribe-form").get_by_role("button").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    check_accessible(page, "subscribed: check your inbox")

    [confirmation] = newsletter_mail(mailoutbox, "confirm")
    # Links in emails carry the site's address (WAGTAILADMIN_BASE_URL): opened here by path.
    link = re.search(r"/newsletter/confirm/\S+/", confirmation.body).group(0)
    assert page.goto(link).status == 200
    assert Subscriber.objects.get().state == Subscriber.State.WAITING  # the link alone: no
    check_accessible(page, "confirm page")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", name="You are subscribed").is_visible()
    assert Subscriber.objects.get().state == Subscriber.State.ACTIVE

    # This week: a letter published, a reply approved and picked by a moderator.
    letter = make_letter("Can a faded strap be dyed to match?", date=timezone.localdate())
    reply = store_reply(
        letter,
        status=ReplyStatus.APPROVED,
        user_name="Careful Cass",
        comment="Ask for a patch test on the underside first.",
    )
    moderator = django_user_model.objects.create_superuser("mo", "mo@staff.example", PASSWORD)
    assert lifecycle.pick(reply, moderator)
    mailoutbox.clear()

    call_command("send_weekly_roundup", week=roundup.week_of(timezone.localdate()))
    [roundup_email] = newsletter_mail(mailoutbox, "the week of")
    assert roundup_email.to == ["weekly.reader@example.com"]
    html = roundup_email.alternatives[0][0]
    email_page = browser.new_page(base_url=live_server.url)
    email_page.set_viewport_size({"width": 700, "height": 900})
    email_page.set_content(html)
    assert email_page.get_by_role(
        "heading", name="Can a faded strap be dyed to match?"
    ).is_visible()
    assert email_page.get_by_text("Readers weigh in").is_visible()
    assert email_page.get_by_text("Ask for a patch test on the underside first.").is_visible()
    save_screenshot(email_page, "newsletter-roundup-email.png", full_page=True)
    email_page.close()

    # One-click unsubscribe: a POST with no cookie and no token, as a mail provider sends it.
    header = roundup_email.extra_headers["List-Unsubscribe"]
    unsubscribe = re.search(r"/newsletter/unsubscribe/\S+/", header).group(0)
    assert roundup_email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    outsider = browser.new_context()
    response = outsider.request.post(
        live_server.url + unsubscribe, form={"List-Unsubscribe": "One-Click"}
    )
    assert response.status == 200
    outsider.close()
    assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED
    assert page.goto(unsubscribe).status == 200
    check_accessible(page, "unsubscribe page")
    assert page.console.errors == []

    # The admin's subscribers, by state.
    assert page.goto("/admin/login/").status == 200
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.goto("/admin/snippets/newsletter/subscriber/?state=all").status == 200
    assert page.get_by_text("weekly.reader@example.com").first.is_visible()
    save_screenshot(page, "newsletter-admin.png", full_page=True)
