"""Search that forgives: accents folded, and a misspelt search corrected from the vocabulary of
the live pages' whole words (advice.models.vocabulary).

The vocabulary follows the pages (advice.signals): a letter or guide published gives its words
(`record_page`), and one unpublished, put under a view restriction or deleted takes them back,
so a draft's or a private page's words are never suggested. `manage.py rebuild_search_words`
recomputes it all (`rebuild`); after `migrate`, an empty vocabulary on a site with live pages is
filled (`fill_if_empty`), so an upgraded site has one without a step of its own.

A suggestion (`suggest`) is looked for only when a search finds nothing. Each word of the query
the vocabulary does not know is replaced by its nearest known word: candidates sharing
trigrams with it (PostgreSQL's pg_trgm `%` over a GIN index; SQLite's FTS5 trigram table),
then ranked here by edit distance (at most 1 for a word of up to 4 letters, 2 beyond), then by
how many pages use the word. Accents are folded on both sides, so "hermmes" finds "hermès".
"""

import re
import unicodedata
from collections import Counter

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from wagtail.models import Page, PageViewRestriction

from advice.models import GuidePage, LetterPage, PageSearchWords, SearchWord
from advice.models.routing import ancestor_paths
from advice.models.vocabulary import WORD_LENGTH
from advice.search import fold, page_text

LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: "Hermès's" gives "hermès" and "s"
SHORTEST = 3  # shorter words are neither kept nor corrected
CANDIDATES = 50
SIMILARITY = "0.2"  # pg_trgm's share of trigrams in common, for a candidate
CHUNK = 500  # words per IN (…) list
TRIGRAM_TABLE = f"{SearchWord._meta.db_table}_trigram"  # SQLite only (advice migration 0022)


def words_of(page):
    """The whole words a reader can search a live page by, in lower case, accents kept: its
    title, pen name and the text page_text reads (summary, letter and answer, or a guide's
    summary and body, each part to its first PART_CHARS characters)."""
    text = " ".join([page.title or "", getattr(page, "pen_name", "") or "", page_text(page)])
    return {
        word
        for word in (unicodedata.normalize("NFC", w.lower()) for w in LETTERS.findall(text))
        if SHORTEST <= len(word) <= WORD_LENGTH
    }


def _public(page):
    return not PageViewRestriction.objects.filter(page__path__in=ancestor_paths(page.path)).exists()


def _chunks(words):
    words = sorted(words)
    for start in range(0, len(words), CHUNK):
        yield words[start : start + CHUNK]


def _add(counts):
    """Count each word of `counts` ({word: pages}) in, adding the words not yet known."""
    by_number = {}
    for word, number in counts.items():
        by_number.setdefault(number, []).append(word)
    for number, words in by_number.items():
        for chunk in _chunks(words):
            known = set(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
            if known:
                SearchWord.objects.filter(word__in=known).update(pages=F("pages") + number)
            SearchWord.objects.bulk_create(
                [SearchWord(word=w, folded=fold(w), pages=number) for w in chunk if w not in known],
                ignore_conflicts=True,
            )


def _take(counts):
    """Count each word of `counts` ({word: pages}) out, dropping the words no page uses."""
    by_number = {}
    for word, number in counts.items():
        by_number.setdefault(number, []).append(word)
    for number, words in by_number.items():
        for chunk in _chunks(words):
            SearchWord.objects.filter(word__in=chunk).update(pages=F("pages") - number)
            SearchWord.objects.filter(word__in=chunk, pages__lte=0).delete()


def record_page(page):
    """The vocabulary after `page` was published or unpublished: its words if it is a live,
    public letter or guide, none otherwise, in place of what it gave before."""
    words = set()
    if isinstance(page, LetterPage | GuidePage) and page.live and _public(page):
        words = words_of(page)
    with transaction.atomic():
        row = PageSearchWords.objects.filter(page_id=page.pk).first()
        if not words:
            if row is not None:
                row.delete()  # page_words_deleted takes them back
            return
        old = set(row.words) if row is not None else set()
        _add(dict.fromkeys(words - old, 1))
        _take(dict.fromkeys(old - words, 1))
        PageSearchWords.objects.update_or_create(page_id=page.pk, defaults={"words": sorted(words)})


def forget_pages(pages):
    """Take back the words of every page of `pages` (a Page queryset), at once."""
    with transaction.atomic():
        rows = PageSearchWords.objects.filter(page_id__in=pages.values("pk"))
        counts = Counter(word for words in rows.values_list("words", flat=True) for word in words)
        _delete_rows(rows)
        _take(counts)


def _delete_rows(rows):
    """Delete PageSearchWords rows without page_words_deleted taking their words back (the
    caller does, in bulk)."""
    rows._raw_delete(rows.db)


def page_words_deleted(sender, instance, **kwargs):
    """A page's row deleted (the page unpublished, or deleted with its row): its words go."""
    _take(dict.fromkeys(instance.words, 1))


def refresh_under(page):
    """A view restriction added to or removed from `page`, or `page` moved (perhaps under a
    restricted page, or out of one): the letters and guides under it give their words, or
    take them back, as they are now. Under a restriction now, every page below takes its words
    back; otherwise the live, public pages below that gave none give theirs (the others' are
    already kept: a column moved is not read again)."""
    if PageViewRestriction.objects.filter(page__path__in=ancestor_paths(page.path)).exists():
        forget_pages(Page.objects.filter(path__startswith=page.path))
        return
    kept = PageSearchWords.objects.values("page_id")
    for model in (LetterPage, GuidePage):
        below = model.objects.live().public().filter(path__startswith=page.path)
        for each in below.exclude(pk__in=kept):
            record_page(each)


def rebuild():
    """The vocabulary again from every live, public letter and guide; returns (words, pages)."""
    counts = Counter()
    rows = []
    for model in (LetterPage, GuidePage):
        for page in model.objects.live().public().order_by("pk").iterator(chunk_size=CHUNK):
            words = words_of(page)
            if words:
                counts.update(words)
                rows.append(PageSearchWords(page_id=page.pk, words=sorted(words)))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        _delete_rows(PageSearchWords.objects.all())
        PageSearchWords.objects.bulk_create(rows, batch_size=CHUNK)
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, folded=fold(w), pages=n) for w, n in counts.items()],
            batch_size=CHUNK,
        )
    return len(counts), len(rows)


