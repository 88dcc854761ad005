"""Site search over letters (question, letter, answer, pen name) and guides.

Results are ordered by date, never by relevance: Wagtail's SQLite backend re-runs the match
for every row when ordering by relevance (20 s for a common word over 10,000 letters), so
`order_by_relevance=False` keeps that scoring out of the SQL. Queries are reduced to their
words, so no punctuation a reader types can reach the full-text engine's query syntax.

Both databases stem English words and ignore accents: PostgreSQL through SEARCH_CONFIG =
"english_unaccent" (advice migration 0021), SQLite through FTS5's porter tokenizer over
unicode61 with remove_diacritics (advice migration 0010), so "special orders" finds what
"special order" finds and "hermes" finds "Hermès". The backends have no highlighting: each
result's snippet is cut here, in Python, from the text of the page already loaded for the
result card, with the query's words marked (matched by a light English stemmer, accents
folded, so "orders" marks "order" and "ordered", and "hermes" marks "Hermès"). A search that
finds nothing is corrected from the live pages' words: advice.spelling.

A snippet's work is bounded whatever a page's length: it is cut from the first PART_CHARS
characters of each part of the page (summary, letter, answer; a guide's summary and body),
read before any tag is stripped, in one pass over that text's words. A 500 KB letter once
made a one-word search take 30 s (every word stemmed, every match compared with every other).
"""

import bisect
import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.search.backends import get_search_backend

from advice import fts
from advice.models import AdviceIndexPage, GuidePage, LetterPage, ListedLetter, Topic
from advice.models.queries import letters_among, with_card_images
from advice.models.routing import public
from comments.threads import with_reply_counts

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
WORD = re.compile(r"\w+(?:['’-]\w+)*")
SNIPPET_WORDS = 32  # about two lines of a result card
PART_CHARS = 10_000  # of each part of a page, what a snippet is cut from (about 1,700 words)
NOTHING_FOUND_LETTERS = 5
GUIDES_SHOWN = 5  # on the first page of results, above the letters
FEW_MATCHES = 100  # below this, a search's letters are looked up by id
WALK_PROBE_COST = 50  # matches read once (fts.from_matches) that cost what one probe does
STEMS_KEPT = 20_000  # words whose stem is kept (advice.search.stem)
STEM_KEPT_LENGTH = 40  # characters: longer words are stemmed each time (20,000 × 40: < 4 MB)


def normalise_query(raw):
    """The words of a query, at most MAX_QUERY_LENGTH characters in all, joined by spaces."""
    raw = (raw or "")[:MAX_QUERY_LENGTH]
    words = WORD.findall(raw)[:MAX_TERMS]
    return " ".join(word.replace("’", "'") for word in words)


def fold(text):
    """`text` in lower case without its accents ("Hermès" → "hermes")."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def count_line(letters, guides):
    """What a search found, in words: "3 letters and 1 guide", "1 guide", "No letters or
    guides"."""
    parts = []
    if letters:
        parts.append(f"{letters} letter{'s' if letters != 1 else ''}")
    if guides:
        parts.append(f"{guides} guide{'s' if guides != 1 else ''}")
    return " and ".join(parts) or "No letters or guides"


def _sqlite_fts():
    """Whether the search backend is Wagtail's SQLite FTS5 one."""
    return type(get_search_backend()).__name__ == "SQLiteSearchBackend"


@dataclass(frozen=True)
class Matches:
    """What SQLite's probe of a query found: `entries`, the ids of the matching index entries
    when there are at most FEW_MATCHES (None past that); `letters`, the listed letters that
    match; `listed`, the listed letters in all."""

    entries: list | None
    letters: int = 0
    listed: int = 0

    def walks(self, offset, per_page):
        """Whether a page of letters starting at `offset` is found by walking the letters
        newest first, probing each (fts.Matching), rather than by reading every match once
        (fts.from_matches): the first pages of a word in most letters, whose walk stops after
        a few dozen probes, a probe costing what reading about WALK_PROBE_COST matches does."""
        probes = (offset + per_page) * self.listed / max(self.letters, 1)
        return probes * WALK_PROBE_COST <= self.letters


def few_matches(query):
    """On SQLite, what the index holds for `query` (Matches), else None (on PostgreSQL): the
    ids of its entries, read no further than FEW_MATCHES + 1, and beside them the listed
    letters that match, counted once (fts.listed_count_sql), and the listed letters in all. A
    rare word's few letters are then looked up by id; a common word's page of letters comes
    off the date index with that count (search_letters)."""
    if not _sqlite_fts():
        return None
    count, count_params = fts.listed_count_sql(LetterPage, ListedLetter, query)
    listed = ListedLetter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, ({count}), (SELECT count(*) FROM {listed}) FROM {fts.FTS} "
            f"WHERE {fts.FTS} MATCH %s LIMIT %s",
            [*count_params, fts.match_expression(query), FEW_MATCHES + 1],
        )
        rows = cursor.fetchall()
    if not rows:
        return Matches([])
    entries = [row[0] for row in rows] if len(rows) <= FEW_MATCHES else None
    return Matches(entries, letters=rows[0][1], listed=rows[0][2])


