"""The quick HTML escape gives exactly what html.escape gives, for any text; XML text is always well-formed."""

from __future__ import annotations

import html
import random
import xml.etree.ElementTree as ET

import pytest

from threadline.text.escaping import escape, xml_text

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


def test_xml_text_is_well_formed_whatever_the_text_holds() -> None:
    """A seed's text may hold control characters (a form feed from a PDF): in XML they become U+FFFD."""
    rng = random.Random(8)
    alphabet = "ab &<>\"'\x00\x01\x0b\x0c\x1b\x7f\ufffe\uffff\ud800\t\né"
    for value in ["".join(rng.choice(alphabet) for _ in range(rng.randrange(12))) for _ in range(2000)]:
        text = ET.fromstring(f"<a>{xml_text(value)}</a>".encode("utf-8", "surrogatepass")).text or ""
        expected = "".join("\ufffd" if c in "\x00\x01\x0b\x0c\x1b\ufffe\uffff\ud800" else c for c in value)
        assert text == expected.replace("\r", "\n"), repr(value)
