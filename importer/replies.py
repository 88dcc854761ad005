"""Readers' comments as replies: approved ones published, pending ones held, spam, trash,
pingbacks and trackbacks skipped and counted; a comment deeper than our threads hangs under its
deepest ancestor that our depth allows and keeps whom it answered (Reply.answers_reply); one
whose parent was skipped hangs under the nearest ancestor that was imported."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from comments.models import Reply, ReplyStatus
from guard.text import clean_name, has_visible_text
from importer.comment_text import comment_text
from importer.models import ImportedComment

HOLD_REASON = "imported from WordPress, awaiting moderation there"
COMMENT_STATES = {"1": ReplyStatus.APPROVED, "0": ReplyStatus.PENDING}
SKIPPED_COMMENTS = {"spam": "spam", "trash": "in the trash", "post-trashed": "in the trash"}


class Replies:
    """The importer's replies (a part of importer.importing.Importer)."""

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
        self.writes.reply(reply, parent, self.source, comment.id)
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
                parent = self.writes.parent_of(parent)
        return parent, answered


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
