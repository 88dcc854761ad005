from django.db import models


class RateCounter(models.Model):
    """One fixed window of a rate limit (e.g. replies from one IP address in ten minutes).

    Used when Redis is not configured: comments.ratelimit increments it with a single
    upsert-and-return statement, which is atomic across processes on SQLite and PostgreSQL
    (DESIGN.md §4b). Old windows are purged by comments.ratelimit.purge_expired().
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="Window number: Unix time // window length.")
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratecounter_key_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window}: {self.count}"
