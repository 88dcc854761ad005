"""A checked WordPress export (importer.wxr) into a column: letters, replies, images, topics,
columnists and redirects from the old addresses. One transaction per post; a dry run is the
same import rolled back, with no image file written.

Decisions (README, "Importing from WordPress"):
- published posts become published letters, dated by their GMT publication date; drafts,
  pending, scheduled, private and password-protected posts become drafts (nothing is lost,
  nothing becomes public); trashed posts, auto-drafts and revisions are skipped;
- a post that does not follow the letter pattern (importer.content.split_letter) is imported
  whole as the answer, with an empty letter and the pen name "A reader", kept as a draft and
  listed as needing review: publishing a broken letter is worse than waiting for an editor;
- approved comments become approved replies, pending ones wait in the moderation queue; spam,
  trash, pingbacks and trackbacks are skipped; a reply deeper than our threads go hangs under
  its deepest ancestor that our depth allows; one whose parent was skipped hangs under the
  nearest ancestor that was imported (or starts a thread);
- a published post's old addresses redirect to its letter only while the letter is live: a
  letter kept for review gains them when an editor publishes it (importer.redirects);
- what was imported is recorded by WordPress id (importer.models), so a second run creates
  nothing new but the comments added since.
"""

import copy
import datetime
import io
import ipaddress
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.text import Truncator, slugify
from django_comments_xtd.models import max_thread_level_for_content_type
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from advice.models import Columnist, LetterPage, Topic
from comments import lifecycle
from comments.models import Reply, ReplyStatus
from guard.text import clean_name, has_visible_text
from importer import redirects
from importer.content import blocks_of, comment_text, split_letter
from importer.models import ImportedComment, ImportedImage, ImportedPost
from importer.wxr import site_key

HOLD_REASON = "imported from WordPress, awaiting moderation there"
PEN_NAME_UNKNOWN = "A reader"
DRAFT_STATUSES = {"draft", "pending", "future", "private"}
SKIPPED_STATUSES = {
    "trash": "in the trash",
    "auto-draft": "auto-drafts",
    "inherit": "revisions",
}
COMMENT_STATES = {"1": ReplyStatus.APPROVED, "0": ReplyStatus.PENDING}
SKIPPED_COMMENTS = {"spam": "spam", "trash": "in the trash", "post-trashed": "in the trash"}
# The dates a post may carry: the column's letters use the same range, as its archive
# addresses them by a four-digit year (/1000/ to /9998/); 9998, not 9999, so that moving a
# date by a day or a time zone cannot pass the last date Python knows.
EARLIEST_DATE = datetime.date(1000, 1, 1)
LATEST_DATE = datetime.date(9998, 12, 31)
IGNORED_TERMS = {"uncategorized"}  # WordPress's default category says nothing about a letter
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")


@dataclass
class Report:
    """What the import did (or, in a dry run, would do)."""

    dry_run: bool = False
    letters: int = 0
    drafts: int = 0  # not public on WordPress (drafts, scheduled, private, password)
    letters_before: int = 0
    # posts not in the letter's shape: (title, WordPress id, why, page id, WordPress status)
    review: list = field(default_factory=list)
    unmatched_skipped: list = field(default_factory=list)  # the same, left out (--unmatched skip)
    replies: Counter = field(default_factory=Counter)  # by status
    replies_before: int = 0
    moved_up: int = 0  # deeper than our threads
    reattached: int = 0  # their parent was not imported
    images: int = 0
    images_before: int = 0
    missing: list = field(default_factory=list)  # (path or address, why, WordPress post id)
    redirects: int = 0
    redirects_before: int = 0
    redirects_waiting: int = 0  # old addresses of letters not live: made when published
    conflicts: list = field(default_factory=list)  # old paths already sending elsewhere
    topics: list = field(default_factory=list)
    columnists: list = field(default_factory=list)
    unmapped: set = field(default_factory=set)
    renamed: list = field(default_factory=list)  # (WordPress slug, our slug)
    skipped_posts: Counter = field(default_factory=Counter)
    skipped_comments: Counter = field(default_factory=Counter)
    failed: list = field(default_factory=list)  # (title, WordPress id, error)
    terms: Counter = field(default_factory=Counter)  # (domain, slug, name): posts using it

    @property
    def created_anything(self):
        return bool(
            self.letters
            or self.drafts
            or self.review
            or sum(self.replies.values())
            or self.images
            or self.redirects
            or self.topics
            or self.columnists
        )


