"""Snippets shared across the column: topics and columnists."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from wagtail.fields import RichTextField
from wagtail.search import index

from guard.richtext import validate_rich_text


class Topic(index.Indexed, models.Model):
    """A subject letters and guides are filed under; each has an archive in every column."""

    name = models.CharField(
        max_length=80, unique=True, help_text="As readers see it, e.g. “Special orders”."
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Its archive’s address in every column, e.g. /dear-pursebop/topic/<slug>/. "
        "Changing it leaves a redirect.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the topic’s archive page."
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Columnist(index.Indexed, models.Model):
    """Who answers letters. Linking a user account gives that user's replies the badge."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Its archive’s address in every column, e.g. /dear-pursebop/columnist/<slug>/. "
        "Changing it leaves a redirect.",
    )
    role = models.CharField(max_length=80, default="Columnist", help_text="Shown beside the name.")
    bio = RichTextField(
        features=["bold", "italic", "link"],
        validators=[validate_rich_text],
        blank=True,
        help_text="Two or three sentences.",
    )
    portrait = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="columnist",
        help_text="Optional: the account this columnist signs in with.",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
