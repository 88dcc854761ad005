"""The site's name and home page for templates, from the Site that answers the request.

A page request finds its Site once, with every site's root path and the home page as its own
type (`find_site`, called by advice.views.serve before Wagtail's page view): Wagtail's own
lookup takes a query for the Site, one for the root paths page links are built from (kept in
Django's cache, so asked again whenever that cache is cold) and one for the HomePage's fields.
So reading them here costs a page no query.
"""

from django.conf import settings
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import SiteRootPath


def site_name(request=None):
    """The name editors give the site in Settings → Sites, or WAGTAIL_SITE_NAME when blank."""
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def site_home(request=None):
    """The site's root page as its own type (the HomePage), or None without a request."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.specific if site is not None else None


def find_site(request):
    """The Site answering `request`, chosen as Wagtail chooses it, read with every other site
    in one query and kept where Wagtail looks for both (`Site.find_for_request`, page links'
    root paths). With Wagtail's translations on, its own lookups are left to it."""
    if hasattr(request, "_wagtail_site") or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return Site.find_for_request(request)
    sites = list(Site.objects.select_related("root_page__locale", "root_page__homepage").order_by())
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = root_paths(sites)
    for site in sites:
        home = getattr(site.root_page, "homepage", None)  # its own type: .specific is free
        if home is not None and home.specific_class is type(home):
            site.root_page = home
    hostname = split_domain_port(request._get_raw_host())[0]
    request._wagtail_site = matching_site(sites, hostname, request.get_port())
    return request._wagtail_site


def matching_site(sites, hostname, port):
    """wagtail.models.sites.get_site_for_hostname over sites already read: the hostname and
    port, else the hostname of the default site, else the only site of that hostname, else
    the default site; None when nothing matches (several sites of that hostname, no default)."""
    port = str(port)
    for site in sites:
        if site.hostname == hostname and str(site.port) == port:
            return site
    default = next((site for site in sites if site.is_default_site), None)
    if default is not None and default.hostname == hostname:
        return default
    named = [site for site in sites if site.hostname == hostname]
    if len(named) == 1:
        return named[0]
    return default


def root_paths(sites):
    """Site.get_site_root_paths() from sites already read: most specific root first."""
    ordered = sorted(sites, key=lambda site: site.hostname)
    ordered.sort(key=lambda site: site.is_default_site, reverse=True)
    ordered.sort(key=lambda site: site.root_page.url_path, reverse=True)
    return [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in ordered
    ]
