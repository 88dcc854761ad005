"""The search's vocabulary (advice.models.vocabulary): whole words of the live pages, for
"Did you mean …?" (advice.spelling).

Candidates are found by trigrams of the folded word: on PostgreSQL through pg_trgm (the
extension created here, with a GIN trigram index on `folded`); on SQLite through an FTS5
table with the trigram tokenizer (SQLite 3.34 or later), filled by triggers as words come and
go; each word is stored between spaces, so its first and last letters make trigrams of
their own (as pg_trgm pads words). Without trigram support in SQLite the table is left out and no suggestion is made. The
words themselves are filled after migrate (advice.spelling.fill_if_empty) or by
`manage.py rebuild_search_words`.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "advice_searchword"
TRIGRAMS = f"{TABLE}_trigram"
GIN_INDEX = "advice_searchword_folded_trgm"


def trigrams(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {TABLE} USING gin (folded gin_trgm_ops)"
            )
        elif connection.vendor == "sqlite":
            try:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {TRIGRAMS} USING fts5(folded, tokenize = 'trigram')"
                )
            except Exception:  # no FTS5, or a SQLite before 3.34: no suggestions
                return
            cursor.execute(
                f"CREATE TRIGGER {TRIGRAMS}_insert AFTER INSERT ON {TABLE} BEGIN "
                f"INSERT INTO {TRIGRAMS} (rowid, folded) VALUES (new.id, ' ' || new.folded || ' '); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGRAMS}_delete AFTER DELETE ON {TABLE} BEGIN "
                f"DELETE FROM {TRIGRAMS} WHERE rowid = old.id; END"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGRAMS}_update AFTER UPDATE OF folded ON {TABLE} BEGIN "
                f"UPDATE {TRIGRAMS} SET folded = ' ' || new.folded || ' ' WHERE rowid = old.id; END"
            )
            cursor.execute(f"INSERT INTO {TRIGRAMS} (rowid, folded) SELECT id, ' ' || folded || ' ' FROM {TABLE}")


def no_trigrams(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        elif connection.vendor == "sqlite":
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGRAMS}_{trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {TRIGRAMS}")


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0021_search_ignores_accents"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PageSearchWords",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("words", models.JSONField(default=list)),
            ],
            options={"verbose_name": "page’s search words"},
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("folded", models.CharField(db_index=True, max_length=40)),
                ("pages", models.PositiveIntegerField(default=0)),
            ],
            options={"verbose_name": "search word"},
        ),
        migrations.RunPython(trigrams, no_trigrams, elidable=False),
    ]
