"""What a reader typed under a letter, as safe HTML.

Replies are sanitised once, when saved (the model's ``save()``); the HTML is stored beside the
original text and shown as stored. Every rule lives in this module, so a switch from bleach to
nh3 is a one-file change. Bump ``POLICY_VERSION`` whenever some input's output changes: a
management command re-renders replies stored under an older version.

Policy: the input is plain text, shown as typed, except that
- blank lines separate ``<p>`` paragraphs, single newlines become ``<br>``;
- ``<em>``, ``<strong>`` are honoured, ``<i>``/``<b>`` become them; no attributes kept;
- bare web addresses are linked, showing the address itself: with a scheme (http, https) or
  ``www.``; bare domains (``readme.md``) and email addresses are not;
- every link carries exactly ``rel="nofollow ugc noopener"``.
All other markup, ``<a>`` included (link text could pose as another site), and comments, CDATA
and entities, is escaped: the reader sees what they typed.
An allowed tag must close on its own line with at most 40 attributes, and a reply honours 200
tags at most (the rest show as text): this keeps html5lib's quadratic corners out of reach. A
stray ``</em>`` is ignored, as browsers do. Removed: control characters but newline and tab,
bidi embeddings/overrides/isolates, U+E000/U+E001 (placeholders here); lone surrogates become
U+FFFD.

bleach's Cleaner is not thread-safe (its parser keeps state; see ``bleach.sanitizer.Cleaner``):
the configuration is built once at import, and each thread builds its Cleaner from it.
"""

import functools
import html
import itertools
import re
import threading

from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

POLICY_VERSION = 3

_REL = "nofollow ugc noopener"
_MAX_TAGS = 200
_LT, _AMP = "\ue000", "\ue001"  # text "<" and "&", kept away from the parser
_RENAME = {"i": "em", "b": "strong"}
# An allowed tag as html5lib tokenises it, on one line, without "<" inside and without the
# characters that are parse errors in names and bare values; any other "<" or "&" is text.
_MARKUP = re.compile(
    r"""(?P<tag></?(?:b|i|em|strong)(?=[\t />])
        (?>[\t /]+|(?>[^\t /><"'=]+   # spaces, or an attribute name, then maybe a value
            (?>[\t ]*=[\t ]*(?>"[^"<]*"|'[^'<]*'|[^\t ><"'=`]+|(?=>))|(?![\t ]*=))
        )){0,40}+>)
    |[<&]""",
    re.IGNORECASE | re.VERBOSE,
)
_URL_RE = re.compile(
    r"""(?<![@.\w])(?:https?://|www\.(?=[\w-]+\.\w))  # a scheme, or www. before a dotted host
    [\w-]+(?:\.[\w-]+)*(?::\d{1,5})?                  # host and port
    (?:[/?#](?:[^\s<>"{}|\\^`\ue000()]|\([^\s<>"{}|\\^`\ue000()]*\))*  # path, (balanced)
        (?<![!?.,;:'"*]))?                            # without trailing punctuation
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ue000\ue001]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _rel(attrs, new=False):
    href = attrs.get((None, "href"))
    if not href:
        return None
    return {(None, "href"): href, (None, "rel"): _REL, "_text": attrs.get("_text", "")}


class _Tidy(Filter):
    """Map i/b to em/strong."""

    def __iter__(self):
        for token in super().__iter__():
            if token.get("name") in _RENAME:
                token["name"] = _RENAME[token["name"]]
            yield token


_CONFIG = {
    # Links are made by the linkifier, after the sanitiser: no typed <a> reaches bleach.
    "tags": frozenset({"em", "strong", *_RENAME}),
    "attributes": {},
    "protocols": frozenset({"http", "https"}),
    "strip": False,
    "strip_comments": True,
    "filters": [_Tidy, functools.partial(LinkifyFilter, callbacks=[_rel], url_re=_URL_RE)],
}
_local = threading.local()


def _cleaner():
    if not hasattr(_local, "cleaner"):
        _local.cleaner = Cleaner(**_CONFIG)
    return _local.cleaner


def _paragraphs(text):
    text = _SURROGATE.sub("\ufffd", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    paragraph = []
    for line in [*_DROP.sub("", text).split("\n"), ""]:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            yield paragraph
            paragraph = []


@functools.lru_cache(maxsize=32)
def render_reply(text: str) -> str:
    """The reader's plain text as safe HTML: ``<p>``, ``<br>``, em, strong and links only."""
    budget = itertools.count()

    def escape(match):
        if match["tag"] and next(budget) < _MAX_TAGS:
            return match["tag"]
        return match[0].replace("&", _AMP).replace("<", _LT)

    out = []
    for lines in _paragraphs(text):
        # Tags never span lines, so every newline left after cleaning is in text.
        markup = "\n".join(_MARKUP.sub(escape, line) for line in lines)
        if "<" in markup or _URL_RE.search(markup):
            markup = _cleaner().clean(markup)
        else:  # plain text: what bleach would return, without the parse
            markup = markup.replace(">", "&gt;")
        markup = markup.replace(_LT, "&lt;").replace(_AMP, "&amp;")
        if markup.strip():
            out.append("<p>" + markup.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def count_links(text: str) -> int:
    """How many links ``render_reply(text)`` shows (typed ``<a href>`` and linked URLs)."""
    return render_reply(text).count("<a ")


def text_of(markup: str, paragraphs: bool = False) -> str:
    """The text of HTML this module made (``render_reply`` output): one line with whitespace
    collapsed, or with ``paragraphs`` its paragraphs and line breaks kept. Not HTML: escape
    it if it is ever put into a page."""

    def clean(fragment):
        return " ".join(html.unescape(re.sub(r"<[^>]*>", "", fragment)).split())

    blocks = re.findall(r"<p>(.*?)</p>", markup, flags=re.S)
    if not paragraphs:
        return " ".join(filter(None, (clean(block.replace("<br>", " ")) for block in blocks)))
    return "\n\n".join(
        "\n".join(filter(None, (clean(line) for line in block.split("<br>")))) for block in blocks
    )


def plain_text(text: str, paragraphs: bool = False) -> str:
    """What ``render_reply(text)`` shows, as plain text (see ``text_of``): for plain-text
    email, excerpts and structured data."""
    return text_of(render_reply(text), paragraphs)
