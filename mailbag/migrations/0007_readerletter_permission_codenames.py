"""The reader letter's permissions are renamed with the model (0006): `add_submission`,
`change_submission`, `delete_submission` and `view_submission` become `…_readerletter`, the
codenames Django asks for now. The rows are renamed in place, so every group and user keeps what
it held (Editors keep working the inbox). Where Django has already made the new one, the holders
of the old one are moved to it and the old one is deleted. Backwards, the old names come back."""

from django.conf import settings
from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def _rename(apps, old_model, new_model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    content_type, _ = ContentType.objects.get_or_create(app_label="mailbag", model="readerletter")
    for action in ACTIONS:
        old = Permission.objects.filter(
            content_type__app_label="mailbag", codename=f"{action}_{old_model}"
        ).first()
        if old is None:
            continue
        new = Permission.objects.filter(
            content_type=content_type, codename=f"{action}_{new_model}"
        ).first()
        if new is None:
            old.codename = f"{action}_{new_model}"
            old.name = f"Can {action} reader letter"
            old.content_type = content_type
            old.save()
            continue
        for group in Group.objects.filter(permissions=old):
            group.permissions.add(new)
        for user in User.objects.filter(user_permissions=old):
            user.user_permissions.add(new)
        old.delete()


def forwards(apps, schema_editor):
    _rename(apps, "submission", "readerletter")


def backwards(apps, schema_editor):
    _rename(apps, "readerletter", "submission")


class Migration(migrations.Migration):
    dependencies = [
        ("mailbag", "0006_submission_becomes_readerletter"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
