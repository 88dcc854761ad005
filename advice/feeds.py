"""RSS feeds for a column and for each of its topics (routed by AdviceIndexPage)."""

import datetime
import html

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator


def plain(rich_text):
    """Rich text as the text a reader sees: tags stripped, entities decoded."""
    return html.unescape(strip_tags(rich_text or ""))


class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed
    items_limit = 20

    def get_object(self, request, column, topic=None):
        self.request = request
        return column, topic

    def title(self, obj):
        column, topic = obj
        return f"{column.title}: {topic.name}" if topic else column.title

    def link(self, obj):
        # Absolute URLs from the Wagtail Site, like the pages' canonical links: Django would
        # otherwise prefix relative ones with django.contrib.sites' domain (example.com).
        column, topic = obj
        if topic:
            return column.topic_url(topic, request=self.request, full=True)
        return column.get_full_url(self.request)

    def feed_url(self, obj):
        column, topic = obj
        return column.feed_url(topic, request=self.request, full=True)

    def description(self, obj):
        # Feed readers render descriptions as HTML: text is escaped so it shows as typed.
        column, topic = obj
        if topic:
            return escape(topic.description or f"Letters about {topic.name.lower()}.")
        return escape(plain(column.intro) or f"The newest letters in {column.title}.")

    def items(self, obj):
        column, topic = obj
        letters = column.letters(self.request)
        if topic:
            letters = letters.filter(topics=topic)
        return letters[: self.items_limit]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """HTML, as feed readers read it: the summary (or the letter's first words) escaped,
        so markup an editor typed is shown as text, never run."""
        return escape(item.dek or Truncator(plain(item.letter)).words(40))

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        # The editorial date readers see, at a fixed hour: stable across re-publishing.
        if item.date is None:  # not yet set: only a letter never published has none
            return item.first_published_at
        return datetime.datetime.combine(item.date, datetime.time(9, 0), tzinfo=datetime.UTC)

    def item_author_name(self, item):
        return item.columnist.name if item.columnist else None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
