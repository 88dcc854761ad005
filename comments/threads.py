"""What readers see of a letter's replies: one query for the replies that hold a place in a
thread (approved, and erased ones), ordered the way xtd stores threads (thread_id, order), then
passes in Python that drop any reply whose parent is not visible (a held or removed parent
hides its subtree) and any erased reply with nothing visible below it (an erased
reply is only a placeholder that keeps its answers in place).

Never one query per reply: xtd's recursive tree tag was measured at 52 ms for 200 replies.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comments import targets
from comments.models import IN_THREAD, Reply, ReplyCount, ReplyPolicy, ReplyStatus

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
# The same, as the columns of a row (every table's key, so a Reply made from a row has its pk).
ROW_FIELDS = (
    "id",
    "comment_ptr_id",
    "xtdcomment_ptr_id",
    *(f"{name}_id" if name == "answers_reply" else name for name in READ_FIELDS[1:]),
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


# Read as the database gives them (a string on SQLite), made datetimes only for the replies
# shown: Django's conversion of two dates a row was a quarter of a 1,000-reply letter's rows.
RAW_DATES = ("submit_date", "picked_at")


def _as_datetime(value):
    """A date read raw (RAW_DATES) as the aware datetime Django would have made of it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def thread_rows(page):
    """thread_replies as rows (dicts of ROW_FIELDS), only those readers can see (_visible);
    `submit_date` still raw (_as_datetime), `picked_at` a datetime or None."""
    raw = {name: ExpressionWrapper(F(name), output_field=CharField()) for name in RAW_DATES}
    rows = _visible(
        thread_replies(page).values(
            *(name for name in ROW_FIELDS if name not in RAW_DATES),
            **{f"raw_{name}": value for name, value in raw.items()},
        )
    )
    for row in rows:
        row["submit_date"] = row.pop("raw_submit_date")
        picked = row.pop("raw_picked_at")
        row["picked_at"] = None if picked is None else _as_datetime(picked)
    return rows


@dataclass
class ReplyThreads:
    count: int  # published replies a reader can see (erased placeholders do not count)
    page: object  # a Paginator page of threads; each thread is a list of replies
    sort: str
    # "Readers weigh in": the threads holding a moderator's pick, first picked first, shown
    # above the others on every page of replies (and not among them).
    picked: list = ()


def _is_shown_pick(row):
    return row["picked_at"] is not None and row["status"] == ReplyStatus.APPROVED


def arranged_threads(rows, sort=DEFAULT_SORT):
    """(threads, picked): the rows (thread_rows) grouped in threads in the order `sort`
    shows them, the threads holding a shown pick taken out into `picked`, first picked
    first."""
    threads = {}
    for row in rows:
        threads.setdefault(row["thread_id"], []).append(row)
    ordered = list(threads.values())
    if sort == "newest":
        ordered.reverse()
    first_pick = {}
    for thread in ordered:
        picks = [(row["picked_at"], row["id"]) for row in thread if _is_shown_pick(row)]
        if picks:
            first_pick[thread[0]["thread_id"]] = min(picks)
    picked = sorted(
        (thread for thread in ordered if thread[0]["thread_id"] in first_pick),
        key=lambda thread: first_pick[thread[0]["thread_id"]],
    )
    ordered = [thread for thread in ordered if thread[0]["thread_id"] not in first_pick]
    return ordered, picked


# ROW_FIELDS in the order of the model's columns, as Model.from_db takes a row's values.
COLUMN_ORDER = [f.attname for f in Reply._meta.concrete_fields if f.attname in ROW_FIELDS]


def _as_replies(thread, names):
    """A thread's rows made into Replies, each with what the page shows of it."""
    replies = []
    for row in thread:
        values = [
            _as_datetime(row[name]) if name == "submit_date" else row[name] for name in COLUMN_ORDER
        ]
        reply = Reply.from_db(Reply.objects.db, COLUMN_ORDER, values)
        # "in reply to <name>" under an answer (none under an erased placeholder: no name):
        # whom it answered, when a thread kept deeper elsewhere hung it under an ancestor,
        # and only if readers can see that reply.
        reply.answered_id = reply.answers_reply_id or reply.parent_id
        reply.parent_name = names.get(reply.answered_id, "") if reply.level else ""
        reply.is_shown_pick = _is_shown_pick(row)
        replies.append(reply)
    return replies


def _paginator(threads, per_page):
    # At least 1: a 0 stored before the policy's validator would make the paginator divide by 0.
    return Paginator(threads, max(1, per_page or 0))


def reply_threads(page, sort=DEFAULT_SORT, page_number=None, per_page=50):
    """The page of threads shown. Every reply that holds a place is read, as a row, to place
    the threads (a letter with 1,000 replies shows its first 50 threads); only the replies
    shown, that page's threads and the picked ones, are made into Replies."""
    rows = thread_rows(page)
    names = {row["id"]: row["user_name"] for row in rows if row["status"] != ReplyStatus.ERASED}
    ordered, picked = arranged_threads(rows, sort)
    shown = _paginator(ordered, per_page).get_page(page_number)
    shown.object_list = [_as_replies(thread, names) for thread in shown.object_list]
    picked = [_as_replies(thread, names) for thread in picked]
    return ReplyThreads(_published(rows), shown, sort, picked)


def replies_page_of(page, reply, per_page=50):
    """The page of threads (oldest first, the default sort) that shows `reply` under `page`:
    1 for a reply in a picked thread (shown on every page) or no longer shown."""
    ordered, _picked = arranged_threads(thread_rows(page))
    for index, thread in enumerate(ordered):
        if thread[0]["thread_id"] == reply.thread_id:
            return index // max(1, per_page or 0) + 1
    return 1


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


def visible_counts(replies):
    """{(content type id, object_pk): replies a reader can see} under the pages of `replies`
    (a Reply queryset), counted from the replies themselves: each one that holds a place in a
    thread is read and walked (_visible). Its cost grows with the replies, so pages never ask
    it: comments.counts stores its answer, and reply_counts reads that."""
    rows = (
        replies.filter(status__in=IN_THREAD)
        .order_by("content_type_id", "object_pk", "thread_id", "order")
        .values("content_type_id", "object_pk", "id", "parent_id", "status")
    )
    counts = {}
    for row in _visible(rows):
        key = (row["content_type_id"], row["object_pk"])
        counts[key] = counts.get(key, 0) + (row["status"] == ReplyStatus.APPROVED)
    return counts


def reply_counts(pages):
    """{page pk: replies a reader can see} for many letters in one query (for cards): their
    stored counts (ReplyCount, kept by comments.counts), one row a letter whatever its
    replies; a letter without a row has none."""
    pages = list(pages)
    if not pages:
        return {}
    content_type = ContentType.objects.get_for_model(pages[0], for_concrete_model=False)
    stored = ReplyCount.objects.filter(
        content_type=content_type, object_pk__in=[str(page.pk) for page in pages]
    ).values_list("object_pk", "shown")
    counts = {page.pk: 0 for page in pages}
    counts.update((int(object_pk), shown) for object_pk, shown in stored)
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
