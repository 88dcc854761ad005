"""The site's name and home page for templates, from the Site that answers the request.

Wagtail finds that Site, with its root page, to route a page request and keeps it on the
request (`Site.find_for_request`); its root page's specific instance (the HomePage) is loaded
then too. So reading them here costs a page no query.
"""

from django.conf import settings
from wagtail.models import Site


def site_name(request=None):
    """The name editors give the site in Settings → Sites, or WAGTAIL_SITE_NAME when blank."""
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def site_home(request=None):
    """The site's root page as its own type (the HomePage), or None without a request."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.specific if site is not None else None
