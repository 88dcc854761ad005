"""The moderation policy for replies under letters (DESIGN.md §4).

ReplyModerator plugs into django-comments-xtd's moderation hooks: `allow()` refuses replies to
closed letters, `moderate()` decides each new reply's status from the site's ReplyPolicy, read
when the reply arrives, and `email()` tells moderators about held replies.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django_comments_xtd.moderation import XtdCommentModerator
from wagtail.models import Site

from comments import sanitize
from comments.models import BlockedSender, ReaderEmail, Reply, ReplyPolicy, ReplyStatus


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str = ""
    badge: str = ""


def is_staff(user):
    """Staff are the people who can use the Wagtail admin (DESIGN.md §4)."""
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def staff_badge(user):
    return "columnist" if hasattr(user, "columnist") else "editor"


def policy_for(request=None, page=None):
    """The ReplyPolicy in force: per request it is read once and cached on the request (the
    posting view, allow(), moderate() and email() all ask for it)."""
    if request is not None and Site.find_for_request(request) is not None:
        return ReplyPolicy.for_request(request)
    site = None
    if page is not None:
        site = page.get_site()
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return ReplyPolicy.for_site(site)


def replies_closed_reason(page, policy, today=None):
    """Why replies to `page` are refused, or "" when they are open."""
    if not page.live:
        return "This letter is not published."
    if not page.allow_replies:
        return "Replies are turned off for this letter."
    if policy.close_after_days:
        today = today or timezone.localdate()
        closes = page.date + datetime.timedelta(days=policy.close_after_days)
        if today >= closes:
            return f"Replies to this letter closed on {closes:%-d %B %Y}."
    return ""


def _contains(text, words):
    lowered = text.lower()
    return next(
        (word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)), None
    )


def is_trusted(email):
    """Trusted: an earlier reply was approved and the address was confirmed by its owner."""
    email = ReaderEmail.normalise(email)
    return (
        ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()
        and Reply.objects.filter(user_email__iexact=email, status=ReplyStatus.APPROVED).exists()
    )


def decide(text, email, user, policy, ip=None):
    """The status a new reply gets under `policy` and the desk's block list."""
    if is_staff(user):
        return Decision(ReplyStatus.APPROVED, badge=staff_badge(user))
    if word := _contains(text, policy.banned_word_list()):
        return Decision(ReplyStatus.SPAM, f"contains the banned word “{word}”")
    if block := BlockedSender.match(email, ip):
        # A refused address is turned away by the posting view; should a reply get here
        # another way, it is filed as spam rather than shown.
        if block.action == BlockedSender.REFUSE:
            return Decision(ReplyStatus.SPAM, f"its {block.get_kind_display().lower()} is refused")
        return Decision(
            ReplyStatus.PENDING, f"its {block.get_kind_display().lower()} is on the hold list"
        )
    if word := _contains(text, policy.suspect_word_list()):
        return Decision(ReplyStatus.PENDING, f"contains the suspect word “{word}”")
    links = sanitize.count_links(text)
    if policy.link_limit and links >= policy.link_limit:
        return Decision(ReplyStatus.PENDING, f"has {links} links")
    if policy.mode == ReplyPolicy.HOLD_ALL:
        return Decision(ReplyStatus.PENDING, "every reply is held")
    if is_trusted(email):
        return Decision(ReplyStatus.APPROVED)
    return Decision(ReplyStatus.PENDING, "the author is not trusted yet")


class ReplyModerator(XtdCommentModerator):
    """Registered for LetterPage in comments.apps: every reply under a letter passes here."""

    enable_field = "allow_replies"
    email_notification = True

    def allow(self, comment, content_object, request):
        policy = policy_for(request, content_object)
        return not replies_closed_reason(content_object, policy)

    def moderate(self, comment, content_object, request):
        policy = policy_for(request, content_object)
        from comments.ratelimit import client_address

        decision = decide(
            comment.comment, comment.user_email, request.user, policy, client_address(request)
        )
        comment.status = decision.status
        comment.hold_reason = decision.reason
        comment.author_badge = decision.badge
        return decision.status != ReplyStatus.APPROVED

    def email(self, comment, content_object, request):
        from comments import notifications

        reply = comment.xtd_comment
        if reply is not None and reply.status == ReplyStatus.PENDING:
            if policy_for(request, content_object).moderator_emails == ReplyPolicy.EACH:
                notifications.notify_moderators([reply])
