"""Proof that a reader owns the address they type, and the replies a browser sent.

Trust (the policy's "publish trusted readers at once" mode) rests on proof, never on a typed
address: the link in a "your reply is published" email, which only the address's owner
receives, sets a signed cookie naming that address in the browser that opens it. A reply is
trusted only when it comes from a browser holding that cookie for the address it carries.

The replies a browser just sent are listed in a second signed cookie: the "posted" page shows
a reply only to that browser, and only while it waits for a moderator.
Both cookies are HttpOnly, SameSite=Lax, secure where sessions are, and read only on the
uncached reply views, never on a page readers share.
"""

from django.conf import settings
from django.core import signing

from comments.models import ReaderEmail

PROOF_COOKIE = "pursebop_reader"
PROOF_SALT = "comments.trust.address"
PROOF_MAX_AGE = 365 * 24 * 60 * 60
CONFIRM_SALT = "comments.confirm-email"
CONFIRM_MAX_AGE = 60 * 24 * 60 * 60  # a confirmation link works for 60 days

POSTED_COOKIE = "pursebop_posted"
POSTED_SALT = "comments.posted-by-this-browser"
POSTED_MAX_AGE = 30 * 24 * 60 * 60
POSTED_KEEP = 20  # the most recent replies a browser remembers
# Readable by the page's script, and saying nothing but "this browser sent a reply": it asks
# for its held replies only then, so other readers' page views cost no extra request.
POSTED_FLAG_COOKIE = "pursebop_has_posted"


def _cookie_options(max_age):
    return {
        "max_age": max_age,
        "httponly": True,
        "secure": settings.SESSION_COOKIE_SECURE,
        "samesite": "Lax",
    }


def confirmation_token(email, reply=None):
    """The signed value of a confirmation link to `email`; with `reply`, following the link
    also turns on the follow-ups that reply asked for (its address's owner says so)."""
    email = ReaderEmail.normalise(email)
    return signing.dumps([email, reply.pk] if reply else email, salt=CONFIRM_SALT)


def _confirmation(token):
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], int):
        return str(value[0]), value[1]
    return None, None


def address_from_confirmation(token):
    """The address a confirmation link was sent to, or None when forged or expired."""
    return _confirmation(token)[0]


def reply_from_confirmation(token):
    """The id of the reply whose follow-ups a confirmation link turns on, or None."""
    return _confirmation(token)[1]


def prove(response, email):
    """This browser opened a link sent to `email`: remember it, signed."""
    response.set_signed_cookie(
        PROOF_COOKIE,
        ReaderEmail.normalise(email),
        salt=PROOF_SALT,
        **_cookie_options(PROOF_MAX_AGE),
    )


def proven_address(request):
    """The address this browser proved it receives mail at, or ""."""
    return request.get_signed_cookie(
        PROOF_COOKIE, default="", salt=PROOF_SALT, max_age=PROOF_MAX_AGE
    )


def proves(request, email):
    proven = proven_address(request)
    return bool(proven) and proven == ReaderEmail.normalise(email)


def posted_by_this_browser(request):
    """The ids of the replies this browser sent (newest last)."""
    value = request.get_signed_cookie(
        POSTED_COOKIE, default="", salt=POSTED_SALT, max_age=POSTED_MAX_AGE
    )
    return [int(pk) for pk in value.split(",") if pk.isdigit()]


def remember_posted(request, response, reply):
    kept = [pk for pk in posted_by_this_browser(request) if pk != reply.pk] + [reply.pk]
    response.set_signed_cookie(
        POSTED_COOKIE,
        ",".join(str(pk) for pk in kept[-POSTED_KEEP:]),
        salt=POSTED_SALT,
        **_cookie_options(POSTED_MAX_AGE),
    )
    response.set_cookie(
        POSTED_FLAG_COOKIE, "1", **{**_cookie_options(POSTED_MAX_AGE), "httponly": False}
    )
