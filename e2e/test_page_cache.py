"""A reader replies from a page served by the page cache (pagecache): with the script, the
form fetches its token and a one-use opened-at value when first entered; without it, the
first send is the confirm step ("One more step") with the text kept and a fresh token, and
pressing Send there posts the reply."""

import re
from urllib.request import urlopen

import pytest
from django.utils import timezone

from comments.forms import ReplyForm
from comments.models import Reply


@pytest.fixture
def letter(site_at_live_server, make_letter, monkeypatch, settings):
    # The live server runs in this process: the typing time is patched away, not waited for.
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)
    settings.RATE_LIMIT_MULTIPLIER = 50
    return make_letter("Should I keep a bag with a crooked strap?", date=timezone.localdate())


def open_kept(page, live_server, url):
    """The page as the page cache serves it: kept by an earlier reader's view (not this
    browser's, whose own HTTP cache would answer a second view itself)."""
    with urlopen(live_server.url + url) as earlier:
        assert earlier.status == 200
    response = page.goto(url)
    assert response.status == 200
    assert response.headers.get("x-page-cache") == "hit"
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0


def fill(page, text):
    page.fill("#id_comment", text)
    page.fill("#id_name", "Crooked Too")
    page.fill("#id_email", "crooked@example.com")


def test_a_reply_from_a_kept_page_with_the_script(page, live_server, letter):
    asked = []
    page.on("request", lambda r: "/replies/fresh/" in r.url and asked.append(r.url))
    open_kept(page, live_server, letter.url)
    fill(page, "Mine came crooked as well.")
    assert len(asked) == 1  # once, when the reader first entered the form
    assert page.locator("input[name=csrfmiddlewaretoken]").input_value()
    with page.expect_navigation(url=re.compile(r"/replies/posted/")):
        page.get_by_role("button", name="Send reply").click()
    assert page.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
    assert Reply.objects.get().comment == "Mine came crooked as well."
    # Back on the letter, still the kept page, the reader sees their held reply (only they do).
    open_kept(page, live_server, letter.url)
    page.locator(".own-replies").wait_for()
    assert "Mine came crooked as well." in page.locator(".own-replies").inner_text()
    assert page.console.errors == []


def test_a_reply_from_a_kept_page_without_the_script(browser, live_server, letter):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        no_js = context.new_page()
        open_kept(no_js, live_server, letter.url)
        fill(no_js, "Mine came crooked as well.")
        with no_js.expect_navigation() as sent:
            no_js.get_by_role("button", name="Send reply").click()
        # Not an error: the confirm step, everything kept, a fresh form; nothing stored yet.
        assert sent.value.status == 200
        assert no_js.locator("h1").inner_text() == "One more step"
        assert (
            no_js.locator("[data-confirm-step]")
            .inner_text()
            .startswith("Press Send to post your reply.")
        )
        assert not Reply.objects.exists()
        assert no_js.locator("#id_comment").input_value() == "Mine came crooked as well."
        assert no_js.locator("#id_name").input_value() == "Crooked Too"
        assert no_js.locator("#id_email").input_value() == "crooked@example.com"
        assert no_js.locator("input[name=csrfmiddlewaretoken]").input_value()
        with no_js.expect_navigation(url=re.compile(r"/replies/posted/")):
            no_js.get_by_role("button", name="Send", exact=True).click()
        assert no_js.locator("h1").inner_text() == "Thank you: your reply is awaiting moderation"
        assert Reply.objects.get().comment == "Mine came crooked as well."
    finally:
        context.close()
