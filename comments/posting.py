"""One posting pipeline for replies: validate once, decide once, store once,
notify. `submit(request)` takes the posted data and returns an `Outcome`; comments.views only
turns outcomes into responses.

The order of the steps:
1. the page: a registered target (comments.targets), live and public;
2. replies to it still open (the closing rule): a closed page refuses whatever the form holds;
3. the form, validated once: security hash and timestamp, honeypot, fields, `reply_to`, and
   the answered reply still shown;
4. the "opened at" value (guard.opened): a page value (printed in a page every reader
   shares) or none cannot post by itself: the reader gets the confirm step;
5. the typing time (guard: faster than a person can type is a script);
6. guard's checks in this order: block list (refusal), duplicate, the one-use value claimed
   (used already: the confirm step), rate limit, so a refused or repeated post never spends
   the reader's limit or the value;
7. the policy decides the status (comments.moderation), the reply is stored once with every
   field and the decision logged and notified (comments.lifecycle).
Whatever refuses a post, the outcome carries the form with everything the reader typed; the
confirm step too (it refuses nothing: it asks for one more press of Send).
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from comments import identities, lifecycle, passes, targets, threads, trust
from comments.forms import NAME_MAX_LENGTH, ReplyForm
from comments.models import Reply, ReplyPolicy
from comments.moderation import decide, is_staff
from guard import duplicates, mailboxes, ratelimit
from guard.addresses import client_address, stored_address
from guard.models import BlockedSender

DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
# (name, count, window_seconds): "ip" limits count per client address, "email" per address.
DEFAULT_REPLY_RATE_LIMITS = [("ip", 5, 10 * 60), ("ip", 30, 24 * 60 * 60), ("email", 5, 10 * 60)]


class Result(enum.Enum):
    STORED = "stored"  # held, published or filed as spam: reply.status says which
    DUPLICATE = "duplicate"  # the same post arrived moments ago: reply is the first one
    REFUSED = "refused"  # nothing stored: status and message say why, form keeps the text
    CONFIRM = "confirm"  # nothing stored: the form comes back, text kept, to be sent again


@dataclass
class Outcome:
    result: Result
    reply: Reply | None = None
    status: int = 200  # the HTTP status a refusal answers with
    message: str = ""
    form: ReplyForm | None = None
    target: object = None  # the page replied to, when it could be found
    parent: Reply | None = None
    kept_text: str = ""  # the reader's text when there is no form to show it in


def _refused(status, message, form=None, target=None, parent=None, kept_text=""):
    return Outcome(Result.REFUSED, None, status, message, form, target, parent, kept_text)


def letter_gone(data):
    """The page replied to is not found (unpublished, deleted, or the form was changed): the
    reader's text is shown so they can keep it."""
    return _refused(
        404,
        "We could not find the letter you replied to: it may have been unpublished. "
        "Your text is below so you can keep it.",
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
        Result.CONFIRM,
        form=_fresh_form(target, form, staff),
        target=target,
        parent=parent,
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


class _Refusal(Exception):
    """Raised inside the storing transaction, so what it claimed (the duplicate key, a
    database rate-limit window) is rolled back with it."""

    def __init__(self, outcome):
        self.outcome = outcome


def submit(request):
    data = request.POST.copy()
    target = targets.find(data.get("content_type"), data.get("object_pk"))
    if target is None:
        return letter_gone(data)
    staff = is_staff(request.user)
    if staff:
        _signed_by_account(data, request.user)
    form = ReplyForm(target, data=data, staff=staff)
    policy = ReplyPolicy.for_target(target, request)
    closed = targets.closed_reason(target, policy)
    if closed:
        return _refused(403, closed + " Your text is below so you can keep it.", form, target)
    if form.security_errors():
        if form.honeypot_filled():
            message = "Please leave the last field empty and send again."
        else:
            message = (
                "This form had expired or was changed on its way to us. Your reply is still "
                "here: please check it and send it again."
            )
        return _refused(400, message, _fresh_form(target, form, staff), target)
    if not form.is_valid():
        if "reply_to" in form.errors:  # missing or garbled: a changed form, not a typo
            return _refused(
                400,
                "We could not tell which reply you answered. Your text is kept: you can send "
                "it as a reply to the letter instead.",
                _to_the_letter(target, data, staff),
                target,
            )
        return _refused(400, "Please correct the marked fields.", form, target)
    cleaned = form.cleaned_data
    parent = None
    if cleaned["reply_to"]:
        parent, parent_page = threads.shown_reply(cleaned["reply_to"])
        if parent is None or parent_page != target or not parent.allow_thread():
            return _refused(
                400,
                "The reply you answered is no longer shown, or its thread cannot go deeper. "
                "Your text is kept: you can send it as a reply to the letter instead.",
                _to_the_letter(target, data, staff),
                target,
            )
    if form.needs_confirming():
        return confirm_step(target, form, parent, staff)
    if form.typed_too_fast() and not staff:
        return _refused(
            400,
            "That was quicker than anyone can type. If you are a person, please check your "
            "reply and send it again.",
            _fresh_form(target, form, staff),
            target,
            parent,
        )
    try:
        with transaction.atomic():
            return _store(request, form, target, parent, policy, staff)
    except _Refusal as refusal:
        return refusal.outcome


def _store(request, form, target, parent, policy, staff):
    """Guard's checks, then the decision and the one write: inside one transaction."""
    cleaned = form.cleaned_data
    email = cleaned["email"]
    address = client_address(request)
    block = BlockedSender.match(email, address)
    if block is not None and block.refuses and not staff:
        raise _Refusal(
            _refused(
                403,
                "We cannot accept replies from this address. If you think this is a mistake, "
                "please write to the editors. Your text is below so you can keep it.",
                form,
                target,
                parent,
            )
        )
    key = duplicates.key_for(
        "reply",
        mailboxes.key(email),
        target._meta.label_lower,
        target.pk,
        parent.pk if parent else 0,
        cleaned["comment"],
    )
    if not duplicates.claim(key, DUPLICATE_WINDOW):
        # Sent twice (a double click, or Back and Send again): land on the first one.
        return Outcome(Result.DUPLICATE, _first_of(target, cleaned, parent), target=target)
    if not form.claim_opened():  # this form's value posted a reply already
        raise _Refusal(confirm_step(target, form, parent, staff))
    limit = ratelimit.check(
        request,
        "reply",
        getattr(settings, "REPLY_RATE_LIMITS", DEFAULT_REPLY_RATE_LIMITS),
        email,
    )
    if limit is not None:
        raise _Refusal(
            _refused(
                429,
                f"You have sent a lot of replies in a short time (the limit is {limit.count} "
                f"in {limit.minutes} minutes). Please wait a little and send this one again: "
                "your text is kept below.",
                form,
                target,
                parent,
            )
        )
    user = request.user if request.user.is_authenticated else None
    reply = Reply(
        # Sets the content type and object_pk, and caches the page for the emails below.
        content_object=target,
        site_id=settings.SITE_ID,
        user=user,
        user_name=cleaned["name"],
        user_email=email,
        comment=cleaned["comment"],
        submit_date=timezone.now(),
        ip_address=stored_address(request),
        parent_id=parent.pk if parent else 0,
        notify_on_publish=cleaned["notify_on_publish"],
    )
    proven = trust.proves(request, email)
    # Follow-ups for an address only with proof that it is the author's (this browser proved
    # it): any other request waits for the link emailed to the address for this reply.
    reply.followup = cleaned["followup"] and proven
    reply.followup_pending = cleaned["followup"] and not reply.followup
    decision = decide(
        reply.comment,
        email,
        request.user,
        policy,
        block,
        proven=proven,
        pass_badge=passes.badge_for(request, target, email),
    )
    lifecycle.receive(reply, decision, policy, user)
    return Outcome(Result.STORED, reply, target=target, parent=parent)


def _first_of(target, cleaned, parent):
    """The reply a duplicate repeats (the key says one exists; this finds which: the same text
    in the same place from any spelling of the address, as the key counts it)."""
    same = (
        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_pk=str(target.pk),
            comment=cleaned["comment"],
        )
        .filter(**({"parent_id": parent.pk, "level__gt": 0} if parent else {"level": 0}))
        .order_by("-pk")
    )
    wanted = mailboxes.key(cleaned["email"])
    return next((r for r in same[:20] if mailboxes.key(r.user_email) == wanted), None)
