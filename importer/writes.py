"""Every write an import makes, in one place, in two strategies: `Writes` for a real run and
`DryRun`, which reads the database but never writes to it (no rolled-back transaction: one
would hold SQLite's write lock, or PostgreSQL's lock on the column's row, for the whole run,
and every reader's reply would wait). The dry run stands in unsaved objects for what the real
run would create, so the importer counts the same things either way."""

import io
from itertools import count
from pathlib import Path

from django.core.files.images import ImageFile
from wagtail.contrib.redirects.models import Redirect

from advice.models import Columnist, LetterPage, Topic
from comments import lifecycle
from comments.models import Reply
from importer import redirects
from importer.models import ImportedComment, ImportedImage, ImportedPost


class Writes:
    """A real run: each step writes (inside the post's own transaction)."""

    def columnist(self, name, slug):
        return Columnist.objects.create(name=name, slug=slug)

    def topic(self, name, slug):
        return Topic.objects.create(name=name, slug=slug)

    def letter(self, column, page, topics, moment):
        """Add `page` under the column, as a revision, published when it is live."""
        page.topics.set(topics)
        column.add_child(instance=page)
        # A draft is checked as Wagtail checks drafts (title and slug, by add_child): a letter
        # kept for review has no letter yet.
        revision = page.save_revision(clean=page.live)
        if page.live:
            revision.publish()
            LetterPage.objects.filter(pk=page.pk).update(last_published_at=moment)

    def record(self, source, wp_id, page):
        return ImportedPost.objects.create(source=source, wp_id=wp_id, page=page)

    def image(self, image, data, source, path, wp_id):
        image.file = ImageFile(io.BytesIO(data), name=Path(path).name)
        image.save()
        ImportedImage.objects.create(source=source, path=path, wp_id=wp_id, image=image)

    def old_paths(self, record, paths):
        record.old_paths = paths
        record.save(update_fields=["old_paths"])

    def redirects(self, page, paths, site):
        """(made, already there, conflicting paths), as importer.redirects.add."""
        return redirects.add(page, paths, site)

    def reply(self, reply, parent, source, wp_id):
        lifecycle.imported(reply)
        ImportedComment.objects.create(source=source, wp_id=wp_id, reply=reply)

    def parent_of(self, reply):
        return Reply.objects.get(pk=reply.parent_id)


class DryRun:
    """A dry run: reads what is there, writes nothing, and remembers what it would have made
    (old addresses, replies with their thread level) so later posts are counted as they would
    be."""

    def __init__(self):
        self._paths = set()  # old addresses that would redirect
        self._replies = {}  # stand-in id (negative, never a row's) -> unsaved reply
        self._ids = count(-1, -1)

    def columnist(self, name, slug):
        return Columnist(name=name, slug=slug)

    def topic(self, name, slug):
        return Topic(name=name, slug=slug)

    def letter(self, column, page, topics, moment):
        pass

    def record(self, source, wp_id, page):
        return ImportedPost(source=source, wp_id=wp_id)

    def image(self, image, data, source, path, wp_id):
        pass  # unsaved: the letter that would show it is not saved either

    def old_paths(self, record, paths):
        record.old_paths = paths

    def redirects(self, page, paths, site):
        existing = dict(
            Redirect.get_for_site(site)
            .filter(old_path__in=paths)
            .values_list("old_path", "redirect_page_id")
        )
        made, before, conflicts = 0, 0, []
        for path in paths:
            if path in existing and page.pk is not None and existing[path] == page.pk:
                before += 1
            elif path in existing or path in self._paths:
                conflicts.append(path)
            else:
                self._paths.add(path)
                made += 1
        return made, before, conflicts

    def reply(self, reply, parent, source, wp_id):
        reply.pk = next(self._ids)
        reply.level = parent.level + 1 if parent is not None else 0
        self._replies[reply.pk] = reply

    def parent_of(self, reply):
        return self._replies.get(reply.parent_id) or Reply.objects.get(pk=reply.parent_id)
