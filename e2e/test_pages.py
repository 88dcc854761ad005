"""Every kind of public page, in Chromium at a phone and a desktop width: it loads, logs no
console error, passes axe-core's WCAG 2.2 A/AA rules, and is saved as a screenshot."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from advice.demo import load_demo_content
from e2e.conftest import SCREENSHOTS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = {"phone": 390, "desktop": 1280}
PAGES = {
    "home": "/",
    "column": "/dear-pursebop/",
    "topic": "/dear-pursebop/topic/special-orders/",
    "letter": "/dear-pursebop/what-happens-if-i-reject-my-hermes-special-order/",
    "guide": "/guides/insiders-guide-to-hermes-special-orders/",
    "search": "/search/?q=special+order",
}


@pytest.fixture
def demo_site(transactional_db, site_at_live_server):
    """The demo content, loaded into the live server's database."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    hostname, port = site.hostname, site.port
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


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_and_accessible_at_both_widths(page, demo_site, name):
    axe = Axe()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(PAGES[name])
        assert response.status == 200
        assert page.locator("h1").count() == 1
        show_whole_page(page)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{name} at {width}px:\n{results.generate_report()}"
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], f"images that did not load on {name}: {broken}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width}px ({scroll_width}px)"
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    assert page.console.errors == []
