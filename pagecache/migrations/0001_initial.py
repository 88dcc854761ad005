from django.db import migrations, models


def create_version_row(apps, schema_editor):
    apps.get_model("pagecache", "PageCacheVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PageCacheVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "page cache version"},
        ),
        migrations.RunPython(create_version_row, migrations.RunPython.noop),
    ]
