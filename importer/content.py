"""WordPress HTML into our structures, never stored raw.

A post's body becomes blocks (paragraphs, headings, quotations, lists, images): WordPress's
classic editor separates paragraphs by blank lines and lines by newlines, not always by <p>
and <br> (it adds them when it shows a post), so that paragraphing is applied here first; a
block-editor post (its `<!-- wp:... -->` markers) is already HTML. Only bold, italic, line
breaks, lists and http(s) links survive as markup, checked again by bleach with an allow-list;
scripts, styles, frames, forms and embedded media go with everything inside them.

The blocks are then split into the reader's letter and the answer (importer.letter_shape); a
comment's HTML becomes the text its author typed (importer.comment_text).
"""

import html
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import bleach.sanitizer
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

DROPPED = frozenset(
    "script style iframe frame frameset object embed applet param noscript template form input "
    "button select option textarea svg math video audio source track canvas map area head title "
    "meta link base".split()
)
CONTAINERS = frozenset(
    "p div section article header footer main aside nav center address details summary fieldset "
    "hgroup table caption thead tbody tfoot tr td th dl dt dd li".split()
)
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
BLOCKY = CONTAINERS | HEADINGS | {"ul", "ol", "blockquote", "figure", "figcaption", "pre", "hr"}
_DROPPED_NAMES = sorted(DROPPED)
BOLD, ITALIC = frozenset({"b", "strong"}), frozenset({"i", "em"})

INLINE_TAGS = frozenset({"b", "i", "a", "br"})
LIST_TAGS = INLINE_TAGS | {"ul", "ol", "li"}

_local = threading.local()
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SPACES = re.compile(r"\s+")
_WP_IMAGE = re.compile(r"\bwp-image-(\d+)\b")
_CAPTION = re.compile(
    r"\[(?:caption|wp_caption)(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:caption|wp_caption)\]",
    re.S | re.I,
)
_GALLERY = re.compile(r"\[gallery(?P<attrs>[^\]]*)\]", re.I)
_MEDIA = re.compile(
    r"\[(?P<name>embed|video|audio|playlist)\b[^\]]*\](?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.S | re.I,
)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass
class Block:
    """One block of a post. A paragraph keeps its lines (separated by <br> when shown) so a
    signature or a salutation on a line of its own can be split off."""

    kind: str  # "paragraph", "list", "heading", "quote", "image"
    lines: list[str] = field(default_factory=list)  # paragraph: sanitised HTML of each line
    html: str = ""  # list: sanitised <ul>/<ol>
    text: str = ""  # heading, quote
    attribution: str = ""  # quote
    src: str = ""  # image
    alt: str = ""
    caption: str = ""
    attachment: int | None = None

    @property
    def line_texts(self):
        return [plain(line) for line in self.lines]

    def rich_text(self):
        """Wagtail's rich-text format: <p> with <br/> between lines, or the list."""
        if self.kind == "list":
            return self.html
        return "<p>" + "<br/>".join(self.lines) + "</p>"


def plain(markup):
    """The text of sanitised inline HTML: <br> as newlines, tags dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def clean_inline(markup, tags=INLINE_TAGS):
    """The allow-list, once more: whatever the converter emits passes bleach before storing."""
    return _cleaner(tags).clean(markup)


def _cleaner(tags):
    """bleach's Cleaner is not thread-safe (see comments.sanitize): one per thread and list."""
    cleaners = _local.__dict__.setdefault("cleaners", {})
    if tags not in cleaners:
        cleaners[tags] = bleach.sanitizer.Cleaner(
            tags=tags,
            attributes={"a": ["href"]},
            protocols={"http", "https"},
            strip=True,
            strip_comments=True,
        )
    return cleaners[tags]


def _bare(url):
    return re.sub(r"^https?://", "", url.strip(), flags=re.I).rstrip("/").casefold()


def safe_href(href, base_url=""):
    """An absolute http(s) address, or "" (javascript:, data:, mailto:, anything else)."""
    href = "".join(ch for ch in (href or "") if ch > " ").strip()
    if not href or href.startswith("#"):
        return ""
    if base_url and not urlsplit(href).scheme:
        href = urljoin(base_url.rstrip("/") + "/", href)
    parts = urlsplit(href)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return href


