"""An index on Wagtail's page table by (depth, path): every page request reads the home page's
children (advice.models.routing.home_children: routing and the navigation), which treebeard
asks as a path prefix at one depth. SQLite cannot use the path index for that prefix (Django
writes it as LIKE … ESCAPE), so it read every page of the site, about 2 ms at 10,000 letters
and growing with them, the bare page the benchmarks measure against included; with this index
it reads the children's depth alone. Wagtail's model has no such index, so it is made here in
SQL (as advice 0023) and Django's model state is left as Wagtail defines it."""

from django.db import migrations

INDEX = "advice_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0027_search_entry_id_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailcore_page" ("depth", "path")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
    ]
