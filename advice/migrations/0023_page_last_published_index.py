"""An index on Wagtail's page table by last publication: the sitemap index finds the newest
letter by walking it from the end (advice.sitemaps), rather than reading every letter's row.
Wagtail's model has no such index, so it is made here in SQL (both SQLite and PostgreSQL
accept this statement) and Django's model state is left as Wagtail defines it."""

from django.db import migrations

INDEX = "advice_page_last_published"


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0022_search_vocabulary"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailcore_page" ("last_published_at")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
    ]
