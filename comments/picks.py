"""'Readers weigh in': the replies a moderator picked (comments.lifecycle.pick), for the pages
and apps that show them. A pick is an approved reply with `picked_at` set; it is shown only
while readers can see it (every reply above it approved too, as comments.threads shows).
Picks come in pick order: the first picked first."""

from django.contrib.contenttypes.models import ContentType

from comments.models import IN_THREAD, Reply, ReplyStatus
from comments.threads import READ_FIELDS, _visible


def pick_order(reply):
    return (reply.picked_at, reply.pk)


def is_shown_pick(reply):
    return reply.picked_at is not None and reply.status == ReplyStatus.APPROVED


def picks_for(letters):
    """{letter pk: [picked replies readers can see, in pick order]} for every letter given
    (an empty list for a letter without picks), in one query: the replies in a thread that
    holds a pick, from which those hidden by a held or removed reply above them drop out.
    Each reply comes with `object_pk`, `user_name`, `submit_date`, `picked_at` and its
    sanitised HTML (`current_html()`); its address is `letter.url + "#reply-<pk>"`."""
    letters = list(letters)
    picks = {letter.pk: [] for letter in letters}
    if not letters:
        return picks
    content_type = ContentType.objects.get_for_model(letters[0], for_concrete_model=False)
    mine = Reply.objects.filter(
        content_type=content_type, object_pk__in=[str(letter.pk) for letter in letters]
    )
    picked_threads = mine.filter(status=ReplyStatus.APPROVED, picked_at__isnull=False).values(
        "thread_id"
    )
    rows = (
        mine.filter(status__in=IN_THREAD, thread_id__in=picked_threads)
        .select_related(None)
        .only("object_pk", *READ_FIELDS)
        .order_by("object_pk", "thread_id", "order")
    )
    for reply in _visible(rows, key=lambda reply: reply.__dict__):
        if is_shown_pick(reply):
            picks[int(reply.object_pk)].append(reply)
    for replies in picks.values():
        replies.sort(key=pick_order)
    return picks
