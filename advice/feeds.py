"""RSS feeds for a column and for each of its topics (routed by AdviceIndexPage).

Each item carries the letter in full (<content:encoded>). Its letter and answer are cleaned
and their addresses made absolute once, when the letter is published (store_feed_text, kept
in LetterFeedText), not each time a feed is read: that cleaning, with html5lib, was most of
a feed's time. The rest of an item (greeting, pen name, salutation, sign-off, columnist) is
plain text escaped by the template as the feed is read, so a column's greeting or a
columnist's name changed shows at once. `manage.py make_feed_texts` makes the missing ones
(a site upgraded, letters imported as rows); a letter without one is made as it is read.
"""

import contextvars
import datetime
import html
import threading
from urllib.parse import urljoin

import bleach
from bleach.html5lib_shim import Filter
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
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


# The address the item being cleaned is at, which AbsoluteURLs makes addresses absolute from.
ITEM_URL = contextvars.ContextVar("feed_item_url", default="")


class AbsoluteURLs(Filter):
    """Feed readers show an item away from the site: every href and src is made absolute
    (rich text links and image renditions are stored or rendered as site-relative paths)."""

    def __iter__(self):
        base = ITEM_URL.get()
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["data"]:
                for key in [k for k in token["data"] if k[1] in ("href", "src")]:
                    token["data"][key] = urljoin(base, token["data"][key])
            yield token


# One Cleaner of each kind a thread, made once: making one (html5lib's parser) cost as much
# as cleaning a letter with it. A Cleaner is not to be shared between threads.
_cleaners = threading.local()


def _cleaner(tags):
    kind = "full" if tags is FULL_TEXT_TAGS else "letter"
    cleaner = getattr(_cleaners, kind, None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=tags,
            attributes=FULL_TEXT_ATTRIBUTES,
            protocols={"http", "https", "mailto"},
            strip=True,
            strip_comments=True,
            filters=[AbsoluteURLs],
        )
        setattr(_cleaners, kind, cleaner)
    return cleaner


def full_text_html(markup, base_url, tags=FULL_TEXT_TAGS):
    """Sanitised HTML (`tags` and nothing that runs) with addresses absolute from `base_url`,
    for <content:encoded>."""
    token = ITEM_URL.set(base_url)
    try:
        return _cleaner(tags).clean(markup).strip()
    finally:
        ITEM_URL.reset(token)


def feed_parts(letter, base_url):
    """(letter, answer): the reader's letter cleaned to text, emphasis and links, and the
    answer's blocks rendered and cleaned, both with absolute addresses from `base_url`."""
    letter_html = full_text_html(expand_db_html(letter.letter or ""), base_url, LETTER_TAGS)
    answer = render_to_string("advice/feed_answer.html", {"page": letter})
    return letter_html, full_text_html(answer, base_url)


def store_feed_text(letter):
    """Keep a live letter's feed text (feed_parts), made for its address now; a letter not
    live keeps none. Called when a letter is published or unpublished (advice.signals)."""
    from advice.models.feed_text import LetterFeedText

    base_url = letter.get_full_url() if letter.live else None
    if not base_url:  # not live, or reachable from no site
        LetterFeedText.objects.filter(page_id=letter.pk).delete()
        return None
    letter_html, answer_html = feed_parts(letter, base_url)
    stored, _created = LetterFeedText.objects.update_or_create(
        page_id=letter.pk,
        defaults={"base_url": base_url, "letter_html": letter_html, "answer_html": answer_html},
    )
    return stored


def fill_feed_texts(every=False):
    """Make the feed text of every live letter that has none (`every`: of every live letter);
    returns how many were made."""
    from advice.models.feed_text import LetterFeedText
    from advice.models.letters import LetterPage

    letters = LetterPage.objects.live().order_by("pk")
    if not every:
        letters = letters.exclude(pk__in=LetterFeedText.objects.values("page_id"))
    made = 0
    for letter in letters.iterator(chunk_size=200):
        made += store_feed_text(letter) is not None
    return made


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
        return letters.select_related("feed_text")[: self.items_limit]

    def item_title(self, item):
        return plain(item.title)

    def item_description(self, item):
        """HTML, as feed readers read it: the summary (or the letter's first words) escaped,
        so markup an editor typed is shown as text, never run."""
        return escape(item.dek or Truncator(plain(item.letter)).words(40))

    def item_extra_kwargs(self, item):
        """The letter in full: its stored letter and answer (LetterFeedText), made now if it
        has none or was made for another address; the rest is text the template escapes."""
        url = item.get_full_url(self.request)
        try:
            stored = item.feed_text
        except ObjectDoesNotExist:
            stored = None
        if stored is not None and stored.base_url == url:
            letter, answer = stored.letter_html, stored.answer_html
        else:
            letter, answer = feed_parts(item, url)
        context = {
            "page": item,
            "column": self.column,
            "letter": mark_safe(letter),  # cleaned by feed_parts, as the answer
            "answer": mark_safe(answer),
        }
        markup = render_to_string("advice/feed_item.html", context, request=self.request)
        return {"content_encoded": markup.strip()}

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
