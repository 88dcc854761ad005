"""The moderation policy for new replies: what status a reply gets when it
arrives, from the site's ReplyPolicy (read when the reply arrives), the block list and guard's
word and link rules. Deciding is all it does: comments.posting stores the reply and
comments.lifecycle logs and notifies.
"""

from dataclasses import dataclass

from comments import identities, sanitize
from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus
from comments.permissions import can_moderate
from guard import rules


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str = ""
    badge: str = ""


def is_staff(user):
    """Staff are the people who can use the Wagtail admin."""
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def is_trusted(email):
    """The address has earned trust: an earlier reply was approved and its owner confirmed
    it (through the link in the "published" email). Whether *this* post comes from that owner
    is a separate question: the proof is a cookie (comments.trust)."""
    email = ReaderEmail.normalise(email)
    return (
        ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()
        and Reply.objects.filter(user_email__iexact=email, status=ReplyStatus.APPROVED).exists()
    )


RULE_STATUS = {rules.SPAM: ReplyStatus.SPAM, rules.HOLD: ReplyStatus.PENDING}


def decide(text, email, user, policy, block=None, links=None, proven=False, pass_badge=""):
    """The status a new reply gets under `policy`. `block` is the block list's entry for its
    sender, if any (guard.models.BlockedSender.match); `proven` says the browser proved it
    receives mail at `email` (comments.trust).

    Staff replies carry their badge; only moderators' and columnists' are published at once:
    other staff (editors) are moderated like anyone. A reply with a pass's badge (the letter's
    writer: comments.passes) is always held for a moderator."""
    badge = ""
    if pass_badge and not is_staff(user):
        verdict = rules.apply(
            text,
            links=sanitize.count_links(text) if links is None else links,
            banned=policy.banned_word_list(),
            block=block,
        )
        if verdict.action == rules.SPAM:
            return Decision(ReplyStatus.SPAM, verdict.reason, pass_badge)
        return Decision(
            ReplyStatus.PENDING,
            verdict.reason or "the letter’s writer: always read first",
            pass_badge,
        )
    if is_staff(user):
        badge = identities.badge(user)
        if can_moderate(user) or badge == "columnist":
            return Decision(ReplyStatus.APPROVED, badge=badge)
    verdict = rules.apply(
        text,
        links=sanitize.count_links(text) if links is None else links,
        banned=policy.banned_word_list(),
        suspect=policy.suspect_word_list(),
        link_limit=policy.link_limit,
        block=block,
    )
    if verdict.action != rules.PASS:
        return Decision(RULE_STATUS[verdict.action], verdict.reason, badge)
    if policy.mode == ReplyPolicy.HOLD_ALL:
        return Decision(ReplyStatus.PENDING, "every reply is held", badge)
    if not is_trusted(email):
        return Decision(ReplyStatus.PENDING, "the author is not trusted yet", badge)
    if not proven:
        return Decision(ReplyStatus.PENDING, "a trusted address, not proven by this browser", badge)
    return Decision(ReplyStatus.APPROVED, badge=badge)
