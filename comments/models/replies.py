from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments import sanitize


class ReplyStatus(models.TextChoices):
    """A reply's state. Changes go through comments.lifecycle, never a bare save."""

    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
    # Erased at its author's request, but answered by others: it keeps its place in the
    # thread, with no name, no text, no "Reply" and no "Report".
    ERASED = "erased", "Erased"


# Statuses whose replies hold a place in a thread that readers see.
IN_THREAD = (ReplyStatus.APPROVED, ReplyStatus.ERASED)


class Reply(XtdComment):
    """A reader's reply under a letter: django-comments-xtd's threaded comment plus our state.

    `comment` (from django_comments) keeps exactly what the reader typed; `html` is the
    sanitised rendering made from it when the reply is saved, and is what pages show.
    `status` is the single source of truth; xtd's `is_public`/`is_removed` follow it. Status
    changes go through comments.lifecycle, which saves, logs and notifies.
    """

    Status = ReplyStatus

    status = models.CharField(
        max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.PENDING, db_index=True
    )
    html = models.TextField(editable=False, default="")
    policy_version = models.PositiveSmallIntegerField(editable=False, default=0)
    link_count = models.PositiveSmallIntegerField(editable=False, default=0)
    hold_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the policy held this reply, if it did."
    )
    rejection_reason = models.TextField(blank=True)
    author_badge = models.CharField(
        max_length=10,
        blank=True,
        choices=[("columnist", "Columnist"), ("editor", "Editor"), ("writer", "Letter writer")],
        help_text="Set when staff post, or the letter’s writer through their private link: "
        "shown beside the name.",
    )
    notify_on_publish = models.BooleanField(
        default=False, help_text="The author asked to hear when this reply is published."
    )
    # Anyone can type an address. xtd's `followup` (follow-ups are sent) is set only with
    # proof that the address is the author's: the browser proved it (comments.trust), or the
    # link sent to it for this very reply was followed. Until then the request waits here.
    followup_pending = models.BooleanField(
        default=False,
        editable=False,
        help_text="The author asked for follow-ups; the address has not confirmed this reply.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    first_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    author_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the reply becomes public through comments.lifecycle, cleared by the follow-up
    # task that tells the page's followers (comments.notifications).
    followers_due = models.BooleanField(default=False, editable=False)
    # A thread kept deeper elsewhere (an import) hangs its deep replies under an ancestor our
    # depth allows: this keeps whom the reply answered, for its "in reply to" name.
    answers_reply = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reply this one answered, when it hangs under another.",
    )

    # "Readers weigh in": a moderator's pick of an approved reply (comments.lifecycle.pick),
    # shown first under its letter and in the letter's JSON-LD (comments.picks). Any later
    # change of the reply's status clears it.
    picked_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "reader reply"
        verbose_name_plural = "reader replies"

    def __str__(self):
        # No name and no text: this label is copied into the audit log, which outlives
        # an erasure request.
        return f"Reply #{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_comment = instance.__dict__.get("comment")
        return instance

    # What templates and views ask, rather than comparing status strings.
    @property
    def is_held(self):
        return self.status == ReplyStatus.PENDING

    @property
    def is_published(self):
        return self.status == ReplyStatus.APPROVED

    @property
    def is_rejected(self):
        return self.status == ReplyStatus.REJECTED

    @property
    def is_spam(self):
        return self.status == ReplyStatus.SPAM

    @property
    def is_erased(self):
        return self.status == ReplyStatus.ERASED

    @property
    def is_picked(self):
        return self.picked_at is not None

    def current_html(self):
        """The sanitised HTML to show: the stored rendering, or a fresh one when an older
        sanitiser policy made it (until `rerender_replies` runs). Only the sanitiser's own
        output ever comes out of here."""
        if self.is_erased:
            return ""
        if self.html and self.policy_version == sanitize.POLICY_VERSION:
            return self.html
        return sanitize.render_reply(self.comment)

    def render(self):
        """Sanitise the reader's text into the stored HTML."""
        self.html = sanitize.render_reply(self.comment)
        self.link_count = sanitize.count_links(self.comment)
        self.policy_version = sanitize.POLICY_VERSION

    def save(self, *args, **kwargs):
        """Store the derived fields with the reply: its HTML (rendered again only when the text
        or the sanitiser's policy changed), xtd's is_public/is_removed, and for a new reply
        the time of its status and of its approval. Steps past XtdComment.save (through
        `super(XtdComment, self)`) because that writes a new reply's rows twice: see
        `_insert` for the queries measured."""
        if (
            not self.html
            or self.comment != getattr(self, "_stored_comment", None)
            or self.policy_version != sanitize.POLICY_VERSION
        ):
            self.render()
        self.is_public = self.status in IN_THREAD
        self.is_removed = self.status != ReplyStatus.APPROVED and not self.is_held
        if self.pk is None:
            now = timezone.now()
            self.status_changed_at = self.status_changed_at or now
            if self.is_published and self.first_approved_at is None:
                self.first_approved_at = now
            self._insert(*args, **kwargs)
        else:
            super(XtdComment, self).save(*args, **kwargs)
        self._stored_comment = self.comment

    def _insert(self, *args, **kwargs):
        """xtd's XtdComment.save for a new reply, minus its second save of the whole row.

        XtdComment.save inserts the reply's three rows (django_comments' comment, xtd's
        comment, ours) and then saves all three again, only to store the thread fields
        (thread, level, order), which need the new id. Here one UPDATE of xtd's table
        stores them. Measured (comments/tests/test_reply_save.py, SQLite): a top-level reply
        costs xtd 6 queries (3 INSERT, 3 UPDATE), ours 4 (3 INSERT, 1 UPDATE); an answer
        under another reply costs xtd 12 (with its own savepoint and release), ours 8. A reply
        already stored is saved as any model (skipping XtdComment.save, which would do the
        same). No savepoint inside a caller's transaction: a failure here fails the caller's
        too."""
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super(XtdComment, self).save(*args, **kwargs)
            if not self.parent_id:
                self.parent_id = self.thread_id = self.pk
            else:
                self._calculate_thread_data()  # xtd's: thread, level, order under the parent
            XtdComment.norel_objects.filter(pk=self.pk).update(
                parent_id=self.parent_id,
                thread_id=self.thread_id,
                level=self.level,
                order=self.order,
            )

    def get_absolute_url(self, anchor_pattern="#reply-%(id)s"):
        """The reply's permalink (comments.views.reply_permalink), which finds the page of
        threads showing it; `anchor_pattern` is xtd's argument, kept for its callers."""
        return reverse("comments-reply", args=[self.pk])


