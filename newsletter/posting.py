"""Subscribing, through guard's gate (honeypot, typing time, the confirm step, block list,
duplicate key, rate limit per address and per client address), which this supplies with the
form, the words and the store: a Subscriber (new or known: the same either way), a Consent
holding what was agreed, and the confirmation email queued. The reader is told the same
whatever the address's state, so the answer never says who subscribed."""

import datetime

from django.utils import timezone

from guard import gate, mailboxes
from guard.gate import Outcome, Result
from newsletter import emails
from newsletter.forms import SubscribeForm
from newsletter.models import Consent, Subscriber

__all__ = ["Outcome", "Result", "submit"]

DEFAULT_RATE_LIMITS = [("ip", 10, 60 * 60), ("email", 3, 24 * 60 * 60)]

MESSAGES = gate.Messages(
    honeypot="Please leave the last field empty and send the form again.",
    expired="This form had expired or was changed on its way to us. Please check it and "
    "send it again.",
    invalid="There is a problem with the form",
    too_fast="That was quicker than anyone can type. If you are a person, please send the "
    "form again.",
    blocked="We cannot accept this address. If you think this is a mistake, please write to "
    "the editors.",
    rate_limited="We have sent several confirmation emails to this address or from this "
    "connection lately (the limit is {count} in {minutes} minutes). Please look for the one we "
    "sent, or try again later.",
)


class SubscribePost(gate.ReaderPost):
    scope = "subscribe"
    duplicate_window = datetime.timedelta(minutes=10)
    rate_limits_setting = "NEWSLETTER_RATE_LIMITS"
    default_rate_limits = DEFAULT_RATE_LIMITS
    messages = MESSAGES

    def prepare(self):
        self.form = SubscribeForm(data=self.request.POST)
        return None

    @property
    def email(self):
        return self.form.cleaned_data["email"].strip()

    def duplicate_parts(self):
        cleaned = self.form.cleaned_data
        return (",".join(str(c.pk) for c in cleaned["columns"]), cleaned["cadence"])

    def store(self):
        cleaned = self.form.cleaned_data
        subscriber, _ = Subscriber.objects.get_or_create(
            key=mailboxes.key(self.email), defaults={"address": self.email}
        )
        return Consent.objects.create(
            subscriber=subscriber,
            address=self.email,
            text=self.form.consent_text,
            agreed_at=timezone.now(),
            source=cleaned["source"] or self.request.path,
            columns=[{"id": c.pk, "title": c.title} for c in cleaned["columns"]],
            cadence=cleaned["cadence"],
        )

    def after_store(self, stored):
        emails.send_confirmation(stored)


def submit(request):
    return gate.run(SubscribePost(request))
