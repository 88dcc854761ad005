"""Addresses the site never writes to again: kept only as an HMAC of guard's address key under
a key of their own (NEWSLETTER_SUPPRESSION_KEY), so the table names nobody if it leaks, and
`alice+news@…` is suppressed with `alice@…`.

`filter_messages` is registered with outbox (outbox.delivery.register_recipient_filter): every
email the site sends loses its suppressed recipients before it goes. One exception: the
confirmation email a reader has just asked for on the subscribe form reaches an address that
had only unsubscribed (never one that bounced or complained), or nobody could subscribe again.
"""

import hashlib
import hmac
from email.utils import getaddresses

from django.conf import settings
from django.db import IntegrityError, transaction

from guard import mailboxes
from newsletter.models import SuppressedAddress

# Set on the confirmation email the reader asked for (newsletter.emails).
REQUESTED_HEADER = "X-Newsletter-Requested"


def digest(address):
    key = settings.NEWSLETTER_SUPPRESSION_KEY.encode()
    return hmac.new(key, mailboxes.key(address).encode(), hashlib.sha256).hexdigest()


def reason_for(address):
    """The reason `address` is suppressed, or None."""
    found = SuppressedAddress.objects.filter(digest=digest(address)).first()
    return found.reason if found else None


def is_suppressed(address):
    return reason_for(address) is not None


def suppress(address, reason):
    """Suppress `address` (an existing entry keeps its first reason unless this one is a
    bounce or complaint, which outrank an unsubscribe)."""
    value = digest(address)
    try:
        with transaction.atomic():
            SuppressedAddress.objects.create(digest=value, reason=reason)
    except IntegrityError:
        if reason != SuppressedAddress.Reason.UNSUBSCRIBED:
            SuppressedAddress.objects.filter(digest=value).update(reason=reason)


def lift(address, reasons=(SuppressedAddress.Reason.UNSUBSCRIBED,)):
    """A reader who confirms again by double opt-in lifts their own unsubscribe."""
    SuppressedAddress.objects.filter(digest=digest(address), reason__in=reasons).delete()


def filter_messages(messages):
    """outbox's recipient filter: each message without its suppressed recipients; a message
    left with none is dropped."""
    addresses = set()
    for message in messages:
        addresses.update(_bare(address) for address in message.recipients())
    if not addresses:
        return messages
    by_digest = {digest(address): address for address in addresses}
    reasons = dict(
        SuppressedAddress.objects.filter(digest__in=by_digest).values_list("digest", "reason")
    )
    if not reasons:
        return messages
    suppressed = {by_digest[value]: reason for value, reason in reasons.items()}
    kept = []
    for message in messages:
        requested = REQUESTED_HEADER in (message.extra_headers or {})
        for field in ("to", "cc", "bcc"):
            addresses = getattr(message, field)
            setattr(message, field, [a for a in addresses if _allowed(a, suppressed, requested)])
        if message.recipients():
            kept.append(message)
    return kept


def _allowed(address, suppressed, requested):
    reason = suppressed.get(_bare(address))
    return reason is None or (requested and reason == SuppressedAddress.Reason.UNSUBSCRIBED)


def _bare(address):
    found = getaddresses([address])
    return found[0][1] if found and found[0][1] else address
