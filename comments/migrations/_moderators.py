"""For the data migrations that give Wagtail's Moderators group a permission (Django skips
modules whose names start with "_" when it looks for migrations).

On a fresh database the permissions do not exist yet when migrations run (Django creates them
after all migrations), so they are created here (DESIGN.md §4a).
"""


def grant(apps, permissions):
    """permissions: (app_label, model, codename, name) tuples."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    found = []
    for app_label, model, codename, name in permissions:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        found.append(permission)
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(*found)


def revoke(apps, permissions):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    found = [
        permission
        for app_label, _model, codename, _name in permissions
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(*found)
