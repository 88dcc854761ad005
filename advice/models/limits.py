"""The ranges an editor's numbers and dates keep to, so no page does arithmetic past them.

Letters (and guides) are dated from 1 January 1000 to 31 December 9989: four-digit years,
which the archives' addresses and the feeds' dates assume, and ten years of room after the
last date for the longest closing period a reply policy allows, so adding it never runs
past Python's last date (9999-12-31)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator

from comments.models.policy import MAX_CLOSE_AFTER_DAYS

FIRST_DATE = datetime.date(1000, 1, 1)
LAST_DATE = datetime.date(9989, 12, 31)
assert LAST_DATE + datetime.timedelta(days=MAX_CLOSE_AFTER_DAYS) <= datetime.date.max

DATE_RANGE_MESSAGE = (
    f"Choose a date between {FIRST_DATE:%-d %B} {FIRST_DATE.year} and "
    f"{LAST_DATE:%-d %B} {LAST_DATE.year}."
)
DATE_VALIDATORS = [
    MinValueValidator(FIRST_DATE, message=DATE_RANGE_MESSAGE),
    MaxValueValidator(LAST_DATE, message=DATE_RANGE_MESSAGE),
]

MAX_LETTERS_PER_PAGE = 100


def year_in_url(year):
    """A year as the archive's address spells it: four digits (999 is "0999"), so a letter
    stored before the range existed still gets an archive link rather than failing the page."""
    return f"{year:04d}"
