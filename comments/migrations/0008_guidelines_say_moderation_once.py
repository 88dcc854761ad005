"""The reply form says how replies are moderated; the default guidelines above it said it too.
Policies still holding the old default get the new one."""

import wagtail.fields
from django.db import migrations

OLD = (
    "<p>Be kind and stay on topic. Replies are read by a moderator before they appear. "
    "Please do not share personal details or links to sales.</p>"
)
NEW = "<p>Be kind and stay on topic. Please do not share personal details or links to sales.</p>"


def say_it_once(apps, schema_editor):
    apps.get_model("comments", "ReplyPolicy").objects.filter(guidelines=OLD).update(guidelines=NEW)


def say_it_twice(apps, schema_editor):
    apps.get_model("comments", "ReplyPolicy").objects.filter(guidelines=NEW).update(guidelines=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0007_rerender_replies_policy_3'),
    ]

    operations = [
        migrations.AlterField(
            model_name='replypolicy',
            name='guidelines',
            field=wagtail.fields.RichTextField(blank=True, default='<p>Be kind and stay on topic. Please do not share personal details or links to sales.</p>', help_text='Shown above the reply form. (The form itself says how replies are moderated.)'),
        ),
        migrations.RunPython(say_it_once, say_it_twice),
    ]
