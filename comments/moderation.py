"""The moderation policy for new replies (DESIGN.md §4): what status a reply gets when it
arrives, from the site's ReplyPolicy (read when the reply arrives), the block list and guard's
word and link rules. Deciding is all it does: comments.posting stores the reply and
comments.lifecycle logs and notifies.
"""

from dataclasses import dataclass

from comments import sanitize
from comments.models import ReaderEmail, Reply, ReplyPolicy, ReplyStatus
from guard import rules


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


def is_trusted(email):
    """Trusted: an earlier reply was approved and the address was confirmed by its owner."""
    email = ReaderEmail.normalise(email)
    return (
        ReaderEmail.objects.filter(email=email, confirmed_at__isnull=False).exists()
        and Reply.objects.filter(user_email__iexact=email, status=ReplyStatus.APPROVED).exists()
    )


RULE_STATUS = {rules.SPAM: ReplyStatus.SPAM, rules.HOLD: ReplyStatus.PENDING}


def decide(text, email, user, policy, block=None, links=None):
    """The status a new reply gets under `policy`; `block` is the block list's entry for its
    sender, if any (guard.models.BlockedSender.match)."""
    if is_staff(user):
        return Decision(ReplyStatus.APPROVED, badge=staff_badge(user))
    verdict = rules.apply(
        text,
        links=sanitize.count_links(text) if links is None else links,
        banned=policy.banned_word_list(),
        suspect=policy.suspect_word_list(),
        link_limit=policy.link_limit,
        block=block,
    )
    if verdict.action != rules.PASS:
        return Decision(RULE_STATUS[verdict.action], verdict.reason)
    if policy.mode == ReplyPolicy.HOLD_ALL:
        return Decision(ReplyStatus.PENDING, "every reply is held")
    if is_trusted(email):
        return Decision(ReplyStatus.APPROVED)
    return Decision(ReplyStatus.PENDING, "the author is not trusted yet")
