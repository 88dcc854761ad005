from django.apps import AppConfig


class AdviceConfig(AppConfig):
    """The column: home page, column archives, letters with their answers, guides, topics."""

    name = "advice"
    verbose_name = "Advice column"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice import signals
        from advice.models import LetterPage
        from comments import targets

        signals.connect()
        # Readers reply under letters (the contract is comments.targets).
        targets.register(LetterPage)
