"""What a reader sends (a ReaderLetter) and the page they send it from (WriteInPage).

The reader's text is kept exactly as sent: the draft LetterPage made from it is the editors'
copy. Their email address is never published, shown only to holders of guard's "Can see
readers’ addresses" (guard.permissions), and erased by `mailbag_cleanup` once it has served."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.fields import RichTextField
from wagtail.models import Page

from advice.models import AdviceIndexPage, LetterPage, Topic
from advice.models.mixins import OneLineTitleMixin
from guard.links import outside_addresses
from guard.richtext import validate_rich_text
from mailbag.forms import LetterForm

NEXT_STEPS = (
    "<p>Your letter goes to the editors, not onto the site. They read every letter, but can "
    "answer only a few: if yours is chosen, it may be shortened or edited for clarity and is "
    "published under your pen name, never your real name or email address.</p>"
    "<p>Answers usually take two to six weeks. If you asked to be told, we email you once, "
    "when the answer is published, with a private link to reply under it as the letter "
    "writer. We do not reply to letters one by one.</p>"
)


def write_to(column):
    """ "Write to <column>": the column's title without a leading "Dear ", so "Dear PurseBop"
    gives "Write to PurseBop" and "The Workbench" "Write to The Workbench"."""
    name = column.title.strip()
    if name.lower().startswith("dear "):
        name = name[5:].strip()
    return f"Write to {name}"


class WriteInPage(RoutablePageMixin, OneLineTitleMixin, Page):
    """ "Write to <column>": the form readers send letters to one column with, under that
    column ("/dear-pursebop/write/"); the column points at it through its `write_in_page`
    chooser. A letter sent here is filed under the column, and the form offers the column's
    topics only."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        validators=[validate_rich_text],
        help_text="A sentence or two above the form inviting readers to write.",
    )
    next_steps = RichTextField(
        blank=True,
        default=NEXT_STEPS,
        features=["bold", "italic", "link"],
        validators=[validate_rich_text],
        help_text="What happens after a letter is sent and how long it may take: shown beside "
        "the form and on the page readers see once they have sent it.",
    )

    content_panels = Page.content_panels + ["intro", "next_steps"]

    # Only under a column: a page made under the home page before columns held their own
    # stays where it is and keeps working (its column is the one whose chooser picks it);
    # the demo loader moves the demo's old one.
    parent_page_types = ["advice.AdviceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "write-in page"

    def get_column(self):
        """The column this page is under, else the column whose write-in chooser picks it,
        else None. Kept on the instance: the page, its form and the letter stored ask it."""
        if not hasattr(self, "_column"):
            column = None
            parent = getattr(self, "_cached_parent_obj", None)  # set when the page was routed
            if isinstance(parent, AdviceIndexPage):
                column = parent
            elif parent is None and self.path and self.depth > 1:
                column = AdviceIndexPage.objects.filter(path=self.path[: -self.steplen]).first()
            if column is None and self.pk:
                column = AdviceIndexPage.objects.filter(write_in_page=self).first()
            if column is not None and column.write_in_page_id == self.pk:
                column.write_in_page = self  # its link in the navigation costs no query
            self._column = column
        return self._column

    def heading(self):
        """ "Write to <column>" (write_to); the page's own title without a column."""
        column = self.get_column()
        return self.title if column is None else write_to(column)

    def column_topics(self):
        """The topics the form offers: those of at least one letter the column lists (live,
        under no view restriction), by name; none without a column. Kept on the instance."""
        if not hasattr(self, "_topics"):
            column = self.get_column()
            if column is None:
                self._topics = []
            else:
                filed = LetterPage.topics.through.objects.filter(
                    topic=OuterRef("pk"),
                    letterpage_id__in=column.listing().order_by().values("pk"),
                )
                self._topics = list(Topic.objects.filter(Exists(filed)).order_by("name"))
        return self._topics

    def letter_form(self, data=None):
        return LetterForm(data=data, topics=self.column_topics())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if "form" not in context:
            context["form"] = self.letter_form()
        context["column"] = self.get_column()
        return context

    @path("", name="index")
    def index(self, request):
        return self.render(request)

    @path("sent/", name="sent")
    def sent(self, request):
        return self.render(
            request,
            template="mailbag/write_in_sent.html",
            context_overrides={"column": self.get_column()},
        )


class ReaderLetterStatus(models.TextChoices):
    NEW = "new", "New"
    SHORTLISTED = "shortlisted", "Shortlisted"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class ReaderLetter(models.Model):
    """One reader's letter, as sent."""

    page = models.ForeignKey(
        WriteInPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    column = models.ForeignKey(
        AdviceIndexPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where its draft letter is made.",
    )
    pen_name = models.CharField(max_length=80)
    letter = models.TextField(help_text="The reader’s text exactly as sent; never edited.")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(
        max_length=254, blank=True, help_text="Never published; erased once it has served."
    )
    notify_on_answer = models.BooleanField(default=False)
    consent = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12,
        choices=ReaderLetterStatus.choices,
        default=ReaderLetterStatus.NEW,
        db_index=True,
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    draft = models.OneToOneField(
        "advice.LetterPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_letter",
    )
    writer_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    decline_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "reader letter"
        verbose_name_plural = "reader letters"

    def __str__(self):
        # Never the email address: this is what choosers, history and logs show.
        return f"Letter from {self.pen_name} ({self.submitted_at:%-d %b %Y})"

    @property
    def excerpt(self):
        words = self.letter.split()
        return " ".join(words[:20]) + (" …" if len(words) > 20 else "")


class MailbagSettings(BaseSiteSetting):
    """The emails writers get, which editors may reword."""

    decline_subject = models.CharField(
        max_length=200, default="Thank you for your letter to {column}"
    )
    decline_body = models.TextField(
        default=(
            "Dear {pen_name},\n\n"
            "Thank you for writing to {column}. We read every letter, and we were glad to "
            "read yours. We can answer only a few of the many we receive, and we will not be "
            "able to answer this one in the column.\n\n"
            "We hope you find what you need among the answers already published, and that "
            "you will write again.\n\n"
            "With best wishes,\nThe editors"
        ),
        help_text="{pen_name} and {column} are replaced by the letter’s pen name and column.",
    )
    answered_subject = models.CharField(
        max_length=200, default="Your letter to {column} has been answered"
    )

    panels = ["decline_subject", "decline_body", "answered_subject"]

    class Meta:
        verbose_name = "reader letter emails"

    def clean(self):
        """These emails go to readers under the site's name: a link in them may lead only to
        the site itself, so a phishing address cannot ride on our sender."""
        super().clean()
        host = self.site.hostname if self.site_id else ""
        errors = {}
        for name in ("decline_subject", "decline_body", "answered_subject"):
            outside = outside_addresses(getattr(self, name), host)
            if outside:
                errors[name] = (
                    f"Links in readers’ emails may lead only to this site ({host}). Remove "
                    + ", ".join(f"“{address}”" for address in outside)
                    + "."
                )
        if errors:
            raise ValidationError(errors)


def retention_days():
    return int(getattr(settings, "MAILBAG_DECLINED_RETENTION_DAYS", 90))
