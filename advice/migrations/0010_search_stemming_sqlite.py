"""SQLite's full-text table stems English words (FTS5's porter tokenizer over unicode61), so
"special orders" finds what "special order" finds and "waitlists" finds "waitlist".

Wagtail creates the table with the default tokenizer, which does not stem; FTS5 cannot change
a table's tokenizer, so the table is made again and filled from the index entries (the
triggers that keep it filled name it, not its definition). PostgreSQL stems through
WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG and needs nothing here. Reversing restores Wagtail's
table.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
STEMMING = "tokenize = 'porter unicode61 remove_diacritics 2'"


def remake_fts_table(schema_editor, options):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [f"{TABLE}_fts"])
        if cursor.fetchone() is None:  # no FTS5 in this SQLite: Wagtail falls back to LIKE
            return
        cursor.execute(f"DROP TABLE {TABLE}_fts")
        columns = ", ".join(["autocomplete", "body", "title", *options])
        cursor.execute(f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5({columns})")
        cursor.execute(
            f"INSERT INTO {TABLE}_fts (rowid, title, body, autocomplete) "
            f"SELECT id, title, body, autocomplete FROM {TABLE}"
        )


def stem(apps, schema_editor):
    remake_fts_table(schema_editor, [STEMMING])


def unstem(apps, schema_editor):
    remake_fts_table(schema_editor, [])


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0009_column_write_in_page"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem, unstem, elidable=False)]
