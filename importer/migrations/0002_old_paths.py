"""Each imported post keeps its old addresses, and redirects exist only while its letter is
live: the addresses of earlier imports are read from the redirects they made, and those to
letters that are not live (they answered 301 to a 404) are removed."""

from django.db import migrations, models


def keep_old_paths(apps, schema_editor):
    ImportedPost = apps.get_model("importer", "ImportedPost")
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    Page = apps.get_model("wagtailcore", "Page")
    for record in ImportedPost.objects.exclude(page=None).iterator():
        redirects = Redirect.objects.filter(redirect_page_id=record.page_id)
        record.old_paths = sorted(redirects.values_list("old_path", flat=True))
        record.save(update_fields=["old_paths"])
        if not Page.objects.filter(pk=record.page_id, live=True).exists():
            redirects.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("importer", "0001_imported_items"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [
        migrations.AddField(
            model_name="importedpost",
            name="old_paths",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(keep_old_paths, migrations.RunPython.noop),
    ]
