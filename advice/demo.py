"""Build the demo site from fixtures/: idempotent, so `make run` can call it every time.

Content lives in fixtures/demo_content.json in a readable shape (a letter is its question, its
letter, its answer), not a dumpdata export with tree paths and StreamField JSON: it is written
and reviewed by people, and the loader turns it into pages through Wagtail's API.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from wagtail.models import Page, Site

from advice.models import HomePage

CONTENT_FILE = settings.BASE_DIR / "fixtures" / "demo_content.json"
WELCOME_TITLE = "Welcome to your new Wagtail site!"


@dataclass
class LoadReport:
    created: int = 0
    kept: int = 0


def _read_content():
    with open(CONTENT_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _ensure_home(content, report):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is not None:
        report.kept += 1
        return home
    # Wagtail's first migration makes a placeholder page; the demo home replaces it.
    for welcome in Page.objects.filter(depth=2, title=WELCOME_TITLE):
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()
    data = content["home"]
    home = HomePage(title=data["title"], slug=data["slug"], intro=data.get("intro", ""))
    root.add_child(instance=home)
    home.save_revision().publish()
    report.created += 1
    return home


def _ensure_site(home):
    host, _, port = settings.SITE_DOMAIN.partition(":")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname = host
    site.port = int(port or 80)
    site.root_page = home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()
    # django.contrib.sites' record is what django-comments-xtd builds email links from.
    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.WAGTAIL_SITE_NAME},
    )


@transaction.atomic
def load_demo_content(log=lambda message: None):
    content = _read_content()
    report = LoadReport()
    home = _ensure_home(content, report)
    _ensure_site(home)
    return report
