"""Old WordPress addresses as Wagtail redirects, only while their letter is live.

A post's old addresses (its <link> and the usual permalink shapes) are kept with its import
record. They become permanent redirects when the letter is live (at import, or when an editor
publishes a draft later) and are removed when it is unpublished: a redirect to a page readers
cannot see would answer 301 to a 404. Only the redirects made from a record's own paths are
touched; an address that already sends elsewhere is left as it is.
"""

from wagtail.contrib.redirects.models import Redirect

from importer.models import ImportedPost


def add(page, paths, site):
    """Redirects from `paths` to `page` on `site`: (made, already there, conflicting paths)."""
    made, before, conflicts = 0, 0, []
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.get_for_site(site).filter(old_path__in=paths)
    }
    for path in paths:
        redirect = existing.get(path)
        if redirect is None:
            Redirect.objects.create(old_path=path, site=site, redirect_page=page, is_permanent=True)
            made += 1
        elif redirect.redirect_page_id == page.pk:
            before += 1
        else:
            conflicts.append(path)
    return made, before, conflicts


def remove(page, paths):
    """The redirects from `paths` to `page` (those the import made), deleted."""
    return Redirect.objects.filter(redirect_page=page, old_path__in=paths).delete()[0]


def letter_published(sender, instance, **kwargs):
    """An imported letter published later gains its old addresses."""
    record = _record(instance)
    if record is not None:
        add(instance, record.old_paths, instance.get_site())


def letter_unpublished(sender, instance, **kwargs):
    """An imported letter taken down loses its old addresses (they would lead to a 404)."""
    record = _record(instance)
    if record is not None:
        remove(instance, record.old_paths)


def _record(page):
    return (
        ImportedPost.objects.filter(page_id=page.pk).exclude(old_paths=[]).only("old_paths").first()
    )


def connect():
    from wagtail.signals import page_published, page_unpublished

    from advice.models import LetterPage

    page_published.connect(letter_published, sender=LetterPage, dispatch_uid="importer-published")
    page_unpublished.connect(
        letter_unpublished, sender=LetterPage, dispatch_uid="importer-unpublished"
    )
