"""One posting pipeline for reader letters: validate once, decide once, store
once. `submit(request, page)` returns an Outcome; mailbag.views turns it into a response.

1. the form's own defences (guard): honeypot, the signed "opened at" value;
2. the fields;
3. a value that cannot post by itself (a page value): the confirm step;
4. the typing time (faster than anyone types is a script);
5. inside one transaction, guard's checks in the order replies use: block list (a refusing
   entry), duplicate, the one-use value claimed (used already: the confirm step), rate limit,
   so a refused or repeated letter never spends the limit or the value;
6. the letter is stored once and logged.
Whatever refuses a letter, the outcome carries the form with everything the reader typed; the
confirm step too (nothing stored: one more press of Send posts it).
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.log_actions import log

from guard import duplicates, mailboxes, ratelimit
from guard.addresses import client_address
from guard.models import BlockedSender
from mailbag.forms import LetterForm
from mailbag.models import Submission

DUPLICATE_WINDOW = datetime.timedelta(hours=1)
# (name, count, window_seconds), per client address and per email address.
DEFAULT_LETTER_RATE_LIMITS = [("ip", 3, 60 * 60), ("ip", 10, 24 * 60 * 60), ("email", 3, 60 * 60)]


class Result(enum.Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same letter arrived moments ago: it is already with us
    REFUSED = "refused"  # nothing stored: status and message say why, the form keeps the text
    CONFIRM = "confirm"  # nothing stored: the form comes back, text kept, to be sent again


@dataclass
class Outcome:
    result: Result
    submission: Submission | None = None
    status: int = 200
    message: str = ""
    form: LetterForm | None = None


class _Refusal(Exception):
    """Raised inside the storing transaction, so the duplicate key it claimed rolls back."""

    def __init__(self, outcome):
        self.outcome = outcome


def _refused(status, message, form):
    return Outcome(Result.REFUSED, None, status, message, form)


def confirm_step(form):
    """Nothing stored: the form comes back with everything the reader typed, a one-use
    "opened at" value that keeps their typing time, and one more press of Send posts it."""
    return Outcome(Result.CONFIRM, form=form.fresh())


def submit(request, page):
    form = LetterForm(data=request.POST)
    problems = form.security_errors()
    if problems:
        if "honeypot" in problems:
            message = "Please leave the last field empty and send your letter again."
        else:
            message = (
                "This form had expired or was changed on its way to us. Your letter is still "
                "here: please check it and send it again."
            )
        return _refused(400, message, form.fresh())
    if not form.is_valid():
        return _refused(400, "There is a problem with your letter", form)
    if form.needs_confirming():
        return confirm_step(form)
    if form.typed_too_fast():
        return _refused(
            400,
            "That was quicker than anyone can type. If you are a person, please check your "
            "letter and send it again.",
            form.fresh(),
        )
    try:
        with transaction.atomic():
            return _store(request, page, form)
    except _Refusal as refusal:
        return refusal.outcome


def _store(request, page, form):
    cleaned = form.cleaned_data
    email = cleaned["email"].strip().lower()
    block = BlockedSender.match(email, client_address(request))
    if block is not None and block.refuses:
        raise _Refusal(
            _refused(
                403,
                "We cannot accept letters from this address. If you think this is a mistake, "
                "please write to the editors. Your letter is below so you can keep it.",
                form,
            )
        )
    key = duplicates.key_for("letter", mailboxes.key(email), page.pk, cleaned["letter"])
    if not duplicates.claim(key, DUPLICATE_WINDOW):
        return Outcome(Result.DUPLICATE)
    if not form.claim_opened():  # this form's value sent a letter already
        raise _Refusal(confirm_step(form))
    limit = ratelimit.check(
        request,
        "letter",
        getattr(settings, "LETTER_RATE_LIMITS", DEFAULT_LETTER_RATE_LIMITS),
        email,
    )
    if limit is not None:
        raise _Refusal(
            _refused(
                429,
                f"You have sent several letters in a short time (the limit is {limit.count} "
                f"in {limit.minutes} minutes). Please wait a while and send this one again: "
                "your letter is kept below.",
                form,
            )
        )
    submission = Submission.objects.create(
        page=page,
        column=page.get_column(),
        pen_name=cleaned["pen_name"],
        letter=cleaned["letter"],
        topic=cleaned["topic"],
        email=email,
        notify_on_answer=cleaned["notify_on_answer"],
        consent=cleaned["consent"],
    )
    log(instance=submission, action="mailbag.received", data={"held": block is not None})
    return Outcome(Result.STORED, submission)
