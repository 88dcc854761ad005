"""British English dates in one style across the admin (the desk, the reader letters, the page
explorer's tooltips, the date pickers) and our own admin templates: "30 Nov 2026, 14:30".
Django's en_GB formats otherwise, whose times are "2:30 p.m." and whose pickers want 30/11/2026.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403
from django.conf.locale.en_GB.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
# What the admin's date pickers write (WAGTAIL_DATE_FORMAT, WAGTAIL_DATETIME_FORMAT) must read
# back; ISO dates are read as well (Django adds them).
DATE_INPUT_FORMATS = ["%d %b %Y", *DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%d %b %Y %H:%M", *DATETIME_INPUT_FORMATS]
