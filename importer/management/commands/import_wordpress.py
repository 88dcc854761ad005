"""manage.py import_wordpress EXPORT.xml: a WordPress column's letters, replies, images and old
addresses (docs/importing.md). The file is read and checked whole before
anything is written; a malformed or hostile file stops with an error naming the line."""

import csv
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advice.models import AdviceIndexPage, Topic
from importer.importing import Importer
from importer.wxr import ExportError, read_export

PROGRESS_EVERY = 100  # posts between progress lines when stderr is not a terminal
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import letters, their readers' comments, images and old addresses from a WordPress "
        "export file (WXR: Tools → Export). Safe to run again: nothing is imported twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (.xml).")
        parser.add_argument(
            "--column", help="Slug of the column to import into (default: the only column)."
        )
        parser.add_argument(
            "--category",
            help="Only posts in this WordPress category, by its slug, e.g. dear-pursebop "
            "(default: every post).",
        )
        parser.add_argument(
            "--topics",
            metavar="MAPPING",
            help="A JSON object or two-column CSV from WordPress category and tag slugs to "
            "topic slugs; unmapped terms are left out (default: a topic per term, created "
            "with its WordPress name and slug when missing).",
        )
        parser.add_argument(
            "--tags-as-topics",
            action="store_true",
            help="Make WordPress tags topics too (default: categories only; a tag named in "
            "--topics is used either way).",
        )
        parser.add_argument(
            "--unmatched",
            choices=["draft", "publish", "skip"],
            default="draft",
            help="Posts not in the letter's shape (greeting, letter, pen name, 'Dear <pen "
            "name>', answer): 'draft' keeps each as a draft for an editor to split (the "
            "default), 'publish' publishes those public on WordPress as they were (the whole "
            "post as the answer, no letter; the others stay drafts), 'skip' leaves them out; "
            "either way the report lists them.",
        )
        parser.add_argument(
            "--uploads",
            metavar="FOLDER",
            help="A local copy of the site's wp-content/uploads, where images are read from "
            "(nothing is downloaded).",
        )
        parser.add_argument(
            "--old-site",
            metavar="URL",
            help="The WordPress site's address, e.g. https://old.example (default: the "
            "export's own): links on this host become redirects.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported and write nothing.",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        try:
            export = read_export(options["export"])
        except ExportError as error:
            raise CommandError(str(error)) from error
        column = choose_column(options["column"])
        topic_map = read_topic_map(options["topics"]) if options["topics"] else None
        category = (options["category"] or "").strip()
        if category and not any(category in post.term_slugs("category") for post in export.posts):
            found = sorted({slug for post in export.posts for slug in post.term_slugs("category")})
            raise CommandError(
                f"No post of the export is in the category '{category}'. Its categories: "
                f"{', '.join(found) or 'none'}."
            )
        uploads = options["uploads"]
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"The uploads folder {uploads} does not exist.")
        if not (options["old_site"] or export.site_url):
            raise CommandError("The export names no site address: give it with --old-site.")

        importer = Importer(
            export,
            column,
            category=category,
            topic_map=topic_map,
            tags_as_topics=options["tags_as_topics"],
            unmatched=options["unmatched"],
            uploads=uploads,
            old_site=options["old_site"] or "",
            dry_run=options["dry_run"],
            log=self.log,
        )
        report = importer.run(progress=Progress(self.stderr, self.verbosity))
        if self.verbosity >= 1:
            self.stdout.write(summary(report, export, column, time.monotonic() - started))
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} post(s) could not be imported (listed above); the "
                "others were. Run the command again once they are fixed."
            )

    def log(self, message, level=1):
        if self.verbosity >= level:
            self.stdout.write(message)


