"""Give Wagtail's Moderators group django_comments' can_moderate permission: the moderation
desk and the held-reply emails are for its members.

On a fresh database the permission does not exist yet when this runs (permissions are created
after all migrations), so it is created here (DESIGN.md §4a).
"""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    comment_type, _ = ContentType.objects.get_or_create(app_label="django_comments", model="comment")
    permission, _ = Permission.objects.get_or_create(
        content_type=comment_type,
        codename="can_moderate",
        defaults={"name": "Can moderate comments"},
    )
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permission = Permission.objects.filter(
        content_type__app_label="django_comments", codename="can_moderate"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name="Moderators"):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_replies"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
