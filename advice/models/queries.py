"""The SQL the column's listings share: letters read through the (date, id) index, cards with
their pictures in one query, a month as text."""

import datetime

from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Prefetch, Value
from django.db.models.functions import Cast
from wagtail.images import get_image_model

from advice.models.letters import LetterPage
from advice.models.snippets import Topic

CARD_RENDITION = "fill-640x400"


def with_card_images(queryset):
    """Each page's hero image (joined) and its card rendition (one query), not two per page."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_RENDITION)
    return queryset.select_related("hero_image").prefetch_related(
        Prefetch("hero_image__renditions", queryset=renditions)
    )


# The renditions a letter's or a guide's own page shows of its picture: the sharing image
# (base.html) and the picture at the top of the page.
HERO_RENDITIONS = ("fill-1200x630", "fill-1200x600")


def with_hero_renditions(queryset):
    """Each page's hero image (joined) and the renditions its own page shows (one query)."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=HERO_RENDITIONS)
    )
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


def topics_and_months(listing):
    """The topics (unsorted) and months (first days, unsorted) of the letters of `listing` (a
    column's ListedLetter rows), in one query of two parts: each topic tested for one letter
    of the listing, and the months read from the listing's index."""
    filed = LetterPage.topics.through.objects.alias(listed_id=Unindexed(F("letterpage_id"))).filter(
        topic=OuterRef("pk"), listed_id__in=listing.values("pk")
    )
    topic_rows = (
        Topic.objects.filter(Exists(filed))
        .order_by()
        .values_list("pk", "name", "slug", "description")
    )
    month_rows = (
        listing.order_by()
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
    return topics, months
