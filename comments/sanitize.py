"""What a reader typed under a letter, turned into safe HTML (docs/DESIGN.md §1 and §4).

A reply is sanitised once, when it is saved (the model's ``save()``), and the HTML is stored
beside the reader's original text; pages show the stored HTML as it is. Every rule about what
reader HTML may contain lives in this one module, so a switch from bleach to nh3 is a one-file
change. Bump ``POLICY_VERSION`` whenever the output for some input changes: a management command
re-renders the replies stored under an older version.

The policy. The input is plain text:
- blank lines separate ``<p>`` paragraphs, single newlines become ``<br>``;
- ``<em>`` and ``<strong>`` are honoured; ``<i>``/``<b>`` become ``<em>``/``<strong>``;
  none keeps an attribute;
- ``<a href>`` is honoured only for a literal ``http://``, ``https://`` or ``mailto:`` URL; an
  ``<a>`` with any other href (entity-encoded, relative, ``javascript:``...) or none is unwrapped
  to its text;
- bare URLs are linked only with a scheme (``http://``, ``https://``) or a ``www.`` prefix:
  never bare domains (``readme.md``, ``notes.io``) nor email addresses;
- every link carries ``rel="nofollow ugc noopener"`` and no other attribute;
- any other markup (``<script>``, ``<p>``, comments, CDATA, doctypes) is shown escaped, as typed;
- control characters other than newline and tab, and bidi embeddings/overrides/isolates are
  removed; lone surrogates become U+FFFD.

bleach's Cleaner is not thread-safe (its html5lib parser keeps state: see the warning in
``bleach.sanitizer.Cleaner``), so the configuration is built once at import and each thread
builds its own Cleaner from it on first use.
"""

import functools
import html
import re
import threading

from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

POLICY_VERSION = 1

REL = "nofollow ugc noopener"
_RENAME = {"i": "em", "b": "strong"}
_SAFE_HREF = re.compile(r"(?:https?://|mailto:)[^\s\"<>]+\Z", re.IGNORECASE)
_URL_RE = re.compile(
    r"""(?<![@.\w])(?:https?://|www\.(?=[\w-]+\.\w))  # a scheme, or www. before a dotted host
    [\w-]+(?:\.[\w-]+)*(?::\d{1,5})?                  # host and port
    (?:[/?#][^\s<>"{}|\\^`]*(?<![!?;:'"*]))?          # path, without trailing punctuation
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What html5lib would turn into a comment (dropped): escape it so the reader sees what they typed.
_BOGUS_COMMENT = re.compile(r"<(?=[!?]|/(?![A-Za-z]))")


def _href_allowed(tag, name, value):
    return name == "href" and bool(_SAFE_HREF.match(value))


def _rel(attrs, new=False):
    href = attrs.get((None, "href"))
    if not href:
        return None
    return {(None, "href"): href, (None, "rel"): REL, "_text": attrs.get("_text", "")}


class _Tidy(Filter):
    """Map i/b to em/strong and unwrap every <a> the sanitiser left without an href."""

    def __iter__(self):
        kept = []
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name in _RENAME:
                token["name"] = _RENAME[name]
            elif name == "a" and kind == "StartTag":
                kept.append((None, "href") in (token.get("data") or {}))
                if not kept[-1]:
                    continue
            elif name == "a" and kind == "EndTag" and not (kept.pop() if kept else False):
                continue
            yield token


_REPLY = {
    "tags": frozenset({"a", "em", "strong", *_RENAME}),
    "attributes": {"a": _href_allowed},
    "protocols": frozenset({"http", "https", "mailto"}),
    "strip": False,
    "strip_comments": True,
    "filters": [_Tidy, functools.partial(LinkifyFilter, callbacks=[_rel], url_re=_URL_RE)],
}
_PLAIN = {"tags": frozenset(), "attributes": {}, "strip": True, "strip_comments": True}
_local = threading.local()


def _cleaner(config):
    cleaners = _local.__dict__.setdefault("cleaners", {})
    if id(config) not in cleaners:
        cleaners[id(config)] = Cleaner(**config)
    return cleaners[id(config)]


def _normalise(text):
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _DROP.sub("", _SURROGATE.sub("\ufffd", text))


def _paragraphs(text):
    paragraph = []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            yield "\n".join(paragraph)
            paragraph = []


def render_reply(text: str) -> str:
    """The reader's plain text as safe HTML: ``<p>``, ``<br>``, em, strong and links only."""
    cleaner = _cleaner(_REPLY)
    out = []
    for paragraph in _paragraphs(_normalise(text)):
        cleaned = cleaner.clean(_BOGUS_COMMENT.sub("&lt;", paragraph))
        if cleaned.strip():
            out.append("<p>" + cleaned.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def count_links(text: str) -> int:
    """How many links ``render_reply(text)`` contains (typed ``<a>`` and linked URLs)."""
    return render_reply(text).count("<a ")


def plain_text(text: str) -> str:
    """The reader's text without any markup, whitespace collapsed: for plain-text email and
    excerpts. Not HTML: escape it (autoescape) if it is ever put into a page."""
    stripped = _cleaner(_PLAIN).clean(_normalise(text))
    return " ".join(_normalise(html.unescape(stripped)).split())
