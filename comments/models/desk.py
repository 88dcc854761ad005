"""What the moderation desk keeps beside the replies: the reasons moderators pick from when
they reject a reply. (The block list is guard's BlockedSender, shared with other forms.)"""

from django.core.validators import MaxValueValidator
from django.db import models


class RejectionReason(models.Model):
    """A ready-made reason for rejecting a reply; editors extend the list as snippets.

    The chosen text is copied onto the reply (and into the author's email), so editing or
    deleting a reason later never rewrites what was already sent.
    """

    text = models.CharField(
        max_length=200,
        unique=True,
        help_text="Written to the reader: it appears in the email telling them why.",
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text="Lower numbers first (0 to 1000).",
    )

    class Meta:
        ordering = ["sort_order", "text"]
        verbose_name = "rejection reason"

    def __str__(self):
        return self.text
