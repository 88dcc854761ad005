"""Who may do what to the newsletter's rows in the admin."""

from wagtail.permission_policies import ModelPermissionPolicy


class NeverAddedByHand(ModelPermissionPolicy):
    """Subscribers come only through the form's double opt-in (an address added by hand would
    skip the consent it records), and issues only from publishing or the round-up: nobody,
    superusers included, adds them in the admin. Registered from NewsletterConfig.ready()."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
