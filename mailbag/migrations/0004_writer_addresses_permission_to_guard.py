"""Writers' addresses are read under guard's one permission, "Can see readers’ addresses"
(guard.ReaderAddresses), which the reply desk and its emails ask too. Every group and user that
held mailbag's "Can see writers' addresses" holds guard's instead; mailbag's is deleted.
Backwards, mailbag's comes back to the same holders.

Guard's permission is made here when post_migrate has not made it yet (a fresh database)."""

from django.conf import settings
from django.db import migrations

OLD = ("mailbag", "submission", "see_writer_email", "Can see writers’ addresses")
NEW = ("guard", "readeraddresses", "see_reader_addresses", "Can see readers’ addresses")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _move(apps, source, target):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    old = Permission.objects.filter(
        content_type__app_label=source[0], codename=source[2]
    ).first()
    if old is None:
        return
    new = _permission(apps, *target)
    for group in Group.objects.filter(permissions=old):
        group.permissions.add(new)
    for user in User.objects.filter(user_permissions=old):
        user.user_permissions.add(new)
    old.delete()


def forwards(apps, schema_editor):
    _move(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _move(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("mailbag", "0003_typographic_help_texts"),
        ("guard", "0004_reader_addresses_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterModelOptions(
            name="submission",
            options={
                "ordering": ["-submitted_at"],
                "verbose_name": "reader letter",
                "verbose_name_plural": "reader letters",
            },
        ),
    ]
