from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.fields import RichTextField
from wagtail.models import Site

from guard.richtext import validate_rich_text
from guard.rules import word_list

# Upper bounds on the numbers a moderator sets: past them a number stops meaning anything for
# a column and starts breaking pages (a closing period of 2,932,896 days ran past year 9999).
MAX_LINK_LIMIT = 100
MAX_CLOSE_AFTER_DAYS = 3650  # ten years; letters are dated so that date + this never overflows
MAX_REPORT_THRESHOLD = 1000
MAX_THREADS_PER_PAGE = 200


class ReplyPolicy(BaseSiteSetting):
    """The house rules for reader replies, read when each reply arrives.

    Edited by moderators in the admin; xtd's own settings are read once at import, so
    everything a moderator may change lives here instead.
    """

    HOLD_ALL = "hold_all"
    HOLD_UNTRUSTED = "hold_untrusted"
    MODE_CHOICES = [
        (HOLD_ALL, "Hold every reply for a moderator"),
        (HOLD_UNTRUSTED, "Publish replies from trusted readers at once; hold the rest"),
    ]
    EACH = "each"
    DIGEST = "digest"

    mode = models.CharField(
        max_length=20,
        choices=MODE_CHOICES,
        default=HOLD_ALL,
        help_text="A reader is trusted once an earlier reply was approved and they confirmed "
        "their email address through the link in the “published” email.",
    )
    link_limit = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(MAX_LINK_LIMIT)],
        help_text="Hold any reply with this many links or more, whoever wrote it (0: no limit; "
        f"at most {MAX_LINK_LIMIT}).",
    )
    suspect_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line: a reply containing one is always held.",
    )
    banned_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line: a reply containing one is filed as spam "
        "(stored, never shown).",
    )
    close_after_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_CLOSE_AFTER_DAYS)],
        help_text="Close replies this many days after a letter’s date (0: never; at most "
        f"{MAX_CLOSE_AFTER_DAYS}, ten years).",
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(MAX_REPORT_THRESHOLD)],
        help_text="After this many reports from different readers a published reply goes "
        f"back to the moderation queue (0: never; at most {MAX_REPORT_THRESHOLD}).",
    )
    threads_per_page = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THREADS_PER_PAGE)],
        help_text="Top-level replies shown per page under a letter (at least 1, at most "
        f"{MAX_THREADS_PER_PAGE}).",
    )
    moderator_emails = models.CharField(
        max_length=10,
        choices=[(EACH, "One email per held reply"), (DIGEST, "A daily digest")],
        default=EACH,
        help_text="How moderators hear about held replies.",
    )
    guidelines = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        validators=[validate_rich_text],
        default="<p>Be kind and stay on topic. Please do not share personal details or links "
        "to sales.</p>",
        help_text="Shown above the reply form. (The form itself says how replies are moderated.)",
    )

    class Meta:
        verbose_name = "reply policy"

    @classmethod
    def for_site(cls, site):
        """The site's stored policy, or the defaults unsaved until a moderator saves them in
        the admin. Wagtail's own for_site() is a get_or_create: the first letter page viewed
        wrote the row, and waited behind any writer holding the database."""
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    @classmethod
    def for_target(cls, target, request=None):
        """The policy in force for replies to `target`: the request's site's (read once per
        request and kept on it), else the target's site's, else the default site's."""
        if request is not None and Site.find_for_request(request) is not None:
            return cls.for_request(request)
        site = target.get_site() if target is not None else None
        return cls.for_site(site or Site.objects.filter(is_default_site=True).first())

    def suspect_word_list(self):
        return word_list(self.suspect_words)

    def banned_word_list(self):
        return word_list(self.banned_words)

    @property
    def holds_everything(self):
        return self.mode == self.HOLD_ALL

    @property
    def emails_each_held_reply(self):
        return self.moderator_emails == self.EACH
