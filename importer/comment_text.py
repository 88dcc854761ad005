"""A comment's HTML as the plain text its author typed, which our sanitiser renders like any
reply: WordPress stores comments as HTML."""

import html
import re

from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString

from importer.content import BLOCKY, DROPPED, MAX_NESTING, _bare, _text, nesting_depth, safe_href


def comment_text(markup):
    """A comment's HTML as the plain text its author typed: paragraphs as blank lines, line
    breaks as newlines, entities decoded, tags dropped (scripts and styles with their
    contents), a link as its text and its http(s) address. Markup nested deeper than
    MAX_NESTING is read as its text alone."""
    pieces = []
    if nesting_depth(markup) > MAX_NESTING:
        markup = html.escape(html.unescape(re.sub(r"<[^>]*>", " ", markup or "")))

    def walk(node):
        for child in node.children:
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                pieces.append(str(child))
                continue
            name = child.name
            if name in DROPPED or name == "img":
                continue
            if name == "br":
                pieces.append("\n")
            elif name == "a":
                text = _text(child)
                href = safe_href(child.get("href"))
                if href and text and _bare(text) != _bare(href):
                    pieces.append(f"{text} ({href})")
                else:
                    pieces.append(href or text)
            elif name in BLOCKY:
                pieces.append("\n\n")
                walk(child)
                pieces.append("\n\n")
            else:
                walk(child)

    walk(BeautifulSoup(markup or "", "html.parser"))
    text = "".join(pieces).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
