"""One gate for a reader's form (a reply, a reader letter): every post passes the same checks
in the same order and comes out as one `Outcome`, which the form's view turns into a response.

A kind of post subclasses `ReaderPost` and supplies only what is its own: its form and first
checks, how it stores, and the words its readers see (`Messages`). `run(post)` does the rest:

1. the kind's first checks (`prepare`: the page posted to, whether it still takes posts),
   which also build the form;
2. the form's defences: the honeypot, and the signed values that say the form is ours and
   fresh (guard.forms);
3. the fields, then the kind's checks of what they hold (`check`);
4. the "opened at" value (guard.opened): one that cannot post by itself (a page value every
   reader shares, or none) leads to the confirm step;
5. the typing time: faster than a person can type is a script;
6. inside one transaction: the block list (a refusing entry), the duplicate key (the same post
   moments ago lands on the first one), the one-use value claimed (used already: the confirm
   step), the rate limit; then the kind stores the post and takes its after-store steps. A
   refusal raised in there rolls back what the transaction claimed, so a refused or repeated
   post never spends the reader's limit or their form's value.

Whatever refuses a post, the outcome carries the form with everything the reader typed; the
confirm step too (it refuses nothing: it asks for one more press of Send).
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from guard import duplicates, mailboxes, ratelimit
from guard.addresses import client_address
from guard.models import BlockedSender


class Result(enum.Enum):
    STORED = "stored"  # stored: what the kind keeps (a reply's status) says how it was taken
    DUPLICATE = "duplicate"  # the same post arrived moments ago: `stored` is the first, if found
    REFUSED = "refused"  # nothing stored: status and message say why, the form keeps the text
    CONFIRM = "confirm"  # nothing stored: the form comes back, text kept, to be sent again


@dataclass
class Outcome:
    result: Result
    stored: object = None  # the reply or letter stored (for a duplicate, the first one)
    status: int = 200  # the HTTP status a refusal answers with
    message: str = ""
    form: object = None  # the form to show again, holding everything the reader typed
    target: object = None  # the page posted to, when the kind names it
    parent: object = None  # the post this one answers (a reply to a reply), if any
    kept_text: str = ""  # the reader's text when there is no form to show it in


@dataclass(frozen=True)
class Messages:
    """What a kind's readers are told when the gate refuses their post. `rate_limited` is
    formatted with the limit's `count` and `minutes`."""

    honeypot: str
    expired: str
    invalid: str
    too_fast: str
    blocked: str
    rate_limited: str


class ReaderPost:
    """One post of a reader's form, as the gate sees it. Subclasses set the class attributes
    and `form` (in `prepare`), and supply `email`, `duplicate_parts` and `store`."""

    scope = ""  # names the kind's duplicate keys and rate-limit counters ("reply")
    duplicate_window = datetime.timedelta(minutes=10)
    rate_limits_setting = ""  # the setting that may override `default_rate_limits`
    default_rate_limits = []  # (name, count, window_seconds): guard.ratelimit
    messages: Messages

    def __init__(self, request):
        self.request = request
        self.form = None
        self.block = None  # the block-list entry matching the sender, refusing or not

    # What a kind supplies.

    def prepare(self):
        """Build `self.form`; an Outcome when the post is refused before its form is read."""
        raise NotImplementedError

    def check(self):
        """The kind's checks of a valid form; an Outcome when they refuse it."""
        return None

    def invalid(self):
        """The outcome for a form whose fields do not validate."""
        return self.refused(400, self.messages.invalid, self.form)

    @property
    def exempt(self):
        """True for senders the block list and the typing time do not stop (staff)."""
        return False

    @property
    def email(self):
        """The sender's address, as the block list, the duplicate key and the limits read it."""
        raise NotImplementedError

    def duplicate_parts(self):
        """What, besides the sender, makes two posts the same post."""
        raise NotImplementedError

    def first_of(self):
        """The stored post a duplicate repeats, when the kind can find it."""
        return None

    def store(self):
        """Store the post (inside the gate's transaction) and return what was stored."""
        raise NotImplementedError

    def after_store(self, stored):
        """Steps taken once the post is stored, in the same transaction (a log entry)."""

    def fresh_form(self):
        """The reader's data in a form they can send again (a fresh one-use value)."""
        return self.form.fresh()

    # Outcomes.

    def outcome(self, result, **fields):
        return Outcome(result, **fields)

    def refused(self, status, message, form=None):
        return self.outcome(Result.REFUSED, status=status, message=message, form=form)

    def confirm_step(self):
        """Nothing stored: the form comes back with everything the reader typed and a fresh
        one-use value, and one more press of Send posts it."""
        return self.outcome(Result.CONFIRM, form=self.fresh_form())


class _Refusal(Exception):
    """Raised inside the storing transaction, so what it claimed (the duplicate key, the
    one-use value, a database rate-limit window) is rolled back with it."""

    def __init__(self, outcome):
        self.outcome = outcome


def run(post):
    """Take `post` through the gate; returns its Outcome."""
    early = post.prepare()
    if early is not None:
        return early
    form = post.form
    if form.security_errors():
        message = post.messages.honeypot if form.honeypot_filled() else post.messages.expired
        return post.refused(400, message, post.fresh_form())
    if not form.is_valid():
        return post.invalid()
    refusal = post.check()
    if refusal is not None:
        return refusal
    if form.needs_confirming():
        return post.confirm_step()
    if form.typed_too_fast() and not post.exempt:
        return post.refused(400, post.messages.too_fast, post.fresh_form())
    try:
        with transaction.atomic():
            return _store(post)
    except _Refusal as refusal:
        return refusal.outcome


def _store(post):
    """Guard's checks, then the one write and its after-store steps: inside one transaction."""
    email = post.email
    post.block = BlockedSender.match(email, client_address(post.request))
    if post.block is not None and post.block.refuses and not post.exempt:
        raise _Refusal(post.refused(403, post.messages.blocked, post.form))
    key = duplicates.key_for(post.scope, mailboxes.key(email), *post.duplicate_parts())
    if not duplicates.claim(key, post.duplicate_window):
        # Sent twice (a double click, or Back and Send again): land on the first one.
        return post.outcome(Result.DUPLICATE, stored=post.first_of())
    if not post.form.claim_opened():  # this form's value posted already
        raise _Refusal(post.confirm_step())
    spec = getattr(settings, post.rate_limits_setting, post.default_rate_limits)
    limit = ratelimit.check(post.request, post.scope, spec, email)
    if limit is not None:
        message = post.messages.rate_limited.format(count=limit.count, minutes=limit.minutes)
        raise _Refusal(post.refused(429, message, post.form))
    stored = post.store()
    post.after_store(stored)
    return post.outcome(Result.STORED, stored=stored)
