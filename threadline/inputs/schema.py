"""Validate loaded YAML against the JSON Schemas that editors' own editors also use."""

from __future__ import annotations

import difflib
import json
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from threadline import PACKAGE
from threadline.errors import Problems, Where
from threadline.inputs.yamlio import where_of

SCHEMA_DIR = PACKAGE / "schemas"


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator that explains: every violation, with its path (compiled once per process)."""
    return Draft202012Validator(_schema(name))


@cache
def _fast_check(name: str):
    """The schema compiled to Python code: ~30x faster, but stops at the first violation."""
    return fastjsonschema.compile(_schema(name))


def validate(data: Any, name: str, where: Where, problems: Problems) -> bool:
    """Record every schema violation of `data` at its line; True when there was none."""
    try:
        _fast_check(name)(data)
        return True  # the usual case; the full validator runs only to explain a failure
    except fastjsonschema.JsonSchemaException as exc:
        refusal = exc
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        problems.add(_locate(data, [*error.absolute_path, *_unexpected(error)[:1]], where), _message(error), _hint(error))
    if not errors:  # the two validators disagree: the stricter one's word stands, never a silent pass
        problems.add(where, str(refusal))
    return False


def _unexpected(error: Any) -> list[str]:
    """The fields a mapping may not have, in its order: an unknown field is said at its own line."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    known = error.schema.get("properties", {})
    return [key for key in error.instance if key not in known]


def _hint(error: Any) -> str:
    """For an unknown field, the field of that mapping it is most likely a misspelling of; for a boilerplate line
    that YAML read as a mapping (`- Photo: Reuters`), the quotes it needs."""
    if error.validator == "oneOf" and isinstance(error.instance, dict) and "prefix" not in error.instance \
            and len(error.instance) == 1 and list(error.absolute_path)[:1] == ["boilerplate"]:
        key, value = next(iter(error.instance.items()))
        line = f"{key}: {value}" if value is not None else f"{key}:"
        return "a line with `: ` in it must be in quotes: - '" + line.replace("'", "''") + "'"
    known = sorted(error.schema.get("properties", {})) if error.validator == "additionalProperties" else []
    close = [match for key in _unexpected(error) for match in difflib.get_close_matches(key, known, n=1, cutoff=0.75)]
    return f"did you mean {close[0]!r}?" if close else ""


def _locate(data: Any, path: list, where: Where) -> Where:
    node, here = data, getattr(data, "where", where)
    for key in path:
        here = where_of(node, key, here)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return here


# Every pattern ends `(?!\n)$`: Python's `$` also matches before a final newline, and an id such as
# "moscow\n" would make a folder with a newline in its name (fastjsonschema reads `$` as `\Z`, but the
# validator that explains does not). JavaScript, which editors' own editors use, reads them the same way.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(?!\n)$"
# What each pattern in the schemas asks for, in words.
PATTERN_HELP = {
    ID_PATTERN: "is not a valid id: use lower-case letters, digits and single hyphens",
    r"^[^/\\\u0000-\u001f\u007f]+\.txt(?!\n)$":
        "is not a seed file name: a name in seeds/ ending in .txt, without / or \\ or control characters",
    r"^[0-9a-f]{64}(?!\n)$": "is not a sha256: 64 lower-case hexadecimal digits (`sha256sum seeds/<file>` prints it)",
    r'^https?://[^\s\u0000-\u001f\u007f"<>\\^`{|}#?\[\]]+/(?!\n)$':
        "is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /",
    r"^[a-z]{2,3}(-[A-Za-z0-9]+)*(?!\n)$": "is not a language tag such as en or en-GB",
    r"^Q[0-9]+(?!\n)$": "is not a Wikidata id such as Q317521",
}


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


def _message(error: Any) -> str:
    """The validator's message, rephrased where an editor would not follow it."""
    field = ".".join(str(p) for p in error.absolute_path if not isinstance(p, int))
    if error.validator == "pattern" and error.validator_value in PATTERN_HELP:
        text = f"{error.instance!r} {PATTERN_HELP[error.validator_value]}"
    elif error.validator == "oneOf" and field == "boilerplate":
        text = "a boilerplate item is a whole line of the seed, or a mapping with `prefix:`"
    elif error.validator == "type" and (error.instance is None or isinstance(error.instance, bool)):
        read = "nothing (null)" if error.instance is None else f"the truth value {str(error.instance).lower()}"
        text = (f"read by YAML as {read}, not as {_TYPE_WORDS.get(str(error.validator_value), error.validator_value)}: "
                "an unquoted yes, no, on, off, true or false is a truth value, and ~, null or nothing is no value; "
                "put quotes around the text")
    elif error.validator == "additionalProperties":
        text = error.message.replace("Additional properties are not allowed", "unknown field")
    else:
        text = error.message
    return f"{field}: {text}" if field else text
