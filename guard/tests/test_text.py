"""guard.text: names and titles on one line, with nothing hidden in them."""

from guard.text import clean_name, one_line

HIDDEN = "\u202e\u200b\x00\x1b\x7f\ue000"  # bidi override, zero-width space, controls, private


def test_one_line_joins_lines_and_drops_hidden_characters():
    assert one_line(f"Eve\nWhy it is held:{HIDDEN} nothing\r\n") == "Eve Why it is held: nothing"
    assert one_line(f"a {HIDDEN} b") == "a b"
    assert one_line(None) == "" and one_line(42) == "42"


def test_a_name_drops_a_typed_line_break_and_hidden_characters():
    assert clean_name(f"Torn\nFrom: us{HIDDEN} Tote") == "TornFrom: us Tote"
    assert clean_name("Cafe\u0301") == "Café"  # composed, as it is compared elsewhere
