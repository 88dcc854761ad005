"""What changes the pages readers see, as Wagtail and Django announce it: the kept pages are
dropped (store.invalidate) and a CDN told (purge), once per change. The apps add their own (a
reply's status, a topic or columnist edited) in their ready(): advice.signals. No snippet hook:
most snippets (blocked addresses, rejection reasons) show on no page, and those that do are
announced by their own model's signal, once."""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from pagecache import purge, store

# A move's old addresses, collected before it and purged with its new ones after it, in one
# task: page id -> PurgeBatch, for the thread doing the move.
_moving = threading.local()


def invalidate(sender=None, **kwargs):
    store.invalidate()


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: the page and every page above it (its column, the home
    page) show something else now."""
    store.invalidate()
    purge.purge_pages([instance])


def page_moving(sender, instance, url_path_before="", url_path_after="", **kwargs):
    """Before a move to another parent: the page's and every page's below it addresses,
    while they still have them (a page moved under a restricted one, or out of its column,
    must leave the CDN). A reorder among the same siblings changes no address."""
    batch = PurgeBatch()
    if url_path_before != url_path_after and purge.configured():
        purge.add_pages(batch, [instance], descendants=True)
    _moving.batches = {instance.pk: batch}


def page_moved(sender, instance, parent_page_before=None, **kwargs):
    """After it: the pages above it in its new place, and its old parent's listings, purged
    with the old addresses in one task."""
    store.invalidate()
    batch = getattr(_moving, "batches", {}).pop(instance.pk, None) or PurgeBatch()
    if purge.configured():
        pages = [p for p in (instance, parent_page_before) if p is not None]
        purge.purge_batch(purge.add_pages(batch, pages))


def page_deleting(sender, instance, **kwargs):
    purge.purge_pages([instance])  # its addresses, while it still has them


def restriction_changed(sender, instance, **kwargs):
    """A view restriction (password, sign-in, groups) added, changed or taken away: the page
    and every page below it, and the listings above that showed them, leave the CDN (a
    private page must not be served from it, and a listing must not name it)."""
    store.invalidate()
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when a deletion cascades
    if page is not None:
        purge.purge_pages([page], descendants=True)


def _setting_saved(sender, instance, **kwargs):
    if isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        store.invalidate()


def connect():
    uid = "pagecache"
    page_published.connect(page_changed, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(page_changed, dispatch_uid=f"{uid}-unpublished")
    pre_page_move.connect(page_moving, dispatch_uid=f"{uid}-moving")
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}-moved")
    # Deleting a page deletes its Page row: one signal for every page type.
    pre_delete.connect(page_deleting, sender=Page, dispatch_uid=f"{uid}-page-deleting")
    post_delete.connect(invalidate, sender=Page, dispatch_uid=f"{uid}-page-deleted")
    # Hostnames and home pages build every link.
    post_save.connect(invalidate, sender=Site, dispatch_uid=f"{uid}-Site-saved")
    post_delete.connect(invalidate, sender=Site, dispatch_uid=f"{uid}-Site-del")
    # Restrictions hide pages, and hide them from the navigation and the listings.
    for signal, done in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{uid}-restr-{done}"
        )
    # Site settings (the reply guidelines and policy shown under every letter, the site name).
    post_save.connect(_setting_saved, dispatch_uid=f"{uid}-setting-saved")
