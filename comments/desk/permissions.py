"""Who may use the desk: holders of django_comments' `can_moderate` (the "Reply moderators"
group has it through a data migration, Wagtail's page Moderators do not; superusers have
every permission). Django's per-model add/change/delete permissions play no part, so giving
an editor "change reply" by mistake cannot open the desk to them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from comments.permissions import MODERATE, can_moderate


class ModeratorPermissionPolicy(BasePermissionPolicy):
    """Grants `actions` on `model` to moderators, and nothing to anyone else."""

    def __init__(self, model, actions=("add", "change", "delete", "view")):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and can_moderate(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and can_moderate(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions.intersection(actions):
            return users.none()
        app_label, codename = MODERATE.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        holders = Q(is_superuser=True)
        if permission is not None:
            holders |= Q(groups__permissions=permission) | Q(user_permissions=permission)
        return users.filter(holders).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])
