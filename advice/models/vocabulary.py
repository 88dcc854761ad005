"""The search's vocabulary: the whole words of live, public letters and guides, from which a
misspelt search is corrected ("hermmes" → "hermès"; advice.spelling).

The full-text index holds stems ("hermè", "order"), never a word a reader would recognise,
so the column keeps its own: one row per word with the number of live pages that use it, and
for each such page the words it gave, so that a page republished, unpublished, restricted or
deleted takes back exactly what it gave. A draft's words never get here: only a page's live
content is read, at publication (advice.signals; `manage.py rebuild_search_words` recomputes
everything).
"""

from django.db import models

WORD_LENGTH = 40  # longer "words" (a pasted address, a run of letters) are left out


class SearchWord(models.Model):
    """A word of the live pages, as written (lower case, accents kept), and `folded` without
    its accents, which candidates are found by: trigrams of `folded` (PostgreSQL's pg_trgm,
    GIN-indexed; on SQLite an FTS5 trigram table kept by triggers, advice migration 0022)."""

    word = models.CharField(max_length=WORD_LENGTH, unique=True)
    folded = models.CharField(max_length=WORD_LENGTH, db_index=True)
    pages = models.PositiveIntegerField(default=0)  # live pages that use the word

    class Meta:
        verbose_name = "search word"

    def __str__(self):
        return f"{self.word} ({self.pages})"


class PageSearchWords(models.Model):
    """The words one live page gave the vocabulary, taken back when it leaves (its row deleted:
    advice.spelling.forget_page, or by cascade with the page)."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    words = models.JSONField(default=list)

    class Meta:
        verbose_name = "page’s search words"

    def __str__(self):
        return f"{len(self.words)} words of page {self.page_id}"
