"""Posting a reply: guard.gate runs the checks every reader's form passes, in their order;
this module supplies what is a reply's own. `submit(request)` returns guard.gate's `Outcome`
(`stored` is the reply); comments.views only turns outcomes into responses.

A reply's own steps, around the gate's:
1. the page: a registered target (comments.targets), live and public;
2. replies to it still open (the closing rule): a closed page refuses whatever the form holds;
3. after the gate's form defences (security hash and timestamp, honeypot) and fields: a
   garbled `reply_to`, or an answered reply no longer shown, offers the text as a reply to
   the letter instead;
4. staff sign with their account, and neither the block list nor the typing time stops them;
5. the duplicate key counts the page, the answered reply and the text; a duplicate lands on
   the first reply;
6. the policy decides the status (comments.moderation), and the reply is stored once with
   every field, the decision logged and notified (comments.lifecycle).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import Truncator

from comments import identities, lifecycle, passes, targets, threads, trust
from comments.forms import NAME_MAX_LENGTH, ReplyForm
from comments.models import Reply, ReplyPolicy
from comments.moderation import decide, is_staff
from guard import gate, mailboxes
from guard.addresses import stored_address
from guard.gate import Outcome, Result

__all__ = ["Outcome", "Result", "confirm_step", "letter_gone", "submit"]

DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
# (name, count, window_seconds): "ip" limits count per client address, "email" per address.
DEFAULT_REPLY_RATE_LIMITS = [("ip", 5, 10 * 60), ("ip", 30, 24 * 60 * 60), ("email", 5, 10 * 60)]

KEPT = " Your text is below so you can keep it."
TO_THE_LETTER = " Your text is kept: you can send it as a reply to the letter instead."
MESSAGES = gate.Messages(
    honeypot="Please leave the last field empty and send again.",
    expired="This form had expired or was changed on its way to us. Your reply is still "
    "here: please check it and send it again.",
    invalid="Please correct the marked fields.",
    too_fast="That was quicker than anyone can type. If you are a person, please check your "
    "reply and send it again.",
    blocked="We cannot accept replies from this address. If you think this is a mistake, "
    "please write to the editors." + KEPT,
    rate_limited="You have sent a lot of replies in a short time (the limit is {count} in "
    "{minutes} minutes). Please wait a little and send this one again: your text is kept "
    "below.",
)


def letter_gone(data):
    """The page replied to is not found (unpublished, deleted, or the form was changed): the
    reader's text is shown so they can keep it."""
    return Outcome(
        Result.REFUSED,
        status=404,
        message="We could not find the letter you replied to: it may have been unpublished." + KEPT,
        kept_text=data.get("comment", ""),
    )


def _fresh_form(target, form, staff=False):
    """The reader's data with a fresh timestamp, security hash and one-use "opened at" value
    (the typing time kept): they can send it again."""
    return ReplyForm(target, data=form.resend_data(), staff=staff)


def confirm_step(target, form, parent=None, staff=False):
    """Nothing stored: the form comes back with everything the reader typed and a fresh form
    (a one-use value), and one more press of Send posts it."""
    return Outcome(
        Result.CONFIRM, form=_fresh_form(target, form, staff), target=target, parent=parent
    )


def _to_the_letter(target, data, staff=False):
    """The reader's data as a reply to the page itself: what the form offers when the reply
    they answered cannot take it (sending the same reply_to again would fail again)."""
    fresh = data.copy()
    fresh["reply_to"] = "0"
    return ReplyForm(target, data=fresh, staff=staff)


def _signed_by_account(data, user):
    """Staff sign with their account: the name and address typed are replaced by its own. A
    name longer than a reply's name can hold is shortened (with "…"), not refused: staff
    cannot retype it, so a refusal would stop them replying at all."""
    data["name"] = Truncator(identities.account_name(user)).chars(NAME_MAX_LENGTH)
    if user.email:
        data["email"] = user.email


