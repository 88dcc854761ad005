"""Follow-up emails become ours, batched per page: a reply is marked when its page's followers
are due to hear of it, and a page due an email has one FollowupBatch row. Replies already
stored are not marked: django-comments-xtd announced the public ones when they became public.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0008_guidelines_say_moderation_once'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='reply',
            name='followers_due',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.CreateModel(
            name='FollowupBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_pk', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_pk'), name='one_followup_batch_per_page')],
            },
        ),
    ]
