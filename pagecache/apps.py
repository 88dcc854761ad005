from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The whole-page cache for anonymous readers and the CDN purge (README, Architecture)."""

    name = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pagecache import signals

        signals.connect()
