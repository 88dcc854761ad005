"""The table the diagnostics check writes to (base.health, /healthz/diagnostics)."""

from django.db import models


class HealthProbe(models.Model):
    """/healthz/diagnostics inserts a row and rolls it back: proof that the database takes
    writes (the write lock on SQLite, a writable primary on PostgreSQL), leaving the table
    empty."""

    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "health probe"
