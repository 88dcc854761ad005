"""Browser tests: pytest-django's live server on a free local port, driven by Playwright in
Debian's Chromium (/usr/bin/chromium; never a downloaded browser).

Without Chromium these tests skip with a message saying how to install it; with E2E_REQUIRED=1
(CI) a missing browser is a failure instead.
"""

import os
import threading
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


class RequestsInFlight:
    """Counts the requests the live server is answering (from the call of the site until the
    server closes the response), so a test's end can wait for them: one still being answered
    when the database is flushed for the next test would write into that test's data, or
    fail on a half-emptied database."""

    def __init__(self, server):
        self.count = 0
        self._changed = threading.Condition()
        site = server.get_app()

        def counted(environ, start_response):
            self._add(1)
            try:
                return Closing(site(environ, start_response), lambda: self._add(-1))
            except BaseException:
                self._add(-1)
                raise

        server.set_app(counted)

    def _add(self, change):
        with self._changed:
            self.count += change
            self._changed.notify_all()

    def wait_until_idle(self, seconds=60):
        with self._changed:
            if not self._changed.wait_for(lambda: self.count == 0, timeout=seconds):
                raise RuntimeError(
                    f"the live server still answered {self.count} request(s) {seconds} s "
                    "after the test ended"
                )


class Closing:
    """A response body that calls `done` once the server has closed it."""

    def __init__(self, body, done):
        self.body, self.done = body, done

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.done()


@pytest.fixture(scope="session")
def live_server_requests(live_server):
    return RequestsInFlight(live_server.thread.httpd)


@pytest.fixture(autouse=True)
def _live_server_quiet_after_test(request):
    """After a test that used the live server, and before its database is flushed, wait for
    the requests the server is still answering (a page closed mid-load leaves some)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    requests = request.getfixturevalue("live_server_requests")
    yield
    requests.wait_until_idle()


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
