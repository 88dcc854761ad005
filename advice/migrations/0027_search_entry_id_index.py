"""On SQLite, an index of each search entry's id with its content type and object id: a common
word's letters are counted (advice.fts.from_matches) by reading the FTS table's matches and
looking each entry up by id, and by the entry's own row that read kilobytes of the page's text
for each of them (a word in 10,000 letters: about 15 ms against 5 through this index, which
advice.fts names). PostgreSQL's backend has no FTS table and needs nothing."""

from django.db import migrations

INDEX = "advice_search_entry_by_id"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailsearch_indexentry" '
            '("id", "content_type_id", "object_id")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0026_listed_recent_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
