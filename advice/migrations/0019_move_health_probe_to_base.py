"""HealthProbe is base's now (base 0001 creates its own table): the column's copy is dropped.

The diagnostics check only ever inserts a row and rolls it back, so the table holds nothing
to carry over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0018_default_salutation_and_optional_pen_name"),
    ]

    operations = [
        migrations.DeleteModel(
            name="HealthProbe",
        ),
    ]
