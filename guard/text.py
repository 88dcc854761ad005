"""What every reader-facing form needs to know of a text: whether anything in it can be seen,
and a name or title made safe to show on one line. Replies, reader letters and imported
comments share these, so a text refused in one place is refused in all."""

import unicodedata

# Letters and symbols that render as nothing although Unicode files them as visible (the
# musical "null notehead" U+1D159 is drawn blank).
_BLANK_LETTERS = set("\u115f\u1160\u180e\u2800\u3164\uffa0\U0001d159")
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}


def is_visible(char):
    return char not in _BLANK_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def has_visible_text(text):
    """False for text made only of spaces, line breaks, zero-width, bidi or control characters."""
    return any(is_visible(char) for char in text or "")


# Control, format (zero-width, bidi overrides), surrogate, private and unassigned characters:
# never part of a name or title anyone reads, and a bidi override can make one line of an email
# read as another.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def _without_hidden(text):
    return "".join(char for char in text if unicodedata.category(char) not in _HIDDEN_CATEGORIES)


# Joiners some scripts and emoji need between characters: format characters, but not hidden.
_JOINERS = set("\u200c\u200d")


def hidden_characters(text):
    """The control and format characters in `text` (joiners aside), named for an error
    message, e.g. ["U+202E RIGHT-TO-LEFT OVERRIDE"]: a title must not hold one (a bidi
    override turns the rest of a line around wherever the title is shown)."""
    found = dict.fromkeys(
        char
        for char in text or ""
        if unicodedata.category(char) in ("Cc", "Cf") and char not in _JOINERS
    )
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}" for char in found]


def clean_name(name):
    """A name as a form stores it: on one line, without control, format (zero-width, bidi) or
    private characters; a line break typed into it is dropped, as a control character."""
    return " ".join(_without_hidden(unicodedata.normalize("NFC", name or "")).split())


def one_line(text):
    """Text on one line, whitespace runs as one space, without control, format or private
    characters: a title or name in an email's subject or body cannot add a line (a header
    line break raises BadHeaderError; in a body it could pose as a line of ours), nor turn a
    line around with a bidi override, whatever the row holds."""
    return " ".join(_without_hidden(" ".join(str(text or "").split())).split())
