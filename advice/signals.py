"""Keep old topic and columnist archive addresses working when their slug changes.

Wagtail's redirects app already does this for pages; topics and columnists are snippets whose
archives (and a topic's feed) live under every column (/dear-pursebop/topic/<slug>/), so we add
the redirects. The addresses come from the column's named routes.
"""

from django.db.models.signals import post_save, pre_save
from wagtail.contrib.redirects.models import Redirect

from advice.models import AdviceIndexPage, Columnist, Topic

# The column routes (AdviceIndexPage) whose address holds a topic's or a columnist's slug.
ARCHIVE_ROUTES = {"Topic": ("topic", "topic_feed"), "Columnist": ("columnist",)}


def remember_old_slug(sender, instance, **kwargs):
    instance._old_slug = (
        sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


def redirect_old_archive(sender, instance, created, **kwargs):
    old_slug = getattr(instance, "_old_slug", None)
    if created or not old_slug or old_slug == instance.slug:
        return
    for column in AdviceIndexPage.objects.all():
        url_parts = column.get_url_parts()
        if url_parts is None:  # not reachable from any site
            continue
        site_id, _root_url, base = url_parts
        for route in ARCHIVE_ROUTES[sender.__name__]:
            old_path = base + column.reverse_subpage(route, args=[old_slug])
            new_path = base + column.reverse_subpage(route, args=[instance.slug])
            redirect(site_id, old_path, new_path)


def redirect(site_id, old_path, new_path):
    """A permanent redirect from old_path to new_path, and none that chains or hides it."""
    # A redirect that pointed at the old address would now chain: repoint it.
    Redirect.objects.filter(redirect_link=old_path).update(redirect_link=new_path)
    # The new address is live again: a redirect away from it would hide it.
    Redirect.objects.filter(old_path=Redirect.normalise_path(new_path), site_id=site_id).delete()
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(old_path),
        site_id=site_id,
        defaults={"redirect_link": new_path, "is_permanent": True, "redirect_page": None},
    )


def connect():
    for model in (Topic, Columnist):
        pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"old-slug-{model.__name__}")
        post_save.connect(
            redirect_old_archive, sender=model, dispatch_uid=f"redirect-{model.__name__}"
        )
