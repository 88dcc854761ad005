"""Template tags for replies. `reply_html` is the one place reader content is marked safe,
and it only ever sees the HTML our sanitiser stored (comments.sanitize, at save time)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from comments import sanitize, targets
from comments.forms import ReplyForm
from comments.models import ReplyPolicy
from comments.threads import SORTS, threads_for

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
        "form": None if closed else ReplyForm(page),
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
        # Reversed once, not twice a reply: "/replies/reply/" + id + "/".
        "reply_url_prefix": _url_prefix("comments-reply-to"),
        "report_url_prefix": _url_prefix("comments-report"),
    }


def _url_prefix(name):
    return reverse(name, args=[1]).removesuffix("1/")


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
    return " ".join(str(value or "").split())


@register.simple_tag(takes_context=True)
def replies_page_url(context, number):
    params = context["request"].GET.copy()
    params["replies"] = number
    return f"?{params.urlencode()}#replies"


@register.simple_tag
def absolute_url(path):
    """An absolute URL for emails, with the configured scheme (xtd's templates hard-code
    http://{{ site.domain }}: DESIGN.md §4a)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
