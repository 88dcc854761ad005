import itertools
import json
from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site

from advice import plugins, sites
from advice.models.routing import home_children, public, restricted_paths
from comments.sanitize import text_of
from comments.threads import threads_for

register = template.Library()

# The characters json_script escapes, so the data can never close its <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def author(request, columnist):
    if columnist is None:
        return {"@type": "Organization", "name": sites.site_name(request)}
    return {"@type": "Person", "name": columnist.name}


@register.simple_tag(takes_context=True)
def site_name(context, from_database=True):
    """The site's name from Settings → Sites (WAGTAIL_SITE_NAME when blank). Without a request
    in the context, as on the 500 page, or with from_database=False, as on pages that must
    render when the database fails, it is WAGTAIL_SITE_NAME and no query is made."""
    return sites.site_name(context.get("request") if from_database else None)


@register.filter
def last_word_marked(name):
    """'Dear <span>PurseBop</span>': the header's logo sets the name's last word apart."""
    head, _, last = name.rpartition(" ")
    return format_html("{} <span>{}</span>", head, last) if head else name


@register.simple_tag(takes_context=True)
def site_footer_text(context):
    """The footer sentence the site's home page holds ('' when the root is another type)."""
    return getattr(sites.site_home(context.get("request")), "footer_text", "")


@register.simple_tag(takes_context=True)
def full_url(context, page):
    """`page.full_url` built with the request, from the sites' root paths the request read
    (`page.full_url` reads them again, a query when the cache is cold)."""
    get_full_url = getattr(page, "get_full_url", None)
    return get_full_url(context.get("request")) if get_full_url else None


@register.simple_tag(takes_context=True)
def article_json_ld(context, page):
    """schema.org Article for a letter or a guide, with the columnist as author."""
    request = context["request"]
    url = page.get_full_url(request)
    modified = page.last_published_at or page.latest_revision_created_at
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": Truncator(page.title).chars(110),
        "description": page.get_meta_description(),
        # A letter has no date before its first publication (a preview).
        "datePublished": page.date.isoformat() if page.date else None,
        "dateModified": modified.isoformat() if modified else None,
        "mainEntityOfPage": url,
        "url": url,
        "author": author(request, page.columnist),
        "publisher": {"@type": "Organization", "name": sites.site_name(request)},
        "keywords": [topic.name for topic in page.topics.all()],
    }
    image = page.get_meta_image()
    if image is not None:
        data["image"] = absolute(request, image.get_rendition("fill-1200x630").url)
    if hasattr(page, "letter"):
        data["articleBody"] = Truncator(strip_tags(page.letter)).words(60)
        data.update(reply_comments(request, page, url))
    data = {key: value for key, value in data.items() if value is not None}
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Escaped JSON cannot break out of the element; this is trusted, page-derived data.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(JSON_SCRIPT_ESCAPES)),
    )


# The JSON-LD names the count of replies and excerpts of the first few shown:
# search engines need no more, and a page with 200 replies stays small.
JSON_LD_REPLIES = 10
JSON_LD_EXCERPT_CHARS = 160


def reply_comments(request, page, url):
    """The replies shown on this page of the letter as schema.org Comments with short
    excerpts (the same threads the reply section renders: computed once per request), and the
    count of all of them: first every moderator's pick ("Readers weigh in", first picked
    first), each with `"award": "Editors’ pick"`, then the first few other approved replies."""
    threads = threads_for(request, page)
    picks = sorted(
        (reply for thread in threads.picked for reply in thread if reply.is_shown_pick),
        key=lambda reply: (reply.picked_at, reply.pk),
    )
    others = (
        reply
        for threads_shown in (threads.picked, threads.page)
        for thread in threads_shown
        for reply in thread
        # an erased placeholder has no author and no text; a pick is listed already
        if not reply.is_erased and not reply.is_shown_pick
    )

    def comment(reply, **extra):
        return {
            "@type": "Comment",
            "@id": f"{url}#reply-{reply.pk}",
            "author": {"@type": "Person", "name": reply.user_name},
            "dateCreated": reply.submit_date.isoformat(),
            # From the stored, sanitised HTML: no second pass through the sanitiser.
            "text": Truncator(text_of(reply.current_html())).chars(JSON_LD_EXCERPT_CHARS),
            **({"parentItem": {"@id": f"{url}#reply-{reply.parent_id}"}} if reply.level else {}),
            **extra,
        }

    comments = [comment(reply, award=EDITORS_PICK) for reply in picks] + [
        comment(reply) for reply in itertools.islice(others, JSON_LD_REPLIES)
    ]
    return {"commentCount": threads.count, "comment": comments}


