from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """`manage.py import_wordpress`: a WordPress column's letters, replies, images and old
    addresses. It imports advice and comments; nothing imports it."""

    name = "importer"
    verbose_name = "WordPress importer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from importer import redirects

        redirects.connect()
