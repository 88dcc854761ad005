from django.apps import AppConfig


class GuardConfig(AppConfig):
    """The spam defences every reader-facing form shares: rate limits and the client address,
    the block list, the honeypot and typing-time checks, duplicate keys and the word and link
    rules, and the image-size check every upload passes (Pillow limited at start-up). It knows
    nothing of the apps that use it (replies now, reader letters next)."""

    name = "guard"
    label = "guard"
    verbose_name = "Spam defences"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from guard.images import limit_pillow

        limit_pillow()
