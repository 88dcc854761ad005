"""The subscribe form in the column's "subscribe" slot (advice.plugins): on the home page once,
on each column and on each letter. The columns offered come from the home page's children the
routing read already (no query); the page's own column is ticked. On a page kept for every
reader (pagecache) the form holds no CSRF token and a page "opened at" value: the post comes
back as the confirm step (newsletter.views), which works without JavaScript."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from advice.models import AdviceIndexPage
from advice.models.routing import home_children, restricted_paths
from guard.forms import sign_opened
from newsletter.forms import SubscribeForm


def site_columns(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    column_type = ContentType.objects.get_for_model(AdviceIndexPage)
    restricted = restricted_paths(request)
    return [
        child
        for child in home_children(request, site.root_page)
        if child.live
        and child.content_type_id == column_type.pk
        and not any(child.path.startswith(path) for path in restricted)
    ]


def subscribe_fragment(context, column=None):
    request = context.get("request")
    columns = site_columns(request)
    if not columns:
        return ""
    shared = getattr(request, "shared_page", False)
    form = SubscribeForm(columns=columns)
    form.fields["opened"].initial = sign_opened(one_use=not shared)
    ticked = [column.pk] if column is not None else [c.pk for c in columns[:1]]
    form.fields["columns"].initial = ticked
    form.fields["source"].initial = request.path if request is not None else ""
    return render_to_string(
        "newsletter/subscribe_form.html",
        {
            "form": form,
            "shared": shared,
            "action": reverse("newsletter-subscribe"),
            "csrf_token": None if shared else context.get("csrf_token"),
        },
    )
