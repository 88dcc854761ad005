"""The column's search on SQLite: Wagtail's FTS5 table (stemming since advice migration 0010)
matched in SQL shaped for 10,000 letters and more (advice.search decides which shape).

The FTS table's rowid is the index entry's id, and the entry maps it to a page (content type,
object id). An entry's row holds the page's whole text, so no query here reads one: an entry is
found by id through its own (id, content type, object id) index (advice migration 0027), or by
page through Wagtail's (content type, object id) one.

Three shapes, for three sizes of match:

- by_ids: a rare word's few entries (read by the probe, advice.search.few_matches), by id.
- from_matches: every match read once, in the FTS table's order, each mapped to its page
  through the id index: one pass over the matches and no more (a word in every letter: about
  0.5 µs a match). The count of a common word's letters, and its letters on a deep page.
- Matching / matching_entries: one FTS5 probe by rowid for each page tested (about 30 µs), for
  a listing that walks the letters newest first and stops at the page it shows: a common
  word's first pages, and the guides (a few entries whatever the word).
"""

from django.db.models import BooleanField, Func
from django.db.models.expressions import RawSQL
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

TABLE = IndexEntry._meta.db_table
FTS = f"{TABLE}_fts"
BY_ID = "advice_search_entry_by_id"  # (id, content_type_id, object_id): advice migration 0027


def match_expression(query):
    """`query` (already reduced to words: advice.search.normalise_query) as an FTS5 match on
    the title and body, each word quoted."""
    return "{title body} : (%s)" % " AND ".join(  # noqa: UP031 - FTS5 syntax, not SQL
        '"' + word.replace('"', '""') + '"' for word in query.split()
    )


def content_types(model):
    """The content type ids of `model` and its subclasses, as the index entries name them."""
    return list(get_descendants_content_types_pks(model))


def _placeholders(values):
    return ", ".join(["%s"] * len(values)) or "NULL"


def by_ids(model, entries):
    """The ids of `model`'s pages among the index entries `entries`, as a subquery
    (`+content_type_id` keeps SQLite from walking every entry of the type instead). The ids
    are cast to integers: a caller may compare them with an expression that has no integer
    affinity (advice.models.queries.Unindexed)."""
    types = content_types(model)
    sql = (
        f"SELECT CAST(entry.object_id AS INTEGER) FROM {TABLE} AS entry "
        f"WHERE entry.id IN ({_placeholders(entries)}) AND +entry.content_type_id IN "
        f"({_placeholders(types)})"
    )
    return RawSQL(sql, [*entries, *types])


def _from_matches_sql(model, query, select, where=""):
    """SQL reading every entry matching `query`, in the FTS table's order, each looked up in the
    id index (named: SQLite would rather read the entry's row by its rowid, kilobytes of text,
    15 ms where the index takes 5 for a word in 10,000 letters), kept if it is `model`'s."""
    types = content_types(model)
    sql = (
        f"SELECT {select} FROM {FTS} CROSS JOIN {TABLE} AS entry INDEXED BY {BY_ID} "
        f"ON entry.id = {FTS}.rowid WHERE {FTS} MATCH %s "
        f"AND entry.content_type_id IN ({_placeholders(types)}){where}"
    )
    return sql, [match_expression(query), *types]


def from_matches(model, query):
    """The ids of `model`'s pages whose entry matches `query`, as a subquery: one pass over
    the matches."""
    return RawSQL(*_from_matches_sql(model, query, "CAST(entry.object_id AS INTEGER)"))


def listed_count_sql(letter_model, listed_model, query):
    """SQL counting the listed letters that match `query` (`listed_model`'s rows, keyed by
    letter): one pass over the matches, each letter tested by id in the listed letters."""
    listed = listed_model._meta
    return _from_matches_sql(
        letter_model,
        query,
        "count(*)",
        f" AND CAST(entry.object_id AS INTEGER) IN "
        f"(SELECT {listed.pk.column} FROM {listed.db_table})",
    )


class Matching(Func):
    """Whether the page whose id is the expression has an index entry of `model`'s that
    matches `query`: Wagtail's (content type, object id) index, then one FTS5 probe by rowid.
    For a listing that walks its order and stops after a page: its cost is the rows walked,
    never the matches."""

    output_field = BooleanField()

    def __init__(self, expression, model, query):
        super().__init__(expression)
        self.types = content_types(model)
        self.match = match_expression(query)

    def as_sql(self, compiler, connection, **extra_context):
        pk, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"EXISTS (SELECT 1 FROM {TABLE} AS entry, {FTS} "
            f"WHERE entry.content_type_id IN ({_placeholders(self.types)}) "
            f"AND entry.object_id = CAST({pk} AS TEXT) "
            f"AND {FTS}.rowid = entry.id AND {FTS} MATCH %s)"
        )
        return sql, [*self.types, *params, self.match]


def matching_entries(model, query):
    """The ids of `model`'s pages whose entry matches `query`, as a subquery that probes each
    of the model's entries (a few guides: tens of microseconds, however common the word)."""
    types = content_types(model)
    sql = (
        f"SELECT CAST(entry.object_id AS INTEGER) FROM {TABLE} AS entry "
        f"WHERE entry.content_type_id IN ({_placeholders(types)}) AND EXISTS "
        f"(SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s AND {FTS}.rowid = entry.id)"
    )
    return RawSQL(sql, [*types, match_expression(query)])
