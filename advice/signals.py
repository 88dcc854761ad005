"""Keep old topic and columnist archive addresses working when their slug changes, tell
the page cache when topics, columnists or replies change what readers see, and keep each
column's list of letters (advice.models.listing) as the tree changes.

Wagtail's redirects app already does this for pages; topics and columnists are snippets whose
archives (and a topic's feed) live under every column (/dear-pursebop/topic/<slug>/), so we add
the redirects. The addresses come from the column's named routes.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

import pagecache
from advice import feeds, spelling
from advice.models import AdviceIndexPage, Columnist, LetterPage, PageSearchWords, Topic, listing
from comments.models import Reply
from comments.signals import replies_changed
from pagecache import purge

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


# At most this many letters are purged from a CDN when a topic or columnist they show
# changes; the rest expire (Cache-Control s-maxage, an hour).
PURGE_LETTERS_AT_MOST = 200


def page_cache_stale(sender=None, **kwargs):
    """Topics and columnists show on letters, cards, archives and the home page: any change
    drops every kept page (pagecache.store) and purges their pages from a CDN."""
    pagecache.invalidate()
    instance = kwargs.get("instance")
    if instance is None or not purge.configured():
        return
    letters = LetterPage.objects.live().filter(
        **({"topics": instance} if sender is Topic else {"columnist": instance})
    )
    pages = [*AdviceIndexPage.objects.live(), *letters[:PURGE_LETTERS_AT_MOST]]
    purge.purge_pages(pages)


def replies_changed_on(sender, reply, **kwargs):
    """A reply shown, hidden or corrected: its letter and the pages above it (their reply
    counts), cleared and purged once."""
    pagecache.invalidate()
    if purge.configured() and reply.content_object is not None:
        purge.purge_pages([reply.content_object])


def letter_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A letter added, published, unpublished or redated: its row in its column's listing
    (advice.models.listing). A save of other fields (a draft's revision) leaves it; rows
    loaded raw (loaddata) wait for `manage.py relist_letters`."""
    if raw or (update_fields is not None and not listing.LISTING_FIELDS & set(update_fields)):
        return
    listing.relist_letter(instance)


def letter_unpublished(sender, instance, **kwargs):
    """A letter unpublished through a plain `Page` (`Page.objects.get(…).unpublish()`): its
    save was a Page's, which letter_saved does not hear; Wagtail's signal carries the letter."""
    listing.relist_letter(instance)


def tree_moved(sender, instance, **kwargs):
    """A page moved: the letters it carries may have left a column or joined one, and left a
    restricted section or joined one (the search's vocabulary)."""
    listing.relist_under(instance)
    spelling.refresh_under(instance)


def restriction_changed(sender, instance, **kwargs):
    """A view restriction added or removed hides or shows every letter below its page, in
    its column's listing and in the search's vocabulary."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        listing.relist_under(page)
        spelling.refresh_under(page)


def page_published_or_unpublished(sender, instance, **kwargs):
    """A letter or guide published gives the search's vocabulary its live words; unpublished,
    it takes them back (advice.spelling)."""
    spelling.record_page(instance)


def letter_feed_text(sender, instance, **kwargs):
    """A letter published keeps its feed text, made now; unpublished, it keeps none."""
    feeds.store_feed_text(instance)


def connect():
    post_save.connect(letter_saved, sender=LetterPage, dispatch_uid="listing-letter-saved")
    page_unpublished.connect(
        letter_unpublished, sender=LetterPage, dispatch_uid="listing-letter-unpublished"
    )
    post_page_move.connect(tree_moved, dispatch_uid="listing-tree-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"listing-restriction-{signal is post_save}",
        )
    for signal in (page_published, page_unpublished):
        signal.connect(
            page_published_or_unpublished,
            dispatch_uid=f"vocabulary-{'published' if signal is page_published else 'unpublished'}",
        )
    for signal in (page_published, page_unpublished):
        signal.connect(
            letter_feed_text,
            sender=LetterPage,
            dispatch_uid=f"feed-text-{'published' if signal is page_published else 'unpublished'}",
        )
    post_delete.connect(
        spelling.page_words_deleted, sender=PageSearchWords, dispatch_uid="vocabulary-deleted"
    )
    post_migrate.connect(
        spelling.fill_if_empty,
        sender=apps.get_app_config("advice"),
        dispatch_uid="vocabulary-after-migrate",
    )
    for model in (Topic, Columnist):
        pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"old-slug-{model.__name__}")
        post_save.connect(
            redirect_old_archive, sender=model, dispatch_uid=f"redirect-{model.__name__}"
        )
        for signal in (post_save, post_delete):
            signal.connect(page_cache_stale, sender=model, dispatch_uid=f"pagecache-{model}")
    # The one announcement of a reply change (its lifecycle, and the desk's corrections):
    # no post_save receiver beside it, which would clear the pages a second time.
    replies_changed.connect(replies_changed_on, sender=Reply, dispatch_uid="pagecache-replies")
