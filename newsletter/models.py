"""What the newsletter keeps (docs/newsletter.md).

- `Subscriber`: one per mailbox (guard's address key), the address as last typed and
  confirmed, and a state: waiting (asked, never confirmed), active, unsubscribed.
- `Subscription`: a subscriber's column and cadence (each answer, or weekly).
- `Consent`: what a reader agreed to on a form (the words shown, when, where, which columns,
  which cadence), kept whether or not they confirmed; `confirmed_at` once they did.
- `SuppressedAddress`: addresses the site never writes to again, kept only as a keyed hash
  (newsletter.suppression), with why and since when.
- `EmailCut`: where the editor cut a letter's answer in its email (a child of the letter page,
  so it is kept in the page's revisions and drafts and saved when the letter is published);
  no row, the whole answer.
- `Issue`: one letter sent out, once however often it is republished, or one column's weekly
  round-up, once per week (newsletter.roundup); its `Delivery` rows are the queue (one per
  subscriber).
"""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey

from advice.models import AdviceIndexPage, LetterPage


class Cadence(models.TextChoices):
    EACH = "each", "Each answer, as it is published"
    WEEKLY = "weekly", "A weekly round-up"


class Subscriber(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced or complained"

    address = models.CharField(max_length=254, help_text="As the reader typed it.")
    key = models.CharField(max_length=254, unique=True, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    created = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Subscriber #{self.pk}"  # never the address: it reaches logs and the audit log


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    column = models.ForeignKey(
        AdviceIndexPage, on_delete=models.CASCADE, related_name="newsletter_subscriptions"
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.EACH)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "column"], name="newsletter_one_subscription_per_column"
            )
        ]
        # The fan-out pages through a column's subscribers of one cadence in subscriber order:
        # with this index each batch is a range read, not every subscription sorted again.
        indexes = [
            models.Index(fields=["column", "cadence", "subscriber"], name="newsletter_fanout_order")
        ]


class Consent(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    address = models.CharField(max_length=254)
    text = models.TextField(help_text="The words shown beside the form, as agreed to.")
    agreed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500, help_text="The page the form was sent from.")
    columns = models.JSONField(default=list, help_text="[{id, title}] of the columns chosen.")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-agreed_at"]


class SuppressedAddress(models.Model):
    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained (marked as spam)"

    digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "suppressed addresses"


class EmailCut(models.Model):
    """The email shows the letter, then the answer up to its `paragraphs`-th paragraph and a
    "Read on" link (newsletter.cut counts them as readers see them)."""

    letter = ParentalKey(LetterPage, on_delete=models.CASCADE, related_name="newsletter_email_cut")
    paragraphs = models.PositiveSmallIntegerField(
        "paragraphs of the answer in the email",
        help_text="Subscribers’ email shows the answer up to this paragraph, then “Read on” "
        "links to the letter. Lists count as a paragraph; headings, quotes and pictures before "
        "the cut come with it. 0 sends the letter alone. Without a cut, the email carries the "
        "whole answer.",
    )

    panels = ["paragraphs"]

    class Meta:
        verbose_name = "email cut"

    def __str__(self):
        return f"Email cut after paragraph {self.paragraphs}"


class Issue(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", "An answer"
        WEEKLY = "weekly", "A weekly round-up"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANSWER)
    letter = models.OneToOneField(
        LetterPage, null=True, on_delete=models.SET_NULL, related_name="newsletter_issue"
    )
    column = models.ForeignKey(AdviceIndexPage, null=True, on_delete=models.SET_NULL)
    week = models.DateField(
        null=True, blank=True, help_text="A round-up's week: the Monday it starts on."
    )
    title = models.CharField(max_length=255)
    created = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["column", "week"],
                condition=models.Q(week__isnull=False),
                name="newsletter_one_roundup_per_column_and_week",
            )
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["issue", "state"])]
        verbose_name_plural = "deliveries"
