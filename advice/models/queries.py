"""The SQL the column's listings share: letters read through the (date, id) index, cards with
their pictures in one query, the sidebar's topics and months."""

import datetime

from django.db import connection
from django.db.models import F, Func, IntegerField, Prefetch
from django.db.models.expressions import RawSQL
from wagtail.images import get_image_model

from advice.models.letters import LetterPage
from advice.models.listing import ListedLetter
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


# A date's first day of its month, as each database writes it: (SQL, its one parameter).
MONTH_START = {
    "sqlite": ("date({}, %s)", "start of month"),
    "postgresql": ("CAST(date_trunc(CAST(%s AS text), {}) AS date)", "month"),
}


def topics_and_months(column_id):
    """The topics (unsorted) and months (first days, newest first) of the letters a column
    lists, in one query of two parts, neither a pass over the column's letters:

    - each topic walks its own letters (the topics' index) until one is listed in the column
      (the listed letters' key): written as a CROSS JOIN, SQLite keeps that order, where it
      otherwise walked the column's letters for each topic, all of them for a topic the
      column has none of; and as a scalar subquery with LIMIT 1, not EXISTS, which
      PostgreSQL planned as a hash of each topic's letters (110 ms at 100,000 letters);
    - the months step back through the listing's (column, date) index, one look-up a month
      (a recursive query), where DISTINCT months read every listed letter.

    On the 10,000-letter benchmark (SQLite) the query went from 31 ms to under 1 ms."""
    through = LetterPage.topics.through._meta.db_table
    listed = ListedLetter._meta.db_table
    topic = Topic._meta.db_table
    month_start, unit = MONTH_START[connection.vendor]
    month_start = month_start.format("months.day")
    sql = f"""
        WITH RECURSIVE months(day) AS (
            SELECT max("date") FROM {listed} WHERE column_id = %s
            UNION ALL
            SELECT (
                SELECT max(earlier."date") FROM {listed} earlier
                WHERE earlier.column_id = %s AND earlier."date" < {month_start}
            ) FROM months WHERE months.day IS NOT NULL
        )
        SELECT t.id, t.name, t.slug, t.description, NULL FROM {topic} t
        WHERE (
            SELECT 1 FROM {through} filed CROSS JOIN {listed} letter
            WHERE filed.topic_id = t.id AND letter.letter_id = filed.letterpage_id
            AND letter.column_id = %s LIMIT 1
        ) IS NOT NULL
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, day FROM months WHERE day IS NOT NULL
    """
    topics, months = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, [column_id, column_id, unit, column_id])
        for pk, name, slug, description, day in cursor.fetchall():
            if pk is not None:
                topics.append(Topic(pk=pk, name=name, slug=slug, description=description))
            else:  # a month's last letter's date (a date, or ISO text on SQLite)
                day = str(day)
                months.append(datetime.date(int(day[:4]), int(day[5:7]), 1))
    return topics, months


def topic_total(column_id, topic_id):
    """How many letters on a topic a column lists, as an expression (a topic page's total):
    the topic's letters walked on the topics' index, each looked up among the listed letters
    by key (a CROSS JOIN: SQLite keeps its order). Counted down the column's listing instead,
    every listed letter was tested for the topic: 38 ms a topic page at 100,000 letters."""
    through = LetterPage.topics.through._meta.db_table
    listed = ListedLetter._meta.db_table
    sql = (
        f"SELECT count(*) FROM {through} filed CROSS JOIN {listed} letter "
        "WHERE filed.topic_id = %s AND letter.letter_id = filed.letterpage_id "
        "AND letter.column_id = %s"
    )
    return RawSQL(sql, [topic_id, column_id], output_field=IntegerField())
