"""On PostgreSQL, a GIN index on each search entry's title and body together: Wagtail's
database backend matches `(title || body) @@ query`, which its separate indexes on title and on
body cannot answer, so every search read every letter's entry (a rare word: 0.8 s at 10,000
letters against 0.2 s at 1,000, `make bench-scale`). SQLite's backend has its own FTS table and
needs nothing."""

from django.db import migrations

INDEX = "advice_search_entry_text_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailsearch_indexentry" '
            'USING gin (("title" || "body"))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0023_page_last_published_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
