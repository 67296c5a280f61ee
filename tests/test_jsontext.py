"""The open data's JSON encoder gives exactly JSONEncoder's text, for any plain value."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from threadline.text import jsontext
from threadline.text.jsontext import json_compact, json_encoder, json_line

ALPHABET = 'ab "\\/\n\t\x00\x1féλ😀\u2028<>&'


def _value(rng: random.Random, depth: int = 0) -> Any:
    leaves = [lambda: "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(8))), lambda: rng.randrange(-10**6, 10**6),
              lambda: rng.random() * 10 ** rng.randrange(-5, 25), lambda: rng.choice([True, False, None]),
              lambda: float(rng.choice(["nan", "inf", "-inf"]))]
    if depth < 3 and rng.random() < 0.5:
        if rng.random() < 0.5:
            return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
        return {"".join(rng.choice(ALPHABET) for _ in range(rng.randrange(5))): _value(rng, depth + 1)
                for _ in range(rng.randrange(4))}
    return rng.choice(leaves)()


@pytest.mark.parametrize(("encode", "separators"), [(json_line, (", ", ": ")), (json_compact, (",", ":"))])
def test_the_encoder_writes_what_json_writes(encode: Any, separators: tuple[str, str]) -> None:
    rng = random.Random(11)
    for _ in range(3000):
        value = _value(rng)
        assert encode(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=separators), value
    assert encode({"b": [1, "é"], "a": None}) == json.dumps({"a": None, "b": [1, "é"]}, ensure_ascii=False,
                                                             separators=separators)


def test_a_value_json_has_no_type_for_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        json_line({"a": {1}})


def test_without_the_c_encoder_the_text_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsontext, "c_make_encoder", None)
    slow = json_encoder()
    value = {"z": ["é", 1.5, None], "a": {"\n": True}}
    assert slow(value) == json_line(value) == json.dumps(value, ensure_ascii=False, sort_keys=True)
