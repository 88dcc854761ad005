"""Every email about replies, in one module: moderators hear of held replies; authors hear of
the outcome when they asked (or, in trust mode, on their first approval, with the
confirmation link); followers hear of new public replies in a discussion they follow.

comments.lifecycle calls these when a reply arrives or changes state; nothing else sends
reply emails. None of them sends inside the request: each email is queued (outbox) and the
email worker sends it, trying again when the mail server fails. Every email carries a way to
stop receiving it, and the site's name comes from Wagtail's Site (Settings → Sites).

Follow-ups, for readers who ticked "email me when someone else replies":

- A follower is an address with a published reply on the page, ticked to follow, that its
  owner confirmed (ReaderEmail.confirmed_at, the confirmation trust mode uses too). An author
  who ticks the box before confirming gets the confirmation link when their reply is first
  published; until they follow it, they get no follow-ups.
- When a reply becomes public (posted by staff or a trusted reader, or approved for the first
  time), its page is marked due (FollowupBatch) and, unless it was already, one task for that
  page is queued to run REPLY_FOLLOWUP_WAIT seconds later (default 5 minutes).
- That task takes every reply of the page made public since the last such task and still
  public: each follower gets one email listing them, their own replies left out (no email
  when nothing is left). Then those replies count as told.

So 50 replies approved together on one letter make one email per follower, not 50; each
public reply is announced once; nobody hears of a reply that is not public.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from comments import trust
from comments.models import FollowupBatch, ReaderEmail, Reply, ReplyPolicy, ReplyStatus
from guard.permissions import holders as address_holders
from guard.text import one_line
from outbox.delivery import BACKEND, deferred, deliver, enqueue

UNSUBSCRIBE_SALT = "comments.unsubscribe"
MODERATOR_MUTE_SALT = "comments.moderator-mute"
FOLLOWUP_WAIT = 5 * 60  # seconds; REPLY_FOLLOWUP_WAIT overrides it
FOLLOWUP_LISTED = 20  # replies shown in one follow-up email; the rest are counted


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_name(target=None):
    """The site's name as editors set it (Wagtail's Site.site_name), for subjects and
    signatures: the target's site, else the default site, else WAGTAIL_SITE_NAME, on one line
    (the emails print it with escaping off)."""
    site = target.get_site() if target is not None else None
    site = site or Site.objects.filter(is_default_site=True).only("site_name").first()
    return one_line((site.site_name if site else "") or settings.WAGTAIL_SITE_NAME)


def moderators():
    """Active users with django_comments.can_moderate (the Reply moderators group) and an
    address, who have not switched these emails off (one query: the permission is joined)."""
    perm = {"codename": "can_moderate", "content_type__app_label": "django_comments"}
    holders = (
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{name}": value for name, value in perm.items()})
        | Q(**{f"user_permissions__{name}": value for name, value in perm.items()})
    )
    return (
        get_user_model()
        .objects.filter(holders, is_active=True)
        .exclude(email="")
        .exclude(reply_email_preference__muted=True)
        .distinct()
    )


def is_confirmed(email):
    return ReaderEmail.objects.filter(
        email=ReaderEmail.normalise(email), confirmed_at__isnull=False
    ).exists()


def unsubscribe_url(reply):
    """A short link that stops every email about the reply's page to the reply's address
    (after asking: comments.email_links.unsubscribe). The signed value is only the reply's id."""
    token = signing.dumps(reply.pk, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("comments-unsubscribe", args=[token]))


def confirm_url(email, reply=None):
    """The confirmation link; with `reply`, it also turns on the follow-ups that reply asked
    for (comments.trust.confirmation_token)."""
    token = trust.confirmation_token(email, reply)
    return absolute(reverse("comments-confirm-email", args=[token]))


def desk_url(reply=None):
    if reply is not None:
        return absolute(reverse("wagtailsnippets_comments_reply:inspect", args=[reply.pk]))
    return absolute(reverse("wagtailsnippets_comments_reply:list"))


