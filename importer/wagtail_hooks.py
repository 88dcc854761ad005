"""WordPress's shortest links (/?p=123) land on a page that exists here, usually the home page,
which answers 200, so Wagtail's redirect middleware (it acts on 404s only) never sees them.
The importer stores them as redirects like any old address; this answers them."""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from advice import parameters


@hooks.register("before_serve_page")
def redirect_wordpress_post_ids(page, request, serve_args, serve_kwargs):
    number = request.GET.get("p", "")
    if not number.isdigit():  # the common case costs no query
        return None
    path = Redirect.normalise_path(f"{request.path}?p={number}")
    found = list(Redirect.get_for_site(Site.find_for_request(request)).filter(old_path=path))
    # This site's own redirect before one for every site, as Wagtail's middleware prefers.
    redirect = next((r for r in found if r.site_id), found[0] if found else None)
    if redirect is None or redirect.link is None:
        parameters.shown(request, p=None)  # the page as it is without ?p=
        return None
    if redirect.is_permanent:
        return HttpResponsePermanentRedirect(redirect.link)
    return HttpResponseRedirect(redirect.link)
