"""Fixtures shared by every app's tests: a minimal page tree on the migration's default Site."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Collection, Locale, Page, Site

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


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """Start every test with empty caches.

    Redis (the PostgreSQL/Redis lane) and the per-process renditions cache outlive tests, so
    they are cleared (a rendition cached for an image id of an earlier test would point at a
    file that test deleted); the database cache lives in the test database, whose per-test
    rollback already empties it.
    """
    outliving = [
        alias
        for alias, config in settings.CACHES.items()
        if "DatabaseCache" not in config["BACKEND"]
    ]
    for alias in outliving:
        caches[alias].clear()
    yield
    for alias in outliving:
        caches[alias].clear()


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_page_tree_root():
    """Wagtail's root page, root collection and default locale come from its migrations. The
    browser tests' flush can leave them out (seen when unittest-style TestCase classes ran in
    the same session, despite serialized_rollback), so recreate them when missing."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE.split("-")[0])
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def ensure_moderators_group():
    """Wagtail's Moderators group as the migrations leave it (admin access, can_moderate). The
    same flush empties it; post_migrate recreates permissions but not the groups that data
    migrations made, so it is made again when missing."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="django_comments", codename="can_moderate"),
    )
    return group


def store_reply(target, parent=None, status="pending", **fields):
    """Store a reader's reply under `target` directly (held unless `status` says otherwise),
    through the model's save(): the HTML is rendered and xtd's thread data (thread_id, level,
    order) computed; no email is sent (no status change)."""
    from django.contrib.contenttypes.models import ContentType

    from comments.models import Reply

    return Reply.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        site_id=1,
        parent_id=parent.pk if parent else 0,
        status=status,
        **fields,
    )


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


def answer(*paragraphs, quote=None):
    blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    if quote:
        blocks.insert(1, {"type": "pull_quote", "value": {"quote": quote, "attribution": ""}})
    return json.dumps(blocks)


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
