"""Page types of the column. The tree is a closed grammar:

HomePage ─┬─ AdviceIndexPage (a column, e.g. "Dear PurseBop") ── LetterPage
          └─ GuideIndexPage ── GuidePage
"""

import datetime
import html

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import strip_tags
from django.utils.text import Truncator
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from advice import plugins
from advice.blocks import AnswerBlock, GuideBodyBlock
from advice.feeds import ColumnFeed
from advice.models.limits import DATE_VALIDATORS, MAX_LETTERS_PER_PAGE, year_in_url
from advice.models.listing import ListedLetter
from advice.models.routing import RequestRoutedMixin, home_children, public, restricted_paths
from advice.models.snippets import Columnist, Topic
from advice.models.workflows import PublishedByReviewMixin
from advice.page_forms import MAX_TOPICS_PER_LETTER, TopicCheckboxes, TopicsPageForm
from advice.sites import site_name
from comments.targets import TakesReplies
from comments.threads import shown_threads, with_reply_counts
from guard import text as text_rules
from guard.richtext import validate_rich_text
from pagecache import keys as page_keys

LETTER_FEATURES = ["bold", "italic", "link"]
CARD_RENDITION = "fill-640x400"
FOOTER_TEXT = (
    "Dear PurseBop answers readers’ questions about luxury handbags: buying, caring, waiting "
    "and deciding."
)


# Topics as checkboxes: every topic in sight, none typed from memory.
TOPICS_PANEL = FieldPanel(
    "topics",
    widget=TopicCheckboxes,
    help_text="Tick every topic this is about (at most "
    f"{MAX_TOPICS_PER_LETTER}): each lists it in its archive and its feed, and "
    "letters sharing a topic are suggested beside each other. Topics are added under "
    "Column → Topics.",
)


def hero_image_field():
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the page, on cards and when the page is shared.",
    )


