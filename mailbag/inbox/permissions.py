"""Who may use the inbox: the model's own view and change permissions ("Can view reader letter",
"Can change reader letter"). Seeing a writer's address is a separate question
(guard.permissions)."""

VIEW = "mailbag.view_readerletter"
CHANGE = "mailbag.change_readerletter"


def can_view(user):
    return bool(user and user.is_active and user.has_perm(VIEW))


def can_change(user):
    return bool(user and user.is_active and user.has_perm(CHANGE))
