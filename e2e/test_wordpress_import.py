"""A column brought over from WordPress, in Chromium: an old permalink lands on the imported
letter, which shows the reader's letter, the answer with its picture and subheading, and the
readers' threaded replies, with the hostile one as harmless text; WordPress's shortest link
(/?p=ID) lands on its letter too. The page passes axe-core's WCAG 2.2 A/AA rules and logs no
console error (screenshot with `make screenshots`)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from wagtail.images import get_image_model

from testing.browser import save_screenshot
from testing.pages import add_column, delete_image_files
from testing.wordpress import EXPORT, UPLOADS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
OLD_PERMALINK = "/2024/05/03/can-i-fix-a-scratch-on-my-kellys-flap/"
NEW_ADDRESS = "/dear-pursebop/can-i-fix-a-scratch-on-my-kellys-flap/"


@pytest.fixture
def imported(site_at_live_server):
    add_column(site_at_live_server)
    call_command(
        "import_wordpress",
        str(EXPORT),
        "--category=dear-pursebop",
        f"--uploads={UPLOADS}",
        "--old-site=https://old.example",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    yield
    delete_image_files(get_image_model().objects.all())


def test_an_old_permalink_opens_the_imported_letter_with_its_replies(page, live_server, imported):
    response = page.goto(OLD_PERMALINK)
    assert response.status == 200
    assert page.url == live_server.url + NEW_ADDRESS
    assert response.request.redirected_from.url == live_server.url + OLD_PERMALINK

    assert page.locator("h1").inner_text() == "Can I fix a scratch on my Kelly's flap?"
    assert page.locator(".letter__greeting").inner_text() == "Dear PurseBop,"
    assert "I feel sick every time I look at it." in page.locator(".letter__text").inner_text()
    assert page.locator(".letter__signature").inner_text() == "— Scratched in Seattle"
    assert page.locator(".letter__salutation").inner_text() == "Dear Scratched in Seattle:"
    assert page.locator(".letter__answer h3").inner_text() == "Try your fingertip first"
    assert page.locator(".letter__answer figcaption").inner_text() == (
        "A little conditioner goes a long way."
    )
    page.locator(".letter__answer figure img").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []
    assert page.locator(".letter__hero img").get_attribute("alt") == (
        "A tan leather handbag with a flap and a top handle"
    )

    assert page.locator("#reply-count").inner_text() == "9 replies"
    assert page.locator(".reply--level-3").count() == 3  # WordPress's deeper replies hang here
    columnist = page.locator(".reply", has=page.locator(".badge--columnist"))
    assert "Deeper ones need a professional." in columnist.first.inner_text()
    hostile = page.locator(".reply", has_text="Mallory")
    assert hostile.locator(".reply__body").inner_text() == (
        "Great advice! Really.\n\nTry this trick & <3 “quoted”"
    )
    assert page.evaluate("document.title") != "hacked"

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, "imported-letter-desktop.png", full_page=True)
    assert page.console.errors == []


def test_wordpress_shortest_link_lands_on_its_letter(page, live_server, imported):
    response = page.goto("/?p=113")
    assert response.status == 200
    assert page.url == live_server.url + "/dear-pursebop/can-i-carry-a-work-tote-to-a-wedding/"
    assert page.locator(".letter__salutation").inner_text() == "Dear Wedding Guest:"
    assert page.locator(".reply__body").first.inner_text() == (
        "Update from the guest: the tote was a hit."
    )