def with_card_images(queryset):
    """Each page's hero image (joined) and its card rendition (one query), not two per page."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_RENDITION)
    return queryset.select_related("hero_image").prefetch_related(
        Prefetch("hero_image__renditions", queryset=renditions)
    )


class Unindexed(Func):
    """`+column`: the same value, which SQLite will not use to look rows up by.

    A listing walking the date order tests each letter's id against a list of letter ids (those
    the columns list, or those a search matched). Written plainly, SQLite looks each of those ids up in the letters' table, reading rows of
    several kilobytes (the letter and its answer) to learn their dates; written this way it
    walks the narrow (date, id) index instead and tests each id against the list."""

    template = "+%(expressions)s"


class YearMonth(Func):
    """A date's month as 'YYYY-MM' text. On SQLite a slice of the stored ISO date: Django's
    TruncMonth calls a Python function there for every row."""

    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')")


def letters_among(pages):
    """The letters whose ids are among `pages` (a queryset whose pk is a letter's id: the
    listed letters, live public pages), filtered on the letters' own table, so that an
    ordered listing reads the index of (date, id) rather than the letters' rows (see
    Unindexed)."""
    return LetterPage.objects.alias(listed_id=Unindexed(F("pk"))).filter(
        listed_id__in=pages.values("pk")
    )


def letter_cards():
    """Letters with what their cards show: columnist and picture joined, card rendition and
    topics prefetched (one query each for the whole list)."""
    return with_card_images(LetterPage.objects.select_related("columnist")).prefetch_related(
        "topics"
    )


def counted_slice(queryset, start, stop, rows=None):
    """Rows `start` to `stop` of `queryset`, in its order, each with `listing_total` (how many
    rows the whole queryset has), in one query: the ids of the slice come from a subquery
    that reads only indexes (a column's listing order, or the letters' date order for
    search), and only those rows are read whole, from `rows` (letters with what the list
    shows joined; `queryset` itself when None)."""
    keys = queryset.values("pk")[start:stop]
    total = queryset.order_by().values(total=Func(F("pk"), function="COUNT"))
    rows = queryset if rows is None else rows
    rows = rows.filter(pk__in=keys).order_by(*queryset.query.order_by)
    if not queryset.query.standard_ordering:  # queryset.reverse()
        rows = rows.reverse()
    return list(rows.annotate(listing_total=Subquery(total)))


MAX_PAGE_NUMBER = 10**9


def page_of(queryset, per_page, number, rows=None):
    """The page `number` of `queryset` as Paginator.get_page() gives it ("abc" the first page,
    999 the last), the total counted in the same query as the rows (counted_slice) rather
    than by a COUNT query of its own. `rows`: where the page's rows are read from."""
    paginator = Paginator(queryset, per_page)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    found = []
    # An offset past any real listing is past the end; one past SQL's 64-bit integers would
    # fail in the database (found by fuzzing), so it is never sent.
    if 1 <= number <= MAX_PAGE_NUMBER:
        start = (number - 1) * per_page
        found = counted_slice(queryset, start, start + per_page, rows)
    total = found[0].listing_total if found else 0
    if not found and number != 1:
        # Past the end (a stale link): the last page, as get_page() gives it, read backwards
        # with the total in one more query.
        tail = counted_slice(queryset.reverse(), 0, per_page, rows)
        total = tail[0].listing_total if tail else 0
        number = max(1, -(-total // per_page))
        found = tail[: total - (number - 1) * per_page][::-1]
    paginator.__dict__["count"] = total  # Paginator.count is a cached_property
    page = paginator.page(number)
    page.object_list = found
    return page


# What str.splitlines() breaks at; any of them in a title would be a line break somewhere.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class OneLineTitleMixin:
    """Titles go into email subjects (reply emails, Wagtail's workflow emails), where a line
    break raises BadHeaderError: the page form refuses one, and a title stored with one
    anyway is shown to Wagtail's emails on one line."""

    def clean(self):
        super().clean()
        if any(char in (self.title or "") for char in LINE_BREAKS):
            raise ValidationError({"title": "A title is one line: remove the line break."})
        if hidden := text_rules.hidden_characters(self.title):
            raise ValidationError(
                {
                    "title": "The title holds an invisible character that can change how the "
                    f"text around it reads ({', '.join(hidden)}): please remove it. The rest "
                    "of the title is kept."
                }
            )

    def get_admin_display_title(self):
        return " ".join(super().get_admin_display_title().split())


class SeoMixin:
    """What base.html needs for the description, canonical URL and sharing tags."""

    def get_meta_description(self):
        text = (
            self.search_description
            or getattr(self, "dek", "")
            or strip_tags(getattr(self, "intro", "") or "")
        )
        return Truncator(text.strip()).chars(200)

    def get_meta_image(self):
        return getattr(self, "hero_image", None)

    og_type = "website"


class HomePage(RequestRoutedMixin, OneLineTitleMixin, SeoMixin, Page):
    """The site root: latest answers, featured guides, topics and the invitation to write in."""

    intro = RichTextField(
        blank=True,
        features=LETTER_FEATURES,
        validators=[validate_rich_text],
        help_text="A sentence or two under the site name telling readers what the column is.",
    )
    write_in_heading = models.CharField(
        max_length=120, default="Write to PurseBop", help_text="Heading of the write-in invitation."
    )
    write_in_text = RichTextField(
        blank=True,
        features=LETTER_FEATURES,
        validators=[validate_rich_text],
        help_text="How readers send a letter; link to the write-in page or an address.",
    )
    footer_text = models.CharField(
        max_length=300,
        blank=True,
        default=FOOTER_TEXT,
        help_text="The sentence at the foot of every page saying what the site is about.",
    )

    content_panels = Page.content_panels + [
        "intro",
        InlinePanel("featured_guides", label="Featured guides", max_num=4),
        MultiFieldPanel(["write_in_heading", "write_in_text"], heading="Invitation to write in"),
        "footer_text",
    ]

    parent_page_types = ["wagtailcore.Page"]
    # Its own sections, then the types apps above the column register (the write-in page).
    subpage_types = plugins.SubpageTypes("advice.AdviceIndexPage", "advice.GuideIndexPage")
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_admin_display_title(self):
        """The home page and the first column often share the site's name: the explorer,
        the page chooser and the breadcrumbs tell them apart by this."""
        return f"Home: {super().get_admin_display_title()}"

    def route(self, request, path_components):
        """A section (a column, the guides) found among the home page's children, which the
        navigation lists too: one query for both (Wagtail's own lookup is one more)."""
        if not path_components:
            return super().route(request, path_components)
        self._routed_request = request
        child = next(
            (c for c in home_children(request, self) if c.slug == path_components[0]), None
        )
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        return child.specific.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        columns = list(
            public(AdviceIndexPage.objects.live().child_of(self), request).select_related(
                "write_in_page"
            )
        )
        letters = letters_among(ListedLetter.objects.all()).order_by("-date", "-pk")
        latest = with_reply_counts(
            with_card_images(letters.select_related("columnist").prefetch_related("topics"))[:6]
        )
        if len(columns) > 1:
            # Each card names its column; a letter's column is its parent, found by tree path.
            by_path = {column.path: column for column in columns}
            for letter in latest:
                letter.column = by_path.get(letter.path[: -Page.steplen])
        context["latest_letters"] = latest
        guide_ids = [item.guide_id for item in self.featured_guides.all()]
        guides = {
            g.pk: g for g in public(GuidePage.objects.live(), request).filter(pk__in=guide_ids)
        }
        context["featured_guides"] = [guides[pk] for pk in guide_ids if pk in guides]
        topics = self.topics_by_column(columns, request)
        for column in columns:
            column.topic_counts = topics.get(column.path, [])
        context["columns"] = columns
        context["topic_columns"] = [column for column in columns if column.topic_counts]
        return context

    def topics_by_column(self, columns, request=None):
        """{column path: [{name, slug, url, letter_count}, ...]}: the topics of each column's
        published letters, by name, in one query however many columns there are: a count
        per topic and column, each walking that topic's letters and testing each against
        the letters the column lists (see Unindexed), never a pass over every letter row."""
        if not columns:
            return {}
        filed = LetterPage.topics.through.objects.alias(listed_id=Unindexed(F("letterpage_id")))
        counts = {
            f"in_{n}": Subquery(
                filed.filter(topic=OuterRef("pk"), listed_id__in=column.listing().values("pk"))
                .order_by()
                .values(n=Func(F("pk"), function="COUNT"))
            )
            for n, column in enumerate(columns)
        }
        topics = {}
        for topic in Topic.objects.annotate(**counts).order_by("name"):
            for n, column in enumerate(columns):
                count = getattr(topic, f"in_{n}")
                if count:
                    topics.setdefault(column.path, []).append(
                        {
                            "name": topic.name,
                            "slug": topic.slug,
                            "url": column.topic_url(topic, request=request),
                            "letter_count": count,
                        }
                    )
        return topics


class HomePageFeaturedGuide(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_guides")
    guide = models.ForeignKey("advice.GuidePage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide", "advice.GuidePage")]


class AdviceIndexPage(
    PublishedByReviewMixin, RequestRoutedMixin, OneLineTitleMixin, SeoMixin, RoutablePageMixin, Page
):
    """A column ("Dear PurseBop"): its archive, newest first, filtered by topic, month and
    columnist, each with a feed. A site may have several columns, each with its greeting.

    Routed addresses are built from the routes' names (`routed_url`, `{% routablepageurl %}`),
    never by gluing strings to the page's URL.
    """

    intro = RichTextField(
        blank=True,
        features=LETTER_FEATURES,
        validators=[validate_rich_text],
        help_text="Shown above the list of letters.",
    )
    greeting = models.CharField(
        max_length=80,
        blank=True,
        help_text="How readers open their letters to this column, shown above each letter, "
        "e.g. “Dear PurseBop,”. Leave blank for “Dear <column title>,”.",
    )
    default_salutation = models.CharField(
        max_length=120,
        blank=True,
        help_text="How the answer opens when a letter has no pen name, e.g. “Dear reader,”. "
        "Leave blank for none.",
    )
    write_in_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page readers send letters to this column from (“Write to PurseBop”); "
        "the home page, the column and every letter link to it.",
    )
    letters_per_page = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LETTERS_PER_PAGE)],
        help_text="How many letters each page of the archive lists (at least 1, at most "
        f"{MAX_LETTERS_PER_PAGE}).",
    )

    content_panels = Page.content_panels + [
        "intro",
        "greeting",
        "default_salutation",
        # Offers the page types registered as "write_in" (the write-in page).
        plugins.RegisteredPageChooserPanel("write_in_page", "write_in"),
    ]
    settings_panels = Page.settings_panels + ["letters_per_page"]

    parent_page_types = ["advice.HomePage"]
    subpage_types = ["advice.LetterPage"]
    subpages_published_by_review = True  # a letter made here is published by its review

    class Meta:
        verbose_name = "column"

    def get_greeting(self):
        """The greeting, or one made from the title: 'Dear PurseBop,', never 'Dear Dear …'."""
        if self.greeting:
            return self.greeting
        name = self.title.strip()
        return f"{name}," if name.lower().startswith("dear ") else f"Dear {name},"

    def routed_url(self, name, *args, request=None, full=False, **kwargs):
        """The address of the route `name` under this column (relative unless `full`)."""
        base = self.get_full_url(request) if full else self.get_url(request)
        if not base.endswith("/"):
            base += "/"
        return base + self.reverse_subpage(name, args=args, kwargs=kwargs)

    def topic_url(self, topic, request=None, full=False):
        return self.routed_url("topic", topic.slug, request=request, full=full)

    def columnist_url(self, columnist, request=None, full=False):
        return self.routed_url("columnist", columnist.slug, request=request, full=full)

    def feed_url(self, topic=None, request=None, full=False):
        """The column's feed, or the feed of one topic in the column."""
        if topic is None:
            return self.routed_url("feed", request=request, full=full)
        return self.routed_url("topic_feed", topic.slug, request=request, full=full)

    def route(self, request, path_components):
        """A letter is found by its slug with what its page shows (columnist, picture) in one
        query; Wagtail's own lookup takes two and the columnist a third."""
        if len(path_components) == 1 and self.live:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")  # a route of the column
            except Http404:
                letter = (
                    LetterPage.objects.child_of(self)
                    .select_related("columnist__portrait", "hero_image")
                    .filter(slug=path_components[0])
                    .first()
                )
                if letter is not None:
                    self._routed_request = request
                    letter._cached_parent_obj = self
                    return letter.route(request, [])
        return super().route(request, path_components)

    def listing(self):
        """The letters this column lists (live, its children, under no view restriction) as
        rows of advice.models.listing, newest first: a listing, its count and its months read
        one index of (column, date, letter), never the page tree."""
        return ListedLetter.objects.filter(column=self).order_by("-date", "-pk")

    def letters(self):
        """The column's published letters as pages, newest first (see letters_among)."""
        return (
            letters_among(self.listing())
            .select_related("columnist")
            .prefetch_related("topics")
            .order_by("-date", "-pk")
        )

    def browse(self, request):
        """The sidebar's topics (by name) and months (newest first) of the column's published
        letters, in one query of two parts: each topic tested for one letter in the column,
        and the months read from the column's listing index. Never one pass over every
        letter's topics."""
        cached = getattr(request, "_advice_browse", None)
        if cached is not None and cached[0] == self.pk:
            return cached[1]
        filed = LetterPage.topics.through.objects.alias(
            listed_id=Unindexed(F("letterpage_id"))
        ).filter(topic=OuterRef("pk"), listed_id__in=self.listing().values("pk"))
        topic_rows = (
            Topic.objects.filter(Exists(filed))
            .order_by()
            .values_list("pk", "name", "slug", "description")
        )
        month_rows = (
            self.listing()
            .order_by()
            .values_list(
                Cast(None, output_field=models.BigIntegerField()),  # typed for PostgreSQL
                YearMonth("date"),
                Value(""),
                Value(""),
            )
            .distinct()
        )
        topics, months = [], []
        for pk, name, slug, description in topic_rows.union(month_rows, all=True):
            if pk is not None:
                topics.append(Topic(pk=pk, name=name, slug=slug, description=description))
            elif name:  # a month, 'YYYY-MM'
                months.append(datetime.date(int(name[:4]), int(name[5:7]), 1))
        browse = {
            "topics": sorted(topics, key=lambda topic: topic.name),
            "months": sorted(months, reverse=True),
        }
        request._advice_browse = (self.pk, browse)
        return browse

    def render_listing(
        self,
        request,
        letters,
        heading=None,
        description="",
        feed_url=None,
        meta_description="",
        **extra,
    ):
        """One page of `letters` (the column's listing, filtered). A filtered listing
        (`heading`: a topic, a columnist, a month) is shared as itself: its own title,
        description and address, not the column's."""
        # At least 1: a 0 stored before the validator would make the paginator divide by 0.
        letters_page = page_of(
            letters,
            max(1, self.letters_per_page or 0),
            request.GET.get("page"),
            rows=letter_cards(),
        )
        letters_page.object_list = with_reply_counts(letters_page.object_list)
        page_keys.shown(request, page=letters_page.number)  # the last page for ?page=99999
        canonical_url = request.build_absolute_uri(request.path)
        if letters_page.number > 1:
            canonical_url += f"?page={letters_page.number}"
        browse = self.browse(request)
        # The sidebar's links from the column's address found once: {% routablepageurl %}
        # looks the site and the column's address up again for each of a hundred months.
        base = self.get_url(request)
        if not base.endswith("/"):
            base += "/"
        topics = [
            (topic, base + self.reverse_subpage("topic", args=[topic.slug]))
            for topic in browse["topics"]
        ]
        months = [
            (
                f"{MONTHS[month.month]} {month.year}",  # as {{ month|date:"F Y" }}, cheaper
                base
                + self.reverse_subpage(
                    "archive", kwargs={"year": year_in_url(month.year), "month": month.month}
                ),
            )
            for month in browse["months"]
        ]
        context = {
            "canonical_url": canonical_url,
            "share_title": heading and f"{heading} · {self.title}",
            "meta_description": Truncator(meta_description or description).chars(200),
            "letters": letters_page,
            # "Special orders · The Workbench", naming the column unless it bears the site's name
            "browser_title": heading
            and (heading if self.title == site_name(request) else f"{heading} · {self.title}"),
            "listing_heading": heading,
            "listing_description": description,
            "feed_url": feed_url or self.feed_url(request=request),
            "topics": topics,
            "archive_months": months,
            **extra,
        }
        return self.render(request, context_overrides=context)

    @path("", name="index")
    def index(self, request):
        return self.render_listing(request, self.listing())

    @path("topic/<slug:slug>/", name="topic")
    def topic(self, request, slug):
        topic = next((t for t in self.browse(request)["topics"] if t.slug == slug), None)
        if topic is None:  # a topic with no letter in this column yet
            topic = get_object_or_404(Topic, slug=slug)
        return self.render_listing(
            request,
            # Tested letter by letter down the date order (EXISTS on the (letter, topic) key),
            # so the first page stops at its tenth letter rather than sorting the topic's all.
            self.listing().filter(
                Exists(
                    LetterPage.topics.through.objects.filter(letterpage=OuterRef("pk"), topic=topic)
                )
            ),
            heading=topic.name,
            description=topic.description,
            meta_description=topic.description
            or f"Letters about {topic.name.lower()} in {self.title}, newest first.",
            feed_url=self.feed_url(topic, request=request),
            current_topic=topic,
        )

    @path("columnist/<slug:slug>/", name="columnist")
    def columnist(self, request, slug):
        """The columnist's page: their portrait, role and bio, then the letters they answered."""
        columnist = get_object_or_404(Columnist.objects.select_related("portrait"), slug=slug)
        return self.render_listing(
            request,
            self.listing().filter(columnist=columnist),
            heading=columnist.name,
            meta_description=html.unescape(strip_tags(columnist.bio)).strip()
            or f"Letters answered by {columnist.name} in {self.title}.",
            current_columnist=columnist,
        )

    @re_path(r"^(?P<year>\d{4})/(?:(?P<month>\d{1,2})/)?$", name="archive")
    def archive(self, request, year, month=None):
        year = int(year)
        if year < datetime.MINYEAR:  # year 0: no date has it, and the year lookup raises
            raise Http404("No such year")
        letters = self.listing().filter(date__year=year)
        if month is None:
            heading = f"Letters from {year}"
        else:
            month = int(month)
            if not 1 <= month <= 12:
                raise Http404("No such month")
            letters = letters.filter(date__month=month)
            heading = f"Letters from {datetime.date(year, month, 1):%B %Y}"
        return self.render_listing(
            request, letters, heading=heading, meta_description=f"{heading} in {self.title}."
        )

    @path("feed/", name="feed")
    def feed(self, request):
        return ColumnFeed()(request, column=self)

    @path("topic/<slug:slug>/feed/", name="topic_feed")
    def topic_feed(self, request, slug):
        return ColumnFeed()(request, column=self, topic=get_object_or_404(Topic, slug=slug))

    def get_cached_paths(self):
        """Every address of this column a CDN may keep, for the frontend-cache purge
        (pagecache.purge; Wagtail's own purge asks only for "/" by default): the archive and
        its feed, each topic's and columnist's archive, each topic's feed, each year and month.
        Later pages of a listing (?page=N) are left to expire (Cache-Control s-maxage)."""
        paths = ["/", self.reverse_subpage("feed")]
        letters = LetterPage.objects.child_of(self)
        topics = Topic.objects.filter(letters__in=letters).values_list("slug", flat=True)
        for slug in sorted(set(topics)):
            paths.append(self.reverse_subpage("topic", args=[slug]))
            paths.append(self.reverse_subpage("topic_feed", args=[slug]))
        columnists = Columnist.objects.filter(letters__in=letters).values_list("slug", flat=True)
        for slug in sorted(set(columnists)):
            paths.append(self.reverse_subpage("columnist", args=[slug]))
        years = []
        for month in self.listing().dates("date", "month", order="DESC"):
            if month.year not in years:
                years.append(month.year)
                year = year_in_url(month.year)
                paths.append(self.reverse_subpage("archive", kwargs={"year": year}))
            paths.append(
                self.reverse_subpage(
                    "archive", kwargs={"year": year_in_url(month.year), "month": month.month}
                )
            )
        return paths


