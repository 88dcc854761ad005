"""What the mail provider tells us about an address, through anymail's tracking webhooks
(`/anymail/<provider>/tracking/`, mounted by config/urls.py only when ANYMAIL's WEBHOOK_SECRET
is set, so every call must carry its HTTP basic auth).

anymail turns each provider's payload into one `AnymailTrackingEvent`. Three kinds stop mail
to the address for good, for every email the site sends (newsletter.suppression):

- "bounced": the provider gave up on the mailbox (anymail's word for a permanent failure;
  a delay is "deferred" and changes nothing);
- "complained": the reader marked an email as spam;
- "unsubscribed": the reader unsubscribed at the provider (its own link or list header).

The subscriber, if there is one, leaves "active" (bounced, or unsubscribed with its
subscriptions removed, as our own one-click link does). Opens and clicks never arrive:
tracking is off (ANYMAIL["SEND_DEFAULTS"])."""

import logging

from django.db import transaction

from guard import mailboxes
from newsletter import suppression
from newsletter.models import Subscriber, Subscription, SuppressedAddress

logger = logging.getLogger("newsletter")

REASONS = {
    "bounced": SuppressedAddress.Reason.BOUNCED,
    "complained": SuppressedAddress.Reason.COMPLAINED,
    "unsubscribed": SuppressedAddress.Reason.UNSUBSCRIBED,
}


def on_tracking_event(sender, event, esp_name, **kwargs):
    reason = REASONS.get(event.event_type)
    address = (event.recipient or "").strip()
    if reason is None or not address:
        return
    with transaction.atomic():
        suppression.suppress(address, reason)
        subscribers = Subscriber.objects.filter(key=mailboxes.key(address))
        if reason == SuppressedAddress.Reason.UNSUBSCRIBED:
            Subscription.objects.filter(subscriber__in=subscribers).delete()
            subscribers.update(state=Subscriber.State.UNSUBSCRIBED)
        else:
            subscribers.update(state=Subscriber.State.BOUNCED)
    # The address is never logged: the event's id says which one it was at the provider.
    logger.info("%s reports event %s: an address suppressed (%s)", esp_name, event.event_id, reason)
