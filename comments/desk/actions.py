"""The desk's own actions besides moderation (comments.lifecycle): blocking an address, and
picking a reply for "Readers weigh in" with the message the moderator sees."""

from django.utils import timezone
from wagtail.admin import messages
from wagtail.log_actions import log

from comments import lifecycle
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


def pick(request, reply, name):
    """Pick an approved reply for "Readers weigh in" (`name` "pick"), or take a pick out
    ("unpick"), through the lifecycle, and tell the moderator what came of it."""
    if name == "unpick":
        if lifecycle.unpick(reply, request.user):
            messages.success(request, f"{reply} taken out of “Readers weigh in”.")
        else:
            messages.warning(request, f"{reply} was not picked.")
    elif lifecycle.pick(reply, request.user):
        messages.success(request, f"{reply} picked for “Readers weigh in”.")
    elif reply.is_picked:
        messages.warning(request, f"{reply} was already picked.")
    else:
        messages.error(
            request,
            f"{reply} is {reply.get_status_display().lower()}: only an approved reply can be "
            "picked.",
        )
