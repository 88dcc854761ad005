"""newsletter listens; nobody listens to newsletter: a published letter is sent out (once),
the desk's erasure request (comments.signals) erases the reader's subscription too, and the
mail provider's word that an address bounced, complained or unsubscribed (anymail's tracking
webhook, newsletter.webhooks) suppresses it."""

from anymail.signals import tracking
from wagtail.signals import page_published

from advice.models import LetterPage
from comments.signals import reader_erasure_requested, reader_export_requested
from guard import mailboxes
from guard.permissions import can_see_addresses
from newsletter import sending, webhooks
from newsletter.models import Subscriber


def on_letter_published(sender, instance, **kwargs):
    sending.letter_published(instance)


def on_reader_erasure(sender, email, user=None, **kwargs):
    """The subscriber for the address (any spelling of it), their subscriptions, consents and
    deliveries, deleted. The suppression entry stays: it names nobody and keeps them unmailed."""
    deleted = Subscriber.objects.filter(key=mailboxes.key(email or "")).delete()[1]
    count = deleted.get("newsletter.Subscriber", 0)
    if user is not None and not can_see_addresses(user):
        # Whether an address subscribed is not told to who may not see readers' addresses.
        return "newsletter subscriptions erased, if there were any"
    return "the newsletter subscription erased" if count else ""


def on_reader_export(sender, email, user=None, **kwargs):
    """The address's subscriber, subscriptions and consents, for the reader's copy."""
    if user is not None and not (user.is_active and user.has_perm("newsletter.view_subscriber")):
        return "newsletter", {"not_searched": "you may not view newsletter subscribers"}
    subscriber = (
        Subscriber.objects.filter(key=mailboxes.key(email or ""))
        .prefetch_related("subscriptions__column", "consents")
        .first()
    )
    if subscriber is None:
        return "newsletter", None
    return "newsletter", {
        "address": subscriber.address,
        "state": subscriber.get_state_display(),
        "asked_at": subscriber.created.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "subscriptions": [
            {"column": s.column.title, "how_often": s.get_cadence_display()}
            for s in subscriber.subscriptions.all()
        ],
        "consents": [
            {
                "agreed_at": c.agreed_at.isoformat(),
                "words_shown": c.text,
                "on_page": c.source,
                "columns": [column["title"] for column in c.columns],
                "how_often": c.get_cadence_display(),
                "confirmed_at": c.confirmed_at.isoformat() if c.confirmed_at else None,
            }
            for c in subscriber.consents.all()
        ],
    }


def connect():
    page_published.connect(
        on_letter_published, sender=LetterPage, dispatch_uid="newsletter-published"
    )
    reader_erasure_requested.connect(on_reader_erasure, dispatch_uid="newsletter-erasure")
    reader_export_requested.connect(on_reader_export, dispatch_uid="newsletter-export")
    tracking.connect(webhooks.on_tracking_event, dispatch_uid="newsletter-provider-events")
