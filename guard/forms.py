"""The honeypot and the typing-time check every reader-facing form carries.

A bot fills every field it finds, the hidden honeypot included, and posts faster than anyone
can read a letter and type. `SpamDefenceMixin` works on any form that has a `honeypot` field
and says when it was opened (django_comments' forms carry a signed timestamp: comments'
ReplyForm reads it); `GuardedForm` adds both fields, with a signed "opened at" time, to a form
that has neither (reader letters).
"""

import time

from django import forms
from django.core import signing

OPENED_SALT = "guard.form-opened"


class SpamDefenceMixin:
    min_seconds_to_type = 3

    def honeypot_filled(self):
        return bool((self.data.get(self.add_prefix("honeypot")) or "").strip())

    def opened_at(self):
        """When the reader opened the form (Unix time), or None when unknown."""
        raise NotImplementedError

    def seconds_taken(self, now=None):
        opened = self.opened_at()
        return None if opened is None else (now or time.time()) - opened

    def typed_too_fast(self, now=None):
        taken = self.seconds_taken(now)
        return taken is not None and taken < self.min_seconds_to_type


def sign_opened(at=None):
    return signing.dumps(int(at if at is not None else time.time()), salt=OPENED_SALT)


class GuardedForm(SpamDefenceMixin, forms.Form):
    """A form with a honeypot and a signed "opened at" time (valid for `max_age` seconds)."""

    max_age = 2 * 60 * 60

    honeypot = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened"].initial = sign_opened()

    def opened_at(self):
        """The signed opening time, or None when it is missing, forged or too old."""
        try:
            opened = float(
                signing.loads(self.data.get(self.add_prefix("opened"), ""), salt=OPENED_SALT)
            )
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return opened if 0 <= time.time() - opened <= self.max_age else None

    def security_errors(self):
        """What makes the post a bot's or a stale page's: {"honeypot"} and/or {"opened"}."""
        errors = set()
        if self.honeypot_filled():
            errors.add("honeypot")
        if self.opened_at() is None:
            errors.add("opened")
        return errors
