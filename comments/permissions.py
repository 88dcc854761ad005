"""Who moderates replies: holders of django_comments' `can_moderate` (superusers have every
permission). The desk, the posting rules and the emails all ask this one question."""

MODERATE = "django_comments.can_moderate"


def can_moderate(user):
    return bool(user and user.is_active and user.has_perm(MODERATE))
