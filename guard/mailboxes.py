"""Email addresses as the spam defences count them.

One mailbox can be typed many ways: `Blocked@Example.com`, `"blocked"@example.com`,
`blocked+anything@example.com`, and, with an invisible format character (a zero-width space, a
soft hyphen, a word joiner, a byte-order mark), ways that look the same and that mail servers
still deliver. So:

- an address holding a format character (Unicode category Cf) is refused where it is typed
  (`AddressField`), with a plain message; nobody types one on purpose;
- `key()` folds the rest (quotes removed, case folded, plus-tag dropped) into the one key the
  block list, the rate limits and the duplicate check use.

Only those defences fold. Trust, follow-ups, passes and delivery keep the address exactly as it
was confirmed: folding there would let `alice+x@…` vouch for `alice@…`.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

FORMAT_CHARACTER_MESSAGE = (
    "Your email address holds an invisible character (such as a zero-width space) that we "
    "cannot accept. Please type the address again by hand: the rest of the form is kept."
)


def has_format_characters(text):
    return any(unicodedata.category(char) == "Cf" for char in text or "")


def refuse_format_characters(value):
    """A validator: an address with a format character in it is refused, whatever else."""
    if has_format_characters(value):
        raise ValidationError(FORMAT_CHARACTER_MESSAGE, code="format_characters")


class AddressField(forms.EmailField):
    """An email field that refuses format characters first and alone (Django's own check
    would pass most of them in the domain, and say only "invalid" of the rest)."""

    def run_validators(self, value):
        refuse_format_characters(value)
        super().run_validators(value)


def key(email):
    """The block list's, rate limits' and duplicate check's key for an address: format
    characters dropped (rows stored before they were refused), quotes and backslashes of the
    local part removed, the plus-tag dropped, both parts case-folded."""
    text = "".join(
        char
        for char in unicodedata.normalize("NFC", email or "")
        if unicodedata.category(char) != "Cf"
    ).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.casefold()
    local = local.replace('"', "").replace("\\", "")
    local = local.split("+", 1)[0] or local
    return f"{local.casefold()}@{domain.casefold().rstrip('.')}"
