"""Reading a WordPress export (WXR, Tools → Export): the whole file is parsed and checked before
anything is written, with a parser that refuses DTDs, entity declarations and external
references (defusedxml), so an entity bomb or a file that fetches from the network is refused
rather than expanded. A WordPress export never has a DTD.

What comes out is plain data (`Export`, `Post`, `Comment`, ...), not XML elements.
"""

import datetime
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree.ElementTree import TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

# WordPress writes its namespace as http://wordpress.org/export/<version>/ (WXR 1.0, 1.1, 1.2);
# WordPress.com and later exports write https://. The version is not checked: the fields read
# here are the same in all three.
WP_NAMESPACE = re.compile(r"\{https?://wordpress\.org/export/(1\.[0-9]+)/\}")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
NO_DATE = "0000-00-00 00:00:00"
CHUNK = 1 << 20


class ExportError(Exception):
    """The export cannot be imported; the message says why, and where when it can."""


@dataclass
class Author:
    id: int
    login: str
    email: str
    display_name: str


@dataclass
class Term:
    domain: str  # "category" or "post_tag" (others are ignored)
    slug: str
    name: str


@dataclass
class Comment:
    id: int
    line: int
    author: str
    email: str
    url: str
    ip: str
    date: datetime.datetime  # aware, UTC
    content: str
    approved: str  # "1", "0", "spam", "trash", "post-trashed"
    type: str  # "comment" or "" for a comment; "pingback", "trackback", ...
    parent: int
    user_id: int


@dataclass
class Post:
    id: int
    line: int
    type: str
    status: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    date: datetime.datetime | None  # local time as WordPress shows it (permalinks use it)
    date_gmt: datetime.datetime | None  # aware, UTC
    name: str  # the slug, percent-encoded as WordPress stores it
    parent: int
    password: str
    attachment_url: str
    comment_status: str  # "closed" when WordPress took no more comments
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def published_at(self):
        """When it was published, in UTC (the GMT date; the local one when WordPress left
        the GMT date empty, as it does for drafts)."""
        if self.date_gmt is not None:
            return self.date_gmt
        return self.date.replace(tzinfo=datetime.UTC) if self.date else None

    def term_slugs(self, domain):
        return [term.slug for term in self.terms if term.domain == domain]


@dataclass
class Export:
    path: str
    title: str
    site_url: str  # wp:base_blog_url, else the channel's link
    authors: dict[str, Author]  # by login, which is what an item's dc:creator holds
    posts: list[Post]  # post_type "post", in file order
    attachments: dict[int, Post]
    other_types: dict[str, int]  # pages, menu items, ...: how many of each, not imported


def read_export(path):
    """Parse and check the export at `path`: an `Export`, or `ExportError` naming the line."""
    root, lines = _parse(path)
    if _local(root.tag) != "rss" or root.find("channel") is None:
        raise ExportError(f"{path} is not a WordPress export: it has no <rss><channel>.")
    channel = root.find("channel")
    wp = _wp_namespace(channel)
    if wp is None:
        raise ExportError(
            f"{path} is not a WordPress export: its channel has no wp:wxr_version "
            "(namespace https://wordpress.org/export/1.2/, or http://, for WXR 1.0 to 1.2)."
        )
    reader = _Reader(path, wp, lines)
    authors = {}
    for element in channel.findall(wp + "author"):
        author = Author(
            id=reader.integer(element, "author_id", default=0),
            login=reader.text(element, "author_login"),
            email=reader.text(element, "author_email"),
            display_name=html.unescape(reader.text(element, "author_display_name")),
        )
        authors[author.login] = author
    posts, attachments, other = [], {}, {}
    for element in channel.findall("item"):
        post = reader.post(element)
        if post.type == "post":
            posts.append(post)
        elif post.type == "attachment":
            attachments[post.id] = post
        else:
            other[post.type] = other.get(post.type, 0) + 1
    seen = set()
    for post in posts:
        if post.id in seen:
            raise ExportError(f"{path}, line {post.line}: post {post.id} appears twice.")
        seen.add(post.id)
    return Export(
        path=str(path),
        title=(channel.findtext("title") or "").strip(),
        site_url=(channel.findtext(wp + "base_blog_url") or channel.findtext("link") or "").strip(),
        authors=authors,
        posts=posts,
        attachments=attachments,
        other_types=other,
    )


def site_key(url):
    """How a WordPress site is named in the import records: its host and path, lower case,
    without scheme or trailing slash ("old.example", "old.example/blog")."""
    parts = urlsplit(url.strip() if "//" in url else f"//{url.strip()}")
    return (parts.netloc + parts.path.rstrip("/")).lower()


# --- parsing ----------------------------------------------------------------------------------


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line where each item and comment starts, for messages."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        if tag == "item" or tag.endswith("}comment"):
            self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


class _Parser(DefusedXMLParser):
    """defusedxml's parser with everything forbidden, remembering where a DTD was declared."""

    doctype_line = None

    def defused_start_doctype_decl(self, name, sysid, pubid, has_internal_subset):
        self.doctype_line = self.parser.CurrentLineNumber
        super().defused_start_doctype_decl(name, sysid, pubid, has_internal_subset)


