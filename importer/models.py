"""What each WordPress item became, so a second run of the same export creates nothing new.

`source` names the WordPress site (its address without the scheme, e.g. "old.example"): ids
are only unique within one site. A record outlives what it points at (SET_NULL): a reply erased
at its author's request, or a letter an editor deleted, is not brought back by the next run.
"""

from django.db import models


class ImportedPost(models.Model):
    source = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField()
    page = models.ForeignKey(
        "advice.LetterPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    # The post's old addresses (normalised paths): redirects while the letter is live
    # (importer.redirects).
    old_paths = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="one_page_per_wordpress_post")
        ]

    def __str__(self):
        return f"WordPress post {self.wp_id} from {self.source}"


class ImportedComment(models.Model):
    source = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField()
    reply = models.ForeignKey(
        "comments.Reply", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "wp_id"], name="one_reply_per_wordpress_comment"
            )
        ]

    def __str__(self):
        return f"WordPress comment {self.wp_id} from {self.source}"


class ImportedImage(models.Model):
    """An uploaded file, by its path under wp-content/uploads/ (an inline image need not have
    an attachment item, so the path is the key; the attachment's id is kept when known)."""

    source = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    wp_id = models.PositiveBigIntegerField(null=True, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "path"], name="one_image_per_uploaded_file")
        ]

    def __str__(self):
        return f"{self.path} from {self.source}"