def choose_column(slug):
    columns = AdviceIndexPage.objects.all()
    if slug:
        column = columns.filter(slug=slug).first()
        if column is None:
            names = ", ".join(columns.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No column with the slug '{slug}'. Columns: {names}.")
        return column
    found = list(columns[:2])
    if not found:
        raise CommandError("There is no column to import into: create one first.")
    if len(found) > 1:
        names = ", ".join(columns.values_list("slug", flat=True))
        raise CommandError(f"There are several columns ({names}): choose one with --column.")
    return found[0]


def read_topic_map(path):
    """{WordPress slug: topic slug or None} from a JSON object or a two-column CSV (a first
    row "wordpress,topic" is a header). Every topic named must exist."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"Cannot read the topic mapping {path}: {error.strerror}.") from error
    if path.lower().endswith(".json"):
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column "
                f"{error.colno}."
            ) from error
        if not isinstance(mapping, dict):
            raise CommandError(
                f'{path} should hold one object: {{"wordpress-slug": "topic-slug"}}.'
            )
    else:
        mapping = {}
        for number, row in enumerate(csv.reader(text.splitlines()), 1):
            if not row or not row[0].strip() or row[0].strip().startswith("#"):
                continue
            if number == 1 and row[0].strip().lower() in {"wordpress", "wordpress_slug", "wp"}:
                continue
            mapping[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
    mapping = {
        str(key): (str(value).strip() or None) if value else None for key, value in mapping.items()
    }
    wanted = {slug for slug in mapping.values() if slug}
    known = set(Topic.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    if wanted - known:
        raise CommandError(
            f"The topic mapping {path} names topics that do not exist: "
            f"{', '.join(sorted(wanted - known))}. Create them first (Snippets → Topics)."
        )
    return mapping


class Progress:
    """How far the import is, on stderr: a bar redrawn in place on a terminal, otherwise a
    line every PROGRESS_EVERY posts and at the end."""

    def __init__(self, stream, verbosity):
        self.stream = stream
        self.enabled = verbosity >= 1
        self.tty = self.enabled and _isatty(stream)

    def __call__(self, done, total):
        if not self.enabled:
            return
        if self.tty:
            filled = BAR_WIDTH * done // max(total, 1)
            bar = "#" * filled + " " * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} posts", ending="")
            if done == total:
                self.stream.write("")
            self.stream.flush()
        elif done % PROGRESS_EVERY == 0 or done == total:
            self.stream.write(f"{done}/{total} posts")


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _count(number, singular, plural=None):
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


def _reason(count, reason):
    """ "2 spam", "1 pingback", "3 pingbacks": a reason is a phrase or (singular, plural)."""
    return _count(count, *reason) if isinstance(reason, tuple) else f"{count:,} {reason}"


def summary(report, export, column, seconds):
    """The report people read at the end (also what docs/importing.md shows)."""
    lines = []
    verb = "would be" if report.dry_run else "were"
    if report.dry_run:
        lines.append("Dry run: nothing was written. The import would do this:")
    lines.append(
        f"From {export.title or 'WordPress'} ({export.site_url}) into the column "
        f"{column.title} ({column.get_url() or column.url_path}), "
        f"in {seconds:.1f} s:"
    )
    if not report.created_anything and not report.failed:
        lines.append(
            f"  Nothing new: the {_count(report.letters_before, 'letter')}, "
            f"{_count(report.replies_before, 'reply', 'replies')}, "
            f"{_count(report.images_before, 'image')} and "
            f"{_count(report.redirects_before, 'redirect')} of this export {verb} imported "
            "before."
        )
    else:
        waiting = sum(1 for *_, status in report.review if status == "published")
        lines.append(
            f"  Letters:    {report.letters:,} published, {report.drafts + waiting:,} kept as "
            f"drafts ({report.drafts:,} not public on WordPress: drafts, scheduled, private or "
            f"password-protected posts; {waiting:,} published there but not in the letter's "
            f"shape), {len(report.review):,} needing review"
            + (
                f"; {len(report.published_as_is):,} of the published as they were, not in the "
                "letter's shape"
                if report.published_as_is
                else ""
            )
            + (f"; {report.letters_before:,} imported before" if report.letters_before else "")
        )
        lines.append(
            f"  Replies:    {report.replies['approved']:,} approved, "
            f"{report.replies['pending']:,} awaiting moderation"
            + (
                f" ({report.moved_up:,} hung higher: WordPress threads go deeper than ours; "
                f"{report.reattached:,} under an earlier reply: their parent was skipped)"
                if report.moved_up or report.reattached
                else ""
            )
            + (f"; {report.replies_before:,} imported before" if report.replies_before else "")
        )
        lines.append(
            f"  Images:     {report.images:,} imported"
            + (f", {report.images_before:,} imported before" if report.images_before else "")
            + (f"; {len(report.missing):,} not found (listed below)" if report.missing else "")
        )
        lines.append(
            f"  Redirects:  {report.redirects:,} from old addresses (permanent)"
            + (f", {report.redirects_before:,} made before" if report.redirects_before else "")
            + (
                f"; {report.redirects_waiting:,} more when their letters are published"
                if report.redirects_waiting
                else ""
            )
            + (f"; {len(report.conflicts):,} already sent elsewhere" if report.conflicts else "")
        )
        lines.append(
            f"  Created:    {_count(len(report.topics), 'topic')}"
            + (f" ({', '.join(report.topics)})" if report.topics else "")
            + f", {_count(len(report.columnists), 'columnist')}"
            + (f" ({', '.join(report.columnists)})" if report.columnists else "")
        )
    skipped = [_reason(count, reason) for reason, count in sorted(report.skipped_posts.items())]
    if skipped:
        lines.append(f"  Skipped posts:    {', '.join(skipped)}")
    skipped = [
        _reason(count, reason)
        for reason, count in sorted(report.skipped_comments.items(), key=lambda item: str(item[0]))
    ]
    if skipped:
        lines.append(f"  Skipped comments: {', '.join(skipped)}")
    if report.unmapped:
        lines.append(f"  Terms not in the topic mapping: {', '.join(sorted(report.unmapped))}")
    if report.renamed:
        renamed = ", ".join(f"{old} → {new}" for old, new in report.renamed)
        lines.append(f"  Slugs taken in the column, so renamed: {renamed}")
    if report.missing:
        lines.append("  Images not found (the letters were imported without them):")
        posts_by_image = {}
        for what, why, post in report.missing:
            posts = posts_by_image.setdefault((what, why), [])
            if post not in posts:
                posts.append(post)
        lines += [
            f"    - {what}: {why} ({'post' if len(posts) == 1 else 'posts'} "
            f"{', '.join(map(str, posts))})"
            for (what, why), posts in posts_by_image.items()
        ]
    if report.conflicts:
        lines.append("  Old addresses that already redirect elsewhere (left as they are):")
        lines += [f"    - {path} (post {post})" for path, post in report.conflicts]
    if report.review:
        lines.append(
            "  Needs review (kept as drafts, the whole post as the answer; an editor splits "
            "the letter and publishes):"
        )
        lines += [
            f'    - "{title}" (post {number}, {status} on WordPress): {why}'
            + ("" if report.dry_run else f"; /admin/pages/{page}/edit/")
            for title, number, why, page, status in report.review
        ]
    if report.published_as_is:
        lines.append(
            "  Published as they were, not in the letter's shape (--unmatched publish: the "
            "whole post as the answer, no letter):"
        )
        lines += [
            f'    - "{title}" (post {number}, {status} on WordPress): {why}'
            for title, number, why, status in report.published_as_is
        ]
    if report.unmatched_skipped:
        lines.append("  Not in the letter's shape, left out (--unmatched skip):")
        lines += [
            f'    - "{title}" (post {number}, {status} on WordPress): {why}'
            for title, number, why, status in report.unmatched_skipped
        ]
    if report.dry_run and report.terms:
        lines.append(
            "  Categories and tags, with their posts (for a --topics mapping: "
            "wordpress-slug,topic-slug; tags become topics only with --tags-as-topics):"
        )
        lines += [
            f"    - {'category' if domain == 'category' else 'tag'} {slug} "
            f"({name}): {_count(count, 'post')}"
            for (domain, slug, name), count in sorted(
                report.terms.items(), key=lambda item: (item[0][0] != "category", -item[1])
            )
        ]
    if report.failed:
        lines.append("  Failed (nothing of these posts was written):")
        lines += [
            f'    - "{title}" (post {number}): {error}' for title, number, error in report.failed
        ]
    return "\n".join(lines)