def _parse(path):
    builder = _LineBuilder()
    parser = _Parser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                parser.feed(chunk)
        root = parser.close()
    except OSError as error:
        raise ExportError(f"Cannot read {path}: {error.strerror or error}.") from error
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(": line")[0]
        raise ExportError(
            f"{path} is not well-formed XML: {reason} at line {line}, column {column + 1}. "
            "Nothing was imported."
        ) from error
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        where = f" (line {parser.doctype_line})" if parser.doctype_line else ""
        raise ExportError(
            f"{path} is refused: it declares a document type{where}, which a WordPress export "
            "never has; DTDs, entity declarations (such as an entity bomb) and external "
            "references are not read. Nothing was imported."
        ) from error
    return root, builder.lines


def _local(tag):
    return tag.rpartition("}")[2]


def _wp_namespace(channel):
    """The `{…}` prefix of the export's wp: elements, taken from its wp:wxr_version."""
    for child in channel:
        match = WP_NAMESPACE.match(child.tag)
        if match and _local(child.tag) == "wxr_version":
            return match.group(0)
    return None


def _excerpt(element):
    """An item's excerpt:encoded, whatever the excerpt module's namespace: WordPress writes it
    beside the wp: namespace (http or https, 1.0 to 1.2), and exports without the excerpt
    module have none."""
    for child in element:
        if (
            _local(child.tag) == "encoded"
            and child.tag.startswith("{")
            and (child.tag.partition("}")[0].rstrip("/").endswith("/excerpt"))
        ):
            return child.text or ""
    return ""


class _Reader:
    """Fields of items and comments, with errors that name the line."""

    def __init__(self, path, wp, lines):
        self.path, self.wp, self.lines = path, wp, lines

    def fail(self, element, message):
        line = self.lines.get(element)
        where = f", line {line}" if line else ""
        raise ExportError(f"{self.path}{where}: {message}. Nothing was imported.")

    def text(self, element, name):
        return (element.findtext(self.wp + name) or "").strip()

    def integer(self, element, name, default=None):
        value = self.text(element, name)
        if not value and default is not None:
            return default
        try:
            number = int(value)
        except ValueError:
            self.fail(element, f"wp:{name} should be a whole number, not {value!r}")
        if number < 0:
            self.fail(element, f"wp:{name} should not be negative ({number})")
        return number

    def date(self, element, name, utc=False):
        value = self.text(element, name)
        if not value or value == NO_DATE:
            return None
        try:
            moment = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            self.fail(
                element, f"wp:{name} should be a date like 2024-05-03 14:00:00, not {value!r}"
            )
        return moment.replace(tzinfo=datetime.UTC) if utc else moment

    def post(self, element):
        post_id = self.integer(element, "post_id")
        terms = [
            Term(
                domain=category.get("domain", ""),
                slug=(category.get("nicename") or "").strip(),
                name=html.unescape((category.text or "").strip()),
            )
            for category in element.findall("category")
        ]
        meta = {}
        for item in element.findall(self.wp + "postmeta"):
            meta[self.text(item, "meta_key")] = self.text(item, "meta_value")
        post = Post(
            id=post_id,
            line=self.lines.get(element, 0),
            type=self.text(element, "post_type") or "post",
            status=self.text(element, "status"),
            title=(element.findtext("title") or "").strip(),
            link=(element.findtext("link") or "").strip(),
            creator=(element.findtext(DC_CREATOR) or "").strip(),
            content=element.findtext(CONTENT) or "",
            excerpt=_excerpt(element),
            date=self.date(element, "post_date"),
            date_gmt=self.date(element, "post_date_gmt", utc=True),
            name=self.text(element, "post_name"),
            parent=self.integer(element, "post_parent", default=0),
            password=self.text(element, "post_password"),
            attachment_url=self.text(element, "attachment_url"),
            comment_status=self.text(element, "comment_status"),
            terms=terms,
            meta=meta,
        )
        if post.type == "post" and post.published_at is None and post.status == "publish":
            self.fail(element, f"published post {post_id} has no wp:post_date")
        post.comments = [self.comment(item, post) for item in element.findall(self.wp + "comment")]
        return post

    def comment(self, element, post):
        date = self.date(element, "comment_date_gmt", utc=True) or self.date(
            element, "comment_date", utc=True
        )
        if date is None:
            self.fail(element, f"a comment on post {post.id} has no wp:comment_date")
        return Comment(
            id=self.integer(element, "comment_id"),
            line=self.lines.get(element, 0),
            author=self.text(element, "comment_author"),
            email=self.text(element, "comment_author_email"),
            url=self.text(element, "comment_author_url"),
            ip=self.text(element, "comment_author_IP"),
            date=date,
            content=element.findtext(self.wp + "comment_content") or "",
            approved=self.text(element, "comment_approved"),
            type=self.text(element, "comment_type"),
            parent=self.integer(element, "comment_parent", default=0),
            user_id=self.integer(element, "comment_user_id", default=0),
        )
