"""Apps above outbox filter recipients through its registry (outbox names none of them): a
filter runs on every batch before it is sent; a message left with no recipient is not sent."""

from django.core.mail import EmailMessage

from outbox import delivery


def test_a_registered_filter_drops_recipients_and_empty_messages(mailoutbox, monkeypatch):
    monkeypatch.setattr(delivery, "_recipient_filters", [])

    def no_blocked(messages):
        for message in messages:
            message.to = [a for a in message.to if not a.startswith("blocked")]
        return [message for message in messages if message.recipients()]

    delivery.register_recipient_filter(no_blocked)
    delivery.register_recipient_filter(no_blocked)  # once is enough
    assert delivery._recipient_filters == [no_blocked]
    result = delivery.deliver(
        [
            EmailMessage("One", "x", "from@example.com", ["blocked@example.com", "ok@example.com"]),
            EmailMessage("Two", "x", "from@example.com", ["blocked@example.com"]),
        ]
    )
    assert result == {"sent": 1, "retrying": 0}
    [message] = mailoutbox
    assert (message.subject, message.to) == ("One", ["ok@example.com"])
