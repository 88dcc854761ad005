"""The answer as its email carries it: whole, or up to the paragraph the editor chose
(`EmailCut`), then "Read on".

Paragraphs are counted as readers see them: each paragraph or list of a paragraph block (one
block may hold several), never a heading, quote or picture, which come along when they stand
before the cut. The cut falls between whole elements of the editor's rich text, each kept as
Wagtail stores it, so the email's HTML is never split inside a tag.
"""

from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from guard.text import one_line

PARAGRAPH_BLOCK = "paragraph"


def email_cut(letter):
    """The editor's cut of `letter` (the live page's or, for a preview, the draft's in memory),
    or None for the whole answer."""
    cut = next(iter(letter.newsletter_email_cut.all()), None)
    return cut.paragraphs if cut is not None else None


def rich_text_parts(source):
    """The top-level elements of a rich-text value's stored HTML, each as HTML (loose text
    becomes a paragraph of its own)."""
    parts = []
    for node in BeautifulSoup(source or "", "html.parser").contents:
        if isinstance(node, Tag):
            parts.append(str(node))
        elif isinstance(node, NavigableString) and node.strip():
            parts.append(f"<p>{node.strip()}</p>")
    return parts


def cut_answer(answer, paragraphs):
    """(answer kept, cut): the answer's StreamValue with its first `paragraphs` paragraphs and
    what stands before them, and whether anything was left out. None keeps it whole."""
    if paragraphs is None or not answer:
        return answer, False
    kept, left = [], paragraphs
    for child in answer:
        if child.block_type != PARAGRAPH_BLOCK:
            if left == 0:
                return _stream(answer, kept), True
            kept.append((child.block_type, child.value, child.id))
            continue
        parts = rich_text_parts(child.value.source)
        if left == 0 and parts:
            return _stream(answer, kept), True
        if len(parts) > left:
            kept.append((PARAGRAPH_BLOCK, RichText("".join(parts[:left])), child.id))
            return _stream(answer, kept), True
        left -= len(parts)
        kept.append((child.block_type, child.value, child.id))
    return answer, False


def _stream(answer, kept):
    return StreamValue(answer.stream_block, kept, is_lazy=False)


def plain_text(html):
    """Editor-written HTML as plain text for the email's text part: a blank line between
    paragraphs, a list's items one a line; never HTML, and no control or format character."""
    soup = BeautifulSoup(html or "", "html.parser")
    for item in soup.find_all("li"):
        item.insert(0, "- ")
        item.append("\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = []
    for element in soup.find_all(["p", "ul", "ol", "h2", "h3", "h4", "blockquote", "figcaption"]):
        if element.find_parent(["p", "ul", "ol", "blockquote"]) is not None:
            continue  # its text is its parent's
        # Each line as guard.text.one_line leaves it: the letter began as a reader's, and the
        # email prints this with escaping off, so no control or bidi character survives.
        lines = (one_line(line) for line in element.get_text().split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)
