"""The model of what a reader sends through the write-in form is named as the admin names it:
ReaderLetter (was Submission). Every row stays; Django renames the table (now
mailbag_readerletter) and the content type, so audit-log rows keep pointing at their letters.
A draft letter reaches its reader letter as `page.reader_letter`. The permissions' codenames
follow in 0007."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mailbag", "0005_rich_text_link_checks"),
    ]

    operations = [
        migrations.RenameModel(old_name="Submission", new_name="ReaderLetter"),
        migrations.AlterField(
            model_name="readerletter",
            name="draft",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reader_letter",
                to="advice.letterpage",
            ),
        ),
    ]
