"""Users and groups for tests."""

from django.contrib.auth.models import Group, Permission


def ensure_moderators_group():
    """Wagtail's Moderators group as the migrations leave it (admin access, can_moderate). The
    same flush empties it; post_migrate recreates permissions but not the groups that data
    migrations made, so it is made again when missing."""
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="django_comments", codename="can_moderate"),
    )
    return group
