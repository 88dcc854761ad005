"""Users and groups for tests."""

from django.contrib.auth.models import Group, Permission

REPLY_MODERATORS = "Reply moderators"
REPLY_MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("django_comments", "can_moderate"),
    ("comments", "view_reply"),
    ("guard", "view_blockedsender"),
    ("comments", "view_rejectionreason"),
    ("comments", "change_replypolicy"),
]


def ensure_reply_moderators_group():
    """The "Reply moderators" group as the migrations leave it (admin access, the desk, its
    history, the reply policy; nothing on pages). The browser tests' flush empties it;
    post_migrate recreates permissions but not the groups that data migrations made, so it
    is made again when missing."""
    group, _ = Group.objects.get_or_create(name=REPLY_MODERATORS)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in REPLY_MODERATOR_PERMISSIONS
        ]
    )
    return group


def grant(user, *names):
    """Give `user` permissions by "app_label.codename" (Django caches a user's permissions:
    use a fresh instance, or force_login again, to see them)."""
    for name in names:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
