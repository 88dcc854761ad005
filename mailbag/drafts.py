"""From a reader's letter to the editors' draft: a LetterPage under the letter's column,
filled from the submission and linked both ways (Submission.draft / LetterPage.submission).
A new letter with a draft is shortlisted through mailbag.lifecycle, like any change of state."""

from django.db import transaction
from django.utils.html import linebreaks
from django.utils.text import slugify
from wagtail.log_actions import log

from advice.models import AdviceIndexPage, LetterPage
from guard.text import clean_name
from mailbag import lifecycle
from mailbag.models import Submission, SubmissionStatus


class NoColumn(Exception):
    """There is no column to put the draft in."""


def column_for(submission):
    if submission.column is not None:
        return submission.column
    if submission.page is not None:
        column = submission.page.get_column()
        if column is not None:
            return column
    column = AdviceIndexPage.objects.first()
    if column is None:
        raise NoColumn("Add a column first: a draft letter is made inside one.")
    return column


def free_slug(column, base):
    base = (slugify(base) or "letter")[:60].strip("-") or "letter"
    taken = set(column.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def letter_html(text):
    """The reader's plain text as the letter field's paragraphs, every character escaped."""
    return linebreaks(text, autoescape=True)


def create_draft(submission, user):
    """The draft letter for `submission` (made once: a second call returns the first)."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.draft_id:
            return submission.draft
        column = column_for(submission)
        # The form keeps a pen name on one line; one stored otherwise is put on one here
        # (a title is one line: advice's pages refuse a line break).
        pen_name = clean_name(submission.pen_name)[:80] or "A reader"
        headline = f"Letter from {pen_name}"
        page = LetterPage(
            title=headline,
            slug=free_slug(column, headline),
            letter=letter_html(submission.letter),
            pen_name=pen_name,
            answer=[],
            live=False,
            owner=user,
        )
        column.add_child(instance=page)
        if submission.topic_id:
            page.topics.set([submission.topic_id])
        page.save_revision(user=user, log_action=True)
        submission.draft = page
        submission.save(update_fields=["draft"])
        if submission.status == SubmissionStatus.NEW:
            lifecycle.change(submission, SubmissionStatus.SHORTLISTED, user)
        log(
            instance=submission,
            action="mailbag.draft",
            user=user,
            data={"page_id": page.pk, "title": page.title},
        )
    return page
