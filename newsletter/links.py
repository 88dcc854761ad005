"""The signed links of the newsletter's emails (django.core.signing): no row is written when a
link is made, and nothing in a link can be changed without breaking its signature.

- confirm: the consent a reader gave on the form; works for NEWSLETTER_CONFIRM_MAX_AGE (7 days).
- unsubscribe: a subscriber and the address key they had; works for ever (RFC 8058: the
  link in List-Unsubscribe must keep working), and only for that address.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def confirm_token(consent):
    return signing.dumps({"c": consent.pk}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token):
    """The consent id, or raises signing.SignatureExpired / signing.BadSignature."""
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        raise signing.BadSignature("Not a confirmation link")
    return payload["c"]


def confirm_url(consent):
    return absolute(reverse("newsletter-confirm", args=[confirm_token(consent)]))


def unsubscribe_token(subscriber):
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(subscriber id, address key), or raises signing.BadSignature."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise signing.BadSignature("Not an unsubscribe link")
    return payload["s"], str(payload.get("k", ""))


def unsubscribe_url(subscriber):
    return absolute(reverse("newsletter-unsubscribe", args=[unsubscribe_token(subscriber)]))
