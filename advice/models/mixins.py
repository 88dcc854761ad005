"""What the column's page types share: one-line titles, the description and sharing tags,
the rich-text features of their short texts, the hero image and the topics panel."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.admin.panels import FieldPanel

from advice.page_forms import MAX_TOPICS_PER_LETTER, TopicCheckboxes
from guard import text as text_rules

LETTER_FEATURES = ["bold", "italic", "link"]

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
