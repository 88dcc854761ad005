"""From a reader letter to the editors' draft: a LetterPage under the letter's column, filled
from the reader letter and linked both ways (ReaderLetter.draft / LetterPage.reader_letter).
A new letter with a draft is shortlisted through mailbag.lifecycle, like any change of state."""

from django.db import transaction
from django.utils.html import linebreaks
from django.utils.text import slugify
from wagtail.log_actions import log

from advice.models import AdviceIndexPage, LetterPage
from guard.text import clean_name
from mailbag import lifecycle
from mailbag.models import ReaderLetter, ReaderLetterStatus


class NoColumn(Exception):
    """There is no column to put the draft in."""


def column_for(reader_letter):
    if reader_letter.column is not None:
        return reader_letter.column
    if reader_letter.page is not None:
        column = reader_letter.page.get_column()
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


def create_draft(reader_letter, user):
    """The draft letter for `reader_letter` (made once: a second call returns the first)."""
    with transaction.atomic():
        reader_letter = ReaderLetter.objects.select_for_update().get(pk=reader_letter.pk)
        if reader_letter.draft_id:
            return reader_letter.draft
        column = column_for(reader_letter)
        # The form keeps a pen name on one line; one stored otherwise is put on one here
        # (a title is one line: advice's pages refuse a line break).
        pen_name = clean_name(reader_letter.pen_name)[:80] or "A reader"
        headline = f"Letter from {pen_name}"
        page = LetterPage(
            title=headline,
            slug=free_slug(column, headline),
            letter=letter_html(reader_letter.letter),
            pen_name=pen_name,
            answer=[],
            live=False,
            owner=user,
        )
        column.add_child(instance=page)
        if reader_letter.topic_id:
            page.topics.set([reader_letter.topic_id])
        page.save_revision(user=user, log_action=True)
        reader_letter.draft = page
        reader_letter.save(update_fields=["draft"])
        if reader_letter.status == ReaderLetterStatus.NEW:
            lifecycle.change(reader_letter, ReaderLetterStatus.SHORTLISTED, user)
        log(
            instance=reader_letter,
            action="mailbag.draft",
            user=user,
            data={"page_id": page.pk, "title": page.title},
        )
    return page
