"""The guides: evergreen pages (e.g. "Insider's Guide to Hermès Special Orders") and their
index."""

import datetime

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from advice.blocks import GuideBodyBlock
from advice.models.letters import LetterPage
from advice.models.limits import DATE_VALIDATORS
from advice.models.mixins import (
    LETTER_FEATURES,
    TOPICS_PANEL,
    OneLineTitleMixin,
    SeoMixin,
    hero_image_field,
)
from advice.models.queries import with_card_images, with_hero_renditions
from advice.models.routing import RequestRoutedMixin, public
from advice.models.snippets import Columnist, Topic
from advice.page_forms import TopicsPageForm
from guard.richtext import validate_rich_text


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

    def route(self, request, path_components):
        """A guide is found by its slug with what its page shows (author, picture and its
        renditions, topics) in one query and two prefetches; Wagtail's own lookup takes two,
        and the page then reads each of them on its own."""
        if len(path_components) == 1 and self.live:
            guide = (
                with_hero_renditions(GuidePage.objects.child_of(self).select_related("columnist"))
                .prefetch_related("topics")
                .filter(slug=path_components[0])
                .first()
            )
            if guide is not None:
                self._routed_request = request
                guide._cached_parent_obj = self
                return guide.route(request, [])
        return super().route(request, path_components)

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

    def citing_letters(self, request=None):
        return (
            public(LetterPage.objects.live(), request)
            .filter(related_links__link_page=self)
            .distinct()
            .order_by("-date")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["citing_letters"] = self.citing_letters(request)
        return context
