"""What readers see of a letter's replies: one query for the replies that hold a place in a
thread (approved, and erased ones), ordered the way xtd stores threads (thread_id, order), then
passes in Python that drop any reply whose parent is not visible (a held or removed parent
hides its subtree) and any erased reply with nothing visible below it (an erased
reply is only a placeholder that keeps its answers in place).

Never one query per reply: xtd's recursive tree tag was measured at 52 ms for 200 replies.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator

from comments import targets
from comments.models import IN_THREAD, Reply, ReplyPolicy, ReplyStatus

SORTS = {"oldest": "Oldest first", "newest": "Newest first"}
DEFAULT_SORT = "oldest"


def _visible(rows, key=lambda row: row):
    """Keep rows (ordered by thread, then order) whose ancestors are all visible, and erased
    rows only where a kept reply hangs below them."""
    shown, kept = set(), []
    for row in rows:
        reply = key(row)
        if reply["id"] == reply["parent_id"] or reply["parent_id"] in shown:
            shown.add(reply["id"])
            kept.append(row)
    answered, result = set(), []
    for row in reversed(kept):  # children come after their parents: walk back up
        reply = key(row)
        if reply["status"] == ReplyStatus.ERASED and reply["id"] not in answered:
            continue
        answered.add(reply["parent_id"])
        result.append(row)
    result.reverse()
    return result


def _published(rows, key=lambda row: row):
    return sum(1 for row in rows if key(row)["status"] == ReplyStatus.APPROVED)


# What a page reads of each reply in its threads.
READ_FIELDS = (
    "id",
    "parent_id",
    "thread_id",
    "order",
    "level",
    "user_name",
    "submit_date",
    "html",
    "policy_version",
    "author_badge",
    "status",
    "comment",
    "answers_reply",
    "picked_at",
)


def thread_replies(page):
    """The replies of `page` that hold a place in its threads, in thread order."""
    content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)
    return (
        Reply.objects.filter(
            content_type=content_type, object_pk=str(page.pk), status__in=IN_THREAD
        )
        .select_related(None)
        .only(*READ_FIELDS)
        .order_by("thread_id", "order")
    )


@dataclass
class ReplyThreads:
    count: int  # published replies a reader can see (erased placeholders do not count)
    page: object  # a Paginator page of threads; each thread is a list of replies
    sort: str
    # "Readers weigh in": the threads holding a moderator's pick, first picked first, shown
    # above the others on every page of replies (and not among them).
    picked: list = ()


def reply_threads(page, sort="oldest", page_number=None, per_page=50):
    replies = _visible(thread_replies(page), key=lambda reply: reply.__dict__)
    names = {reply.pk: reply.user_name for reply in replies if not reply.is_erased}
    threads = {}
    for reply in replies:
        # "in reply to <name>" under an answer (none under an erased placeholder: no name):
        # whom it answered, when a thread kept deeper elsewhere hung it under an ancestor,
        # and only if readers can see that reply.
        reply.answered_id = reply.answers_reply_id or reply.parent_id
        reply.parent_name = names.get(reply.answered_id, "") if reply.level else ""
        reply.is_shown_pick = reply.picked_at is not None and reply.is_published
        threads.setdefault(reply.thread_id, []).append(reply)
    ordered = list(threads.values())
    if sort == "newest":
        ordered.reverse()
    first_pick = {}
    for thread in ordered:
        picks = [(r.picked_at, r.pk) for r in thread if r.is_shown_pick]
        if picks:
            first_pick[thread[0].thread_id] = min(picks)
    picked = sorted(
        (thread for thread in ordered if thread[0].thread_id in first_pick),
        key=lambda thread: first_pick[thread[0].thread_id],
    )
    ordered = [thread for thread in ordered if thread[0].thread_id not in first_pick]
    # At least 1: a 0 stored before the policy's validator would make the paginator divide by 0.
    paginator = Paginator(ordered, max(1, per_page or 0))
    count = _published(replies, key=lambda reply: reply.__dict__)
    return ReplyThreads(count, paginator.get_page(page_number), sort, picked)


def threads_for(request, page):
    """The threads a request shows under `page` (its ?sort= and ?replies= page, the policy's
    threads per page), computed once per request: the reply section and the page's JSON-LD
    both need them."""
    cache = request.__dict__.setdefault("_reply_threads", {})
    if page.pk not in cache:
        sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else DEFAULT_SORT
        cache[page.pk] = reply_threads(
            page,
            sort=sort,
            page_number=request.GET.get("replies"),
            per_page=ReplyPolicy.for_target(page, request).threads_per_page,
        )
    return cache[page.pk]


def shown_threads(request, page):
    """The threads this request showed under `page` (threads_for), or None if it showed none:
    what a page cache keys the page on (the sort and page of replies actually shown)."""
    return request.__dict__.get("_reply_threads", {}).get(page.pk)


def reply_counts(pages):
    """{page pk: replies a reader can see} for many letters in one query (for cards)."""
    pages = list(pages)
    if not pages:
        return {}
    content_type = ContentType.objects.get_for_model(pages[0], for_concrete_model=False)
    rows = (
        Reply.objects.filter(
            content_type=content_type,
            object_pk__in=[str(page.pk) for page in pages],
            status__in=IN_THREAD,
        )
        .order_by("object_pk", "thread_id", "order")
        .values("object_pk", "id", "parent_id", "status")
    )
    counts = {page.pk: 0 for page in pages}
    for row in _visible(rows):
        counts[int(row["object_pk"])] += row["status"] == ReplyStatus.APPROVED
    return counts


def with_reply_counts(letters):
    """Set `reply_count` on each letter (a list or a page of them); return them."""
    letters = list(letters)
    counts = reply_counts(letters)
    for letter in letters:
        letter.reply_count = counts.get(letter.pk, 0)
    return letters


def shown_reply(pk):
    """The reply with id `pk` if a reader can see it on its page, with that page: the page is
    registered, live and public (no password or login), the reply approved and every reply
    above it approved too (a held or removed parent hides its subtree). Else (None, None)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None, None
    if not 0 < pk <= targets.MAX_PK:
        return None, None
    reply = (
        Reply.objects.filter(
            pk=pk, status=ReplyStatus.APPROVED, content_type__in=targets.content_types()
        )
        .select_related("content_type")
        .first()
    )
    if reply is None:
        return None, None
    content_type = reply.content_type
    page = targets.find(f"{content_type.app_label}.{content_type.model}", reply.object_pk)
    if page is None:
        return None, None
    if reply.level:  # walk up the thread: every ancestor must be shown too
        rows = Reply.objects.filter(thread_id=reply.thread_id).order_by()
        thread = {
            pk: (parent, status)
            for pk, parent, status in rows.values_list("id", "parent_id", "status")
        }
        node = reply.parent_id
        while True:
            parent, status = thread.get(node, (None, None))
            if status != ReplyStatus.APPROVED:
                return None, None
            if parent == node:  # the top of the thread
                break
            node = parent
    return reply, page
