"""Moderation actions on replies. Every view of the desk (one reply, bulk, the detail page)
goes through `moderate()`, so each change is saved the same way (the status-change signal
sends the author's and followers' emails) and written to Wagtail's audit log."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from comments.models import BlockedSender, ReaderEmail, Reply, ReplyReport, ReplyStatus


@dataclass(frozen=True)
class Action:
    name: str  # also the audit-log action, prefixed with "comments."
    status: str
    verb: str  # "Approve"
    past: str  # "approved"


ACTIONS = {
    action.name: action
    for action in (
        Action("approve", ReplyStatus.APPROVED, "Approve", "approved"),
        Action("reject", ReplyStatus.REJECTED, "Reject", "rejected"),
        Action("spam", ReplyStatus.SPAM, "Mark as spam", "marked as spam"),
        Action("requeue", ReplyStatus.PENDING, "Send back to the queue", "sent back to the queue"),
    )
}

REMOVED_TEXT = "This reply was removed at its author's request."


def moderate(reply, action_name, user, reason=""):
    """Apply one action to one reply. Returns False when the reply already had that status
    (nothing is saved or logged then; only its open reports are answered)."""
    action = ACTIONS[action_name]
    if reply.status == action.status:
        # Confirming a reply's status still answers its reports: a reported reply that is
        # fine is approved again from the reported queue, and leaves that queue.
        resolve_reports(reply)
        return False
    old_status = reply.status
    with transaction.atomic():
        reply.status = action.status
        if action.status == ReplyStatus.REJECTED:
            reply.rejection_reason = reason
        elif action.status == ReplyStatus.PENDING:
            reply.hold_reason = f"sent back by {user.get_username()}" if user else "sent back"
        reply.save()
        # Acting on a reply answers the reports made about it so far.
        resolve_reports(reply)
        log(
            instance=reply,
            action=f"comments.{action.name}",
            user=user,
            data={"reason": reason, "from": old_status, "to": action.status},
        )
    return True


def resolve_reports(reply):
    ReplyReport.objects.filter(reply=reply, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def moderate_many(replies, action_name, user, reason=""):
    """Apply one action to many replies; returns how many changed."""
    return sum(moderate(reply, action_name, user, reason) for reply in replies)


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


def erasure_plan(email):
    """What erasing `email` would touch: replies to delete, replies to blank (others answered
    them, so the thread keeps a placeholder), and the address's own records."""
    email = ReaderEmail.normalise(email)
    replies = list(Reply.objects.filter(user_email__iexact=email).order_by("submit_date"))
    answered = set(
        Reply.objects.filter(parent_id__in=[r.pk for r in replies])
        .exclude(pk__in=[r.pk for r in replies])
        .values_list("parent_id", flat=True)
    )
    # A reply with another reader's answer anywhere below it stays (blanked), so that answer
    # keeps its place: its ancestors among the author's own replies stay too.
    parents = {r.pk: r.parent_id for r in replies}
    for pk in list(answered):
        while parents.get(pk, pk) != pk and parents[pk] in parents:
            pk = parents[pk]
            answered.add(pk)
    # A reply whose only answers are the same author's own is deleted with them.
    delete = [r for r in replies if r.pk not in answered]
    blank = [r for r in replies if r.pk in answered]
    return {
        "email": email,
        "delete": delete,
        "blank": blank,
        "replies": len(replies),
        "reader_emails": list(ReaderEmail.objects.filter(email=email)),
        "blocks": list(BlockedSender.objects.filter(kind=BlockedSender.EMAIL, value=email)),
    }


def erase(email, user):
    """Erase everything `email` wrote: replies nobody answered are deleted; answered ones keep
    their place in the thread with the name, addresses and text removed. Returns the plan."""
    plan = erasure_plan(email)
    with transaction.atomic():
        for reply in plan["delete"] + plan["blank"]:
            log(
                instance=reply,
                action="comments.erase",
                user=user,
                data={"deleted": reply in plan["delete"]},
            )
        Reply.objects.filter(pk__in=[r.pk for r in plan["delete"]]).delete()
        for reply in plan["blank"]:
            reply.user_name = "Removed"
            reply.user_email = ""
            reply.user_url = ""
            reply.ip_address = None
            reply.user = None
            reply.followup = False
            reply.notify_on_publish = False
            reply.comment = REMOVED_TEXT
            reply.save()
        ReaderEmail.objects.filter(email=plan["email"]).delete()
        BlockedSender.objects.filter(kind=BlockedSender.EMAIL, value=plan["email"]).delete()
    return plan
