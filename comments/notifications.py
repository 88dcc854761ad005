"""Emails about replies: moderators hear of held replies; authors hear of the outcome when
they asked (or, in trust mode, on their first approval, with the confirmation link); followers
get xtd's follow-up emails when a reply becomes public, including replies approved later.

Every email carries a way to stop receiving it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.views import notify_comment_followers

from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus, reply_status_changed

UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm-email"
MODERATOR_MUTE_SALT = "comments.moderator-mute"


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def moderators():
    """Active users with django_comments.can_moderate (Wagtail's Moderators group) and an
    address, who have not switched these emails off."""
    permission = Permission.objects.filter(
        content_type__app_label="django_comments", codename="can_moderate"
    ).first()
    holders = Q(is_superuser=True)
    if permission is not None:
        holders |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return (
        get_user_model()
        .objects.filter(holders, is_active=True)
        .exclude(email="")
        .exclude(reply_email_preference__muted=True)
        .distinct()
    )


def unsubscribe_url(reply):
    token = signing.dumps(
        {"e": ReaderEmail.normalise(reply.user_email), "p": reply.object_pk}, salt=UNSUBSCRIBE_SALT
    )
    return absolute(reverse("comments-unsubscribe", args=[token]))


def confirm_url(email):
    token = signing.dumps(ReaderEmail.normalise(email), salt=CONFIRM_SALT)
    return absolute(reverse("comments-confirm-email", args=[token]))


def desk_url(reply=None):
    try:
        if reply is not None:
            return absolute(reverse("wagtailsnippets_comments_reply:inspect", args=[reply.pk]))
        return absolute(reverse("wagtailsnippets_comments_reply:list"))
    except Exception:  # noqa: BLE001 - the desk may not be routed (e.g. in a trimmed URLconf)
        return absolute("/admin/")


def _send(subject, template, context, recipients):
    body = render_to_string(template, {"site_name": settings.WAGTAIL_SITE_NAME, **context})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_moderators(replies):
    """One email per moderator about these held replies (one reply, or a digest)."""
    replies = list(replies)
    if not replies:
        return 0
    sent = 0
    for user in moderators():
        token = signing.dumps(user.pk, salt=MODERATOR_MUTE_SALT)
        _send(
            f"[{settings.WAGTAIL_SITE_NAME}] "
            + (
                f"A reply awaits moderation on “{replies[0].content_object.title}”"
                if len(replies) == 1
                else f"{len(replies)} replies await moderation"
            ),
            "comments/email/moderators.txt",
            {
                "replies": [(reply, desk_url(reply)) for reply in replies],
                "desk_url": desk_url(),
                "mute_url": absolute(reverse("comments-moderator-mute", args=[token])),
            },
            [user.email],
        )
        sent += 1
    Reply.objects.filter(pk__in=[reply.pk for reply in replies]).update(
        moderators_notified_at=timezone.now()
    )
    return sent


def send_moderation_digest():
    """The digest mode's daily email: every held reply moderators have not heard of yet."""
    held = Reply.objects.filter(status=ReplyStatus.PENDING, moderators_notified_at__isnull=True)
    return notify_moderators(held.order_by("submit_date"))


def notify_author_published(reply, policy):
    email = ReaderEmail.normalise(reply.user_email)
    needs_confirmation = (
        policy.mode == ReplyPolicy.HOLD_UNTRUSTED
        and not ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()
    )
    if not (reply.notify_on_publish or needs_confirmation) or reply.author_badge:
        return False
    _send(
        f"[{settings.WAGTAIL_SITE_NAME}] Your reply is published",
        "comments/email/published.txt",
        {
            "reply": reply,
            "reply_url": absolute(reply.get_absolute_url()),
            "confirm_url": confirm_url(email) if needs_confirmation else None,
            "unsubscribe_url": unsubscribe_url(reply),
        },
        [reply.user_email],
    )
    Reply.objects.filter(pk=reply.pk).update(author_notified_at=timezone.now())
    return True


def notify_author_rejected(reply):
    if not reply.notify_on_publish or reply.author_badge:
        return False
    _send(
        f"[{settings.WAGTAIL_SITE_NAME}] About your reply",
        "comments/email/rejected.txt",
        {
            "reply": reply,
            "letter_url": absolute(reply.content_object.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url(reply),
        },
        [reply.user_email],
    )
    Reply.objects.filter(pk=reply.pk).update(author_notified_at=timezone.now())
    return True


def on_status_changed(sender, reply, old_status, first_approval=False, **kwargs):
    from comments.moderation import policy_for

    if reply.status == ReplyStatus.APPROVED and first_approval:
        # Once only: a reply that went back to the queue after reports and was approved
        # again has been announced already.
        notify_author_published(reply, policy_for(page=reply.content_object))
        # xtd sends follow-ups only for replies public when posted; this one became public now.
        notify_comment_followers(reply)
    elif reply.status == ReplyStatus.REJECTED:
        notify_author_rejected(reply)


def connect():
    reply_status_changed.connect(on_status_changed, sender=Reply, dispatch_uid="reply-emails")
