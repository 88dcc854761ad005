"""A checked WordPress export (importer.wxr) into a column: letters (importer.letters) with
their pictures (importer.images), replies (importer.replies) and old addresses, counted in a
report (importer.report). Each post in its own transaction, committed as it ends, so a failing
post is listed and the others are imported; a dry run writes nothing (importer.writes).

Decisions (docs/importing.md):
- published posts become published letters, dated by their GMT publication date; drafts,
  pending, scheduled, private and password-protected posts become drafts (nothing is lost,
  nothing becomes public); trashed posts, auto-drafts and revisions are skipped; a post dated
  outside the column's range fails with its reason;
- a post that does not follow the letter pattern (importer.letter_shape.split_letter) is imported
  whole as the answer, with no letter and no pen name (it opens with the column's default
  salutation, or none), kept as a draft and listed as needing review: publishing a broken
  letter is worse than waiting for an editor; with --unmatched publish, one that was public on
  WordPress is published as it was (and listed), with --unmatched skip it is left out;
- approved comments become approved replies, pending ones wait in the moderation queue; spam,
  trash, pingbacks and trackbacks are skipped; a reply deeper than our threads go hangs under
  its deepest ancestor that our depth allows; one whose parent was skipped hangs under the
  nearest ancestor that was imported (or starts a thread);
- a published post's old addresses redirect to its letter only while the letter is live: a
  letter kept for review gains them when an editor publishes it (importer.redirects);
- imported letters are marked `imported`: nothing that announces new letters sends them;
- what was imported is recorded by WordPress id (importer.models), so a second run creates
  nothing new but the comments added since.
"""

import copy
from contextlib import nullcontext
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django_comments_xtd.models import max_thread_level_for_content_type

from advice.models import LetterPage
from advice.models.limits import FIRST_DATE, LAST_DATE
from importer.images import Images
from importer.letters import Letters
from importer.models import ImportedImage, ImportedPost
from importer.names import login
from importer.replies import HOLD_REASON, Replies
from importer.report import Report
from importer.writes import DryRun, Writes
from importer.wxr import site_key

__all__ = ["HOLD_REASON", "Importer"]

SKIPPED_STATUSES = {
    "trash": "in the trash",
    "auto-draft": "auto-drafts",
    "inherit": "revisions",
}


class Importer(Letters, Replies, Images):
    """One import of a checked export into a column (or, with `dry_run`, its report only)."""

    def __init__(
        self,
        export,
        column,
        category="",
        topic_map=None,
        tags_as_topics=False,
        unmatched="draft",
        uploads=None,
        old_site="",
        dry_run=False,
        log=lambda message: None,
    ):
        self.export, self.column = export, column
        self.category = category
        self.topic_map = topic_map
        # posts not in the letter's shape: "draft", "publish" (when public on WordPress), "skip"
        self.unmatched = unmatched
        # Categories say what a letter is about; tags are many and loose (the theme unit test
        # export has 123 terms): tags become topics only when asked, or when mapped by name.
        self.term_domains = {"category", "post_tag"} if tags_as_topics else {"category"}
        self.uploads = Path(uploads).resolve() if uploads else None
        self.old_site = (old_site or export.site_url).rstrip("/")
        self.source = site_key(export.site_url or self.old_site)
        self.dry_run = dry_run
        self.writes = DryRun() if dry_run else Writes()
        self.log = log
        self.report = Report(dry_run=dry_run)
        self.site = column.get_site()
        self.greeting = column.get_greeting()
        self.content_type = ContentType.objects.get_for_model(LetterPage)
        self.max_level = max_thread_level_for_content_type(self.content_type)
        self.authors = {login(author.login): author for author in export.authors.values()}
        self.by_path = {}
        for attachment in export.attachments.values():
            path = self.upload_path(attachment.meta.get("_wp_attached_file", ""), relative=True)
            path = path or self.upload_path(attachment.attachment_url)
            if path:
                self.by_path[path] = attachment
        self._images = {}
        self._missing = {}  # path: why it could not be imported
        self._columnists = {}
        self._topics = {}
        # What this run made (a dry run's are not saved, so the database cannot find them):
        # the letters' slugs, and columnists and topics by name and slug.
        self._slugs = set()
        self._made = {}

    # -- the run

    def posts(self):
        """The posts to import, after counting those skipped by status or category."""
        chosen = []
        for post in self.export.posts:
            if post.status in SKIPPED_STATUSES:
                self.report.skipped_posts[SKIPPED_STATUSES[post.status]] += 1
            elif self.category and self.category not in post.term_slugs("category"):
                self.report.skipped_posts[f"outside the category '{self.category}'"] += 1
            else:
                chosen.append(post)
                for term in post.terms:
                    if term.domain in {"category", "post_tag"} and term.slug:
                        self.report.terms[(term.domain, term.slug, term.name)] += 1
        for kind, count in self.export.other_types.items():
            if kind not in {"revision", "nav_menu_item", "attachment"}:
                self.report.skipped_posts[f"of type '{kind}' (not posts)"] += count
        return chosen

    def run(self, progress=lambda done, total: None):
        """Import every chosen post, each in its own transaction, committed as it ends (a dry
        run writes nothing: importer.writes.DryRun)."""
        posts = self.posts()
        for done, post in enumerate(posts, 1):
            self.import_post(post)
            progress(done, len(posts))
        # Images are looked at only for new letters: count those of earlier runs here.
        self.report.images_before = ImportedImage.objects.filter(
            source=self.source, image__isnull=False
        ).count() - self.report.images * (not self.dry_run)
        return self.report

    def import_post(self, post):
        before = copy.deepcopy(self.report)
        made_before = set(self._slugs), dict(self._made)
        try:
            with nullcontext() if self.dry_run else transaction.atomic():
                self._import_post(post)
        except (ValidationError, DatabaseError, ValueError, OSError, RecursionError) as error:
            # What the rolled-back transaction made is gone: neither counted nor remembered.
            self.report = before
            self.report.failed.append((self.title(post), post.id, _message(error)))
            self._images.clear()
            self._missing.clear()
            self._topics.clear()
            self._columnists.clear()
            self._slugs, self._made = made_before
            self.log(f"  ! post {post.id} could not be imported: {_message(error)}", 1)

    def _import_post(self, post):
        record = ImportedPost.objects.filter(source=self.source, wp_id=post.id).first()
        if record is not None and record.page_id is None:
            self.report.skipped_posts["deleted here after an earlier import"] += 1
            return
        if record is not None:
            page = record.page
            self.report.letters_before += 1
        else:
            check_dates(post)
            page, record = self.create_page(post)
            if page is None:
                return
        if post.status == "publish":
            self.redirect(post, page, record)
        self.import_comments(post, page)


def check_dates(post):
    """Refuse a post dated outside the column's range (a year 0999 post broke its archive)."""
    for moment in (post.date, post.published_at):
        if moment is not None and not FIRST_DATE <= moment.date() <= LAST_DATE:
            raise ValueError(
                f"it is dated {moment.date().isoformat()}, outside the dates the column can "
                f"show ({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}); fix its date in "
                "WordPress and import again"
            )


def _message(error):
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