class Importer:
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
        self.unmatched = unmatched  # posts not in the letter's shape: "draft" or "skip"
        # Categories say what a letter is about; tags are many and loose (the theme unit test
        # export has 123 terms): tags become topics only when asked, or when mapped by name.
        self.term_domains = {"category", "post_tag"} if tags_as_topics else {"category"}
        self.uploads = Path(uploads).resolve() if uploads else None
        self.old_site = (old_site or export.site_url).rstrip("/")
        self.source = site_key(export.site_url or self.old_site)
        self.dry_run = dry_run
        self.log = log
        self.report = Report(dry_run=dry_run)
        self.site = column.get_site()
        self.greeting = column.get_greeting()
        self.content_type = ContentType.objects.get_for_model(LetterPage)
        self.max_level = max_thread_level_for_content_type(self.content_type)
        self.authors = {_login(author.login): author for author in export.authors.values()}
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
        """Import every chosen post, each in its own transaction (a dry run: all in one,
        rolled back at the end)."""
        posts = self.posts()
        if self.dry_run:
            with transaction.atomic():
                self._run(posts, progress)
                transaction.set_rollback(True)
        else:
            self._run(posts, progress)
        return self.report

    def _run(self, posts, progress):
        for done, post in enumerate(posts, 1):
            self.import_post(post)
            progress(done, len(posts))
        # Images are looked at only for new letters: count those of earlier runs here.
        self.report.images_before = ImportedImage.objects.filter(
            source=self.source, image__isnull=False
        ).count() - self.report.images * (not self.dry_run)

    def import_post(self, post):
        before = copy.deepcopy(self.report)
        try:
            with transaction.atomic():
                self._import_post(post)
        except (ValidationError, DatabaseError, ValueError, OSError, RecursionError) as error:
            # What the rolled-back transaction made is gone: neither counted nor remembered.
            self.report = before
            self.report.failed.append((self.title(post), post.id, _message(error)))
            self._images.clear()
            self._missing.clear()
            self._topics.clear()
            self._columnists.clear()
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

    # -- letters

    def title(self, post):
        title = " ".join(_strip_tags(post.title).split())
        return title[:255] or f"Untitled letter (WordPress post {post.id})"

    def create_page(self, post):
        blocks = blocks_of(post.content, self.old_site)
        letter, why = split_letter(blocks, self.greeting)
        if letter is None and self.unmatched == "skip":
            self.report.unmatched_skipped.append(
                (self.title(post), post.id, why, wordpress_status(post))
            )
            return None, None
        published = post.status == "publish" and not post.password
        moment = post.published_at or datetime.datetime.now(tz=datetime.UTC)
        title = self.title(post)
        fields = {
            "title": title,
            "slug": self.slug(post, title),
            "dek": Truncator(" ".join(_strip_tags(post.excerpt).split())).chars(300),
            "date": moment.date(),
            "columnist": self.columnist(post),
            "hero_image": self.featured_image(post),
            "allow_replies": post.comment_status != "closed",
            "imported": True,  # not news: nothing that announces new letters sends it
        }
        if letter is not None:
            salutation = letter.salutation
            fields.update(
                letter="".join(block.rich_text() for block in letter.letter),
                pen_name=letter.pen_name,
                salutation="" if salutation == f"Dear {letter.pen_name}:" else salutation,
                answer=self.stream(letter.answer, post),
            )
        else:
            fields.update(letter="", pen_name=PEN_NAME_UNKNOWN, answer=self.stream(blocks, post))
        if letter is not None and fields["answer"] == "[]":
            letter, why = None, "nothing is left of the answer without its missing images"
            fields.update(letter="", pen_name=PEN_NAME_UNKNOWN, answer=self.stream(blocks, post))
        page = LetterPage(**fields)
        page.live = published and letter is not None
        if post.status == "publish":
            # Kept when an editor publishes a draft later: the letter keeps its first date.
            page.first_published_at = moment
        page.topics.set(self.topics(post))
        self.column.add_child(instance=page)
        # A draft is checked as Wagtail checks drafts (title and slug, by add_child): a letter
        # kept for review has no letter yet.
        revision = page.save_revision(clean=page.live)
        if page.live:
            revision.publish()
            LetterPage.objects.filter(pk=page.pk).update(last_published_at=moment)
            self.report.letters += 1
        elif not published:
            self.report.drafts += 1  # as it was on WordPress, in the letter's shape or not
        if letter is None:
            self.report.review.append((title, post.id, why, page.pk, wordpress_status(post)))
        record = ImportedPost.objects.create(source=self.source, wp_id=post.id, page=page)
        self.log(
            f"  + {'letter' if page.live else 'draft'} '{title}' at {page.get_url()} "
            f"(WordPress post {post.id})",
            2,
        )
        return page, record

    def slug(self, post, title):
        wanted = slugify(unquote(post.name), allow_unicode=True)[:240]
        base = wanted or slugify(title, allow_unicode=True)[:240] or f"letter-{post.id}"
        slug, number = base, 1
        taken = set(self.column.get_children().values_list("slug", flat=True))
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        if wanted and slug != wanted:
            self.report.renamed.append((wanted, slug))
        return slug

    def stream(self, blocks, post):
        """The answer's StreamField data: paragraphs, headings, pull quotes, pictures."""
        data = []
        for block in blocks:
            if block.kind in {"paragraph", "list"}:
                data.append({"type": "paragraph", "value": block.rich_text()})
            elif block.kind == "heading":
                data.append({"type": "heading", "value": block.text[:255]})
            elif block.kind == "quote":
                value = {"quote": block.text, "attribution": block.attribution[:255]}
                data.append({"type": "pull_quote", "value": value})
            elif block.kind == "image":
                image = self.image(block.src, block.attachment, post)
                if image is not None:
                    alt = block.alt or image.description or image.title
                    value = {"image": image.pk, "decorative": False, "alt_text": alt[:255]}
                    data.append(
                        {"type": "image", "value": {"image": value, "caption": block.caption}}
                    )
        return json.dumps(data)

    def columnist(self, post):
        """The post's author (dc:creator → the export's author → display name) as a columnist:
        an existing one with that name or slug, else a new one."""
        login = _login(post.creator)
        if login in self._columnists:
            return self._columnists[login]
        author = self.authors.get(login)
        name = clean_name(_strip_tags((author.display_name if author else "") or login))[:120]
        columnist = None
        if name:
            columnist = (
                Columnist.objects.filter(name__iexact=name).first()
                or Columnist.objects.filter(slug=slugify(name)).first()
                or Columnist.objects.filter(slug=slugify(login)).first()
            )
            if columnist is None:
                slug = _unique(
                    Columnist, slugify(name)[:110] or slugify(login)[:110] or "columnist"
                )
                columnist = Columnist.objects.create(name=name, slug=slug)
                self.report.columnists.append(name)
        self._columnists[login] = columnist
        return columnist

    def topics(self, post):
        found = []
        for term in post.terms:
            mapped = self.topic_map is not None and term.slug in self.topic_map
            if term.domain not in self.term_domains and not mapped:
                continue
            if term.slug == self.category or term.slug in IGNORED_TERMS:
                continue
            topic = self.topic(term)
            if topic is not None and topic not in found:
                found.append(topic)
        return found

    def topic(self, term):
        if term.slug in self._topics:
            return self._topics[term.slug]
        if self.topic_map is not None:  # a term mapped to nothing is left out on purpose
            slug = self.topic_map.get(term.slug)
            if term.slug not in self.topic_map:
                self.report.unmapped.add(term.slug)
            topic = Topic.objects.filter(slug=slug).first() if slug else None
        else:
            slug = slugify(unquote(term.slug))[:80] or slugify(term.name)[:80]
            name = clean_name(_strip_tags(term.name))[:80] or slug
            topic = (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name__iexact=name).first()
            )
            if topic is None and slug:
                topic = Topic.objects.create(name=name, slug=slug)
                self.report.topics.append(name)
        self._topics[term.slug] = topic
        return topic

    # -- images

    def upload_path(self, url, relative=False):
        """The path of an uploaded file under wp-content/uploads/, from its address (or, with
        `relative`, as WordPress's _wp_attached_file holds it), or "" for anything else."""
        if relative:
            path = url
        else:
            address = urlsplit(url or "")
            if "/uploads/" not in address.path:
                return ""
            path = address.path.split("/uploads/", 1)[1]
        return unquote(path).strip().lstrip("/")

    def featured_image(self, post):
        number = post.meta.get("_thumbnail_id", "")
        return self.image("", int(number), post) if number.isdigit() else None

    def image(self, src, attachment_id, post):
        """The Wagtail image for an attachment or an <img> address, imported from the uploads
        folder when first met; None (and a line in the report) when it cannot be."""
        attachment = self.export.attachments.get(attachment_id) if attachment_id else None
        path = ""
        if attachment is not None:
            path = self.upload_path(
                attachment.meta.get("_wp_attached_file", ""), relative=True
            ) or self.upload_path(attachment.attachment_url)
        if not path and src:
            path = self.upload_path(src)
            original = _SIZE_SUFFIX.sub("", path)
            if original in self.by_path:  # a resized copy ("-300x200"): the original
                path, attachment = original, self.by_path[original]
            elif path in self.by_path:
                attachment = self.by_path[path]
        if not path:
            if src:
                self.report.missing.append((src, "not an uploaded file", post.id))
            elif attachment_id:
                self.report.missing.append(
                    (f"attachment {attachment_id}", "not in the export", post.id)
                )
            return None
        if path in self._images:
            if path in self._missing:  # listed once, with every post that uses it
                self.report.missing.append((path, self._missing[path], post.id))
            return self._images[path]
        image = self._load_image(path, attachment, post)
        self._images[path] = image
        return image

    def _load_image(self, path, attachment, post):
        record = ImportedImage.objects.filter(source=self.source, path=path).first()
        if record is not None:
            return record.image
        data, why = self._read_upload(path)
        if data is None:
            self._missing[path] = why
            self.report.missing.append((path, why, post.id))
            return None
        self.report.images += 1
        if self.dry_run:
            return None
        title = " ".join(_strip_tags(attachment.title if attachment else "").split())
        alt = attachment.meta.get("_wp_attachment_image_alt", "") if attachment else ""
        image = get_image_model()(
            title=(title or Path(path).stem.replace("-", " "))[:255], description=alt[:255]
        )
        image.file = ImageFile(io.BytesIO(data), name=Path(path).name)
        image.save()
        ImportedImage.objects.create(
            source=self.source, path=path, wp_id=attachment.id if attachment else None, image=image
        )
        self.log(f"  + image {path}", 2)
        return image

    def _read_upload(self, path):
        """The bytes of an uploaded image, or (None, why not)."""
        if self.uploads is None:
            return None, "no --uploads folder given"
        file = (self.uploads / path).resolve()
        if not file.is_relative_to(self.uploads):
            return None, "outside the uploads folder"
        if not file.is_file():
            return None, "file missing"
        data = file.read_bytes()
        try:
            with PILImage.open(io.BytesIO(data)) as picture:
                picture.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None, "not a readable image"
        return data, ""

    # -- old addresses

    def old_paths(self, post):
        """The post's old addresses on this site: its <link>, and the usual permalink shapes
        (/YYYY/MM/DD/slug/, /YYYY/MM/slug/, /slug/, /?p=ID) under the old site's path."""
        old = urlsplit(self.old_site)
        prefix = old.path.rstrip("/")
        paths = []
        link = urlsplit(post.link)
        if post.link and _host(link.netloc) == _host(old.netloc):
            paths.append(link.path + (f"?{link.query}" if link.query else ""))
        when = post.date or post.published_at
        if post.name and when:
            paths += [
                f"{prefix}/{when:%Y/%m/%d}/{post.name}/",
                f"{prefix}/{when:%Y/%m}/{post.name}/",
                f"{prefix}/{post.name}/",
            ]
        paths.append(f"{prefix}/?p={post.id}")
        unique = []
        for path in paths:
            normal = Redirect.normalise_path(path)
            if normal not in unique:
                unique.append(normal)
        return unique

    def redirect(self, post, page, record):
        """The post's old addresses kept with its record; redirects made while its letter is
        live (importer.redirects adds them when an editor publishes it later)."""
        parts = page.get_url_parts()
        own = Redirect.normalise_path(parts[2]) if parts else ""
        paths = [path for path in self.old_paths(post) if path not in (own, "/")]
        if record.old_paths != paths:
            record.old_paths = paths
            record.save(update_fields=["old_paths"])
        if not page.live:
            self.report.redirects_waiting += len(paths)
            return
        made, before, conflicts = redirects.add(page, paths, self.site)
        self.report.redirects += made
        self.report.redirects_before += before
        self.report.conflicts += [(path, post.id) for path in conflicts]

    # -- replies

    def import_comments(self, post, page):
        comments = {comment.id: comment for comment in post.comments}
        author = self.authors.get(post.creator)
        records = ImportedComment.objects.filter(source=self.source, wp_id__in=list(comments))
        earlier = {record.wp_id: record.reply for record in records.select_related("reply")}
        made = dict(earlier)  # WordPress id -> Reply, or None: not imported (or erased since)
        for comment in _parents_first(post.comments):
            made[comment.id] = self.import_comment(comment, comments, made, earlier, page, author)

    def import_comment(self, comment, comments, made, earlier, page, author):
        kind = comment.type or "comment"
        if kind != "comment":
            self.report.skipped_comments[(kind, f"{kind}s")] += 1
            return None
        if comment.approved not in COMMENT_STATES:
            reason = SKIPPED_COMMENTS.get(comment.approved, f"in state '{comment.approved}'")
            self.report.skipped_comments[reason] += 1
            return None
        if comment.id in earlier:
            self.report.replies_before += 1
            return earlier[comment.id]
        text = comment_text(comment.content)
        if not has_visible_text(text):
            self.report.skipped_comments["with no text once markup is removed"] += 1
            return None
        parent, answered = self.parent_for(comment, comments, made)
        status = COMMENT_STATES[comment.approved]
        by_author = author is not None and (
            (comment.user_id and comment.user_id == author.id)
            or (comment.email and comment.email.casefold() == author.email.casefold())
        )
        reply = Reply(
            content_type=self.content_type,
            object_pk=str(page.pk),
            site_id=settings.SITE_ID,
            user_name=clean_name(comment.author)[:50] or "Anonymous",
            user_email=_email(comment.email),
            user_url=comment.url if _web_address(comment.url) else "",
            ip_address=_ip(comment.ip),
            submit_date=comment.date,
            comment=text,
            status=status,
            hold_reason=HOLD_REASON if status == ReplyStatus.PENDING else "",
            author_badge="columnist" if by_author else "",
            parent_id=parent.pk if parent is not None else 0,
            answers_reply=answered,
        )
        lifecycle.imported(reply)
        ImportedComment.objects.create(source=self.source, wp_id=comment.id, reply=reply)
        self.report.replies[status] += 1
        return reply

    def parent_for(self, comment, comments, made):
        """The reply this one hangs under: its parent's, or the nearest imported ancestor's;
        never deeper than our threads go (then its deepest ancestor that allows it, and the
        reply it answered is kept apart for its "in reply to" name): (parent, answered)."""
        number, seen = comment.parent, set()
        parent = None
        while number and number not in seen:
            seen.add(number)
            parent = made.get(number)
            if parent is not None:
                break
            number = comments[number].parent if number in comments else 0
        if parent is None:
            if comment.parent:
                self.report.reattached += 1
            return None, None
        if number != comment.parent:
            self.report.reattached += 1
        answered = None
        if parent.level >= self.max_level:
            self.report.moved_up += 1
            answered = parent
            while parent.level >= self.max_level:
                parent = Reply.objects.get(pk=parent.parent_id)
        return parent, answered


