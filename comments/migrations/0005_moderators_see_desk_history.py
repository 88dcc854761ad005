"""Let Wagtail's Moderators group read the desk's entries in Reports → Site history.

Wagtail shows a log entry there only to users holding some Django permission on its model;
the desk itself asks for django_comments.can_moderate alone (comments.desk.permissions), so
these "view" permissions open nothing else. On a fresh database the permissions do not exist
yet when this runs (they are created after all migrations), so they are created here.
"""

from django.db import migrations

MODELS = {
    "reply": "reader reply",
    "blockedsender": "blocked address",
    "rejectionreason": "rejection reason",
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for model, verbose_name in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="comments", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"view_{model}",
            defaults={"name": f"Can view {verbose_name}"},
        )
        permissions.append(permission)
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=[f"view_{m}" for m in MODELS]
    )
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_desk")]

    operations = [migrations.RunPython(grant, revoke)]