def is_block_editor(markup):
    return "<!-- wp:" in markup


def expand_shortcodes(markup):
    """[caption] becomes a <figure>, [gallery ids=...] its images; embedded media go."""

    def caption(match):
        attrs = _attrs(match["attrs"])
        inner = match["inner"]
        text = attrs.get("caption", "")
        if text:
            inner += html.escape(text)
        return f"<figure>{inner}</figure>"

    def gallery(match):
        ids = _attrs(match["attrs"]).get("ids", "")
        return "".join(
            f'<img data-wp-attachment="{n}" src="" alt="">' for n in re.findall(r"\d+", ids)
        )

    markup = _CAPTION.sub(caption, markup)
    markup = _GALLERY.sub(gallery, markup)
    return _MEDIA.sub("", markup)


def _attrs(text):
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(text or "")}


MAX_NESTING = 100  # elements inside elements; real posts stay under 30
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class TooDeep(ValueError):
    """A post nests its markup deeper than any real post does (the parser would recurse)."""


def nesting_depth(markup, limit=MAX_NESTING):
    """How deep `markup`'s elements nest, counted on its tags before any parsing (one pass,
    no recursion), stopping at `limit` + 1: a hostile post nested thousands deep is refused
    here rather than crash the parser's recursion."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup or ""):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def blocks_of(markup, base_url=""):
    """A post's body as blocks (see the module docstring); TooDeep when its markup nests
    deeper than MAX_NESTING."""
    depth = nesting_depth(markup)
    if depth > MAX_NESTING:
        raise TooDeep(
            f"its HTML nests more than {MAX_NESTING} elements deep, which no post needs; "
            "fix it in WordPress and import again"
        )
    classic = not is_block_editor(markup)
    walker = _Walker(base_url, classic)
    walker.walk(BeautifulSoup(expand_shortcodes(markup), "html.parser"))
    walker.flush()
    return walker.blocks


class _Walker:
    def __init__(self, base_url, classic):
        self.base_url, self.classic = base_url, classic
        self.blocks = []
        self.lines = [[]]
        self.after_break = False

    # -- the paragraph being built: lines of inline HTML pieces

    def add(self, piece):
        self.lines[-1].append(piece)
        self.after_break = False

    def newline(self):
        self.lines.append([])

    def flush(self):
        """End the paragraph being built; a blank line inside it starts another."""
        current = []
        for parts in [*self.lines, []]:
            line = clean_inline(_SPACES.sub(" ", "".join(parts)).strip())
            if plain(line).strip():
                current.append(line)
            elif current:
                self.blocks.append(Block("paragraph", lines=current))
                current = []
        self.lines = [[]]
        self.after_break = False

    # -- the tree

    def walk(self, node):
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, CDATA, doctypes
                continue
            if isinstance(child, NavigableString):
                self.text(str(child))
            elif isinstance(child, Tag):
                self.element(child)

    def text(self, text):
        if not self.classic:  # block-editor HTML: newlines are only spaces
            self.add(html.escape(_SPACES.sub(" ", text), quote=False))
            return
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if self.after_break:  # "<br />\n" is one line break, not two
            text = re.sub(r"^[ \t]*\n", "", text)
        for number, segment in enumerate(text.split("\n")):
            if number:
                self.newline()
            if segment:
                self.add(html.escape(segment, quote=False))

    def element(self, tag):
        name = tag.name
        if name in DROPPED:
            return
        if name == "br":
            self.newline()
            self.after_break = True
        elif name == "img":
            self.flush()
            self.image(tag)
        elif name == "hr":
            self.flush()
        elif name in HEADINGS:
            self.flush()
            text = _text(tag)
            if text:
                self.blocks.append(Block("heading", text=text))
        elif name == "blockquote":
            self.flush()
            self.quote(tag)
        elif name in {"ul", "ol"}:
            self.flush()
            self.list(tag)
        elif name == "figure":
            self.flush()
            self.figure(tag)
        elif name == "pre":
            self.flush()
            for line in tag.get_text().split("\n"):
                self.newline()
                self.add(html.escape(line, quote=False))
            self.flush()
        elif name in CONTAINERS or name == "figcaption":
            self.flush()
            self.walk(tag)
            self.flush()
        elif self.simple_inline(tag):
            markup = self.inline(tag)
            if markup:
                self.add(markup)
        else:  # an inline element around blocks or images: its contents, unformatted
            self.walk(tag)

    def simple_inline(self, tag):
        if tag.find(list(BLOCKY | {"img"})) is not None:
            return False
        return not (self.classic and _BLANK_LINE.search(tag.get_text()))

    def inline(self, tag):
        """Inline markup with only bold, italic, http(s) links and line breaks kept."""
        inner = []
        for child in tag.children:
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                inner.append(html.escape(_SPACES.sub(" ", str(child)), quote=False))
            elif child.name == "br":
                inner.append("<br/>")
            elif child.name not in DROPPED:
                inner.append(self.inline(child))
        content = "".join(inner)
        if not plain(content).strip() and "<br" not in content:
            return content
        name = tag.name
        if name in BOLD:
            return f"<b>{content}</b>"
        if name in ITALIC:
            return f"<i>{content}</i>"
        if name == "a":
            href = safe_href(tag.get("href"), self.base_url)
            content = re.sub(r"</?a\b[^>]*>", "", content)  # no link inside a link
            return f'<a href="{html.escape(href)}">{content}</a>' if href else content
        return content

    def image(self, tag, caption=""):
        classes = " ".join(tag.get("class") or [])
        number = tag.get("data-wp-attachment") or (_WP_IMAGE.search(classes) or [None, None])[1]
        self.blocks.append(
            Block(
                "image",
                src=(tag.get("src") or "").strip(),
                alt=_SPACES.sub(" ", tag.get("alt") or "").strip(),
                caption=caption,
                attachment=int(number) if number else None,
            )
        )

    def figure(self, tag):
        image = tag.find("img")
        if image is None:
            self.walk(tag)
            self.flush()
            return
        caption_tag = tag.find("figcaption")
        if caption_tag is not None:
            caption = _text(caption_tag)
        else:
            caption = " ".join(
                _SPACES.sub(" ", str(text)).strip()
                for text in tag.find_all(string=True)
                if not isinstance(text, PreformattedString)
                and text.find_parent(_DROPPED_NAMES) is None
            ).strip()
        self.image(image, caption=caption)

    def quote(self, tag):
        cite = tag.find(["cite", "footer"])
        attribution = _text(cite) if cite is not None else ""
        if cite is not None:
            cite.extract()
        inner = _Walker(self.base_url, self.classic)
        inner.walk(tag)
        inner.flush()
        paragraphs = ["\n".join(b.line_texts) for b in inner.blocks if b.kind == "paragraph"]
        text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
        if text:
            self.blocks.append(Block("quote", text=text, attribution=attribution.lstrip("—–- ")))

    def list(self, tag):
        items = []
        for item in tag.find_all("li", recursive=False) or [tag]:
            parts = []
            for child in item.children:
                if isinstance(child, PreformattedString):
                    continue
                if isinstance(child, NavigableString):
                    parts.append(html.escape(_SPACES.sub(" ", str(child)), quote=False))
                elif child.name in {"ul", "ol"}:  # a nested list: its text, in the item
                    parts.append(" " + html.escape(_text(child), quote=False))
                elif child.name not in DROPPED:
                    parts.append(self.inline(child))
            line = clean_inline(_SPACES.sub(" ", "".join(parts)).strip(), LIST_TAGS)
            if plain(line).strip():
                items.append(f"<li>{line}</li>")
        if items:
            kind = "ol" if tag.name == "ol" else "ul"
            self.blocks.append(Block("list", html=f"<{kind}>{''.join(items)}</{kind}>"))


def _text(tag):
    """An element's visible text on one line (dropped elements' contents left out)."""
    pieces = [
        str(text)
        for text in tag.find_all(string=True)
        if not isinstance(text, PreformattedString) and text.find_parent(_DROPPED_NAMES) is None
    ]
    return _SPACES.sub(" ", "".join(pieces)).strip()