def search_letters(query, matches=None, offset=0, per_page=10, request=None):
    """Published, public letters with every word of `query`, newest first. On SQLite
    (`matches` from few_matches) a rare word's few letters by id; a common word's in a
    queryset shaped like the column's listings (letters_among the listed letters, off the
    (date, id) index: ListingPaginator reads only the ten shown, and is given the count),
    each letter probed while the page starting at `offset` is near the start
    (Matches.walks), else tested against every match read once. On PostgreSQL Wagtail's
    search results. The view restrictions are those the request read once (routing.public)."""
    if matches is not None:
        if matches.entries is not None:
            letters = public(LetterPage.objects.live(), request).filter(
                pk__in=fts.by_ids(LetterPage, matches.entries)
            )
        elif matches.walks(offset, per_page):
            letters = letters_among(ListedLetter.objects.all()).filter(
                fts.Matching(F("pk"), LetterPage, query)
            )
        else:
            letters = letters_among(ListedLetter.objects.all()).filter(
                listed_id__in=fts.from_matches(LetterPage, query)
            )
        return letters.select_related("columnist").order_by("-date", "-pk")
    return (
        public(LetterPage.objects.live(), request)
        .select_related("columnist")
        .order_by("-date", "-id")
        .search(query, operator="and", order_by_relevance=False)
    )


def search_guides(query, matches=None, request=None):
    """Published, public guides with every word of `query`, newest first: on SQLite a rare
    word's by id, else each guide's entry probed (guides are few, whatever the word)."""
    guides = public(GuidePage.objects.live(), request).order_by("-date", "-id")
    if matches is None:
        return guides.search(query, operator="and", order_by_relevance=False)
    if matches.entries is not None:
        return guides.filter(pk__in=fts.by_ids(GuidePage, matches.entries))
    return guides.filter(pk__in=fts.matching_entries(GuidePage, query))


# --- snippets -------------------------------------------------------------------------------


def stem(word):
    """A light English stem, enough to say that two forms of a word are one: the plural and
    possessive endings and -ed/-ing/-ly go (orders, ordered, ordering → order; waitlists →
    waitlist; stitches → stitch; bags → bag). Not the search engine's stemmer: it only decides
    what a snippet marks. Accents are folded, as both databases' searches fold them: "hermes"
    marks "Hermès". Kept for the STEMS_KEPT words last asked (a snippet stems every word of
    each result's text, mostly the same few hundred words: it was 40 % of a search's time), if
    no longer than STEM_KEPT_LENGTH, so that what is kept stays small."""
    if len(word) <= STEM_KEPT_LENGTH:
        return _kept_stem(word)
    return _stem(word)


@functools.lru_cache(maxsize=STEMS_KEPT)
def _kept_stem(word):
    return _stem(word)


