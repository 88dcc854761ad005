"""The site's root page: latest answers, featured guides, topics, the invitation to write in."""

from django.db import models
from django.db.models import F, Func, OuterRef, Subquery
from django.http import Http404
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from advice import plugins
from advice.models.columns import AdviceIndexPage
from advice.models.letters import LetterPage
from advice.models.listing import ListedLetter
from advice.models.mixins import LETTER_FEATURES, OneLineTitleMixin, SeoMixin
from advice.models.queries import Unindexed, letters_among, with_card_images
from advice.models.routing import RequestRoutedMixin, home_children, restricted_paths, section
from advice.models.snippets import Topic
from comments.threads import with_reply_counts
from guard.richtext import validate_rich_text

FOOTER_TEXT = (
    "Dear PurseBop answers readers’ questions about luxury handbags: buying, caring, waiting "
    "and deciding."
)


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
        child = section(child)
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The columns from the home page's children, which the navigation, the feeds' links
        # and the subscribe form read too: one query for all of them.
        restricted = restricted_paths(request)
        columns = [
            section(child)
            for child in home_children(request, self)
            if child.live
            and child.specific_class is AdviceIndexPage
            and not any(child.path.startswith(path) for path in restricted)
        ]
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
        context["featured_guides"] = self.shown_guides(restricted)
        topics = self.topics_by_column(columns, request)
        for column in columns:
            column.topic_counts = topics.get(column.path, [])
        context["columns"] = columns
        context["topic_columns"] = [column for column in columns if column.topic_counts]
        return context

    def shown_guides(self, restricted):
        """The featured guides in their order, live and under no view restriction: the
        choices and their guides in one query (a preview's choices are the editor's)."""
        featured = self.featured_guides.all()
        if isinstance(featured, models.QuerySet):
            featured = featured.select_related("guide")
        guides = [item.guide for item in featured if item.guide_id]
        return [
            guide
            for guide in guides
            if guide.live and not any(guide.path.startswith(path) for path in restricted)
        ]

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
