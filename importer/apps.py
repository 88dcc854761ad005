from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """`manage.py import_wordpress`: a WordPress column's letters, replies, images and old
    addresses. It imports advice and comments; nothing imports it."""

    name = "importer"
    verbose_name = "WordPress importer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice import parameters
        from importer import redirects

        redirects.connect()
        # WordPress's shortest links (/?p=123, wagtail_hooks): a page cache keys pages on it.
        parameters.register("p", lambda value: value if value.isdigit() else None)
