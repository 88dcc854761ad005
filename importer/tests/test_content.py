"""WordPress HTML into our structures (importer.content): paragraphing as WordPress shows it,
only bold, italic, lists and http(s) links kept, the letter and the answer split by the
column's pattern, and comments turned back into the text their authors typed."""

import pytest

from comments.sanitize import render_reply
from importer.comment_text import comment_text
from importer.content import blocks_of
from importer.letter_shape import split_letter

GREETING = "Dear PurseBop,"


def kinds(blocks):
    return [block.kind for block in blocks]


def html_of(blocks):
    return [block.rich_text() for block in blocks if block.kind in {"paragraph", "list"}]


def test_blank_lines_make_paragraphs_and_newlines_line_breaks():
    blocks = blocks_of("One line\nthe next line\n\n\nA second paragraph.<br />\nIts second line.")
    assert html_of(blocks) == [
        "<p>One line<br/>the next line</p>",
        "<p>A second paragraph.<br/>Its second line.</p>",
    ]


def test_block_editor_html_keeps_its_paragraphs_and_ignores_its_newlines():
    markup = (
        "<!-- wp:paragraph -->\n<p>First\nparagraph.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:paragraph -->\n<p><strong>Second</strong> <em>one</em>.</p>\n"
        "<!-- /wp:paragraph -->"
    )
    assert html_of(blocks_of(markup)) == [
        "<p>First paragraph.</p>",
        "<p><b>Second</b> <i>one</i>.</p>",
    ]


def test_only_bold_italic_breaks_and_http_links_survive():
    markup = (
        '<p onclick="steal()">A <strong style="color:red">bold</strong>, <u>plain</u>, '
        '<a href="javascript:alert(1)">script link</a>, <a href=" JaVaScRiPt:alert(1)">again</a>, '
        '<a href="data:text/html,x">data</a>, <a href="mailto:a@b.example">mail</a>, '
        '<a href="https://shop.example/?a=1&amp;b=2" onmouseover="x()">a real link</a>, '
        '<a href="/care/">a relative one</a>.</p>'
        "<script>alert('x')</script><style>p { color: red }</style>"
        '<iframe src="https://video.example/"></iframe><object data="x.swf"></object>'
        "<form><input name=q></form><svg onload=alert(1)><circle/></svg>"
    )
    (block,) = blocks_of(markup, base_url="https://old.example")
    assert block.rich_text() == (
        "<p>A <b>bold</b>, plain, script link, again, data, mail, "
        '<a href="https://shop.example/?a=1&amp;b=2">a real link</a>, '
        '<a href="https://old.example/care/">a relative one</a>.</p>'
    )


def test_headings_quotes_lists_and_captioned_images_become_their_own_blocks():
    markup = (
        "Intro paragraph.\n\n<h2>A <em>subheading</em></h2>\n"
        "<blockquote><p>Leather forgives.</p><p>Mostly.</p><cite>— A saddler</cite></blockquote>\n"
        "<ol><li>First <b>step</b></li><li>Second<ul><li>nested</li></ul></li></ol>\n"
        '[caption id="attachment_7" width="300"]<a href="big.png"><img class="wp-image-7" '
        'src="https://old.example/wp-content/uploads/2024/05/a.png" alt="A bag" /></a> '
        "A captioned bag.[/caption]\n\n"
        '<p>Text around <img src="https://old.example/wp-content/uploads/b-300x200.png" alt=""> '
        "an image.</p>"
        '[gallery ids="8,9"][embed]https://video.example/1[/embed]'
    )
    blocks = blocks_of(markup)
    assert kinds(blocks) == [
        "paragraph",
        "heading",
        "quote",
        "list",
        "image",
        "paragraph",
        "image",
        "paragraph",
        "image",
        "image",
    ]
    heading, quote, listing, figure = blocks[1:5]
    assert heading.text == "A subheading"
    assert (quote.text, quote.attribution) == ("Leather forgives.\n\nMostly.", "A saddler")
    assert listing.html == "<ol><li>First <b>step</b></li><li>Second nested</li></ol>"
    assert (figure.src, figure.alt, figure.caption, figure.attachment) == (
        "https://old.example/wp-content/uploads/2024/05/a.png",
        "A bag",
        "A captioned bag.",
        7,
    )
    assert [blocks[5].lines, blocks[7].lines] == [["Text around"], ["an image."]]
    assert [block.attachment for block in blocks[8:]] == [8, 9]
    assert "video.example" not in str(blocks)


