"""JSON text of plain values, keys sorted and text as it is (not \\u-escaped), by one encoder made once.

The open data writes hundreds of thousands of records at 10,000 dossiers, one call each.
json.dumps, and JSONEncoder.encode too, set up a new C encoder on every call, which costs about
as much as the encoding itself; here each kind of line has one, set up once. The text is
JSONEncoder's, byte for byte (tests/test_jsontext.py compares them on random values).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any


def json_encoder(item_separator: str = ", ", key_separator: str = ": ") -> Callable[[Any], str]:
    """A function giving the JSON text of a value (no cycles in it), as JSONEncoder(ensure_ascii=False, sort_keys=True)."""
    slow = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(item_separator, key_separator))
    if c_make_encoder is None:  # a Python without the C encoder
        return slow.encode
    # The arguments of the C encoder, as JSONEncoder.iterencode gives them: no check for cycles
    # (the records are trees), the encoder's `default` for a value JSON has no type for (TypeError).
    fast = c_make_encoder(None, slow.default, encode_basestring, None, key_separator, item_separator,
                          True, False, True)
    return lambda value: "".join(fast(value, 0))


json_line = json_encoder()  # one record of the open data a line
json_compact = json_encoder(",", ":")  # JSON-LD inside a page
