"""A letter's full text as feed readers get it (<content:encoded>), made when the letter is
published (advice.feeds.store_feed_text) rather than each time the feed is read: cleaning the
letter and the rendered answer with bleach was most of a feed's time (20 letters, two passes
of html5lib each)."""

from django.db import models


class LetterFeedText(models.Model):
    """The sanitised HTML of a live letter's reader letter and answer, with absolute
    addresses for `base_url` (the letter's address when it was made: a letter moved, or a site
    given a new address, is made again when its feed is read). Deleted when the letter is
    unpublished; made again when it is republished."""

    page = models.OneToOneField(
        "advice.LetterPage", primary_key=True, on_delete=models.CASCADE, related_name="feed_text"
    )
    base_url = models.CharField(max_length=2000)
    letter_html = models.TextField(blank=True)
    answer_html = models.TextField(blank=True)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "letter’s feed text"

    def __str__(self):
        return f"Feed text of page {self.page_id}"
