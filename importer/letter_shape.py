"""The letter's shape in a post's blocks (importer.content): the reader's letter after the
column's greeting, up to the pen-name signature, and the answer from "Dear <pen name>," on."""

import html
import re
from dataclasses import dataclass

from importer.content import _SPACES, Block, clean_inline, plain

# "— Second Guesser", "-Second Guesser", "~ Second Guesser", "Signed, Second Guesser"
_SIGNATURE = re.compile(
    r"^\s*(?:[-–—~]{1,3}\s*|signed,?\s+)(?P<name>[^\s\-–—~].{0,79}?)[\s.]*$", re.I
)
# A pen name alone on its line ("Second Guesser", "Second Guesser."): a signature only when
# the next paragraph opens "Dear Second Guesser".
_BARE_SIGNATURE = re.compile(r"^\s*(?P<name>[^\s\-–—~].{0,79}?)[\s.]*$")
# "Signed," (or "Sincerely,") on the line above a bare pen name.
_SIGNED = re.compile(r"^\s*(?:signed|sincerely|yours|regards)[\s,.:]*$", re.I)


@dataclass
class Letter:
    letter: list[Block]  # paragraphs
    pen_name: str
    salutation: str  # as written: "Dear Second Guesser:"
    answer: list[Block]


def _key(text):
    """Text compared loosely: case, runs of spaces, curly quotes and closing punctuation."""
    text = _SPACES.sub(" ", text.replace("’", "'").replace("‘", "'")).strip().casefold()
    return text.rstrip(" ,:;.!")


def split_letter(blocks, greeting):
    """(Letter, "") when the post follows the column's pattern, else (None, why not)."""
    wanted = _key(greeting)
    start = None
    for index, block in enumerate(blocks):
        if block.kind == "paragraph" and _key(block.line_texts[0]) == wanted:
            start = index
            break
    if start is None:
        return None, f"no greeting {greeting!r} in a paragraph of its own"
    before = blocks[:start]
    if any(block.kind != "image" for block in before):
        return None, f"text before the greeting {greeting!r}"
    moved = list(before)  # images before the answer go to its start
    opening = blocks[start].lines[1:]
    rest = ([Block("paragraph", lines=opening)] if opening else []) + blocks[start + 1 :]

    for end, block in enumerate(rest):
        if block.kind != "paragraph":
            continue
        signature = _SIGNATURE.match(block.line_texts[-1]) or _BARE_SIGNATURE.match(
            block.line_texts[-1]
        )
        if not signature:
            continue
        pen_name = signature["name"].strip()
        following = end + 1
        while following < len(rest) and rest[following].kind == "image":
            following += 1
        if following == len(rest) or rest[following].kind != "paragraph":
            continue
        salutation, remainder = _salutation(rest[following], pen_name)
        if salutation is None:
            continue
        letter = _without_sign_off(rest[:end] + [Block("paragraph", lines=block.lines[:-1])])
        if any(b.kind not in {"paragraph", "image"} for b in letter):
            return None, "the letter has a heading, a quotation or a list"
        moved += [b for b in letter if b.kind == "image"] + rest[end + 1 : following]
        letter = [b for b in letter if b.kind == "paragraph"]
        if not letter:
            return None, "the letter between the greeting and the signature is empty"
        answer = moved + remainder + rest[following + 1 :]
        if not any(b.kind != "image" for b in answer):
            return None, f"nothing after {salutation!r}"
        return Letter(letter, pen_name, salutation, answer), ""
    return None, (
        "no signature (a line like '— Pen Name', or the pen name alone) followed by "
        "'Dear Pen Name,'"
    )


def _without_sign_off(blocks):
    """The letter's blocks without a "Signed," line left above a bare pen name, or empty
    paragraphs."""
    for block in reversed(blocks):
        if block.kind != "paragraph" or not block.lines:
            continue
        if _SIGNED.match(plain(block.lines[-1])):
            block.lines = block.lines[:-1]
        break
    return [b for b in blocks if b.kind != "paragraph" or b.lines]


def _salutation(block, pen_name):
    """The salutation opening `block` ("Dear <pen name>," or ":"), and what follows it."""
    words = r"\s+".join(re.escape(word) for word in pen_name.split())
    first = block.line_texts[0]
    match = re.match(rf"\s*dear\s+{words}\s*(?:[,:]|$)", first, re.I)
    if not match:
        return None, []
    salutation = match[0].strip()
    rest_of_line = first[match.end() :].strip()
    lines = block.lines[1:]
    if rest_of_line:
        line = block.lines[0]
        prefix = html.escape(first[: match.end()], quote=False)
        kept = line[len(prefix) :] if line.startswith(prefix) else html.escape(rest_of_line)
        lines = [clean_inline(kept.strip()), *lines]
    return salutation, ([Block("paragraph", lines=lines)] if lines else [])
