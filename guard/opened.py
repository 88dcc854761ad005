"""The signed "form opened at" value every reader form carries, and its one use.

Two kinds of value. A page every reader shares (and caches keep) prints a *page* value: it
says when the page was rendered and nothing else, so it is the same for everyone who gets the
page and can never post a form by itself: a post carrying it comes back as a confirm step.
A value issued to one reader (the token endpoint a form's script asks, a form page rendered
for that reader, the confirm step) is *one-use*: it carries a random nonce, and the post it
makes is accepted only if that nonce is claimed in the database, once (guard.duplicates'
unique key, inside the transaction that stores the post, so two posts with one value cannot
both pass, and a refused post frees it again). A second post with the same value comes back
as a confirm step too, with a fresh value.

Nothing is written when a value is issued: the database only holds the nonces of accepted
posts, until the value could no longer be used anyway (duplicates prunes them by age).
"""

import datetime
import secrets
import time
from dataclasses import dataclass

from django.core import signing

from guard import duplicates

SALT = "guard.form-opened"
MAX_AGE = 2 * 60 * 60  # a form older than this has expired
# A form sent back to a reader keeps their typing time (they typed it already), counted from
# when they opened it, but no earlier than this: the new value lives nearly its full time.
KEPT_TYPING_SECONDS = 15 * 60


@dataclass(frozen=True)
class Opened:
    at: float  # when the reader opened the form (Unix time): the typing time counts from it
    nonce: str = ""  # empty for a page value

    @property
    def one_use(self):
        return bool(self.nonce)


def issue(at=None, one_use=True):
    """A signed value saying the form was opened `at` (now by default); a page value (for
    a page every reader shares) when `one_use` is false."""
    payload = {"t": int(time.time() if at is None else at)}
    if one_use:
        payload["n"] = secrets.token_urlsafe(16)
    return signing.dumps(payload, salt=SALT)


def read(value, max_age=MAX_AGE, now=None):
    """The value posted, or None when it is missing, forged, or (with `max_age`) issued or
    opened longer ago than that. A bare signed time (what forms printed before values had
    kinds) reads as a page value."""
    try:
        payload = signing.loads(value or "", salt=SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if isinstance(payload, dict):
        at, nonce = payload.get("t"), payload.get("n", "")
    else:
        at, nonce = payload, ""
    if isinstance(at, bool) or not isinstance(at, int | float) or not isinstance(nonce, str):
        return None
    if max_age is not None and not 0 <= (now or time.time()) - at <= max_age:
        return None
    return Opened(float(at), nonce)


def renew(value, now=None):
    """A one-use value for a form sent back to its reader with what they typed (the confirm
    step, a form to send again). If `value` is ours, of any kind or age, the typing time keeps
    counting from when they opened the form (at most KEPT_TYPING_SECONDS back): they typed
    already, and pressing Send at once must work. If it is missing or forged it counts from
    now, so a script that skipped the form still waits the minimum typing time."""
    now = time.time() if now is None else now
    posted = read(value, max_age=None)
    at = now if posted is None else min(now, max(posted.at, now - KEPT_TYPING_SECONDS))
    return issue(at)


def claim(opened):
    """Use up a one-use value; False when it was used already, or is a page value (never good
    for a post). Call it inside the transaction that stores the post: a refusal later in that
    transaction rolls the claim back, and the reader may send the same form again."""
    if opened is None or not opened.one_use:
        return False
    key = duplicates.key_for("opened", opened.nonce)
    return duplicates.claim(key, datetime.timedelta(seconds=MAX_AGE + 60))
