"""Fixtures shared by every app's tests: a minimal page tree on the migration's default Site."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from advice.models import HomePage


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """Start every test with an empty cache.

    Redis (the PostgreSQL/Redis lane) outlives tests, so it is flushed; the database cache
    lives in the test database, whose per-test rollback already empties it.
    """
    in_redis = "redis" in settings.CACHES["default"]["BACKEND"].lower()
    if in_redis:
        cache.clear()
    yield
    if in_redis:
        cache.clear()


@pytest.fixture
def home_page(db):
    """A published HomePage as the root of the default Site (the one Wagtail's migration made).

    Reusing that Site rather than adding a second default keeps page URLs relative.
    """
    root = Page.get_first_root_node()
    home = HomePage(title="Dear PurseBop", slug="pursebop", intro="<p>Advice on handbags.</p>")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()
    return home
