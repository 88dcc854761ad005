from django.db import models


class PageCacheVersion(models.Model):
    """One row: the site-wide version of what readers see. Without Redis each process keeps
    its own copy of the pages, each marked with the version it was rendered at, and reads this
    row once a request (never writes it: page views never write to the database); any change
    readers would see bumps it, so every process drops every page at once."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "page cache version"
