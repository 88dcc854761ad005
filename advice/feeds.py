"""RSS feeds for a column and for each of its topics (routed by AdviceIndexPage)."""

import datetime
import html
from urllib.parse import urljoin

import bleach
from bleach.html5lib_shim import Filter
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

# What a letter in full may carry into a feed reader: the answer blocks' markup and nothing
# that runs. The letter's text came from a reader, so the whole item is cleaned, not trusted.
FULL_TEXT_TAGS = {
    "a", "b", "blockquote", "br", "em", "figcaption", "figure", "h2", "h3", "i", "li", "ol",
    "p", "strong", "ul", "img",
}  # fmt: skip
# The reader's letter: text, emphasis and links only, whatever a script or import stored.
LETTER_TAGS = {"a", "b", "br", "em", "i", "li", "ol", "p", "strong", "ul"}
FULL_TEXT_ATTRIBUTES = {"a": ["href"], "img": ["src", "alt", "width", "height"]}


def plain(rich_text):
    """Rich text as the text a reader sees: tags stripped, entities decoded."""
    return html.unescape(strip_tags(rich_text or ""))


class AbsoluteURLs(Filter):
    """Feed readers show an item away from the site: every href and src is made absolute
    (rich text links and image renditions are stored or rendered as site-relative paths)."""

    base = ""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["data"]:
                for key in [k for k in token["data"] if k[1] in ("href", "src")]:
                    token["data"][key] = urljoin(self.base, token["data"][key])
            yield token


def full_text_html(markup, base_url):
    """Sanitised HTML with absolute addresses, for <content:encoded>."""
    absolute = type("ItemURLs", (AbsoluteURLs,), {"base": base_url})
    cleaner = bleach.Cleaner(
        tags=FULL_TEXT_TAGS,
        attributes=FULL_TEXT_ATTRIBUTES,
        protocols={"http", "https", "mailto"},
        strip=True,
        strip_comments=True,
        filters=[absolute],
    )
    return cleaner.clean(markup).strip()


class FullTextRss(Rss201rev2Feed):
    """RSS 2.0 with the content module: each item carries the letter and answer in full in
    <content:encoded>; <description> stays the short summary."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class ColumnFeed(Feed):
    """A column's (or a topic's) latest letters, newest first, imported ones among them: a
    feed is read on the reader's side, by date. Whatever announces new letters by itself
    (the newsletter to come) must skip letters with `imported` set: a move from WordPress is
    not hundreds of new letters."""

    feed_type = FullTextRss
    items_limit = 20

    def get_object(self, request, column, topic=None):
        self.request, self.column = request, column
        return column, topic

    def title(self, obj):
        # RSS titles and categories are plain text, which many readers show as HTML: markup
        # an editor typed is dropped and entities decoded, so every reader shows the words.
        column, topic = obj
        return plain(f"{column.title}: {topic.name}" if topic else column.title)

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
        letters = column.letters()
        if topic:
            letters = letters.filter(topics=topic)
        return letters[: self.items_limit]

    def item_title(self, item):
        return plain(item.title)

    def item_description(self, item):
        """HTML, as feed readers read it: the summary (or the letter's first words) escaped,
        so markup an editor typed is shown as text, never run."""
        return escape(item.dek or Truncator(plain(item.letter)).words(40))

    def item_extra_kwargs(self, item):
        letter = bleach.clean(
            expand_db_html(item.letter or ""),
            tags=LETTER_TAGS,
            attributes=FULL_TEXT_ATTRIBUTES,
            strip=True,
            strip_comments=True,
        )
        context = {"page": item, "column": self.column, "letter": mark_safe(letter)}
        markup = render_to_string("advice/feed_item.html", context, request=self.request)
        return {"content_encoded": full_text_html(markup, item.get_full_url(self.request))}

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
        return [plain(topic.name) for topic in item.topics.all()]
