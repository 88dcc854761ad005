from django.apps import AppConfig


class AdviceConfig(AppConfig):
    """The column: home page, column archives, letters with their answers, guides, topics."""

    name = "advice"
    verbose_name = "Advice column"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice import parameters, signals, sitemaps
        from advice.models import AdviceIndexPage, Columnist, LetterPage
        from comments import identities, targets

        signals.connect()
        sitemaps.connect()
        # The query parameters the column's pages read, as the page cache keys them.
        parameters.connect()
        # Readers reply under letters (the contract is comments.targets).
        targets.register(LetterPage)
        # Readers may not sign as a columnist or a column; a columnist's account is badged.
        identities.reserve(lambda: Columnist.objects.values_list("name", flat=True))
        identities.reserve_titles(lambda: AdviceIndexPage.objects.all(), "title")
        identities.badge_for_user(
            lambda user: "columnist" if Columnist.objects.filter(user=user).exists() else ""
        )
