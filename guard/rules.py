"""The word and link rules a post is held or filed by, whatever the form: a banned word files it
as spam, a suspect word or too many links holds it for a moderator. Each app reads the words
and the limit from its own policy and maps the verdict onto its own states."""

import re
from dataclasses import dataclass

PASS = "pass"
HOLD = "hold"
SPAM = "spam"


@dataclass(frozen=True)
class Verdict:
    action: str  # PASS, HOLD or SPAM
    reason: str = ""


def word_list(text):
    """One word or phrase per line, lower-cased, blank lines ignored (how policies store them)."""
    return [line.strip().lower() for line in (text or "").splitlines() if line.strip()]


def find_word(text, words):
    """The first of `words` found in `text` as a whole word or phrase (any case), else None."""
    lowered = (text or "").lower()
    return next(
        (word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)), None
    )


def apply(text, links=0, banned=(), suspect=(), link_limit=0, block=None):
    """The rules in their order: banned word (spam), the block list's entry for the sender if
    any (a refusal that got this far is filed as spam, a hold is held), suspect word, links."""
    if word := find_word(text, banned):
        return Verdict(SPAM, f"contains the banned word “{word}”")
    if block is not None:
        kind = block.get_kind_display().lower()
        if block.refuses:
            return Verdict(SPAM, f"its {kind} is refused")
        return Verdict(HOLD, f"its {kind} is on the hold list")
    if word := find_word(text, suspect):
        return Verdict(HOLD, f"contains the suspect word “{word}”")
    if link_limit and links >= link_limit:
        return Verdict(HOLD, f"has {links} links")
    return Verdict(PASS)
