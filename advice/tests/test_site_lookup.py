"""advice.sites.find_site chooses the Site Wagtail would choose, and builds the same root
paths, from one read of every site: page links and routing stay as Wagtail makes them."""

import itertools

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from advice.sites import find_site, matching_site, root_paths

HOSTNAMES = ["localhost", "example.com", "other.example", "nowhere.example"]
PORTS = [80, 443, 8000]


def wagtails_choice(hostname, port):
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


# (hostname, port, is default) of each site besides the default one the migrations leave.
SHAPES = {
    "one default": [],
    "a hostname and a port": [("example.com", 80, False), ("example.com", 8000, False)],
    "two of one hostname": [("other.example", 80, False), ("other.example", 443, False)],
}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
def test_the_site_and_root_paths_are_wagtails(home_page, shape):
    root = Page.get_first_root_node()
    for n, (hostname, port, default) in enumerate(SHAPES[shape]):
        page = root.add_child(title=f"Root {n}", slug=f"root-{n}")
        Site.objects.create(hostname=hostname, port=port, root_page=page, is_default_site=default)
    sites = list(Site.objects.select_related("root_page__locale"))
    for hostname, port in itertools.product(HOSTNAMES, PORTS):
        assert matching_site(sites, hostname, port) == wagtails_choice(hostname, port), (
            hostname,
            port,
        )
    Site.clear_site_root_paths_cache()
    assert root_paths(sites) == Site.get_site_root_paths()


@pytest.mark.django_db
def test_with_no_default_site_an_unknown_hostname_finds_none(home_page):
    Site.objects.update(is_default_site=False)
    sites = list(Site.objects.select_related("root_page__locale"))
    assert matching_site(sites, "nowhere.example", 80) is None
    assert wagtails_choice("nowhere.example", 80) is None


@pytest.mark.django_db
def test_a_page_request_reads_its_site_once(home_page, django_assert_num_queries):
    """The site, the root paths and the home page's own fields: one query for the three."""
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        site = find_site(request)
        home = site.root_page.specific
        links = home.get_url(request)
    assert home.footer_text == home_page.footer_text
    assert links == "/"
