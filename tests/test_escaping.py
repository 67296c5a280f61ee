"""The quick HTML escape gives exactly what html.escape gives, for any text."""

from __future__ import annotations

import html
import random

import pytest

from threadline.text.escaping import escape

SAMPLES = ["", "plain words", "Tom & Jerry", "<b>bold</b>", 'say "hi"', "it's", "a > b", "&amp;", "«Ελλάδα» — ok",
           "\u2028line", "'\"<>&"]


@pytest.mark.parametrize("quote", [True, False])
def test_escaping_equals_html_escape(quote: bool) -> None:
    rng = random.Random(7)
    alphabet = "ab &<>\"'é\n"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(12))) for _ in range(2000)]
    for value in SAMPLES + made:
        assert escape(value, quote) == html.escape(value, quote), value
    assert escape("no special characters") == "no special characters"
