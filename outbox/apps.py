from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Outgoing email, off the request path (see the package's docstring)."""

    name = "outbox"

    def ready(self):
        from base import health
        from outbox.health import worker_check

        # /healthz/diagnostics reports the worker's last beat and the waiting emails.
        health.register("worker", worker_check)
