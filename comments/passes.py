"""Reply passes: a private link that lets one address reply under one page with a badge it
cannot get any other way (the writer of a letter: "Letter writer").

Another app issues the link (`passes.url(page, email, "writer")`, e.g. in the email telling a
reader their letter was answered). It is signed, expires (60 days by default) and is bound to
that page and that address. Opening it puts the pass in a signed, HttpOnly cookie of that
browser; a reply sent from that browser to that page, with that address, carries the badge
and is always held for a moderator, even from a trusted address.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from comments.models import ReaderEmail

SALT = "comments.reply-pass"
COOKIE = "pursebop_pass"
MAX_AGE = 60 * 24 * 60 * 60
BADGES = {"writer": "Letter writer"}


def token(target, email, badge, name=""):
    if badge not in BADGES:
        raise ValueError(f"Unknown badge {badge!r}")
    payload = {
        "t": target._meta.label_lower,
        "p": target.pk,
        "e": ReaderEmail.normalise(email),
        "b": badge,
        "n": name,  # the name the form suggests (a letter's pen name)
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def url(target, email, badge, name=""):
    """The absolute link that gives `email` the `badge` under `target`."""
    path = reverse("comments-reply-pass", args=[token(target, email, badge, name)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def read(value):
    """The pass a token or cookie holds, or None when forged or expired."""
    try:
        found = signing.loads(value or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(found, dict) or found.get("b") not in BADGES:
        return None
    return found


def remember(response, value):
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def badge_for(request, target, email):
    """The badge this browser's pass gives a reply to `target` from `email`, or ""."""
    found = read(request.COOKIES.get(COOKIE))
    if found is None:
        return ""
    same_page = found["t"] == target._meta.label_lower and found["p"] == target.pk
    if same_page and found["e"] == ReaderEmail.normalise(email):
        return found["b"]
    return ""