class ReplyPost(gate.ReaderPost):
    """A reply through the gate: the page and its closing rule, the answered reply, and the
    policy's decision when it is stored."""

    scope = "reply"
    duplicate_window = DUPLICATE_WINDOW
    rate_limits_setting = "REPLY_RATE_LIMITS"
    default_rate_limits = DEFAULT_REPLY_RATE_LIMITS
    messages = MESSAGES

    def __init__(self, request):
        super().__init__(request)
        self.data = request.POST.copy()
        self.staff = is_staff(request.user)
        self.target = self.parent = self.policy = None

    def prepare(self):
        self.target = targets.find(self.data.get("content_type"), self.data.get("object_pk"))
        if self.target is None:
            return letter_gone(self.data)
        if self.staff:
            _signed_by_account(self.data, self.request.user)
        self.form = ReplyForm(self.target, data=self.data, staff=self.staff)
        self.policy = ReplyPolicy.for_target(self.target, self.request)
        closed = targets.closed_reason(self.target, self.policy)
        if closed:
            return self.refused(403, closed + KEPT, self.form)
        return None

    def invalid(self):
        if "reply_to" in self.form.errors:  # missing or garbled: a changed form, not a typo
            return self.refused(
                400,
                "We could not tell which reply you answered." + TO_THE_LETTER,
                _to_the_letter(self.target, self.data, self.staff),
            )
        return super().invalid()

    def check(self):
        reply_to = self.form.cleaned_data["reply_to"]
        if not reply_to:
            return None
        parent, parent_page = threads.shown_reply(reply_to)
        if parent is None or parent_page != self.target or not parent.allow_thread():
            return self.refused(
                400,
                "The reply you answered is no longer shown, or its thread cannot go deeper."
                + TO_THE_LETTER,
                _to_the_letter(self.target, self.data, self.staff),
            )
        self.parent = parent
        return None

    @property
    def exempt(self):
        return self.staff

    @property
    def email(self):
        return self.form.cleaned_data["email"]

    def fresh_form(self):
        return _fresh_form(self.target, self.form, self.staff)

    def outcome(self, result, **fields):
        return Outcome(result, target=self.target, parent=self.parent, **fields)

    def duplicate_parts(self):
        return (
            self.target._meta.label_lower,
            self.target.pk,
            self.parent.pk if self.parent else 0,
            self.form.cleaned_data["comment"],
        )

    def first_of(self):
        """The reply a duplicate repeats (the key says one exists; this finds which: the same
        text in the same place from any spelling of the address, as the key counts it)."""
        same = (
            Reply.objects.filter(
                content_type=ContentType.objects.get_for_model(self.target),
                object_pk=str(self.target.pk),
                comment=self.form.cleaned_data["comment"],
            )
            .filter(
                **({"parent_id": self.parent.pk, "level__gt": 0} if self.parent else {"level": 0})
            )
            .order_by("-pk")
        )
        wanted = mailboxes.key(self.email)
        return next((r for r in same[:20] if mailboxes.key(r.user_email) == wanted), None)

    def store(self):
        """The policy's decision and the one write (comments.lifecycle logs and notifies)."""
        request, cleaned, email = self.request, self.form.cleaned_data, self.email
        user = request.user if request.user.is_authenticated else None
        reply = Reply(
            # Sets the content type and object_pk, and caches the page for the emails below.
            content_object=self.target,
            site_id=settings.SITE_ID,
            user=user,
            user_name=cleaned["name"],
            user_email=email,
            comment=cleaned["comment"],
            submit_date=timezone.now(),
            ip_address=stored_address(request),
            parent_id=self.parent.pk if self.parent else 0,
            notify_on_publish=cleaned["notify_on_publish"],
        )
        proven = trust.proves(request, email)
        # Follow-ups for an address only with proof that it is the author's (this browser
        # proved it): any other request waits for the link emailed to the address for this
        # reply.
        reply.followup = cleaned["followup"] and proven
        reply.followup_pending = cleaned["followup"] and not reply.followup
        decision = decide(
            reply.comment,
            email,
            request.user,
            self.policy,
            self.block,
            proven=proven,
            pass_badge=passes.badge_for(request, self.target, email),
        )
        return lifecycle.receive(reply, decision, self.policy, user)


def submit(request):
    return gate.run(ReplyPost(request))
