"""A reply's life, in one place: it arrives with the status the policy gave it,
moderators move it between states, readers' reports send it back to the queue, and its author
may have it erased. Every change goes through `_change()`, which saves the reply, writes
Wagtail's audit-log entry, answers open reports and calls comments.notifications.

    pending ──approve──▶ approved ──reports──▶ pending
       │  ╲──reject───▶ rejected         (any state ──requeue──▶ pending)
       │   ╲──spam────▶ spam
    any state ──erase──▶ erased (answered by others) or deleted (nobody answered)
    approved ──pick──▶ approved and picked ("Readers weigh in") ──unpick──▶ approved

A pick lasts while the reply stays approved: any change of its status clears it in the same
`_change()` (comments.picks reads the picks).

Audit-log labels are "Reply #N", never a name, address or text: the log outlives an erasure.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from comments import notifications
from comments.models import ReaderEmail, Reply, ReplyReport, ReplyStatus
from comments.signals import reader_erasure_requested, replies_changed
from guard.models import BlockedSender


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


def receive(reply, decision, policy, user=None):
    """Store a new reply with the status the policy decided (comments.moderation.decide), log
    the decision and tell whoever should hear of it. The reply is written once, with every
    field; moderators told now are marked as told in that same write."""
    reply.status = decision.status
    reply.hold_reason = decision.reason
    reply.author_badge = decision.badge
    if reply.is_held and policy.emails_each_held_reply:
        reply.moderators_notified_at = timezone.now()
    # The reply and its log entry together; inside the posting transaction, no savepoint of
    # their own (a failure there rolls the whole post back).
    with transaction.atomic(savepoint=False):
        reply.save()
        log(
            instance=reply,
            action="comments.post",
            user=user if user is not None and user.is_authenticated else None,
            data={"to": reply.status, "reason": decision.reason},
        )
    if reply.is_published:  # a held or spam reply changes nothing readers see
        replies_changed.send(sender=Reply, reply=reply)
    notifications.reply_received(reply, policy)
    return reply


def imported(reply, note="imported from WordPress"):
    """Store a reply brought over from another site with the status it had there, and log it.
    Nobody is emailed: its readers and moderators heard of it where it was written."""
    with transaction.atomic():
        reply.save()
        log(instance=reply, action="comments.post", data={"to": reply.status, "reason": note})
    replies_changed.send(sender=Reply, reply=reply)
    return reply


def _change(
    reply, status, log_action, user=None, reason="", resolve=True, fields=None, log_data=None
):
    """The one way a stored reply changes state: save, answer reports, log, notify."""
    old_status = reply.status
    now = timezone.now()
    first_approval = status == ReplyStatus.APPROVED and reply.first_approved_at is None
    with transaction.atomic():
        reply.status = status
        reply.status_changed_at = now
        if first_approval:
            reply.first_approved_at = now
        for name, value in (fields or {}).items():
            setattr(reply, name, value)
        # Only an approved reply is a pick: held again, rejected, spam or erased, it leaves
        # "Readers weigh in" in the same save.
        unpicked = status != ReplyStatus.APPROVED and reply.picked_at is not None
        if status != ReplyStatus.APPROVED:
            reply.picked_at = reply.picked_by = None
        if unpicked:
            log_data = {**(log_data or {}), "unpicked": True}
        reply.save()
        if resolve:
            resolve_reports(reply)
        log(
            instance=reply,
            action=log_action,
            user=user,
            data={"reason": reason, "from": old_status, "to": status, **(log_data or {})},
        )
        replies_changed.send(sender=Reply, reply=reply)
    if first_approval:
        # Once only: a reply that went back to the queue after reports and was approved
        # again has been announced already.
        notifications.reply_published(reply)
    elif status == ReplyStatus.REJECTED:
        notifications.reply_rejected(reply)


def moderate(reply, action_name, user, reason=""):
    """A moderator's action on one reply. Returns False when the reply already had that status
    or is erased (nothing is saved or logged then; only its open reports are answered)."""
    action = ACTIONS[action_name]
    if reply.status == action.status or reply.is_erased:
        # Confirming a reply's status still answers its reports: a reported reply that is
        # fine is approved again from the reported queue, and leaves that queue.
        resolve_reports(reply)
        return False
    fields = {}
    if action.status == ReplyStatus.REJECTED:
        fields["rejection_reason"] = reason
    elif action.status == ReplyStatus.PENDING:
        fields["hold_reason"] = f"sent back by {user.get_username()}" if user else "sent back"
    _change(reply, action.status, f"comments.{action.name}", user, reason, fields=fields)
    return True


def moderate_many(replies, action_name, user, reason=""):
    """Apply one action to many replies; returns how many changed."""
    return sum(moderate(reply, action_name, user, reason) for reply in replies)


def pick(reply, user):
    """A moderator picks an approved reply for "Readers weigh in". Returns False, changing
    nothing, when the reply is not approved (held, rejected, spam, erased) or already picked.
    The check and the write are one UPDATE, so a reply held meanwhile is never picked."""
    now = timezone.now()
    with transaction.atomic():
        picked = Reply.objects.filter(
            pk=reply.pk, status=ReplyStatus.APPROVED, picked_at__isnull=True
        ).update(picked_at=now, picked_by=user)
        if not picked:
            return False
        reply.picked_at, reply.picked_by = now, user
        log(instance=reply, action="comments.pick", user=user, data={"status": reply.status})
        replies_changed.send(sender=Reply, reply=reply)
    return True


def unpick(reply, user):
    """Take a reply out of "Readers weigh in". Returns False when it was not picked."""
    with transaction.atomic():
        unpicked = Reply.objects.filter(pk=reply.pk, picked_at__isnull=False).update(
            picked_at=None, picked_by=None
        )
        reply.picked_at = reply.picked_by = None
        if not unpicked:
            return False
        log(instance=reply, action="comments.unpick", user=user, data={"status": reply.status})
        replies_changed.send(sender=Reply, reply=reply)
    return True


def pick_many(replies, user, picking=True):
    """Pick (or unpick) many replies; returns how many changed."""
    change = pick if picking else unpick
    return sum(change(reply, user) for reply in replies)


def resolve_reports(reply):
    return ReplyReport.objects.filter(reply=reply, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def dismiss_reports(reply, user):
    """A moderator keeps a reported reply as it is: its open reports are answered and the
    decision logged; its status does not change. Returns how many reports were open."""
    with transaction.atomic():
        answered = resolve_reports(reply)
        if answered:
            log(
                instance=reply,
                action="comments.dismiss_reports",
                user=user,
                data={"reports": answered, "status": reply.status},
            )
    return answered


def reported(reply, open_reports):
    """Enough readers reported a published reply: it goes back to the queue (never deleted),
    its reports stay open for the moderator, and moderators are told."""
    reason = f"reported by {open_reports} readers"
    _change(
        reply,
        ReplyStatus.PENDING,
        "comments.reported",
        reason=reason,
        resolve=False,
        fields={"hold_reason": reason, "moderators_notified_at": timezone.now()},
    )
    notifications.reply_held_again(reply)


def erasure_plan(email):
    """What erasing `email` would touch: replies to delete, replies to keep as erased
    placeholders (others answered them, so the thread keeps its shape), and the address's
    own records."""
    email = ReaderEmail.normalise(email)
    replies = list(Reply.objects.filter(user_email__iexact=email).order_by("submit_date"))
    answered = set(
        Reply.objects.filter(parent_id__in=[r.pk for r in replies])
        .exclude(pk__in=[r.pk for r in replies])
        .values_list("parent_id", flat=True)
    )
    # A reply with another reader's answer anywhere below it stays (erased), so that answer
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
        "blocks": list(
            BlockedSender.objects.filter(
                kind=BlockedSender.EMAIL, value=BlockedSender.normalise("email", email)
            )
        ),
    }


def erase(email, user):
    """Erase everything `email` wrote: replies nobody answered are deleted; answered ones keep
    their place in the thread as erased, with no name, address or text. Returns the plan."""
    plan = erasure_plan(email)
    with transaction.atomic():
        for reply in plan["delete"]:
            log(instance=reply, action="comments.erase", user=user, data={"deleted": True})
        Reply.objects.filter(pk__in=[r.pk for r in plan["delete"]]).delete()
        for reply in plan["delete"]:
            replies_changed.send(sender=Reply, reply=reply)
        for reply in plan["blank"]:
            _change(
                reply,
                ReplyStatus.ERASED,
                "comments.erase",
                user,
                fields={
                    "user_name": "",
                    "user_email": "",
                    "user_url": "",
                    "ip_address": None,
                    "user": None,
                    "followup": False,
                    "followup_pending": False,
                    "notify_on_publish": False,
                    "comment": "",
                },
                log_data={"deleted": False},
            )
        ReaderEmail.objects.filter(email=plan["email"]).delete()
        BlockedSender.objects.filter(pk__in=[block.pk for block in plan["blocks"]]).delete()
        # Other apps erase what they hold for the address (reader letters, …).
        responses = reader_erasure_requested.send(sender=Reply, email=plan["email"], user=user)
        plan["elsewhere"] = [said for _receiver, said in responses if said]
    return plan