class LetterPage(
    PublishedByReviewMixin, RequestRoutedMixin, OneLineTitleMixin, TakesReplies, SeoMixin, Page
):
    """One reader's letter and the columnist's answer, as structured fields (never one blob).

    The page title is the headline: the reader's question.
    """

    dek = models.CharField(
        "summary",
        max_length=300,
        blank=True,
        help_text="Optional one-sentence summary under the headline, on cards and in search.",
    )
    letter = RichTextField(
        blank=True,
        features=LETTER_FEATURES,
        validators=[validate_rich_text],
        help_text="The reader’s letter as sent, without the column’s greeting (e.g. "
        "“Dear PurseBop,”) and without the signature. Leave blank for a post that is all "
        "answer: the page then shows no letter.",
    )
    pen_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="The name the letter is signed with, e.g. “Second Guesser”. Leave blank "
        "for a letter signed without one: the answer then opens with the column’s default "
        "salutation.",
    )
    salutation = models.CharField(
        max_length=120,
        blank=True,
        help_text="Leave blank for “Dear <pen name>:”. Fill in to shorten a long pen name.",
    )
    answer = StreamField(AnswerBlock(), help_text="The columnist’s answer, after the salutation.")
    sign_off = models.CharField(
        max_length=200,
        blank=True,
        help_text="The closing line under the answer, e.g. “Good luck, and keep us posted.”",
    )
    columnist = models.ForeignKey(
        Columnist,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        help_text="Who answered: credited on the page and its author in search engines.",
    )
    date = models.DateField(
        "publication date",
        null=True,
        blank=True,
        validators=DATE_VALIDATORS,
        help_text="The date shown on the letter; the archive and the feed are ordered by it. "
        "Leave it empty and the letter’s first publication sets it (a scheduled letter gets "
        "the day it goes live); set it only to date a letter otherwise.",
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="letters")
    hero_image = hero_image_field()
    allow_replies = models.BooleanField(
        default=True, help_text="Let readers reply under this letter (replies are moderated)."
    )
    imported = models.BooleanField(
        default=False,
        editable=False,
        help_text="Brought over from another site (manage.py import_wordpress): not new, so "
        "nothing that announces new letters sends it out.",
    )

    content_panels = [
        # Wagtail's title panel (as Page.content_panels has): it fills in the slug as the
        # editor types, so a new letter saves without a slug typed by hand.
        TitleFieldPanel(
            "title",
            help_text="The reader’s question, e.g. “What happens if I reject my special order?”",
        ),
        "dek",
        MultiFieldPanel(["letter", "pen_name"], heading="The letter"),
        MultiFieldPanel(["salutation", "answer", "sign_off"], heading="The answer"),
        MultiFieldPanel(["columnist", "date", TOPICS_PANEL, "hero_image"], heading="Details"),
        InlinePanel(
            "related_links",
            label="Related reading",
            help_text="Guides and earlier letters, in order. Leave empty for automatic suggestions.",
        ),
    ]
    settings_panels = Page.settings_panels + ["allow_replies"]
    base_form_class = TopicsPageForm

    search_fields = Page.search_fields + [
        index.SearchField("dek"),
        index.SearchField("letter"),
        index.SearchField("pen_name", boost=2),
        index.SearchField("answer"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("columnist", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["advice.AdviceIndexPage"]
    subpage_types = []
    og_type = "article"
    published_by_review = True  # under "Answer review", only the review publishes it

    class Meta:
        verbose_name = "letter"
        indexes = [
            # Listings newest first (the column, its topics, the home page, search results)
            # walk this index and read only the letters they show (letters_among).
            models.Index(fields=["date", "page_ptr"], name="advice_letter_date_order"),
        ]

    def save(self, *args, **kwargs):
        """A letter with no date takes the day of its first publication, when
        it goes live, and the revision that went live says so too, so the editor's form shows
        the date the page shows."""
        if self.date is None and self.live and self.first_published_at:
            self.date = timezone.localtime(self.first_published_at).date()
            revision = self.live_revision
            if revision is not None and not revision.content.get("date"):
                revision.content["date"] = self.date.isoformat()
                revision.save(update_fields=["content"])
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "date"}
        super().save(*args, **kwargs)

    def replies_open_since(self):
        """Replies close a set number of days after the letter's date (the reply policy)."""
        return self.date or super().replies_open_since()

    def get_salutation(self, column=None):
        """The editor's salutation, else "Dear <pen name>:", else the column's default (for a
        letter signed without a pen name), else none. Pass the column when the caller has it:
        otherwise it is looked up (one query)."""
        if self.salutation:
            return self.salutation
        if self.pen_name:
            return f"Dear {self.pen_name}:"
        if column is None:
            parent = getattr(self, "column", None) or self.get_parent()
            column = parent.specific if parent is not None else None
        return getattr(column, "default_salutation", "")

    def get_related_reading(self, request=None):
        """The editors' picks in their order, each labelled (guide, letter or elsewhere) with
        its summary: one query, the summaries joined from whichever page type it is."""
        links = self.related_links.all()
        if isinstance(links, models.QuerySet):
            links = (
                links.select_related("link_page")
                .annotate(
                    page_summary=Coalesce(
                        F("link_page__guidepage__dek"), F("link_page__letterpage__dek")
                    )
                )
                .order_by("sort_order", "pk")
            )
        else:  # a preview: the editor's links, in memory
            links = list(links)
            pages = Page.objects.filter(pk__in=[link.link_page_id for link in links]).specific()
            pages = {page.pk: page for page in pages}
            for link in links:
                link.link_page = pages.get(link.link_page_id)
                link.page_summary = getattr(link.link_page, "dek", "")
        restricted = restricted_paths(request) if request is not None else None
        items = []
        for link in links:
            page = link.link_page
            if page is None:
                items.append(
                    {
                        "title": link.label or link.external_url,
                        "url": link.external_url,
                        "kind": "Elsewhere",
                    }
                )
                continue
            if not page.live:
                continue
            if restricted is None:
                if not Page.objects.filter(pk=page.pk).public().exists():
                    continue
            elif any(page.path.startswith(path) for path in restricted):
                continue
            items.append(
                {
                    "title": link.label or page.title,
                    "url": page.get_url(request),
                    "page": page,
                    "kind": page.specific_class._meta.verbose_name.capitalize(),
                    "summary": link.page_summary or "",
                }
            )
        return items

    def more_on_topics(self, request=None, leave_out=(), limit=3):
        """Other published letters sharing this letter's topics, most shared first, then
        newest: one query (none when the letter has no topic)."""
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        return list(
            public(LetterPage.objects.live(), request)
            .exclude(pk__in=[pk for pk in (self.pk, *leave_out) if pk])
            .filter(topics__in=topic_ids)
            .annotate(shared=Count("topics"))
            .only("title", "url_path", "path", "depth", "dek", "date", "pen_name")
            .order_by("-shared", "-date", "-pk")[:limit]
        )

    def neighbours(self, column):
        """(older, newer): the letters the column lists just before and after this one by
        date, in one query (each found on the column's listing index)."""
        if self.date is None or self.pk is None:
            return None, None
        siblings = column.listing()
        after = Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk)
        before = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        newer = siblings.filter(after).order_by("date", "pk").values("pk")[:1]
        older = siblings.filter(before).order_by("-date", "-pk").values("pk")[:1]
        found = LetterPage.objects.filter(Q(pk=Subquery(newer)) | Q(pk=Subquery(older))).only(
            "title", "url_path", "path", "depth", "date"
        )
        older_page = newer_page = None
        for page in found:
            if (page.date, page.pk) > (self.date, self.pk):
                newer_page = page
            else:
                older_page = page
        return older_page, newer_page

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.pk and not getattr(request, "is_preview", False):
            # The topics once for the kicker, the JSON-LD and the suggestions (a preview's
            # are the editor's, in memory).
            prefetch_related_objects([self], "topics")
        column = self.get_parent().specific
        related = self.get_related_reading(request)
        picked = [item["page"].pk for item in related if item.get("page")]
        context["related_reading"] = related
        context["more_on_topics"] = self.more_on_topics(request, leave_out=picked)
        context["older_letter"], context["newer_letter"] = self.neighbours(column)
        context["column"] = column
        return context

    def serve(self, request, *args, **kwargs):
        """Once rendered, the page of replies and the order it showed (the last page for
        ?replies=99999) are told to the page cache, which keeps the page under them."""
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(lambda rendered: self._replies_shown(request))
        return response

    def _replies_shown(self, request):
        threads = shown_threads(request, self)
        if threads is not None:
            page_keys.shown(request, replies=threads.page.number, sort=threads.sort)


class LetterRelatedLink(Orderable):
    """One item of a letter's related reading: a page on this site or an external link."""

    letter = ParentalKey(LetterPage, on_delete=models.CASCADE, related_name="related_links")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="page",
        help_text="A guide or an earlier letter.",
    )
    external_url = models.URLField("external link", blank=True, help_text="Or a page elsewhere.")
    label = models.CharField(
        max_length=200, blank=True, help_text="Optional: the link text (default: the page’s title)."
    )

    panels = [
        PageChooserPanel("link_page", ["advice.GuidePage", "advice.LetterPage"]),
        "external_url",
        "label",
    ]

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.external_url):
            raise ValidationError("Choose a page or enter an external link (one of the two).")
        if self.external_url and not self.label:
            raise ValidationError({"label": "An external link needs its link text."})


