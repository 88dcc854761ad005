"""The diagnostics' probe table, now base's (it was advice's, advice 0019 drops it).

A new table rather than advice's renamed (SeparateDatabaseAndState with db_table): the check
inserts one row and rolls it back, so the old table never holds anything worth keeping, and a
new table keeps this migration free of any dependency on advice's, as base sits below every
app of ours."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="HealthProbe",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("written_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "health probe",
            },
        ),
    ]
