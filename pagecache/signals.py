"""What changes the pages readers see, as Wagtail and Django announce it: the kept pages are
dropped (store.invalidate) and a CDN told (purge). The apps add their own (a reply's status, a
topic or columnist edited) in their ready(): advice.signals."""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from pagecache import purge, store


def invalidate(sender=None, **kwargs):
    store.invalidate()


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: the page and every page above it (its column, the home
    page) show something else now."""
    store.invalidate()
    purge.purge_pages([instance])


def page_moved(sender, instance, parent_page_before=None, url_path_before="", **kwargs):
    store.invalidate()
    old = []
    site = instance.get_site()
    if site is not None and url_path_before.startswith(site.root_page.url_path):
        old.append(site.root_url + "/" + url_path_before[len(site.root_page.url_path) :])
    purge.purge_pages([p for p in (instance, parent_page_before) if p is not None], also=old)


def page_deleting(sender, instance, **kwargs):
    purge.purge_pages([instance])  # its addresses, while it still has them


def _setting_saved(sender, instance, **kwargs):
    if isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        store.invalidate()


def connect():
    uid = "pagecache"
    page_published.connect(page_changed, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(page_changed, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}-moved")
    # Deleting a page deletes its Page row: one signal for every page type.
    pre_delete.connect(page_deleting, sender=Page, dispatch_uid=f"{uid}-page-deleting")
    post_delete.connect(invalidate, sender=Page, dispatch_uid=f"{uid}-page-deleted")
    # Hostnames and home pages build every link; restrictions hide pages from the navigation.
    for model in (Site, PageViewRestriction):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-{model.__name__}-saved")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-{model.__name__}-del")
    # Site settings (the reply guidelines and policy shown under every letter, the site name).
    post_save.connect(_setting_saved, dispatch_uid=f"{uid}-setting-saved")
