"""The block list and the rate-limit counters move to the `guard` app, with their data; erased
replies get a status of their own.

Data: every block-list entry is copied to guard_blockedsender with its id, and the unexpired
rate-limit windows to guard_ratecounter. The block list's content type is renamed from
comments to guard, so its audit-log entries and permissions (Moderators' "view" permission
among them) follow it. Then the old tables go.

Replies the erasure had blanked ("Removed", the placeholder text) become status "erased",
without a name or text: the thread shows them as placeholders.
"""

from django.db import migrations, models
from django.utils import timezone

REMOVED_NAME = "Removed"
REMOVED_TEXT = "This reply was removed at its author's request."


def move_to_guard(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    OldBlock = apps.get_model("comments", "BlockedSender")
    NewBlock = apps.get_model("guard", "BlockedSender")
    OldCounter = apps.get_model("comments", "RateCounter")
    NewCounter = apps.get_model("guard", "RateCounter")

    NewBlock.objects.bulk_create(
        NewBlock(
            pk=old.pk,
            kind=old.kind,
            value=old.value,
            action=old.action,
            reason=old.reason,
            expires_at=old.expires_at,
            created_at=old.created_at,
            created_by_id=old.created_by_id,
        )
        for old in OldBlock.objects.all()
    )
    NewCounter.objects.bulk_create(
        NewCounter(key=old.key, window=old.window, expires_at=old.expires_at, count=old.count)
        for old in OldCounter.objects.filter(expires_at__gt=timezone.now())
    )
    # The new tables' id sequences must continue after the copied ids (PostgreSQL).
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('guard_blockedsender', 'id'), "
                "COALESCE((SELECT MAX(id) FROM guard_blockedsender), 1))"
            )

    old_type = ContentType.objects.filter(app_label="comments", model="blockedsender").first()
    if old_type is None:
        return
    new_type = ContentType.objects.filter(app_label="guard", model="blockedsender").first()
    if new_type is None:
        old_type.app_label = "guard"
        old_type.save()
    else:
        ModelLogEntry.objects.filter(content_type=old_type).update(content_type=new_type)
        old_type.delete()


def move_back(apps, schema_editor):
    """Unapplying: the entries and windows go back to comments' tables."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldBlock = apps.get_model("comments", "BlockedSender")
    NewBlock = apps.get_model("guard", "BlockedSender")
    OldCounter = apps.get_model("comments", "RateCounter")
    NewCounter = apps.get_model("guard", "RateCounter")
    OldBlock.objects.bulk_create(
        OldBlock(
            pk=new.pk,
            kind=new.kind,
            value=new.value,
            action=new.action,
            reason=new.reason,
            expires_at=new.expires_at,
            created_at=new.created_at,
            created_by_id=new.created_by_id,
        )
        for new in NewBlock.objects.all()
    )
    OldCounter.objects.bulk_create(
        OldCounter(key=new.key, window=new.window, expires_at=new.expires_at, count=new.count)
        for new in NewCounter.objects.all()
    )
    if not ContentType.objects.filter(app_label="comments", model="blockedsender").exists():
        ContentType.objects.filter(app_label="guard", model="blockedsender").update(
            app_label="comments"
        )


def mark_erased(apps, schema_editor):
    Reply = apps.get_model("comments", "Reply")
    Reply.objects.filter(user_name=REMOVED_NAME, comment=REMOVED_TEXT, user_email="").update(
        status="erased", user_name="", comment="", html="", link_count=0, is_public=True,
        is_removed=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_moderators_see_desk_history"),
        ("guard", "0002_blockedsender"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(move_to_guard, move_back),
        migrations.RemoveField(model_name="blockedsender", name="created_by"),
        migrations.DeleteModel(name="RateCounter"),
        migrations.DeleteModel(name="BlockedSender"),
        migrations.AlterField(
            model_name="reply",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting moderation"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("spam", "Spam"),
                    ("erased", "Erased"),
                ],
                db_index=True,
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_erased, migrations.RunPython.noop),
    ]
