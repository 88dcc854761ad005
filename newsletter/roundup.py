"""The weekly round-up: each column's week in one email to its active "weekly" subscribers.

A week runs Monday to Sunday. `manage.py send_weekly_roundup` (a scheduled job, run on Monday
for the week that ended) makes one `Issue` per column and week (unique in the database, so a
second run sends nothing), and newsletter.sending fans it out and sends it like an answer.
What it holds:

- the week's letters: live, public, not imported, dated in the week, each with the reader's
  letter and the answer cut to ANSWER_WORDS words and a "read on" link;
- "Readers weigh in": the replies the column's moderators picked that week (comments.picks),
  as readers see them now: a pick taken back, or a reply held since, is not there.

A week with neither sends nothing: no empty email.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from advice.models import LetterPage
from comments.models import Reply
from comments.picks import picks_for
from newsletter import emails

WEEK = datetime.timedelta(days=7)
ANSWER_WORDS = 120


def week_of(day):
    """The Monday of the week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def last_full_week(today=None):
    """The Monday of the week before the one `today` (default: today) falls in."""
    return week_of(today or timezone.localdate()) - WEEK


def week_title(column, start):
    end = start + WEEK - datetime.timedelta(days=1)
    return f"{column.title}: the week of {start:%-d %B} to {end:%-d %B %Y}"


def _bounds(start):
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return begin, begin + WEEK


def letters_of(column, start):
    """The column's letters of the week starting `start`, oldest first."""
    return list(
        LetterPage.objects.live()
        .public()
        .child_of(column)
        .filter(imported=False, date__gte=start, date__lt=start + WEEK)
        .order_by("date", "pk")
    )


def picks_of(column, start):
    """[(letter, reply)] of the replies picked in the week starting `start` under the
    column's live letters, as readers see them now, in pick order."""
    begin, end = _bounds(start)
    picked = Reply.objects.filter(
        content_type=ContentType.objects.get_for_model(LetterPage),
        picked_at__gte=begin,
        picked_at__lt=end,
    ).values_list("object_pk", flat=True)
    letters = {
        letter.pk: letter
        for letter in LetterPage.objects.live()
        .public()
        .child_of(column)
        .filter(pk__in=[int(pk) for pk in set(picked)])
    }
    found = [
        (letters[pk], reply)
        for pk, replies in picks_for(letters.values()).items()
        for reply in replies
        if begin <= reply.picked_at < end
    ]
    return sorted(found, key=lambda pair: pair[1].picked_at)


def has_news(column, start):
    return bool(letters_of(column, start) or picks_of(column, start))


def roundup_content(issue):
    """What every subscriber's round-up of `issue` shares (rendered once per send)."""
    column = issue.column.specific
    letters = []
    for letter in letters_of(column, issue.week):
        content = emails.letter_content(letter)
        letters.append(
            {
                "letter": letter,
                "url": content["read_on_url"],
                "salutation": content["salutation"],
                "letter_text": content["letter_text"],
                "answer_text": Truncator(content["answer_text"]).words(ANSWER_WORDS),
            }
        )
    picks = [
        {
            "letter": letter,
            "name": reply.user_name,
            "text": strip_tags(reply.current_html()).strip(),  # the HTML part (escaped there)
            "comment": reply.current_html(),  # the text part: comment_tags.reader_text
            "url": f"{letter.get_full_url()}#reply-{reply.pk}",
        }
        for letter, reply in picks_of(column, issue.week)
    ]
    return {
        "issue": issue,
        "column": column,
        "title": issue.title,
        "letters": letters,
        "picks": picks,
        "column_url": column.get_full_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
