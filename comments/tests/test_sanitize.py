"""comments.sanitize: ordinary replies come out readable (paragraphs, emphasis, links shown as
typed, bare addresses linked), within budgets, and the same from any thread. Pure functions:
no database. Hostile input is in test_sanitize_attacks.py.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from comments import sanitize
from comments.sanitize import POLICY_VERSION, count_links, plain_text, render_reply

REL = "nofollow ugc noopener"


def test_policy_version_is_an_int():
    assert isinstance(POLICY_VERSION, int) and POLICY_VERSION >= 1


@pytest.mark.parametrize(
    "text, html",
    [
        ("one", "<p>one</p>"),
        ("one\ntwo", "<p>one<br>\ntwo</p>"),
        ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
        ("one\r\ntwo\r\n\r\nthree\rfour", "<p>one<br>\ntwo</p>\n<p>three<br>\nfour</p>"),
        ("one\n\n\n\n\n\ntwo", "<p>one</p>\n<p>two</p>"),
        ("one\n  \t\n \ntwo", "<p>one</p>\n<p>two</p>"),
        ("  \n\n  one  \n  two  \n\n\n", "<p>one<br>\ntwo</p>"),
        ("", ""),
        (" \n\t\n ", ""),
    ],
)
def test_paragraphs_and_line_breaks(text, html):
    assert render_reply(text) == html


@pytest.mark.parametrize(
    "text, html",
    [
        ("<em>so</em> <strong>very</strong>", "<p><em>so</em> <strong>very</strong></p>"),
        ("<i>so</i> <b>very</b>", "<p><em>so</em> <strong>very</strong></p>"),
        ("<EM>loud</EM>", "<p><em>loud</em></p>"),
        ('<em class="x" id=y>so</em>', "<p><em>so</em></p>"),
        ("<em>unclosed", "<p><em>unclosed</em></p>"),
        ("<em>a\n\nb</em>", "<p><em>a</em></p>\n<p>b</p>"),
        ("</em>stray", "<p>stray</p>"),
    ],
)
def test_inline_tags(text, html):
    assert render_reply(text) == html


def test_b_onmouseover_keeps_the_text_without_the_handler():
    assert render_reply("<b onmouseover=alert(1)>hi</b>") == "<p><strong>hi</strong></p>"


@pytest.mark.parametrize(
    "text, html",
    [
        (
            '<a href="https://example.com/">bags</a>',
            f'<p>&lt;a href="<a href="https://example.com/" rel="{REL}">https://example.com/</a>'
            '"&gt;bags&lt;/a&gt;</p>',
        ),
        (
            '<a href="http://evil.example/">https://bank.example/login</a>',
            f'<p>&lt;a href="<a href="http://evil.example/" rel="{REL}">http://evil.example/</a>'
            f'"&gt;<a href="https://bank.example/login" rel="{REL}">https://bank.example/login</a>'
            "&lt;/a&gt;</p>",
        ),
        (
            "<a href='mailto:ask@example.com'>write</a>",
            "<p>&lt;a href='mailto:ask@example.com'&gt;write&lt;/a&gt;</p>",
        ),
        (
            '<a href="javascript:alert(1)">click me</a>',
            '<p>&lt;a href="javascript:alert(1)"&gt;click me&lt;/a&gt;</p>',
        ),
        ("<a>click me</a>", "<p>&lt;a&gt;click me&lt;/a&gt;</p>"),
    ],
)
def test_a_typed_link_is_shown_as_typed(text, html):
    """Link text could pose as another site: a typed <a> is text; only the web addresses in
    it are links, each showing the address it goes to."""
    assert render_reply(text) == html
    assert plain_text(text) == text  # every character the reader typed, nothing hidden


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "See https://example.com/a_(b)?c=1&d=2.",
            f'<p>See <a href="https://example.com/a_(b)?c=1&amp;d=2" rel="{REL}">'
            "https://example.com/a_(b)?c=1&amp;d=2</a>.</p>",
        ),
        (
            "(see www.example.com/guide!)",
            f'<p>(see <a href="http://www.example.com/guide" rel="{REL}">'
            "www.example.com/guide</a>!)</p>",
        ),
        (
            "<em>http://example.com</em>",
            f'<p><em><a href="http://example.com" rel="{REL}">http://example.com</a></em></p>',
        ),
        (
            "<http://example.com>",
            f'<p>&lt;<a href="http://example.com" rel="{REL}">http://example.com</a>&gt;</p>',
        ),
    ],
)
def test_bare_urls_are_linked(text, html):
    assert render_reply(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "file.txt",
        "readme.md and setup.py",
        "notes.io",
        "example.com",
        "www.example",
        "ask@example.com",
        "mailto:ask@example.com",
        "ftp://example.com",
        "xhttp://example.com",
    ],
)
def test_bare_domains_files_and_emails_are_not_linked(text):
    assert count_links(text) == 0


def test_addresses_inside_a_typed_link_show_themselves():
    text = '<a href="http://example.com">www.example.org and http://example.net</a>'
    assert count_links(text) == 3
    assert plain_text(text) == text  # every character the reader typed, none hidden


def test_script_is_shown_as_typed():
    html = render_reply("<script>alert(1)</script>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert plain_text("<script>alert(1)</script>") == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "text, html",
    [
        ("a < b & c > d", "<p>a &lt; b &amp; c &gt; d</p>"),
        ("<p>hello</p><br>", "<p>&lt;p&gt;hello&lt;/p&gt;&lt;br&gt;</p>"),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>"),
        ("<![CDATA[x]]>", "<p>&lt;![CDATA[x]]&gt;</p>"),
        ("I &lt;3 bags &amp; shoes", "<p>I &amp;lt;3 bags &amp;amp; shoes</p>"),
        ('<a href="javascript:alert(1)"', '<p>&lt;a href="javascript:alert(1)"</p>'),
        ('He said "hi" & left', '<p>He said "hi" &amp; left</p>'),
    ],
)
def test_other_markup_is_shown_as_typed(text, html):
    assert render_reply(text) == html
    assert plain_text(text) == " ".join(text.split())


def test_a_tag_must_close_on_its_own_line():
    html = render_reply('<em\n>x</em> <a href="http://x.example"\n>y</a>')
    assert html.startswith("<p>&lt;em<br>\n&gt;x ")
    assert "&lt;a href=" in html


def test_text_fast_path_matches_the_parser():
    # A paragraph with no tag and no URL skips bleach: the result must be what bleach gives.
    text = "a > b \"q\" 'x' 🙂 &amp; <3"
    with_url = render_reply(text + " http://example.com")
    assert with_url.startswith(render_reply(text)[: -len("</p>")] + " <a ")


@pytest.mark.parametrize(
    "text, html",
    [
        ("Bags 👜 and 🙂👍🏽👩‍👩‍👧", "<p>Bags 👜 and 🙂👍🏽👩‍👩‍👧</p>"),
        ("Ã©tÃ© naïve 東京 مرحبا", "<p>Ã©tÃ© naïve 東京 مرحبا</p>"),
        ("a\ud800b\udfffc", "<p>a\ufffdb\ufffdc</p>"),
        ("a\x00b\x07c\x1bd\x7fe\x85f\tg", "<p>abcdef\tg</p>"),
        ("\u202eexe.gpj\u202c and \u2067isolate\u2069", "<p>exe.gpj and isolate</p>"),
        ("private \ue000\ue001 use", "<p>private  use</p>"),
    ],
)
def test_characters(text, html):
    assert render_reply(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "A reader's long letter about handbags. " * 2_600,
        "line of text\n" * 7_700,
        "<" * 100_000,
        "&" * 100_000,
        "<b>" * 33_000,
        "<a " * 33_000,
        "http://example.com/ " * 5_000,
        "x\n\n" * 33_000,
        "<a " + "=" * 100_000 + ">",
    ],
    ids=["prose", "lines", "lt", "amp", "nesting", "open-a", "urls", "paragraphs", "equals"],
)
def test_100k_characters_render_to_a_paragraph(text):
    # How long it takes is measured by `make bench` (every one of these shapes), not here.
    html = render_reply(text[:100_000])
    assert html.startswith("<p>") and html.endswith("</p>")


def test_tags_beyond_the_budget_are_shown_as_text():
    text = "<em>x</em>" * 101
    assert render_reply(text).count("<em>") == 100
    assert render_reply(text).endswith("&lt;em&gt;x&lt;/em&gt;</p>")


@pytest.mark.parametrize(
    "text, links",
    [
        ("No links here, just example.com.", 0),
        ("One: https://example.com", 1),
        (
            '<a href="http://a.example">a</a>, www.b.example and https://c.example/x '
            '<a href="javascript:alert(1)">not a link</a>',
            3,
        ),
    ],
)
def test_count_links(text, links):
    assert count_links(text) == links
    assert count_links(text) == render_reply(text).count("<a ")


@pytest.mark.parametrize(
    "text, plain",
    [
        ("<em>Dear</em> <b>Purse</b><i>Bop</i>,\n\nthanks!", "Dear PurseBop, thanks!"),
        (
            'See <a href="http://example.com">the guide</a>.',
            'See <a href="http://example.com">the guide</a>.',
        ),
        ("a < b &amp; c", "a < b &amp; c"),
        ("one\ntwo\n\n\nthree   four", "one two three four"),
        ("x\x00y\u202ez", "xyz"),
        ("", ""),
    ],
)
def test_plain_text(text, plain):
    assert plain_text(text) == plain


def test_safe_across_threads():
    # bleach's Cleaner is not thread-safe: each thread must get its own.
    texts = [f"<em>{i}</em> http://example.com/{i} <script>{i}</script>" for i in range(400)]
    expected = [
        f'<p><em>{i}</em> <a href="http://example.com/{i}" rel="{REL}">'
        f"http://example.com/{i}</a> &lt;script&gt;{i}&lt;/script&gt;</p>"
        for i in range(400)
    ]
    sanitize.render_reply.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render_reply, texts)) == expected
