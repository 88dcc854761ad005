from django.apps import AppConfig


class MailbagConfig(AppConfig):
    """Reader letters: the "Write to PurseBop" form, the editors' inbox, the draft letter made
    from a submission, the email telling the writer, and the clean-up of what they gave us.

    It imports advice (it makes draft letters), guard (the form's defences) and comments'
    passes (the writer's private reply link) and its erasure signal; nothing imports it."""

    name = "mailbag"
    label = "mailbag"
    verbose_name = "Reader letters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from mailbag import signals

        signals.connect()
