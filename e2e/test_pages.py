"""Every kind of public page, in Chromium at a phone and a desktop width: it loads, logs no
console error, passes axe-core's WCAG 2.2 A/AA rules (screenshots with `make screenshots`)."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from advice.models import LetterPage
from demo.loader import CONTENT_FILE, load_demo_content
from testing.browser import save_screenshot

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = {"phone": 390, "desktop": 1280}
PAGES = {
    "home": "/",
    "column": "/dear-pursebop/",
    "topic": "/dear-pursebop/topic/special-orders/",
    "letter": "/dear-pursebop/what-happens-if-i-reject-my-hermes-special-order/",
    "guide": "/guides/insiders-guide-to-hermes-special-orders/",
    "search": "/search/?q=special+order",
    "search-empty": "/search/?q=zebra+umbrella",
    "search-corrected": "/search/?q=hermmes+special",
    "guides": "/guides/",
    "archive": "/dear-pursebop/2026/07/",
    "columnist": "/dear-pursebop/columnist/margot-ellery/",
    "404": "/no-such-page/",
}
# What each page answers when it is not 200.
STATUS = {"404": 404}


@pytest.fixture
def demo_site(transactional_db, site_at_live_server):
    """The demo content, loaded into the live server's database."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    hostname, port = site.hostname, site.port
    # The loader keeps a home page it finds (the live server's): give it the demo's words.
    home = site.root_page.specific
    words = json.loads(CONTENT_FILE.read_text())
    for field in ("intro", "write_in_heading", "write_in_text", "footer_text"):
        setattr(home, field, words["home"][field])
    home.save_revision().publish()
    load_demo_content()
    # The loader points the Site at SITE_DOMAIN; the browser reaches the live server.
    Site.objects.filter(pk=site.pk).update(hostname=hostname, port=port)


def show_whole_page(page):
    """Scroll to the end and back so lazy images load before the screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += 600) {
                window.scrollTo(0, y);
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def check_page(page, axe, name, path):
    """Every check on one page at both widths; what fails, as messages."""
    problems = []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        if response.status != STATUS.get(name, 200):
            problems.append(f"{name} at {width}px answered {response.status}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{name} at {width}px has {page.locator('h1').count()} h1 elements")
        show_whole_page(page)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems.append(f"{name} at {width}px:\n{results.generate_report()}")
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        if broken:
            problems.append(f"images that did not load on {name}: {broken}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{name} scrolls sideways at {width}px ({scroll_width}px)")
        save_screenshot(page, f"{name}-{label}.png", full_page=True)
    # A 404 logs the failed load of the page itself as a console error.
    page.console.errors[:] = [e for e in page.console.errors if "404" not in e or name != "404"]
    if page.console.errors:
        problems.append(f"console errors on {name}: {page.console.errors}")
        page.console.errors.clear()
    return problems


def test_every_page_is_clean_and_accessible_at_both_widths(page, demo_site):
    """One demo site for every page (loading it takes seconds); each page is checked in full
    and every problem of every page is reported together."""
    axe = Axe()
    problems = []
    for name, path in PAGES.items():
        problems += check_page(page, axe, name, path)
    assert problems == [], "\n\n".join(problems)

    # A letter without a picture keeps its place in the grid: its title on the home page and
    # in the column lines up with its neighbours'.
    bare = LetterPage.objects.live().get(slug="is-it-tacky-to-carry-the-same-bag-every-day")
    bare.hero_image = None
    bare.save_revision().publish()
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for name, path, cards in (
            ("home", "/", ".home-latest .card"),
            ("column", "/dear-pursebop/", ".cards .card"),
        ):
            page.goto(path)
            show_whole_page(page)
            boxes = [
                card.locator(".card__title").bounding_box()
                for card in page.locator(cards).all()[:2]
            ]
            images = [
                card.locator(".card__image").bounding_box()
                for card in page.locator(cards).all()[:2]
            ]
            assert page.locator(cards).first.locator(".card__image--none").count() == 1
            if name == "home" and width > 900:  # side by side: the titles on one line
                assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1, (name, width, boxes)
            assert abs(images[0]["height"] - images[1]["height"]) < 1, (name, width, images)
            assert abs(images[0]["width"] - images[1]["width"]) < 1, (name, width, images)
            save_screenshot(page, f"no-picture-{name}-{label}.png", full_page=True)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()
