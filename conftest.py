"""Fixtures shared by every app's tests: a minimal page tree on the migration's default Site."""

import datetime
import json

import pytest
from django.core.cache import caches
from wagtail.models import Site

from advice.models import (
    AdviceIndexPage,
    Columnist,
    GuideIndexPage,
    GuidePage,
    HomePage,
    LetterPage,
    LetterRelatedLink,
    Topic,
)
from testing import locked_sqlite
from testing.pages import answer, ensure_page_tree_root, publish_child


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """Start every test with empty caches: Redis (the PostgreSQL/Redis lane) and the
    per-process local memory outlive tests (a rendition cached for an image id of an earlier
    test would point at a file that test deleted)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory):
    """A migrated SQLite file with a home page, a column and a letter, built once per run for
    the tests that hold its write lock from another connection (testing.locked_sqlite)."""
    path = tmp_path_factory.mktemp("sqlite-site") / "site.sqlite3"
    locked_sqlite.build(path)
    return path


@pytest.fixture
def home_page(db):
    """A published HomePage as the root of the default Site (the one Wagtail's migration made).

    Reusing that Site rather than adding a second default keeps page URLs relative.
    """
    root = ensure_page_tree_root()
    home = publish_child(
        root, HomePage(title="Dear PurseBop", slug="pursebop", intro="<p>Advice on handbags.</p>")
    )
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()
    return home


@pytest.fixture
def column(home_page):
    return publish_child(
        home_page,
        AdviceIndexPage(
            title="Dear PurseBop", slug="dear-pursebop", intro="<p>Letters and answers.</p>"
        ),
    )


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
    counter = {"n": 0}

    def make(title=None, topics=(), related=(), parent=None, **fields):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "title": title or f"Question number {n}?",
            "slug": fields.pop("slug", f"question-{n}"),
            "letter": f"<p>Letter text number {n}.</p>",
            "pen_name": f"Reader {n}",
            "answer": answer(f"Answer text number {n}."),
            "sign_off": "Good luck!",
            "columnist": columnist,
            "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        }
        values.update(fields)
        page = LetterPage(**values)
        (parent or column).add_child(instance=page)
        page.topics.set(topics)
        for order, target in enumerate(related):
            LetterRelatedLink.objects.create(letter=page, link_page=target, sort_order=order)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


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
