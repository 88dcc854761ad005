"""Every email about replies, in one module: moderators hear of held replies; authors hear of
the outcome when they asked (or, in trust mode, on their first approval, with the confirmation
link); followers get xtd's follow-up emails when a reply becomes public.

comments.lifecycle calls these when a reply arrives or changes state; nothing else sends
reply emails. Every email carries a way to stop receiving it, and the site's name comes from
Wagtail's Site (Settings → Sites).
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
from wagtail.models import Site

from comments import trust
from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus

UNSUBSCRIBE_SALT = "comments.unsubscribe"
MODERATOR_MUTE_SALT = "comments.moderator-mute"


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_name(target=None):
    """The site's name as editors set it (Wagtail's Site.site_name), for subjects and
    signatures: the target's site, else the default site, else WAGTAIL_SITE_NAME."""
    site = target.get_site() if target is not None else None
    site = site or Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def one_line(text):
    """A title in an email subject: a line break there raises BadHeaderError."""
    return " ".join(str(text or "").split())


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
        {
            "e": ReaderEmail.normalise(reply.user_email),
            "p": reply.object_pk,
            "t": reply.content_type_id,
        },
        salt=UNSUBSCRIBE_SALT,
    )
    return absolute(reverse("comments-unsubscribe", args=[token]))


def confirm_url(email):
    return absolute(reverse("comments-confirm-email", args=[trust.confirmation_token(email)]))


def desk_url(reply=None):
    if reply is not None:
        return absolute(reverse("wagtailsnippets_comments_reply:inspect", args=[reply.pk]))
    return absolute(reverse("wagtailsnippets_comments_reply:list"))


def _send(subject, template, context, recipients, target=None):
    name = site_name(target)
    body = render_to_string(template, {"site_name": name, **context})
    send_mail(f"[{name}] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_moderators(replies):
    """One email per moderator about these held replies (one reply, or a digest)."""
    replies = list(replies)
    if not replies:
        return 0
    target = replies[0].content_object if len(replies) == 1 else None
    subject = (
        f"A reply awaits moderation on “{one_line(target.title)}”"
        if target is not None
        else f"{len(replies)} replies await moderation"
    )
    sent = 0
    for user in moderators():
        token = signing.dumps(user.pk, salt=MODERATOR_MUTE_SALT)
        _send(
            subject,
            "comments/email/moderators.txt",
            {
                "replies": [(reply, desk_url(reply)) for reply in replies],
                "desk_url": desk_url(),
                "mute_url": absolute(reverse("comments-moderator-mute", args=[token])),
            },
            [user.email],
            target,
        )
        sent += 1
    return sent


def send_moderation_digest():
    """The digest mode's daily email: every held reply moderators have not heard of yet."""
    held = list(
        Reply.objects.filter(
            status=ReplyStatus.PENDING, moderators_notified_at__isnull=True
        ).order_by("submit_date")
    )
    sent = notify_moderators(held)
    Reply.objects.filter(pk__in=[reply.pk for reply in held]).update(
        moderators_notified_at=timezone.now()
    )
    return sent


def notify_author_published(reply, policy):
    email = ReaderEmail.normalise(reply.user_email)
    needs_confirmation = (
        policy.mode == ReplyPolicy.HOLD_UNTRUSTED
        and not ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()
    )
    if not (reply.notify_on_publish or needs_confirmation) or reply.author_badge:
        return False
    _send(
        "Your reply is published",
        "comments/email/published.txt",
        {
            "reply": reply,
            "reply_url": absolute(reply.get_absolute_url()),
            "confirm_url": confirm_url(email) if needs_confirmation else None,
            "unsubscribe_url": unsubscribe_url(reply),
        },
        [reply.user_email],
        reply.content_object,
    )
    Reply.objects.filter(pk=reply.pk).update(author_notified_at=timezone.now())
    return True


def notify_author_rejected(reply):
    if not reply.notify_on_publish or reply.author_badge:
        return False
    _send(
        "About your reply",
        "comments/email/rejected.txt",
        {
            "reply": reply,
            "letter_url": absolute(reply.content_object.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url(reply),
        },
        [reply.user_email],
        reply.content_object,
    )
    Reply.objects.filter(pk=reply.pk).update(author_notified_at=timezone.now())
    return True


# What comments.lifecycle calls.


def reply_received(reply, policy):
    """A new reply was stored: moderators hear of it when it is held (unless the policy sends a
    daily digest instead); followers hear of it when it is public at once."""
    if reply.is_held and policy.emails_each_held_reply:
        notify_moderators([reply])
    elif reply.is_published:
        notify_comment_followers(reply)


def reply_published(reply):
    """A reply approved for the first time: its author (when asked, or to confirm the
    address) and the discussion's followers. Returns whether the author was emailed."""
    told = notify_author_published(reply, ReplyPolicy.for_target(reply.content_object))
    notify_comment_followers(reply)
    return told


def reply_rejected(reply):
    return notify_author_rejected(reply)


def reply_held_again(reply):
    """A published reply sent back to the queue by readers' reports."""
    notify_moderators([reply])