def test_a_letter_in_the_pattern_is_split_into_letter_pen_name_salutation_and_answer():
    markup = (
        "Dear PurseBop,\n\nI bought a <em>tan</em> bag.\nIt scratched.\n— Scratched in Seattle\n\n"
        "Dear Scratched in Seattle:\n\nBreathe.\n\nThen condition it."
    )
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert why == ""
    assert html_of(letter.letter) == ["<p>I bought a <i>tan</i> bag.<br/>It scratched.</p>"]
    assert (letter.pen_name, letter.salutation) == (
        "Scratched in Seattle",
        "Dear Scratched in Seattle:",
    )
    assert html_of(letter.answer) == ["<p>Breathe.</p>", "<p>Then condition it.</p>"]


@pytest.mark.parametrize(
    "greeting, signature, salutation",
    [
        ("Dear PurseBop,", "— Second Guesser", "Dear Second Guesser:"),
        ("dear pursebop", "-Second Guesser", "Dear Second Guesser,"),
        ("DEAR PURSEBOP:", "Signed, Second Guesser", "dear second guesser:"),
        ("Dear PurseBop,", "–  Second Guesser.", "Dear Second Guesser,"),
        ("Dear PurseBop,", "~ Second Guesser", "Dear  Second  Guesser:"),
    ],
)
def test_greetings_signatures_and_salutations_are_matched_loosely(greeting, signature, salutation):
    markup = f"{greeting}\n\nShould I wait?\n\n{signature}\n\n{salutation}\n\nYes."
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert why == ""
    assert (letter.pen_name, letter.salutation) == ("Second Guesser", " ".join(salutation.split()))
    assert html_of(letter.letter) == ["<p>Should I wait?</p>"]
    assert html_of(letter.answer) == ["<p>Yes.</p>"]


def test_the_answer_may_start_on_the_salutations_line_and_images_move_to_the_answer():
    markup = (
        '<img src="https://old.example/wp-content/uploads/top.png" alt="top">\n\n'
        "Dear PurseBop,\n\nMy question.\n\n— Asker\n\n"
        '<img src="https://old.example/wp-content/uploads/mid.png" alt="mid">\n\n'
        "Dear Asker: <b>Short</b> answer.\n\nMore."
    )
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert why == ""
    assert [block.alt for block in letter.answer if block.kind == "image"] == ["top", "mid"]
    assert html_of(letter.answer) == ["<p><b>Short</b> answer.</p>", "<p>More.</p>"]


def test_a_dash_inside_the_letter_is_not_taken_for_the_signature():
    markup = (
        "Dear PurseBop,\n\nMy bag:\n- black\n- small\n\nWhat now?\n— Unsure\n\n"
        "Dear Unsure,\n\nKeep it."
    )
    letter, _ = split_letter(blocks_of(markup), GREETING)
    assert letter.pen_name == "Unsure"
    assert html_of(letter.letter) == ["<p>My bag:<br/>- black<br/>- small</p>", "<p>What now?</p>"]


@pytest.mark.parametrize(
    "markup, reason",
    [
        ("Just a post about bags.\n\nNo letter here.", "no greeting"),
        (
            "Dear PurseBop, I have a question on the same line.\n\n— X\n\nDear X:\n\nA.",
            "no greeting",
        ),
        (
            "A note first.\n\nDear PurseBop,\n\nQ?\n\n— X\n\nDear X:\n\nA.",
            "text before the greeting",
        ),
        ("Dear PurseBop,\n\nQ?\n\n— X\n\nHello X,\n\nA.", "no signature"),
        ("Dear PurseBop,\n\nQ?\n\nDear X:\n\nA.", "no signature"),
        ("Dear PurseBop,\n\n<h2>Q</h2>\n\n— X\n\nDear X:\n\nA.", "heading, a quotation or a list"),
        ("Dear PurseBop,\n\nQ?\n\n— X\n\nDear X:", "nothing after"),
    ],
)
def test_posts_that_break_the_pattern_say_why(markup, reason):
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert letter is None
    assert reason in why


