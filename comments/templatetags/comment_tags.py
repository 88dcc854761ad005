"""Template tags for replies. `reply_html` is the one place reader HTML is marked safe, and
it only ever sees the HTML our sanitiser stored (comments.sanitize, at save time);
`reply_items` escapes every other value it puts around that HTML."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from comments import sanitize, targets
from comments.forms import ReplyForm
from comments.models import ReplyPolicy
from comments.threads import DEFAULT_SORT, SORTS, threads_for
from guard import text as guard_text

register = template.Library()


@register.inclusion_tag("comments/reply_section.html", takes_context=True)
def reply_section(context, page):
    """The replies under a letter: count, threads (sorted, paginated) and the form."""
    request = context["request"]
    policy = ReplyPolicy.for_target(page, request)
    threads = threads_for(request, page)
    closed = targets.closed_reason(page, policy)
    return {
        "request": request,
        "letter": page,
        "threads": threads,
        "sorts": SORTS,
        "policy": policy,
        "closed": closed,
        # A page every reader shares (pagecache) prints a page "opened at" value, good only
        # for the confirm step; the script fetches a one-use one (comments.views.reply_fresh).
        "form": None if closed else ReplyForm(page, one_use=not shared_page(request)),
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
        # Reversed once, not twice a reply: "/replies/reply/" + id + "/".
        "reply_url_prefix": _url_prefix("comments-reply-to"),
        "report_url_prefix": _url_prefix("comments-report"),
    }


def shared_page(request):
    return getattr(request, "shared_page", False)


def _url_prefix(name):
    return reverse(name, args=[1]).removesuffix("1/")


@register.simple_tag(takes_context=True)
def reply_items(context, threads=None):
    """The reply list's items, one line each, for `comments/reply_section.html`.

    Built here rather than in the template: with 200 replies on a page, the template engine's
    cost per variable and tag (and the date filter and number formatting of each id) was
    most of the letter's render with every cache cleared. Every value is escaped
    (`html.escape`, which is what Django's `escape` calls) except the reply's body, its
    stored sanitised HTML (`reply_html`). `threads`: these threads rather than the page of
    threads (the picked ones, "Readers weigh in")."""
    closed, max_level = context["closed"], context["max_level"]
    reply_prefix = escape(context["reply_url_prefix"])
    report_prefix = escape(context["report_url_prefix"])
    dates = {}  # replies of one letter share few days: each day is formatted once
    items = []
    for thread in context["threads"].page if threads is None else threads:
        for reply in thread:
            level = int(reply.level or 0)
            if reply.is_erased:
                items.append(ERASED_ITEM.format(level=level, pk=int(reply.pk)))
                continue
            local = template_localtime(reply.submit_date)
            day = local.date()
            if day not in dates:
                dates[day] = escape(date_format(local, "j F Y"))
            items.append(
                REPLY_ITEM.format(
                    level=level,
                    pk=int(reply.pk),
                    name=escape(reply.user_name),
                    badge=BADGE.format(
                        escape(reply.author_badge), escape(reply.get_author_badge_display())
                    )
                    if reply.author_badge
                    else "",
                    pick=PICK if getattr(reply, "is_shown_pick", False) else "",
                    date=dates[day],
                    in_reply_to=IN_REPLY_TO.format(
                        int(reply.answered_id), escape(reply.parent_name)
                    )
                    if reply.parent_name
                    else "",
                    body=reply_html(reply),
                    answer=ANSWER.format(reply_prefix, int(reply.pk))
                    if not closed and level < max_level
                    else "",
                    report=report_prefix,
                )
            )
    return mark_safe("".join(items))


# One reply's list item (reply_items); every byte counts 200 times on a busy letter.
REPLY_ITEM = (
    '<li class="reply reply--level-{level}" id="reply-{pk}"><header><bdi>{name}</bdi>{badge}{pick}'
    ' <a class="reply__permalink" href="#reply-{pk}">{date}</a>{in_reply_to}</header>'
    '<div class="reply__body">{body}</div><footer>{answer}'
    '<a class="reply__report" href="{report}{pk}/" rel="nofollow">Report</a></footer></li>'
)
ERASED_ITEM = (
    '<li class="reply reply--level-{level} reply--erased" id="reply-{pk}">'
    '<p class="reply__erased">This reply was removed at its author’s request.</p></li>'
)
# A moderator's pick ("Readers weigh in"): said in words, not only by colour.
PICK = ' <strong class="reply__pick">Editors’ pick</strong>'
BADGE = ' <span class="badge badge--{}">{}</span>'
IN_REPLY_TO = (
    ' <span class="reply__in-reply-to">in reply to <a href="#reply-{}"><bdi>{}</bdi></a></span>'
)
ANSWER = '<a class="reply__reply" href="{}{}/">Reply</a> '


@register.simple_tag
def reply_html(reply):
    """A reply's sanitised HTML (`Reply.current_html`: never the raw text)."""
    return mark_safe(reply.current_html())


@register.filter
def reader_text(value):
    """Reader-written text for a plain-text email: what the page shows, as text, with its
    paragraphs (the sanitiser's rendering, tags dropped)."""
    return sanitize.plain_text(str(value or ""), paragraphs=True)


@register.filter
def one_line(value):
    """A name, address or title on one line: nobody can add lines to an email with it."""
    return guard_text.one_line(value)


@register.simple_tag(takes_context=True)
def replies_page_url(context, number, sort=DEFAULT_SORT):
    """A page of replies' canonical address: its number (none for the first) and the sort
    (none for the default), in name order, and nothing else the address held (a page cache
    keeps one copy of each page of replies, whatever address it was asked by)."""
    params = {}
    if number != 1:
        params["replies"] = number
    if sort != DEFAULT_SORT:
        params["sort"] = sort
    query = urlencode(sorted(params.items()))
    return f"?{query}#replies" if query else f"{context['request'].path}#replies"