def fill_if_empty(**kwargs):
    """After migrate: an empty vocabulary on a site with live letters or guides is built."""
    if SearchWord._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the vocabulary
    if SearchWord.objects.exists():
        return
    if LetterPage.objects.live().exists() or GuidePage.objects.live().exists():
        rebuild()


# --- suggestions ----------------------------------------------------------------------------


def distance(a, b):
    """The edit distance between `a` and `b`, a swap of two neighbouring letters counting one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _candidates(folded):
    """Known words sharing trigrams with `folded`: [(word, folded, pages)], at most CANDIDATES."""
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # pg_trgm's `%` (which the GIN index serves) at a lower threshold than its 0.3,
            # which leaves out a four-letter word's one-letter slip ("bigs" for "bags": 0.25),
            # for this transaction only.
            with transaction.atomic():
                cursor.execute(
                    "SELECT set_config(%s, %s, true)", ["pg_trgm.similarity_threshold", SIMILARITY]
                )
                cursor.execute(
                    f"SELECT word, folded, pages FROM {table} WHERE folded %% %s "
                    f"ORDER BY similarity(folded, %s) DESC, pages DESC LIMIT %s",
                    [folded, folded, CANDIDATES],
                )
                return cursor.fetchall()
        padded = f" {folded} "  # as the table holds it (advice 0022), and as pg_trgm pads
        grams = sorted({padded[i : i + 3] for i in range(len(padded) - 2)})
        match = " OR ".join(f'"{gram}"' for gram in grams)  # letters only: nothing to quote
        try:
            cursor.execute(
                f"SELECT word.word, word.folded, word.pages FROM {TRIGRAM_TABLE} "
                f"JOIN {table} AS word ON word.id = {TRIGRAM_TABLE}.rowid "
                f"WHERE {TRIGRAM_TABLE} MATCH %s AND length(word.folded) BETWEEN %s AND %s "
                f"ORDER BY {TRIGRAM_TABLE}.rank LIMIT %s",
                [match, len(folded) - 2, len(folded) + 2, CANDIDATES],
            )
        except DatabaseError:  # a SQLite without the trigram tokenizer (advice 0022)
            return []
        return cursor.fetchall()


def closest_word(folded):
    """The known word nearest to `folded` (a word without accents), or None: the fewest edits
    (at most 1 up to 4 letters, 2 beyond), then the most pages."""
    most = 1 if len(folded) <= 4 else 2
    scored = [(distance(folded, other), -pages, word) for word, other, pages in _candidates(folded)]
    scored = [score for score in scored if score[0] <= most]
    return min(scored)[2] if scored else None


def suggest(query):
    """The query with each word the vocabulary does not know replaced by its nearest known
    word, or None when no word was replaced. `query` is normalised (advice.search)."""
    words = query.split()
    folded = [fold(word) for word in words]
    known = set(SearchWord.objects.filter(folded__in=set(folded)).values_list("folded", flat=True))
    suggested = []
    for word, plain in zip(words, folded, strict=True):
        replacement = None
        if (
            plain not in known
            and SHORTEST <= len(plain) <= WORD_LENGTH + 2  # no known word is further off
            and LETTERS.fullmatch(plain)
        ):
            replacement = closest_word(plain)
        suggested.append(replacement or word)
    return " ".join(suggested) if suggested != words else None