def test_the_greeting_is_the_columns_own():
    markup = "Dear Workbench,\n\nMy zip sticks.\n\n— Stuck\n\nDear Stuck:\n\nWax it."
    assert split_letter(blocks_of(markup), "Dear PurseBop,")[0] is None
    assert split_letter(blocks_of(markup), "Dear Workbench,")[0].pen_name == "Stuck"


def test_comment_html_becomes_the_text_its_author_typed():
    markup = (
        '<p>Great <b onmouseover="alert(1)">advice</b>!</p>\n<p>Try <a href="javascript:alert(1)">'
        'this</a>, <a href="https://shop.example/x">my shop</a> and <a href="http://a.example/">'
        "a.example</a>.<br>Line two &amp; &lt;3 &#8220;quoted&#8221;&nbsp;here.</p>"
        "<script>alert('stolen')</script><style>p{}</style><img src=x onerror=alert(1)>"
        "<iframe src=//evil.example></iframe>\nplain line\n\nlast paragraph"
    )
    assert comment_text(markup) == (
        "Great advice!\n\n"
        "Try this, my shop (https://shop.example/x) and http://a.example/.\n"
        "Line two & <3 “quoted” here.\n\n"
        "plain line\n\n"
        "last paragraph"
    )


def test_comment_text_renders_as_paragraphs_with_nothing_executable():
    text = comment_text('<p>One</p><p>Two <a href="javascript:x()">x</a> &lt;p&gt;</p>')
    assert render_reply(text) == "<p>One</p>\n<p>Two x &lt;p&gt;</p>"


@pytest.mark.parametrize(
    "signature",
    [
        "Second Guesser",
        "Second Guesser.",
        "Signed,\nSecond Guesser",
        "Signed,\n\nSecond Guesser",
        "— Second Guesser",
    ],
)
@pytest.mark.parametrize("salutation", ["Dear Second Guesser,", "Dear Second Guesser:"])
def test_a_pen_name_alone_on_its_line_signs_the_letter_when_the_answer_repeats_it(
    signature, salutation
):
    """Columnists sign letters with the pen name alone; the answer's "Dear <that name>," is
    what makes the line a signature."""
    markup = f"Dear PurseBop,\n\nShould I wait?\nOr buy now?\n{signature}\n\n{salutation}\n\nWait."
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert why == ""
    assert (letter.pen_name, letter.salutation) == ("Second Guesser", salutation)
    assert html_of(letter.letter) == ["<p>Should I wait?<br/>Or buy now?</p>"]
    assert html_of(letter.answer) == ["<p>Wait.</p>"]


def test_the_block_editor_and_the_classic_editor_split_the_same_letter_alike():
    classic = "Dear PurseBop,\n\nShould I wait?\n\nSecond Guesser\n\nDear Second Guesser,\n\nWait."
    block_editor = (
        "".join(
            f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->\n\n"
            for text in [
                "Dear PurseBop,",
                "Should I wait?",
                "Second Guesser",
                "Dear Second Guesser,",
            ]
        )
        + "<!-- wp:paragraph -->\n<p>Wait.</p>\n<!-- /wp:paragraph -->"
    )
    split = [split_letter(blocks_of(markup), GREETING)[0] for markup in (classic, block_editor)]
    assert [
        (letter.pen_name, html_of(letter.letter), html_of(letter.answer)) for letter in split
    ] == [("Second Guesser", ["<p>Should I wait?</p>"], ["<p>Wait.</p>"])] * 2


def test_a_last_line_is_not_a_signature_unless_the_answer_names_it():
    markup = "Dear PurseBop,\n\nShould I wait?\n\nThanks so much\n\nDear reader,\n\nWait."
    letter, why = split_letter(blocks_of(markup), GREETING)
    assert letter is None and "no signature" in why