def _message(subject, template, context, recipients, target=None, name=None):
    name = name or site_name(target)
    body = render_to_string(template, {"site_name": name, **context})
    return EmailMessage(f"[{name}] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)


def _send(subject, template, context, recipients, target=None):
    enqueue([_message(subject, template, context, recipients, target)])


def notify_moderators(replies):
    """One email per moderator about these held replies (one reply, or a digest), queued as
    one task."""
    replies = list(replies)
    if not replies:
        return 0
    target = replies[0].content_object if len(replies) == 1 else None
    subject = (
        f"A reply awaits moderation on “{one_line(target.title)}”"
        if target is not None
        else f"{len(replies)} replies await moderation"
    )
    name = site_name(target)
    shown = set(address_holders().values_list("pk", flat=True))
    messages = [
        _message(
            subject,
            "comments/email/moderators.txt",
            {
                "replies": [(reply, desk_url(reply)) for reply in replies],
                # A moderator without "Can see readers’ addresses" gets names, never addresses.
                "show_addresses": user.pk in shown,
                "desk_url": desk_url(),
                "mute_url": absolute(
                    reverse(
                        "comments-moderator-mute",
                        args=[signing.dumps(user.pk, salt=MODERATOR_MUTE_SALT)],
                    )
                ),
            },
            [user.email],
            name=name,
        )
        for user in moderators()
    ]
    enqueue(messages)
    return len(messages)


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
    """ "Your reply is published", when the author asked; with the confirmation link when
    they need it: to be trusted (trust mode: their address is unconfirmed), or to receive the
    follow-ups they ticked without proving the address from their browser (confirmed or not:
    anyone can type a confirmed address, and only the link sent to it proves the request)."""
    confirmed = is_confirmed(reply.user_email)
    for_followups = reply.followup_pending
    for_trust = (
        policy.mode == ReplyPolicy.HOLD_UNTRUSTED and not confirmed and not reply.author_badge
    )
    asked = reply.notify_on_publish and not reply.author_badge
    if not (asked or for_trust or for_followups):
        return False
    _send(
        "Your reply is published",
        "comments/email/published.txt",
        {
            "reply": reply,
            "reply_url": absolute(reply.get_absolute_url()),
            "confirm_url": confirm_url(reply.user_email, reply if for_followups else None)
            if for_trust or for_followups
            else None,
            "for_trust": for_trust,
            "for_followups": for_followups,
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


# Follow-ups, batched per page (see the module docstring).


def schedule_followups(reply):
    """The reply's page is due a follow-up email: queue its task, unless one is queued."""
    wait = datetime.timedelta(seconds=getattr(settings, "REPLY_FOLLOWUP_WAIT", FOLLOWUP_WAIT))
    with transaction.atomic():  # the mark, the row and its task, or none of them
        Reply.objects.filter(pk=reply.pk).update(followers_due=True)
        reply.followers_due = True  # a later save() of this object keeps the mark
        _, created = FollowupBatch.objects.get_or_create(
            content_type_id=reply.content_type_id, object_pk=reply.object_pk
        )
        if created:
            deferred(send_followups, wait).enqueue(reply.content_type_id, reply.object_pk)


def _due_replies(content_type_id, object_pk):
    """The page's replies its followers are due to hear of and still public, now counted as
    told. Locked first (on PostgreSQL), so two tasks for one page never both take a reply."""
    with transaction.atomic():
        replies = list(
            Reply.objects.select_for_update(of=("self",))
            .filter(
                content_type_id=content_type_id,
                object_pk=object_pk,
                status=ReplyStatus.APPROVED,
                followers_due=True,
            )
            .order_by("first_approved_at", "pk")
        )
        Reply.objects.filter(pk__in=[reply.pk for reply in replies]).update(followers_due=False)
    return replies


def followers(content_type_id, object_pk):
    """{address: the follower's latest following reply} for the page's confirmed followers."""
    found = {}
    following = Reply.objects.filter(
        content_type_id=content_type_id,
        object_pk=object_pk,
        status=ReplyStatus.APPROVED,
        followup=True,
    ).exclude(user_email="")
    for reply in following.order_by("submit_date", "pk"):
        found[ReaderEmail.normalise(reply.user_email)] = reply
    confirmed = set(
        ReaderEmail.objects.filter(email__in=list(found), confirmed_at__isnull=False).values_list(
            "email", flat=True
        )
    )
    return {address: reply for address, reply in found.items() if address in confirmed}


def followup_messages(replies):
    """One email per follower of the replies' page, listing the replies they did not write."""
    page = replies[0].content_object if replies else None
    if page is None or not page.live:
        return []
    name = site_name(page)
    listed = [(reply, absolute(reply.get_absolute_url())) for reply in replies]
    messages = []
    for address, follower in followers(replies[0].content_type_id, replies[0].object_pk).items():
        news = [item for item in listed if ReaderEmail.normalise(item[0].user_email) != address]
        if not news:
            continue
        subject = (
            "A new reply in a discussion you follow"
            if len(news) == 1
            else f"{len(news)} new replies in a discussion you follow"
        )
        messages.append(
            _message(
                subject,
                "comments/email/followup.txt",
                {
                    "follower": follower,
                    "page": page,
                    "kind": page._meta.verbose_name,
                    "replies": news[:FOLLOWUP_LISTED],
                    "count": len(news),
                    "more": len(news) - len(news[:FOLLOWUP_LISTED]),
                    "page_url": absolute(page.get_absolute_url()),
                    "unsubscribe_url": unsubscribe_url(follower),
                },
                [follower.user_email],
                name=name,
            )
        )
    return messages


@task(backend=BACKEND)
def send_followups(content_type_id, object_pk):
    """The worker's task for one page: tell its followers of every reply made public since
    the last one. Returns how many replies it covered and emails it sent."""
    FollowupBatch.objects.filter(content_type_id=content_type_id, object_pk=object_pk).delete()
    replies = _due_replies(content_type_id, object_pk)
    messages = followup_messages(replies)
    sent = deliver(messages) if messages else {"sent": 0, "retrying": 0}
    return {"replies": len(replies), "emails": len(messages), **sent}


# What comments.lifecycle calls.


def reply_received(reply, policy):
    """A new reply was stored: moderators hear of it when it is held (unless the policy sends a
    daily digest instead); followers hear of it when it is public at once, and its author
    gets the confirmation link if they ticked to follow without proving the address."""
    if reply.is_held and policy.emails_each_held_reply:
        notify_moderators([reply])
    elif reply.is_published:
        if reply.followup_pending:
            notify_author_published(reply, policy)
        schedule_followups(reply)


def reply_published(reply):
    """A reply approved for the first time: its author (when asked, or to confirm the
    address) and the discussion's followers. Returns whether the author was emailed."""
    told = notify_author_published(reply, ReplyPolicy.for_target(reply.content_object))
    schedule_followups(reply)
    return told


def reply_rejected(reply):
    return notify_author_rejected(reply)


def reply_held_again(reply):
    """A published reply sent back to the queue by readers' reports."""
    notify_moderators([reply])