class ReplyReport(models.Model):
    """A reader's report that a reply breaks the guidelines. Readers need no account, so one
    report per reply per (hashed) address stands in for one per person."""

    REASONS = [
        ("abuse", "Abusive or hateful"),
        ("spam", "Spam or advertising"),
        ("personal", "Shares someone’s personal details"),
        ("off_topic", "Off topic"),
        ("other", "Something else"),
    ]

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=REASONS)
    note = models.TextField(blank=True, max_length=500)
    reporter_hash = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="When a moderator acted on the reply after this report."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reply", "reporter_hash"], name="one_report_per_reply_per_address"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()} on reply {self.reply_id}"


class ReaderEmail(models.Model):
    """An email address a reader confirmed through the link in a 'published' email: with an
    approved reply, that makes the reader trusted."""

    email = models.EmailField(unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.email

    @staticmethod
    def normalise(email):
        return (email or "").strip().lower()


class ModeratorEmailPreference(models.Model):
    """A moderator who switched off the held-reply emails (the link in each one does it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_email_preference"
    )
    muted = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.user}: {'muted' if self.muted else 'subscribed'}"


class FollowupBatch(models.Model):
    """A page whose followers are due an email about new replies (comments.notifications):
    at most one row per page, so one task per page is queued however many of its replies are
    approved meanwhile. The task deletes the row when it starts."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_pk"], name="one_followup_batch_per_page"
            )
        ]

    def __str__(self):
        return f"Follow-ups due for {self.content_type_id}:{self.object_pk}"


class ReplyCount(models.Model):
    """How many replies a reader sees under one page: approved, with every reply above them in
    their thread approved or erased (comments.threads counts them). What a letter's card shows,
    stored so that a listing reads one row a letter, never its letters' replies. Counted from
    the replies, the cards of the column's last page (bench data: two letters with 1,000
    replies, five with 200) took 11 to 14 ms, these rows 0.5 ms (SQLite, 2026-12-08).
    comments.counts keeps it as replies change; a page without a row has none."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)
    shown = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_pk"], name="one_reply_count_per_page"
            )
        ]

    def __str__(self):
        return f"{self.shown} replies shown on {self.content_type_id}:{self.object_pk}"
