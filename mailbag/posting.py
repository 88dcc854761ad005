"""Sending a reader letter: guard.gate runs the checks every reader's form passes, in their
order (form defences, fields, the confirm step, typing time, block list, duplicate, the
one-use value, rate limit); this module supplies what is a letter's own: its form, its
words, the duplicate key (the same letter to the same page from any spelling of the
address), and the one write and its log entry. `submit(request, page)` returns guard.gate's
`Outcome`; mailbag.views turns it into a response.
"""

import datetime

from wagtail.log_actions import log

from guard import gate
from guard.gate import Outcome, Result
from mailbag.models import ReaderLetter

__all__ = ["Outcome", "Result", "submit"]

DUPLICATE_WINDOW = datetime.timedelta(hours=1)
# (name, count, window_seconds), per client address and per email address.
DEFAULT_LETTER_RATE_LIMITS = [("ip", 3, 60 * 60), ("ip", 10, 24 * 60 * 60), ("email", 3, 60 * 60)]

MESSAGES = gate.Messages(
    honeypot="Please leave the last field empty and send your letter again.",
    expired="This form had expired or was changed on its way to us. Your letter is still "
    "here: please check it and send it again.",
    invalid="There is a problem with your letter",
    too_fast="That was quicker than anyone can type. If you are a person, please check your "
    "letter and send it again.",
    blocked="We cannot accept letters from this address. If you think this is a mistake, "
    "please write to the editors. Your letter is below so you can keep it.",
    rate_limited="You have sent several letters in a short time (the limit is {count} in "
    "{minutes} minutes). Please wait a while and send this one again: your letter is kept "
    "below.",
)


class LetterPost(gate.ReaderPost):
    """A reader letter to a write-in page, through the gate."""

    scope = "letter"
    duplicate_window = DUPLICATE_WINDOW
    rate_limits_setting = "LETTER_RATE_LIMITS"
    default_rate_limits = DEFAULT_LETTER_RATE_LIMITS
    messages = MESSAGES

    def __init__(self, request, page):
        super().__init__(request)
        self.page = page

    def prepare(self):
        self.form = self.page.letter_form(data=self.request.POST)
        return None

    @property
    def email(self):
        return self.form.cleaned_data["email"].strip().lower()

    def duplicate_parts(self):
        return (self.page.pk, self.form.cleaned_data["letter"])

    def store(self):
        cleaned = self.form.cleaned_data
        return ReaderLetter.objects.create(
            page=self.page,
            column=self.page.get_column(),
            pen_name=cleaned["pen_name"],
            letter=cleaned["letter"],
            topic=cleaned.get("topic"),  # no topic field when the column has no topics
            email=self.email,
            notify_on_answer=cleaned["notify_on_answer"],
            consent=cleaned["consent"],
        )

    def after_store(self, stored):
        log(instance=stored, action="mailbag.received", data={"held": self.block is not None})


def submit(request, page):
    return gate.run(LetterPost(request, page))
