"""A reader's erasure (comments.signals.reader_erasure_requested) erases their subscription,
whatever spelling of the address it names; the suppression entry, which names nobody, stays."""

from comments.signals import reader_erasure_requested
from newsletter import suppression
from newsletter.models import Consent, Subscriber, Subscription


def test_erasure_deletes_the_subscriber_and_what_hangs_on_it(column):
    subscriber = Subscriber.objects.create(
        address="Reader+x@example.com", key="reader@example.com", state="active"
    )
    Subscription.objects.create(subscriber=subscriber, column=column, cadence="each")
    Consent.objects.create(
        subscriber=subscriber, address=subscriber.address, text="t", source="/", cadence="each"
    )
    other = Subscriber.objects.create(address="other@example.com", key="other@example.com")
    suppression.suppress("reader@example.com", "unsubscribed")
    responses = reader_erasure_requested.send(sender=None, email="READER@example.com")
    assert "the newsletter subscription erased" in [said for _r, said in responses]
    assert list(Subscriber.objects.all()) == [other]
    assert not Subscription.objects.exists() and not Consent.objects.exists()
    assert suppression.is_suppressed("reader@example.com")
