"""YAML's scalars as Python values, safely: every YAML 1.1 number form, never a crash on a strange one.

Numbers keep the text the editor wrote, so that a message about `id: 0x1F` quotes `0x1F`, not 31.
No field of the schemas takes a number: a number is only ever shown back in an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threadline.errors import short

MAX_DIGITS = 100  # Python refuses to convert an integer of more than 4,300 digits; we stop far earlier
_TRUE = {"yes", "true", "on"}
_FALSE = {"no", "false", "off"}
_NULL = {"", "~", "null"}


class Written:
    """A number that remembers how it was written, and is shown so."""

    written: str

    def __new__(cls, value: Any, written: str) -> Any:
        number = super().__new__(cls, value)  # type: ignore[call-arg]
        number.written = written
        return number

    def __repr__(self) -> str:
        return short(self.written, 40)

    __str__ = __repr__

    def __reduce__(self) -> tuple:
        return type(self), (type(self).__mro__[2](self), self.written)


class WrittenInt(Written, int):
    """An integer as written: 0x1F, 0b101, 017, 1_000, 20:18."""


class WrittenFloat(Written, float):
    """A float as written: 1.5, .inf, -.inf, .nan, 20:30.5."""


def _digits(text: str) -> tuple[int, str]:
    """The sign and the digits of a YAML number, without underscores; too many digits is an error."""
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"the number {short(text, 40)} has {len(digits):,} digits, more than the {MAX_DIGITS} a value may have")
    return sign, digits


def yaml_int(text: str) -> int:
    """A YAML 1.1 integer: 0b101 (binary), 017 (octal), 0x1F (hex), 1_000, 20:18 (base 60)."""
    sign, digits = _digits(text)
    try:
        if ":" in digits:
            value = 0
            for part in digits.split(":"):
                value = value * 60 + int(part)
            return WrittenInt(sign * value, text)
        base = 2 if digits.startswith("0b") else 16 if digits.startswith("0x") else 8 if digits[:1] == "0" else 10
        return WrittenInt(sign * int(digits[2:] if base in (2, 16) else digits, base), text)
    except ValueError:
        raise ValueError(f"{short(text, 40)!r} is not a valid YAML integer") from None


def yaml_float(text: str) -> float:
    """A YAML 1.1 float: 1.5, 6.8523015e+5, 190:20:30.15 (base 60), .inf, -.inf, .nan."""
    sign, digits = _digits(text)
    try:
        if digits.lower() in (".inf", ".nan"):
            return WrittenFloat(sign * float(digits[1:]), text)
        value = 0.0
        for part in digits.split(":"):
            value = value * 60 + float(part)
        return WrittenFloat(sign * value, text)
    except ValueError:
        raise ValueError(f"{short(text, 40)!r} is not a valid YAML number") from None


def yaml_bool(text: str) -> bool:
    if text.lower() not in _TRUE | _FALSE:
        raise ValueError(f"{short(text, 40)!r} is not a valid YAML truth value")
    return text.lower() in _TRUE


def yaml_null(text: str) -> None:
    if text.lower() not in _NULL:
        raise ValueError(f"{short(text, 40)!r} is not a valid YAML null")


SCALARS: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:int": yaml_int,
    "tag:yaml.org,2002:float": yaml_float,
    "tag:yaml.org,2002:bool": yaml_bool,
    "tag:yaml.org,2002:null": yaml_null,
    # Dates stay the strings the editor wrote: they are EDTF, parsed later.
    "tag:yaml.org,2002:timestamp": str,
    "tag:yaml.org,2002:str": str,
}
