"""Search ignores accents on PostgreSQL too: "hermes" finds "Hermès" and "Hermès" finds
"hermes" (SQLite's FTS5 table has folded them since advice 0010: remove_diacritics 2).

The text-search configuration `english_unaccent` is English with `unaccent` before the stemmer;
WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG names it. The index entries' vectors are then made again
from the plain text Wagtail keeps beside them (title_text, body_text), so an existing site's
index reads the same way as its queries. Those vectors carry no weights (the site never ranks
by relevance: advice.search); `manage.py update_index` rebuilds the index exactly. Reversing
returns to the "english" configuration's vectors and drops `english_unaccent` (the unaccent
extension, which other things may use, stays).
"""

from django.db import migrations

CONFIG = "english_unaccent"
TABLE = "wagtailsearch_indexentry"


def revectorise(cursor, config):
    cursor.execute(
        f"UPDATE {TABLE} SET title = to_tsvector(%s::regconfig, title_text), "
        f"body = to_tsvector(%s::regconfig, body_text)",
        [config, config],
    )


def unaccent(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
        revectorise(cursor, CONFIG)


def accent(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        revectorise(cursor, "english")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0019_move_health_probe_to_base"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(unaccent, accent, elidable=False)]
