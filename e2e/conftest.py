"""Browser tests: pytest-django's live server on a free local port, driven by Playwright in
Debian's Chromium (/usr/bin/chromium; never a downloaded browser).

Without Chromium these tests skip with a message saying how to install it; with E2E_REQUIRED=1
(CI) a missing browser is a failure instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Chromium's own background traffic is refused on this network; these flags stop it trying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)
            # The live server reads committed data, so tests commit; flushing after them would
            # also remove what Wagtail's migrations made (root page, default Site, groups)
            # unless it is restored: serialized_rollback does that.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) to run the browser tests."
        )
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message + " E2E_REQUIRED=1 makes this a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls here (SynchronousOnlyOperation); tests need the ORM around browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ConsoleWatch:
    """Collects console errors and uncaught page errors from one page."""

    def __init__(self, page):
        self.errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser page whose console errors are in `page.console.errors`."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console = ConsoleWatch(page)
    yield page
    context.close()


@pytest.fixture
def site_at_live_server(home_page, live_server):
    """Point the default Site at the live server's host and port, so page URLs resolve."""
    from wagtail.models import Site

    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.filter(pk=home_page.get_site().pk).update(hostname=host, port=int(port))
    return home_page