# --- helpers ------------------------------------------------------------------------------------


def _parents_first(comments):
    """Comments by date, each after the comment it answers."""
    by_id = {comment.id: comment for comment in comments}
    ordered, done = [], set()

    def visit(comment, path=()):
        if comment.id in done or comment.id in path:
            return
        parent = by_id.get(comment.parent)
        if parent is not None:
            visit(parent, (*path, comment.id))
        done.add(comment.id)
        ordered.append(comment)

    for comment in sorted(comments, key=lambda c: (c.date, c.id)):
        visit(comment)
    return ordered


def check_dates(post):
    """Refuse a post dated outside the column's range (a year 0999 post broke its archive)."""
    for moment in (post.date, post.published_at):
        if moment is not None and not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            raise ValueError(
                f"it is dated {moment.date().isoformat()}, outside the dates the column can "
                f"show ({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}); fix its date in "
                "WordPress and import again"
            )


def wordpress_status(post):
    """How the post stood on WordPress, as its editors said it."""
    if post.password:
        return "password-protected"
    return {"publish": "published", "future": "scheduled"}.get(post.status, post.status)


def _login(text):
    """A WordPress login as dc:creator should hold it: exports carry stray markup and
    punctuation around it (the theme unit test data has ">themereviewteam")."""
    return re.sub(r"^[^\w]+|[^\w]+$", "", _strip_tags(text).strip())


def _unique(model, base):
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _strip_tags(text):
    return unescape(re.sub(r"<[^>]*>", "", text or ""))


def _host(netloc):
    host = netloc.lower().rsplit("@", 1)[-1]
    return host.removeprefix("www.")


def _email(value):
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]


def _web_address(value):
    address = urlsplit(value or "")
    return address.scheme in {"http", "https"} and bool(address.netloc) and len(value) <= 200


def _ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _message(error):
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
