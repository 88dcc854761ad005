"""The stored count of the replies readers see under each page (ReplyCount), filled from the
replies already stored; afterwards comments.counts keeps it (`manage.py recount_replies` does
what this does)."""

import django.db.models.deletion
from django.db import migrations, models

IN_THREAD = ("approved", "erased")


def count_shown_replies(apps, schema_editor):
    """A row for each page with replies readers see: approved, every reply above them in their
    thread approved or erased (a held or removed reply hides its subtree), as
    comments.threads counts them."""
    Reply = apps.get_model("comments", "Reply")
    ReplyCount = apps.get_model("comments", "ReplyCount")
    rows = (
        Reply.objects.filter(status__in=IN_THREAD)
        .order_by("content_type_id", "object_pk", "thread_id", "order")
        .values_list("content_type_id", "object_pk", "id", "parent_id", "status")
    )
    shown_ids, counts = set(), {}
    for content_type_id, object_pk, pk, parent_id, status in rows.iterator(chunk_size=2000):
        if pk == parent_id or parent_id in shown_ids:  # a thread's parents come first
            shown_ids.add(pk)
            if status == "approved":
                key = (content_type_id, object_pk)
                counts[key] = counts.get(key, 0) + 1
    ReplyCount.objects.bulk_create(
        [
            ReplyCount(content_type_id=content_type_id, object_pk=object_pk, shown=shown)
            for (content_type_id, object_pk), shown in counts.items()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0019_reply_picks"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReplyCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_pk", models.CharField(max_length=64)),
                ("shown", models.PositiveIntegerField(default=0)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_pk"), name="one_reply_count_per_page"
                    )
                ],
            },
        ),
        migrations.RunPython(count_shown_replies, migrations.RunPython.noop),
    ]
