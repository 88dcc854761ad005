"""For the data migrations that give a group a permission (Django skips modules whose names
start with "_" when it looks for migrations). The early ones gave Wagtail's Moderators group
the desk; 0008 moved it to a "Reply moderators" group of its own.

On a fresh database the permissions do not exist yet when migrations run (Django creates them
after all migrations), so they are created here.
"""

MODERATORS = "Moderators"  # Wagtail's group: pages (publish, move, delete) and workflows
REPLY_MODERATORS = "Reply moderators"  # ours: the moderation desk, nothing on pages


def permissions_for(apps, permissions):
    """The permissions named by (app_label, model, codename, name) tuples, created if missing."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, model, codename, name in permissions:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        found.append(permission)
    return found


def grant(apps, permissions, group=MODERATORS):
    """permissions: (app_label, model, codename, name) tuples, given to every group so named."""
    Group = apps.get_model("auth", "Group")
    found = permissions_for(apps, permissions)
    for each in Group.objects.filter(name=group):
        each.permissions.add(*found)


def revoke(apps, permissions, group=MODERATORS):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    found = [
        permission
        for app_label, _model, codename, _name in permissions
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    for each in Group.objects.filter(name=group):
        each.permissions.remove(*found)
