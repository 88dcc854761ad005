"""EMAIL_BACKEND: queue every message instead of sending it, so no request waits for the mail
server and a failed send is tried again. The worker sends through EMAIL_DELIVERY_BACKEND."""

from django.core.mail.backends.base import BaseEmailBackend

from outbox.delivery import enqueue


class QueuedEmailBackend(BaseEmailBackend):
    queues = True  # never a delivery backend (outbox.delivery.delivery_connection)

    def send_messages(self, email_messages):
        """Queue the messages of one call as one task; returns how many were queued."""
        messages = [message for message in email_messages if message.recipients()]
        if not messages:
            return 0
        try:
            enqueue(messages)
        except Exception:
            if not self.fail_silently:
                raise
            return 0
        return len(messages)
