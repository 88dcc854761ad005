"""The desk's own action besides moderation (comments.lifecycle): blocking an address."""

from django.utils import timezone
from wagtail.log_actions import log

from guard.models import BlockedSender


def block(kind, value, action, user, expires_at=None, reason="", reply=None):
    """Add (or renew) a block-list entry and log it, on the reply it came from if any."""
    entry, _ = BlockedSender.objects.update_or_create(
        kind=kind,
        value=BlockedSender.normalise(kind, value),
        defaults={
            "action": action,
            "expires_at": expires_at,
            "reason": reason,
            "created_by": user,
            "created_at": timezone.now(),
        },
    )
    data = {
        "kind": kind,
        "block": action,
        "reply": reply.pk if reply else None,
        "expires_at": expires_at.isoformat() if expires_at else None,
    }
    # On the entry, and on the reply it came from, so the reply's history tells it too.
    # The label is never the address: the log outlives an erasure.
    log(instance=entry, title=f"Block #{entry.pk}", action="comments.block", user=user, data=data)
    if reply is not None:
        log(instance=reply, action="comments.block", user=user, data=data)
    return entry
