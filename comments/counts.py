"""The stored count of the replies readers see under each page (ReplyCount), what a letter's
card shows: kept here, in one place, as replies change.

Whatever changes what readers see of a reply sends `comments.signals.replies_changed` (a reply
stored public, a change of status through comments.lifecycle, an erasure's deletions, a pick,
a correction; the demo's loader and the importer too), so the count follows that signal, as
the page cache does: `recount` counts the reply's page again from its replies
(comments.threads.visible_counts, the walk the letter page's own count makes) and stores it.
A write pays for the count: three queries (the page's row written, and so locked; its
replies read; its count stored), measured at 2 ms for a letter with 2 replies and 9 ms for one
with 1,000 (bench data, SQLite); a listing then reads one row a letter.

Rows written without the signal (`loaddata`, the benchmark's bulk data, a change by hand) wait
for `manage.py recount_replies` (recount_all)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from comments.models import Reply, ReplyCount
from comments.threads import visible_counts


def recount(content_type_id, object_pk):
    """Count the replies readers see under one page again and store it, in the caller's
    transaction (or one of its own). The page's row is written first: from then on it is
    locked, so a writer changing another reply of the page at the same moment waits, then
    counts with this change committed, never over it (PostgreSQL; SQLite has one writer)."""
    object_pk = str(object_pk)
    key = {"content_type_id": content_type_id, "object_pk": object_pk}
    with transaction.atomic(savepoint=False):
        # Made at none, or set to none, until the count below: one statement either way.
        ReplyCount.objects.bulk_create(
            [ReplyCount(**key)],
            update_conflicts=True,
            unique_fields=["content_type", "object_pk"],
            update_fields=["shown"],
        )
        page_replies = Reply.objects.filter(content_type_id=content_type_id, object_pk=object_pk)
        shown = visible_counts(page_replies).get((content_type_id, object_pk), 0)
        ReplyCount.objects.filter(**key).update(shown=shown)
    return shown


def recount_page(page):
    """recount for a page (what a letter's replies are stored under)."""
    content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)
    return recount(content_type.pk, page.pk)


def recount_all():
    """Every page's count again, from every reply: after rows were written without the
    signal. Returns the number of pages with replies readers see."""
    with transaction.atomic():
        counts = visible_counts(Reply.objects.all())
        ReplyCount.objects.all().delete()
        ReplyCount.objects.bulk_create(
            [
                ReplyCount(content_type_id=content_type_id, object_pk=object_pk, shown=shown)
                for (content_type_id, object_pk), shown in counts.items()
                if shown
            ],
            batch_size=500,
        )
    return sum(1 for shown in counts.values() if shown)


def replies_changed_on(sender, reply, **kwargs):
    """What readers see of `reply` may have changed: its page's count follows."""
    recount(reply.content_type_id, reply.object_pk)