# schema.org's CreativeWork.award, on a Comment a moderator picked.
EDITORS_PICK = "Editors’ pick"


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj, label="Pages", keep=""):
    """Page links that keep the query parameters named in `keep` (a search's terms) and
    nothing else the address held, the first page without a number: each link is its page's
    canonical address (one copy of each page in a page cache, whatever address it was asked
    by)."""
    request = context["request"]
    kept = [(name, value) for name in keep.split() for value in request.GET.getlist(name)]

    def url_for(number):
        params = kept + ([("page", number)] if number != 1 else [])
        return "?" + urlencode(params) if params else request.path

    numbers = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    links = [
        {
            "number": n,
            "url": url_for(n) if isinstance(n, int) else None,
            "current": n == page_obj.number,
        }
        for n in numbers
    ]
    return {
        "page_obj": page_obj,
        "label": label,
        "links": links,
        "previous_url": url_for(page_obj.previous_page_number())
        if page_obj.has_previous()
        else None,
        "next_url": url_for(page_obj.next_page_number()) if page_obj.has_next() else None,
    }


@register.simple_tag(takes_context=True)
def site_feeds(context):
    """<link rel="alternate"> to the feed of each of the site's columns, on every page, so
    feed readers find them (from the home page's children the routing read: no query); the
    page's own column first, after any feed of the page itself (a topic's, in head_extra)."""
    from advice.models import AdviceIndexPage

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return ""
    if getattr(request, "_advice_home_children", (None,))[0] == site.root_page_id:
        children = home_children(request, site.root_page)
    else:
        children = list(Page.objects.child_of(site.root_page).live())
    restricted = restricted_paths(request)
    column_type = ContentType.objects.get_for_model(AdviceIndexPage)
    feed_path = AdviceIndexPage().reverse_subpage("feed")
    columns = [
        child
        for child in children
        if child.live
        and child.content_type_id == column_type.pk
        and not any(child.path.startswith(path) for path in restricted)
    ]
    # The column the page belongs to comes first: a feed reader takes the first feed it finds.
    page = context.get("page")
    here = getattr(page, "path", "") or ""
    columns.sort(key=lambda column: not here.startswith(column.path))
    links = [
        format_html(
            '<link rel="alternate" type="application/rss+xml" title="{}" href="{}{}">',
            column.title,
            column.get_url(request),
            feed_path,
        )
        for column in columns
    ]
    return mark_safe("\n    ".join(links))


@register.inclusion_tag("includes/topic_links.html", takes_context=True)
def topic_links(context):
    """Every topic with published letters, linked to its archive in the first column that
    has one (the 404 page offers them)."""
    from advice.models import AdviceIndexPage, LetterPage

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"topics": []}
    column = public(AdviceIndexPage.objects.live(), request).child_of(site.root_page).first()
    if column is None:
        return {"topics": []}
    rows = (
        LetterPage.topics.through.objects.filter(
            letterpage__live=True, letterpage__path__startswith=column.path
        )
        .values_list("topic__name", "topic__slug")
        .distinct()
        .order_by("topic__name")
    )
    return {"topics": [(name, column.routed_url("topic", slug)) for name, slug in rows]}


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: the site's columns and guide indexes, found in the page tree, then
    what apps above the column registered for the "navigation" slot (nav_column's column)."""
    request = context["request"]
    site = Site.find_for_request(request)
    sections = []
    if getattr(request, "_advice_home_children", (None,))[0] == getattr(site, "root_page_id", 0):
        # The routing read the home page's children: the sections are among them.
        restricted = restricted_paths(request)
        sections = [
            child
            for child in home_children(request, site.root_page)
            if child.live
            and child.show_in_menus
            and not any(child.path.startswith(path) for path in restricted)
        ]
    elif site is not None:
        sections = list(
            public(Page.objects.live(), request)
            .child_of(site.root_page)
            .in_menu()
            .only("id", "title", "url_path", "path", "depth")
        )
    current_path = getattr(context.get("page"), "path", "")
    return {
        "request": request,
        "page": context.get("page"),
        "sections": [
            {"page": section, "current": current_path.startswith(section.path)}
            for section in sections
        ],
        "column": nav_column(context),
        "search_query": context.get("search_query", ""),
    }


def nav_column(context):
    """The column whose "navigation" fragments the site's navigation shows, from what the
    page's context already holds (no query): the page's own column (a column, a letter, a
    page under a column that names it), else on the home page its first column; elsewhere
    (search, guides) none."""
    from advice.models import AdviceIndexPage

    for candidate in (context.get("column"), context.get("page")):
        if isinstance(candidate, AdviceIndexPage):
            return candidate
    columns = context.get("columns")
    if columns and isinstance(columns[0], AdviceIndexPage):
        return columns[0]
    return None


@register.simple_tag(takes_context=True)
def column_fragments(context, slot, **arguments):
    """What the apps above the column registered for `slot` (advice.plugins), e.g.
    `{% column_fragments "write_in" column=page %}`; nothing when none did."""
    return plugins.render_fragments(slot, context, **arguments)


@register.filter
def salutation_in(letter, column):
    """How the answer opens (LetterPage.get_salutation) with the column the template already
    has, so a letter without a pen name costs no query for its column's default."""
    return letter.get_salutation(column)
