from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """Letters by email (docs/newsletter.md): the subscribe form with double opt-in, the
    suppression list every email the site sends honours, each answer sent to its column's
    subscribers, and the admin's "Newsletter" menu.

    It imports advice (letters, columns, the plugins registry), guard (the gate), outbox (the
    queue) and comments' erasure signal; nothing imports it. It plugs in from here: the form is
    a fragment of the column's "subscribe" slot, the email cut a panel of the letter's editor
    (the "email" form slot), the suppression list outbox's recipient filter."""

    name = "newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from advice import plugins
        from newsletter import panels, signals
        from newsletter.fragments import subscribe_fragment
        from newsletter.models import Issue, Subscriber
        from newsletter.permissions import NeverAddedByHand
        from newsletter.suppression import filter_messages
        from outbox.delivery import register_recipient_filter

        signals.connect()
        plugins.register_fragment("subscribe", subscribe_fragment)
        plugins.register_form_panel("email", panels.EMAIL_CUT_PANEL, heading=panels.HEADING)
        register_recipient_filter(filter_messages)
        for model in (Subscriber, Issue):
            register_permission_policy(model, NeverAddedByHand(model))
