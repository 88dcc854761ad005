"""A letter: one reader's letter and the columnist's answer, and its related reading."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import InlinePanel, MultiFieldPanel, PageChooserPanel, TitleFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from advice import plugins
from advice.blocks import AnswerBlock
from advice.models.limits import DATE_VALIDATORS
from advice.models.listing import ListedLetter
from advice.models.mixins import (
    LETTER_FEATURES,
    TOPICS_PANEL,
    OneLineTitleMixin,
    SeoMixin,
    hero_image_field,
)
from advice.models.routing import RequestRoutedMixin, restricted_paths
from advice.models.snippets import Columnist, Topic
from advice.models.workflows import PublishedByReviewMixin
from advice.page_forms import TopicsPageForm
from comments.targets import TakesReplies
from comments.threads import shown_threads
from guard.richtext import validate_rich_text
from pagecache import keys as page_keys

# How many of the newest letters on a letter's topics its suggestions are ranked among.
SUGGESTION_CANDIDATES = 60


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
        # What apps above the column show an editor first (the reader letter a draft was
        # made from); nothing on most letters.
        plugins.RegisteredEditorPanel("letter"),
        # Wagtail's title panel (as Page.content_panels has): it fills in the slug as the
        # editor types, so a new letter saves without a slug typed by hand.
        TitleFieldPanel(
            "title",
            help_text="The reader’s question, e.g. “What happens if I reject my special order?”",
        ),
        "dek",
        MultiFieldPanel(["letter", "pen_name"], heading="The letter"),
        MultiFieldPanel(["salutation", "answer", "sign_off"], heading="The answer"),
        # What apps above the column let the editor set about the answer (the email cut).
        plugins.RegisteredFormPanels("email"),
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
    # The column a card names, set by the home page when it lists several columns' letters.
    # None here so a card's template finds it without a failed lookup: Django's template
    # engine then calls dir() on the page, about 2 ms a card.
    column = None
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

    def more_on_topics(self, leave_out=(), limit=3):
        """Other published letters sharing this letter's topics, most shared first, then
        newest, ranked among the newest SUGGESTION_CANDIDATES letters on those topics: one
        query (none when the letter has no topic).

        The candidates are read newest first from the listing's date index, each tested
        against its topics' index, so the cost follows the bound and how common the topics
        are, never how many letters a topic has (ranking every letter of two topics cost 16 ms
        of a 10,000-letter site's letter page, and grew with it). Listed letters are the
        live ones under no view restriction, as `public` keeps."""
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        filed = LetterPage.topics.through.objects.filter(
            letterpage_id=OuterRef("letter_id"), topic_id__in=topic_ids
        )
        candidates = (
            ListedLetter.objects.filter(Exists(filed))
            .exclude(letter_id__in=[pk for pk in (self.pk, *leave_out) if pk])
            .order_by("-date", "-letter_id")
            .values("letter_id")[:SUGGESTION_CANDIDATES]
        )
        return list(
            LetterPage.objects.filter(pk__in=candidates, topics__in=topic_ids)
            .annotate(shared=Count("topics"))
            .only("title", "url_path", "path", "depth", "dek", "date", "pen_name")
            .order_by("-shared", "-date", "-pk")[:limit]
        )

    def neighbours(self, column):
        """(older, newer): the letters the column lists just before and after this one by
        date, in one query (each found on the column's listing index). Each side also names
        its bound alone (date on or after, on or before), which lets the database start the
        index's range at this letter's date instead of walking from the far end."""
        if self.date is None or self.pk is None:
            return None, None
        siblings = column.listing()
        after = Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk)
        before = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        newer = siblings.filter(after, date__gte=self.date).order_by("date", "pk")
        older = siblings.filter(before, date__lte=self.date).order_by("-date", "-pk")
        found = LetterPage.objects.filter(
            Q(pk=Subquery(newer.values("pk")[:1])) | Q(pk=Subquery(older.values("pk")[:1]))
        ).only("title", "url_path", "path", "depth", "date")
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
        context["more_on_topics"] = self.more_on_topics(leave_out=picked)
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
