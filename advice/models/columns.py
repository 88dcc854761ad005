"""A column ("Dear PurseBop"): its archive and the archive's filters, routes and feeds."""

import datetime
import html

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.dates import MONTHS
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from advice import plugins
from advice.feeds import ColumnFeed
from advice.models.letters import LetterPage
from advice.models.limits import MAX_LETTERS_PER_PAGE, year_in_url
from advice.models.listing import ListedLetter
from advice.models.mixins import LETTER_FEATURES, OneLineTitleMixin, SeoMixin
from advice.models.queries import (
    letter_cards,
    letters_among,
    topic_total,
    topics_and_months,
    with_hero_renditions,
)
from advice.models.routing import RequestRoutedMixin
from advice.models.snippets import Columnist, Topic
from advice.models.workflows import PublishedByReviewMixin
from advice.paginator import ListingPaginator
from advice.sites import site_name
from comments.threads import with_reply_counts
from guard.richtext import validate_rich_text
from pagecache import keys as page_keys


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
    # Letters, and the page types apps above the column register under it (the write-in page).
    subpage_types = plugins.SubpageTypes("advice.LetterPage")
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
        query and its picture's renditions in a second; Wagtail's own lookup takes two, the
        columnist a third and each rendition one more."""
        if len(path_components) == 1 and self.live:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")  # a route of the column
            except Http404:
                letter = (
                    with_hero_renditions(
                        LetterPage.objects.child_of(self).select_related("columnist__portrait")
                    )
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
        letters, in one query (topics_and_months), once per request. Never one pass over
        every letter's topics."""
        cached = getattr(request, "_advice_browse", None)
        if cached is not None and cached[0] == self.pk:
            return cached[1]
        topics, months = topics_and_months(self.pk)
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
        total=None,
        **extra,
    ):
        """One page of `letters` (the column's listing, filtered). A filtered listing
        (`heading`: a topic, a columnist, a month) is shared as itself: its own title,
        description and address, not the column's. `total`: how the listing is counted, when
        not by COUNT over it (ListingPaginator)."""
        # At least 1: a 0 stored before the validator would make the paginator divide by 0.
        paginator = ListingPaginator(
            letters, max(1, self.letters_per_page or 0), rows=letter_cards(), total=total
        )
        letters_page = paginator.get_page(request.GET.get("page"))
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
        current_month = extra.get("current_month")  # (year, month) on a month's archive
        months = [
            (
                f"{MONTHS[month.month]} {month.year}",  # as {{ month|date:"F Y" }}, cheaper
                base
                + self.reverse_subpage(
                    "archive", kwargs={"year": year_in_url(month.year), "month": month.month}
                ),
                (month.year, month.month) == current_month,
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
            total=topic_total(self.pk, topic.pk),
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
            request,
            letters,
            heading=heading,
            meta_description=f"{heading} in {self.title}.",
            current_month=(year, month) if month else None,
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
