"""newsletter listens; nobody listens to newsletter: a published letter is sent out (once),
the desk's erasure request (comments.signals) erases the reader's subscription too, and the
mail provider's word that an address bounced, complained or unsubscribed (anymail's tracking
webhook, newsletter.webhooks) suppresses it."""

from anymail.signals import tracking
from wagtail.signals import page_published

from advice.models import LetterPage
from comments.signals import reader_erasure_requested
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


def connect():
    page_published.connect(
        on_letter_published, sender=LetterPage, dispatch_uid="newsletter-published"
    )
    reader_erasure_requested.connect(on_reader_erasure, dispatch_uid="newsletter-erasure")
    tracking.connect(webhooks.on_tracking_event, dispatch_uid="newsletter-provider-events")
