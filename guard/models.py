"""What the spam defences keep in the database: the block list, the rate-limit windows (when
Redis is not configured) and the keys that stop a form being stored twice."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from guard import mailboxes


class BlockedSenderQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class BlockedSender(models.Model):
    """An email address or IP address whose posts are always held, or refused outright,
    until the entry expires or a moderator removes it."""

    EMAIL = "email"
    IP = "ip"
    KIND_CHOICES = [(EMAIL, "Email address"), (IP, "IP address")]
    HOLD = "hold"
    REFUSE = "refuse"
    ACTION_CHOICES = [
        (HOLD, "Always hold for a moderator"),
        (REFUSE, "Refuse: the reader is told posts from it are not accepted"),
    ]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    value = models.CharField(
        max_length=254,
        help_text="The IP address, or the email address (kept in the form every spelling of it "
        "shares: quotes, capitals and a +tag dropped, so each spelling is blocked).",
    )
    action = models.CharField(max_length=10, choices=ACTION_CHOICES, default=HOLD)
    reason = models.CharField(
        max_length=200, blank=True, help_text="For the other moderators; readers never see it."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to block until someone removes the entry."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = BlockedSenderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="guard_one_block_per_address")
        ]
        ordering = ["-created_at"]
        verbose_name = "blocked address"
        verbose_name_plural = "blocked addresses"

    def __str__(self):
        return f"{self.get_action_display().split(':')[0]}: {self.value}"

    @staticmethod
    def normalise(kind, value):
        """An email address's key (guard.mailboxes.key: one entry blocks every spelling of a
        mailbox), an IP address as typed."""
        if kind == BlockedSender.EMAIL:
            return mailboxes.key(value)
        return (value or "").strip()

    def clean(self):
        if self.kind == self.EMAIL and mailboxes.has_format_characters(self.value):
            raise ValidationError({"value": mailboxes.FORMAT_CHARACTER_MESSAGE})
        self.value = self.normalise(self.kind, self.value)
        if self.kind == self.IP:
            try:
                ipaddress.ip_address(self.value)
            except ValueError as error:
                raise ValidationError({"value": "Enter a valid IPv4 or IPv6 address."}) from error
        elif "@" not in self.value:
            raise ValidationError({"value": "Enter a valid email address."})

    def save(self, *args, **kwargs):
        self.value = self.normalise(self.kind, self.value)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.expires_at is None or self.expires_at > timezone.now()

    @property
    def refuses(self):
        return self.action == self.REFUSE

    @classmethod
    def match(cls, email=None, ip=None):
        """The entry that applies to a post from `email` at `ip`: refusal wins over holding."""
        wanted = Q()
        if email:
            wanted |= Q(kind=cls.EMAIL, value=cls.normalise(cls.EMAIL, email))
        if ip:
            wanted |= Q(kind=cls.IP, value=cls.normalise(cls.IP, ip))
        if not wanted:
            return None
        entries = list(cls.objects.active().filter(wanted))
        return next((e for e in entries if e.refuses), None) or next(iter(entries), None)


class RateCounter(models.Model):
    """One fixed window of a rate limit (e.g. replies from one IP address in ten minutes).

    Used when Redis is not configured: guard.ratelimit increments it with a single
    upsert-and-return statement, which is atomic across processes on SQLite and PostgreSQL.
    Old windows are purged by guard.ratelimit.purge_expired().
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="Window number: Unix time // window length.")
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="guard_ratecounter_key_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window}: {self.count}"


class SubmissionKey(models.Model):
    """A post already taken: its key (a keyed hash of who sent what where) is unique, so a
    second identical post fails to insert it, however close together the two arrive. An
    expired key is replaced by the next post that claims it, and purged (guard.duplicates)."""

    key = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key[:12]}… until {self.expires_at:%Y-%m-%d %H:%M}"


class ReaderAddresses(models.Model):
    """No table: the owner of one permission, "Can see readers’ addresses" (guard.permissions).
    Reader letters, replies and their emails hold readers' addresses; every view of them asks
    this one permission, so one grant decides who sees them."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("see_reader_addresses", "Can see readers’ addresses")]
        verbose_name = "readers’ addresses"
        verbose_name_plural = "readers’ addresses"
