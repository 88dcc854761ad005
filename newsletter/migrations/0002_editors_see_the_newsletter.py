"""Editors (Wagtail's group) see the "Newsletter" menu: subscribers, sent issues, and the
suppression lookup (view only; addresses only with guard's "Can see readers’ addresses").
Superusers have every permission.

The permissions are made here when post_migrate has not made them yet (a fresh database)."""

from django.db import migrations

EDITORS = "Editors"
PERMISSIONS = [
    ("subscriber", "view_subscriber", "Can view subscriber"),
    ("issue", "view_issue", "Can view issue"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is None:
        return
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="newsletter", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        editors.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="newsletter",
                codename__in=[codename for _model, codename, _name in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
