"""The honeypot and the typing-time check every reader-facing form carries.

A bot fills every field it finds, the hidden honeypot included, and posts faster than anyone
can read a letter and type. `SpamDefenceMixin` works on any form that has a `honeypot` field
and an `opened` field holding guard's signed "opened at" value (guard.opened: a page value,
or a one-use value that is claimed when the post is stored); `GuardedForm` adds both fields to
a form that has neither (reader letters). comments' ReplyForm adds `opened` beside
django_comments' own security fields.
"""

import time

from django import forms

from guard import opened as opened_values


class SpamDefenceMixin:
    min_seconds_to_type = 3
    max_age = opened_values.MAX_AGE

    def honeypot_filled(self):
        return bool((self.data.get(self.add_prefix("honeypot")) or "").strip())

    def posted_opened_value(self):
        return self.data.get(self.add_prefix("opened"), "")

    def opened_value(self):
        """The posted "opened at" value (guard.opened.Opened), or None when it is missing,
        forged or too old."""
        return opened_values.read(self.posted_opened_value(), self.max_age)

    def opened_at(self):
        """When the reader opened the form (Unix time), or None when unknown."""
        found = self.opened_value()
        return None if found is None else found.at

    def needs_confirming(self):
        """The value cannot post by itself (a page value every reader shares, or none at all):
        the form comes back as a confirm step with a one-use value."""
        found = self.opened_value()
        return found is None or not found.one_use

    def claim_opened(self):
        """Use up the form's one-use value (inside the storing transaction); False when it
        was used already: the post comes back as a confirm step."""
        return opened_values.claim(self.opened_value())

    def renewed_opened(self):
        """A one-use value for this form sent back to the reader (guard.opened.renew)."""
        return opened_values.renew(self.posted_opened_value())

    def seconds_taken(self, now=None):
        opened = self.opened_at()
        return None if opened is None else (now or time.time()) - opened

    def typed_too_fast(self, now=None):
        taken = self.seconds_taken(now)
        return taken is not None and taken < self.min_seconds_to_type


def sign_opened(at=None, one_use=True):
    """A signed "opened at" value (guard.opened.issue): one-use unless told otherwise."""
    return opened_values.issue(at, one_use=one_use)


class GuardedForm(SpamDefenceMixin, forms.Form):
    """A form with a honeypot and a signed "opened at" value (valid for `max_age` seconds).
    It is rendered for one reader (the page holds their CSRF token too), so its value is
    one-use."""

    honeypot = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened"].initial = sign_opened()

    def security_errors(self):
        """What makes the post a bot's or a stale page's: {"honeypot"} and/or {"opened"}."""
        errors = set()
        if self.honeypot_filled():
            errors.add("honeypot")
        if self.opened_at() is None:
            errors.add("opened")
        return errors
