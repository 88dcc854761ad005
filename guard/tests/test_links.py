"""Web addresses in plain text as mail programs link them, and which lead off the site."""

import pytest

from guard.links import outside_addresses, without_outside_addresses

HOST = "pursebop.example"


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("See https://evil.example/x.", ["https://evil.example/x"]),
        ("www.evil.example", ["www.evil.example"]),
        ("evil.example/login", ["evil.example/login"]),
        ("visit еvil.com now", ["еvil.com"]),  # a Cyrillic е
        ("https://pursebop.example@evil.example/", ["https://pursebop.example@evil.example/"]),
        ("https://evil.example\\@pursebop.example", ["https://evil.example\\@pursebop.example"]),
        ("javascript://x", ["javascript://x"]),
        ("https://pursebop.example/a/ and http://www.pursebop.example/b", []),
        ("Write to editor@evil.example, e.g. today.", []),
        ("Thank you for writing to Dear PurseBop. We read every letter.", []),
    ],
)
def test_outside_addresses(text, outside):
    assert outside_addresses(text, HOST) == outside


def test_outside_addresses_are_replaced_and_the_sentence_kept():
    text = "Go to https://evil.example/x, or https://pursebop.example/ok."
    assert without_outside_addresses(text, HOST) == (
        "Go to [link removed], or https://pursebop.example/ok."
    )
