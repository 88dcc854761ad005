from django.apps import AppConfig


class MailbagConfig(AppConfig):
    """Reader letters: the "Write to PurseBop" form, the editors' inbox, the draft letter made
    from a reader letter, the email telling the writer, and the clean-up of what they gave us.

    It imports advice (it makes draft letters), guard (the form's defences) and comments'
    passes (the writer's private reply link) and its erasure signal; nothing imports it. It
    plugs into the column through advice's registries: the write-in page is a page type of the
    column and the columns' write-in choice, and its link a fragment of the "write_in" slot and
    of the site navigation's "navigation" slot; a draft's reader letter is an editor panel of
    the letter's "letter" editor slot."""

    name = "mailbag"
    label = "mailbag"
    verbose_name = "Reader letters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice import plugins
        from mailbag import signals
        from mailbag.inbox.panels import reader_letter_editor_panel
        from mailbag.models import WriteInPage
        from mailbag.navigation import write_in_nav_link

        signals.connect()
        plugins.register_page_type(
            WriteInPage, parent="advice.AdviceIndexPage", chosen_as="write_in"
        )
        plugins.register_fragment("write_in", "mailbag/write_in_link.html")
        plugins.register_fragment("navigation", write_in_nav_link)
        plugins.register_editor_panel("letter", reader_letter_editor_panel)
