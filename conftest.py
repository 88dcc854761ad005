"""Fixtures shared by every app's tests: a minimal page tree on the migration's default Site."""

import datetime
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.cache import caches

from advice.models import (
    Columnist,
    GuideIndexPage,
    GuidePage,
    Topic,
)
from pagecache import store
from testing import locked_sqlite
from testing.mail import DATABASE_BACKEND
from testing.pages import add_column, letter_maker, publish_child, site_home


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On SQLite the test database is a file in a scratch folder of this run (under /dev/shm,
    which is memory, where there is one), not SQLite's in-memory database. With an in-memory
    database pytest-django's live server (like Django's LiveServerTestCase) answers on the
    test's own connection object, so a request still being answered could end a transaction
    the test was in (a publish lost its savepoint, and every later browser test failed on the
    broken transaction). On a file the server's threads open connections of their own, and
    SQLite's locks (WAL, the busy timeout) order their writes and the test's."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="pursebop-test-db-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's set-up, then the database's serialized contents (what the migrations
    seeded: groups, the root page, the default site) kept where every connection object of
    this backend finds them. Django keeps them on the connection object that set the database
    up; once Playwright's sync API has run, test code can reach the same SQLite database
    through another connection object, which has none, so a browser test's flush
    emptied the seeded rows for the tests after it (seen when ordinary database tests ran
    first). The test settings have one database, so one copy serves."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection)._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """Start every test with empty caches: Redis (the PostgreSQL/Redis lane) and the
    per-process local memory outlive tests (a rendition cached for an image id of an earlier
    test would point at a file that test deleted)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    store.forget()  # the page cache's memory of the version and of an outage
    yield
    for alias in settings.CACHES:
        caches[alias].clear()
    store.forget()


@pytest.fixture
def page_cache_off(settings):
    """Every view renders: for the tests that count what rendering a page costs (the page
    cache's own tests count what a kept page costs: pagecache/tests)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory):
    """A migrated SQLite file with a home page, a column and a letter, built once per run for
    the tests that hold its write lock from another connection (testing.locked_sqlite)."""
    path = tmp_path_factory.mktemp("sqlite-site") / "site.sqlite3"
    locked_sqlite.build(path)
    return path


@pytest.fixture
def email_queue(settings, db):
    """Email waits in the database, as in production, until the test runs the worker
    (testing.mail.run_email_worker); the test settings otherwise send it at once."""
    settings.TASKS = {**settings.TASKS, "email": {"BACKEND": DATABASE_BACKEND}}


@pytest.fixture
def home_page(db):
    return site_home()


@pytest.fixture
def column(home_page):
    return add_column(home_page)


@pytest.fixture
def guide_index(home_page):
    return publish_child(home_page, GuideIndexPage(title="Guides", slug="guides"))


@pytest.fixture
def topic(db):
    return Topic.objects.create(
        name="Special orders", slug="special-orders", description="Ordering a bag made for you."
    )


@pytest.fixture
def columnist(db):
    return Columnist.objects.create(name="Avery Stone", slug="avery-stone")


@pytest.fixture
def make_letter(column, columnist):
    """Create and publish a letter in the column: make_letter(title, **fields)."""
    return letter_maker(column, columnist)


@pytest.fixture
def make_guide(guide_index, columnist):
    def make(title, slug, **fields):
        values = {
            "dek": "A guide.",
            "body": json.dumps([{"type": "paragraph", "value": "<p>Guide body.</p>"}]),
            "columnist": columnist,
            "date": datetime.date(2025, 6, 1),
        }
        values.update(fields)
        return publish_child(guide_index, GuidePage(title=title, slug=slug, **values))

    return make
