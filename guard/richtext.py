"""Links and embeds in stored rich text, checked before they are saved and repaired after.

Wagtail stores a link to a page as `<a linktype="page" id="42">` and an image as
`<embed embedtype="image" id="7" .../>`; its front end and its editor look the id up in the
database, and an id that is not a number (`id="abc"`, posted in the editor's JSON) raised
there: one such link in the reply policy's guidelines took down every letter page. Every
rich-text field and rich-text block runs `validate_rich_text` on save; the tolerant handlers
(registered in `guard.wagtail_hooks`) render a bad one already stored as plain text; and
`manage.py repair_rich_text` unwraps the stored ones with `repair`.
"""

import re

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.rich_text import features
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

# The largest id any of our tables can hold on every database (PostgreSQL's `integer`).
LARGEST_ID = 2**31 - 1

# A link with its text: Wagtail's stored HTML never nests links, so the next </a> closes it.
_LINK = re.compile(r"<a(\b[^>]*)>(.*?)</a>", re.DOTALL)
_DIGITS = re.compile(r"[1-9][0-9]{0,9}")
# Embeds addressed by URL rather than by id.
_EMBEDS_BY_URL = {"media"}


def is_valid_id(value):
    """True for the id of a row: a positive whole number our tables can hold."""
    return isinstance(value, str) and bool(_DIGITS.fullmatch(value)) and int(value) <= LARGEST_ID


def link_problem(attrs):
    """What is wrong with a stored link's attributes, in words, or None when it is sound.
    Links without a linktype (plain web, email and anchor addresses) are not ours to judge."""
    linktype = attrs.get("linktype")
    if linktype is None:
        return None
    if linktype not in features.get_link_types():
        return f"a link of an unknown kind (“{linktype}”)"
    if not is_valid_id(attrs.get("id")):
        return f"a link to {linktype} “{attrs.get('id', '')}”, which is not a {linktype} number"
    return None


def embed_problem(attrs):
    """What is wrong with a stored embed's attributes, in words, or None when it is sound."""
    embedtype = attrs.get("embedtype")
    if embedtype not in features.get_embed_types():
        return f"an embedded item of an unknown kind (“{embedtype or ''}”)"
    if embedtype in _EMBEDS_BY_URL:
        if not attrs.get("url", "").startswith(("https://", "http://")):
            return f"an embedded {embedtype} without a web address"
    elif not is_valid_id(attrs.get("id")):
        return (
            f"an embedded {embedtype} “{attrs.get('id', '')}”, which is not an {embedtype} number"
        )
    return None


def problems(html):
    """Every bad link and embed in stored rich text, described in words."""
    found = [link_problem(extract_attrs(match.group(1))) for match in _LINK.finditer(html or "")]
    found += [embed_problem(extract_attrs(attrs)) for attrs in FIND_EMBED_TAG.findall(html or "")]
    return [problem for problem in found if problem]


def validate_rich_text(value):
    """The validator of every rich-text field and block: refuses bad links and embeds, saying
    which, so the editor can choose the page again (their text is kept in the form)."""
    source = getattr(value, "source", value)  # a RichTextBlock's value is a RichText
    found = problems(source)
    if found:
        raise ValidationError(
            "This text holds %(what)s. Remove that link or item and add it again with the "
            "editor’s chooser.",
            code="bad_rich_text_entity",
            params={"what": "; ".join(found)},
        )


def repair(html):
    """(the text with every bad link unwrapped, its words kept, and every bad embed removed,
    the problems found). Sound links and embeds are left exactly as they were."""
    found = []

    def unwrap(match):
        problem = link_problem(extract_attrs(match.group(1)))
        if problem is None:
            return match.group(0)
        found.append(problem)
        return match.group(2)

    def drop(match):
        problem = embed_problem(extract_attrs(match.group(1)))
        if problem is None:
            return match.group(0)
        found.append(problem)
        return ""

    repaired = FIND_EMBED_TAG.sub(drop, _LINK.sub(unwrap, html or ""))
    return repaired, found


def _only_valid_ids(get_many):
    """Wrap a handler's get_many so rows are looked up for valid ids only (None for the rest):
    Wagtail's own filter(id__in=["abc"]) raised ValueError while rendering the page."""

    def tolerant_get_many(cls, attrs_list):
        valid = [attrs for attrs in attrs_list if is_valid_id(attrs.get("id"))]
        found = iter(get_many.__func__(cls, valid) if valid else [])
        return [next(found) if is_valid_id(a.get("id")) else None for a in attrs_list]

    return classmethod(tolerant_get_many)


def tolerant(handler):
    """A subclass of Wagtail's front-end link or embed handler that renders a bad id as its
    plain text (an `<a>` without an address) or nothing (an embed), instead of raising."""
    return type(
        f"Tolerant{handler.__name__}",
        (handler,),
        {
            "get_many": _only_valid_ids(handler.get_many),
            "extract_references": classmethod(
                lambda cls, attrs: (
                    handler.extract_references(attrs) if is_valid_id(attrs.get("id")) else []
                )
            ),
        },
    )


def repair_stream_value(block, value):
    """(a StreamField's raw stored data with `repair` applied to every rich-text block inside
    it, at any depth, the problems found). The data is copied, never changed in place."""
    if isinstance(block, blocks.RichTextBlock):
        return repair(value) if isinstance(value, str) else (value, [])
    found = []
    if isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        repaired = []
        for item in value:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is None:
                repaired.append(item)
                continue
            inner, problems_inside = repair_stream_value(child, item.get("value"))
            repaired.append({**item, "value": inner})
            found += problems_inside
        return repaired, found
    if isinstance(block, blocks.ListBlock) and isinstance(value, list):
        repaired = []
        for item in value:
            # Stored as {"type": "item", "value": …, "id": …}, or bare values before Wagtail 2.16.
            wrapped = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            inner, problems_inside = repair_stream_value(
                block.child_block, item["value"] if wrapped else item
            )
            repaired.append({**item, "value": inner} if wrapped else inner)
            found += problems_inside
        return repaired, found
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        repaired = dict(value)
        for name, child in block.child_blocks.items():
            if name in value:
                repaired[name], problems_inside = repair_stream_value(child, value[name])
                found += problems_inside
        return repaired, found
    return value, found