class GuideIndexPage(RequestRoutedMixin, OneLineTitleMixin, SeoMixin, Page):
    """The list of evergreen guides."""

    intro = RichTextField(
        blank=True,
        features=LETTER_FEATURES,
        validators=[validate_rich_text],
        help_text="Shown above the guides.",
    )

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["advice.HomePage"]
    subpage_types = ["advice.GuidePage"]

    class Meta:
        verbose_name = "guide index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = with_card_images(
            GuidePage.objects.live().public().child_of(self).order_by("-date", "-pk")
        )
        return context


class GuidePage(RequestRoutedMixin, OneLineTitleMixin, SeoMixin, Page):
    """An evergreen guide (e.g. "Insider's Guide to Hermès Special Orders"); it lists the
    letters that point readers to it."""

    dek = models.CharField(
        "summary",
        max_length=300,
        blank=True,
        help_text="One sentence under the title and on cards.",
    )
    body = StreamField(GuideBodyBlock())
    columnist = models.ForeignKey(
        Columnist,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        help_text="The author, credited on the page.",
    )
    date = models.DateField(
        "publication date", default=datetime.date.today, validators=DATE_VALIDATORS
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="guides")
    hero_image = hero_image_field()

    content_panels = Page.content_panels + [
        "dek",
        "body",
        MultiFieldPanel(["columnist", "date", TOPICS_PANEL, "hero_image"], heading="Details"),
    ]
    base_form_class = TopicsPageForm
    search_fields = Page.search_fields + [
        index.SearchField("dek"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["advice.GuideIndexPage"]
    subpage_types = []
    og_type = "article"

    class Meta:
        verbose_name = "guide"

    def citing_letters(self):
        return (
            LetterPage.objects.live()
            .public()
            .filter(related_links__link_page=self)
            .distinct()
            .order_by("-date")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["citing_letters"] = self.citing_letters()
        return context