def _stem(word):
    word = fold(word).replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and re.search(r"(ss|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if re.search(r"[aeiouy]", base):
                if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                    base = base[:-1]  # stopped → stop, planning → plan
                return base
    return word


# Where a piece of a page ends without a stop of its own (a heading, a list item, a caption),
# a snippet running on from it reads as one sentence ("What a special order is A special
# order is …"): such a piece is given a full stop.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption)>", re.IGNORECASE)
STOPS = ".!?:;…”’\"')"


def _sentence(text):
    text = text.strip()
    return f"{text}." if text and text[-1] not in STOPS else text


def _cut(markup, limit):
    """The first `limit` characters of stored HTML or text, without a tag or word cut in two."""
    if len(markup) <= limit:
        return markup
    markup = markup[:limit]
    tag = markup.rfind("<")
    if tag > markup.rfind(">"):
        markup = markup[:tag]
    space = max(markup.rfind(" "), markup.rfind(">"))
    return markup[: space + 1] if space > 0 else markup


def _block_texts(value):
    """The pieces of stored markup in a StreamField block's value (rich text, text, or a
    struct), in reading order, read lazily so a long page is read no further than needed."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _block_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _block_texts(item)


def _part_text(values, limit=PART_CHARS):
    """The words of one part of a page (pieces of stored markup), at most `limit` characters
    of markup read, each paragraph, heading or item ended as a sentence; "…" where it was
    cut short."""
    texts = []
    for value in values:
        piece = _cut(value, limit)
        texts += [_sentence(html.unescape(strip_tags(p))) for p in BLOCK_END.split(piece)]
        if len(piece) < len(value):
            texts.append("…")
            break
        limit -= len(piece)
    return " ".join(texts)


def _stream_values(stream):
    """A StreamField's stored block values, lazily."""
    for block in stream.raw_data:
        yield from _block_texts(block.get("value"))


def page_text(page):
    """The searchable text a reader would recognise: summary, letter and answer, or a guide's
    summary and body; tags stripped, whitespace collapsed. At most PART_CHARS characters of
    each part are read (the module's docstring says why)."""
    parts = [_sentence(_cut(getattr(page, "dek", "") or "", PART_CHARS))]  # plain text
    if isinstance(page, LetterPage):
        parts.append(_part_text([page.letter or ""]))
        parts.append(_part_text(_stream_values(page.answer)))
    elif isinstance(page, GuidePage):
        parts.append(_part_text(_stream_values(page.body)))
    return " ".join(" ".join(parts).split())


def _best_window(hits, stems, length):
    """The first token of the window of `length` tokens that holds the most different words
    of the query, then the most matches: one pass over the matches (`hits`, token positions
    in order; `stems`, each match's stem by position), the window's words counted as it
    slides."""
    counts = {}
    best_start, best_score = hits[0], 0
    last = 0  # the window holds hits[first:last]
    for first, position in enumerate(hits):
        while last < len(hits) and hits[last] < position + length:
            word = stems[hits[last]]
            counts[word] = counts.get(word, 0) + 1
            last += 1
        score = len(counts) * 100 + (last - first)
        if score > best_score:
            best_start, best_score = position, score
        word = stems[position]
        counts[word] -= 1
        if not counts[word]:
            del counts[word]
    return best_start


def _matches(words, query_stems):
    """{position: stem} of the words of `words` whose stem is one of `query_stems`. A word's
    stem is its folded form cut short, perhaps with "y" for "ies" (stem), so a word in plain
    ASCII whose lower case starts with none of the query's stems less their last letter is
    passed over unstemmed: most of a text's words, in one string method each."""
    starts = tuple({word[:-1] for word in query_stems})
    found = {}
    for position, word in enumerate(words):
        if word.isascii() and not word.lower().startswith(starts):
            continue
        word_stem = stem(word)
        if word_stem in query_stems:
            found[position] = word_stem
    return found


def snippet(text, query, length=SNIPPET_WORDS):
    """About `length` words of `text` around the place where most of the query's words are
    found close together, each found word in <mark>; HTML-escaped. Empty when no word of the
    query is in the text (the match was in the title or pen name). Linear in the text, which
    is read no further than its first 3 × PART_CHARS characters (page_text gives no more)."""
    text = text[: 3 * PART_CHARS]
    query_stems = {stem(word) for word in WORD.findall(query)}
    tokens = list(WORD.finditer(text))
    found = _matches([token.group() for token in tokens], query_stems)
    if not found:
        return ""
    hits = list(found)
    start = max(0, _best_window(hits, found, length) - length // 4)
    end = min(len(tokens), start + length)
    # The shown text escaped a stretch at a time, between the marked words (html.escape is
    # what Django's escape does, without its lazy-string wrapper around each call).
    pieces = []
    position = tokens[start].start()
    for i in hits[bisect.bisect_left(hits, start) : bisect.bisect_left(hits, end)]:
        token = tokens[i]
        pieces.append(html.escape(text[position : token.start()]))
        pieces.append(f"<mark>{html.escape(token.group())}</mark>")
        position = token.end()
    last = tokens[end - 1].end()
    pieces.append(html.escape(text[position:last]))
    tail = text[last : tokens[end].start()] if end < len(tokens) else text[last:]
    pieces.append(html.escape(tail.rstrip()))
    shown = "".join(pieces).strip()
    if start > 0:
        shown = "… " + shown
    if end < len(tokens):
        shown += " …"
    return mark_safe(shown)  # every piece of text above was escaped


def add_snippets(pages, query):
    """Set `search_snippet` on each page: what the reader's words matched, marked."""
    for page in pages:
        page.search_snippet = snippet(page_text(page), query)
    return pages


# --- nothing found --------------------------------------------------------------------------


def nothing_found_context(request):
    """Somewhere to go when a search finds nothing: the column's topics and latest letters,
    and the live columns, whose write-in links the page shows (advice.plugins' "write_in"
    slot)."""
    columns = list(
        public(AdviceIndexPage.objects.live(), request)
        .select_related("write_in_page")
        .order_by("path")
    )
    column = columns[0] if columns else None
    topics = []
    if column is not None:
        topics = [
            {"name": topic.name, "url": column.topic_url(topic, request=request)}
            for topic in Topic.objects.filter(
                letters__live=True, letters__path__startswith=column.path
            )
            .distinct()
            .order_by("name")
        ]
    latest = (
        public(LetterPage.objects.live(), request)
        .select_related("columnist")
        .prefetch_related("topics")
        .order_by("-date", "-pk")
    )
    return {
        "write_in_columns": columns,  # not "columns": the navigation reads that (nav_column)
        "suggested_topics": topics,
        "latest_letters": with_reply_counts(with_card_images(latest)[:NOTHING_FOUND_LETTERS]),
    }
