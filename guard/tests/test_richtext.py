"""Links and embeds in stored rich text: which are refused, and how a repair keeps the words."""

import pytest
from django.core.exceptions import ValidationError

from guard.richtext import is_valid_id, problems, repair, validate_rich_text


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1", True), ("2147483647", True), ("2147483648", False), ("0", False), ("-1", False),
     ("abc", False), ("1.5", False), (" 7", False), ("", False), (None, False), ("٣", False)],
)  # fmt: skip
def test_an_id_is_a_positive_whole_number_a_table_can_hold(value, valid):
    assert is_valid_id(value) is valid


def test_sound_links_and_embeds_pass():
    html = (
        '<p><a linktype="page" id="3">a page</a>, <a href="https://example.com/">a site</a>, '
        '<a href="mailto:a@example.com">mail</a>, <a linktype="document" id="4">a file</a></p>'
        '<embed embedtype="image" id="5" format="left" alt=""/>'
        '<embed embedtype="media" url="https://www.youtube.com/watch?v=x"/>'
    )
    assert problems(html) == []
    validate_rich_text(html)
    assert repair(html) == (html, [])


def test_bad_ids_and_unknown_kinds_are_named_and_repaired_keeping_the_words():
    html = (
        '<p>Ask <a linktype="page" id="abc">the shop</a> or <a linktype="pigeon" id="1">'
        'a bird</a>.</p><embed embedtype="image" id="x" format="left"/><embed embedtype="nope"/>'
    )
    with pytest.raises(ValidationError) as refused:
        validate_rich_text(html)
    message = refused.value.messages[0]
    assert "a link to page “abc”, which is not a page number" in message
    assert "a link of an unknown kind (“pigeon”)" in message
    assert "an embedded image “x”, which is not an image number" in message
    repaired, found = repair(html)
    assert repaired == "<p>Ask the shop or a bird.</p>"
    assert len(found) == 4
