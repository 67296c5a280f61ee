# ruff: noqa: E501 (the catalogue quotes whole messages)
"""More of the catalogue of bad inputs, generated from tables: YAML past its limits, YAML 1.1
scalars where text is due, values that fit a pattern only with a trailing newline.

Each case breaks a copy of the built scratch investigation and expects exit 1, the exact
`path:line:column: message` line, no traceback, and public/ byte for byte as it was.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import fastjsonschema
import pytest
from jsonschema import Draft202012Validator

from tests.conftest import ENTITIES, EVENTS, REPO, tree
from tests.test_bad_inputs import GOOD, E, S, V, assert_refused, break_project, build_good, case
from tests.test_hostile_inputs import LABELS, LIST_ROOTED, SITE, YAML_FILES
from threadline.errors import Problems
from threadline.inputs.schema import PATTERN_HELP, SCHEMA_DIR
from threadline.inputs.yamlio import load_yaml


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_good(tmp_path_factory)


# --- YAML: every YAML file x nesting, aliases, documents, characters, quoting -------------------

def appended(loc: str, line: str) -> dict:
    """`line` appended to the file at the top level: as a key, or as a list item."""
    prefix = "- " if loc in LIST_ROOTED else ""
    return {loc: YAML_FILES[loc] + prefix + line + "\n"}


LAUGHS = ["l0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
    f"l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 6)]


def laughs(loc: str) -> dict:
    """Aliases of aliases, ten at each level: a few lines that would expand to millions of values."""
    if loc in LIST_ROOTED:
        return {loc: YAML_FILES[loc] + "".join(f"- {line}\n" for line in LAUGHS)}
    return {loc: YAML_FILES[loc] + "".join(f"{line}\n" for line in LAUGHS)}


def lines_of(loc: str) -> int:
    return YAML_FILES[loc].count("\n")


def yaml_cases() -> list:
    cases = []
    for loc in YAML_FILES:
        name, n = LABELS[loc], lines_of(loc) + 1  # n: the line appended
        item = 2 if loc in LIST_ROOTED else 0  # columns taken by "- "
        depth_refused = 63 if loc in LIST_ROOTED else 64  # the list item is a level of its own
        cases += [
            case(f"deep-block-{name}", appended(loc, "deep:\n" + " " * item + "  " + "- " * 1000 + "x"),
                 f"{loc}:{n + 1}:{item + 3 + 2 * (depth_refused - 1)}: {DEEP}"),
            case(f"deep-mapping-{name}", appended(loc, "deep: " + "{a: " * 100_000),
                 f"{loc}:{n}:{item + 7 + 4 * (depth_refused - 1)}: {DEEP}"),
            case(f"billion-laughs-{name}", laughs(loc),
                 f"{loc}:{n + 3}:{item + 45}: aliases repeat more than 10,000 values in this file (write the values out, or use fewer aliases)"),
            case(f"alias-to-itself-{name}", appended(loc, "loop: &a [x, *a]"),
                 f"{loc}:{n}:{item + 14}: the alias *a refers to the value it is inside of (a value cannot contain itself)"),
            case(f"alias-to-itself-mapping-{name}", appended(loc, "loop: &a {b: *a}"),
                 f"{loc}:{n}:{item + 14}: the alias *a refers to the value it is inside of (a value cannot contain itself)"),
            case(f"alias-undefined-{name}", appended(loc, "x: *nowhere"),
                 f"{loc}:{n}:{item + 4}: the alias *nowhere refers to no anchor before it (define &nowhere before using it)"),
            case(f"second-document-{name}", {loc: YAML_FILES[loc] + "---\nx: 1\n"},
                 f"{loc}:{n}:1: malformed YAML: a second document starts here (a file holds one document: remove the `---` line)"),
            case(f"control-character-{name}", appended(loc, "x: a\x01b"),
                 f"{loc}:{n}:{item + 5}: malformed YAML: the character U+0001 is not allowed in YAML (control characters cannot be written in a YAML file)"),
            case(f"nul-character-{name}", appended(loc, "x: a\x00b"),
                 f"{loc}:{n}:{item + 5}: malformed YAML: the character U+0000 is not allowed in YAML (control characters cannot be written in a YAML file)"),
        ]
    return cases


DEEP = "values are nested more than 64 levels deep (lists and mappings inside one another this deep are not data this file holds)"


def deep_flow(loc: str) -> tuple[dict, str]:
    """100,000 `[`: libyaml's composer recursed once per level and crashed the process."""
    item = 2 if loc in LIST_ROOTED else 0
    column = item + 6 + (63 if loc in LIST_ROOTED else 64)
    return appended(loc, "deep: " + "[" * 100_000), f"{loc}:{lines_of(loc) + 1}:{column}: {DEEP}"


QUOTE_HINT = "(a value that contains `: ` must be in quotes: {})"
COLON_CASES = [
    case("colon-in-site-title", {"site.yaml": SITE.replace("title: Scratch", "title: Musk: the talks")},
         "site.yaml:1:12: malformed YAML: mapping values are not allowed in this context " + QUOTE_HINT.format("title: 'Musk: the talks'")),
    case("colon-in-entity-description", {E: ENTITIES.replace("description: Capital of Russia.", "description: Capital: Russia's")},
         "content/entities/all.yaml:14:23: malformed YAML: mapping values are not allowed in this context " + QUOTE_HINT.format("description: 'Capital: Russia''s'")),
    case("colon-in-first-key-of-item", {E: ENTITIES.replace("- id: moscow", "- id: moscow: city")},
         "content/entities/all.yaml:11:13: malformed YAML: mapping values are not allowed in this context " + QUOTE_HINT.format("- id: 'moscow: city'")),
    case("colon-in-event-title", {V: EVENTS.replace("title: Talks in February", "title: Talks: February")},
         "content/events/all.yaml:10:15: malformed YAML: mapping values are not allowed in this context " + QUOTE_HINT.format("title: 'Talks: February'")),
    case("colon-in-headline", {S: GOOD.replace("headline: Musk meets Putin in Moscow", "headline: Musk: Putin in Moscow")},
         "content/dossiers/example-report.yaml:3:15: malformed YAML: mapping values are not allowed in this context " + QUOTE_HINT.format("headline: 'Musk: Putin in Moscow'")),
]


# --- YAML 1.1 scalars: every form x a field of every file that wants text ------------------------

FORMS = ["0x1F", "0b101", "0o17", "017", "20:18", ".inf", ".nan", "-.inf", "1_000", "190:20:30.15"]
ENUM = {"status": "['reported', 'alleged', 'denied', 'confirmed', 'disputed']"}
PATTERN_WORDS = {
    "language": "is not a language tag such as en or en-GB",
    "wikidata": "is not a Wikidata id such as Q317521",
    "sha256": "is not a sha256: 64 lower-case hexadecimal digits (`sha256sum seeds/<file>` prints it)",
    "id": "is not a valid id: use lower-case letters, digits and single hyphens",
}
# (file, field, where the field is, how to put `form` there)
FIELDS: list[tuple[str, str, str, Callable[[str], str]]] = [
    ("site.yaml", "language", "site.yaml:3:1", lambda form: SITE + f"language: {form}\n"),
    (E, "wikidata", f"{E}:15:3", lambda form: ENTITIES.replace("  description: Capital of Russia.\n", f"  description: Capital of Russia.\n  wikidata: {form}\n")),
    (E, "id", f"{E}:11:3", lambda form: ENTITIES.replace("id: moscow", f"id: {form}")),
    (V, "status", f"{V}:11:3", lambda form: EVENTS.replace("status: reported", f"status: {form}")),
    (S, "sha256", f"{S}:2:1", lambda form: GOOD.replace(GOOD.split("\n")[1], f"sha256: {form}")),
]


def scalar_message(field: str, form: str) -> str | None:
    """What the schema says of `form` in `field`; None where YAML reads it as text the field takes."""
    text = form == "0o17"  # YAML 1.1 has no 0o prefix: it is text
    if text and field == "id":
        return None  # "0o17" is a valid id
    shown = repr(form) if text else form
    if field in ENUM:
        return f"{field}: {shown} is not one of {ENUM[field]}"
    return f"{field}: {shown} {PATTERN_WORDS[field]}" if text else f"{field}: {shown} is not of type 'string'"


def scalar_cases() -> list:
    cases = []
    for loc, field, where, put in FIELDS:
        for form in FORMS:
            message = scalar_message(field, form)
            if message:
                cases.append(case(f"scalar-{form}-in-{field}-{LABELS[loc]}", {loc: put(form)}, f"{where}: {message}"))
        line, column = where.split(":")[1:]
        value_column = int(column) + len(field) + 2
        cases.append(case(f"scalar-5000-digits-in-{field}", {loc: put("9" * 5000)},
                          f"{loc}:{line}:{value_column}: the number {'9' * 39}… has 5,000 digits, more than the 100 a value may have (put it in quotes if it is text)"))
    return cases


TAG_CASES = [
    case(f"explicit-tag-{tag}", {E: ENTITIES.replace("description: Capital of Russia.", f"description: !!{tag} {value}")},
         f"{E}:14:16: {value!r} is not a valid YAML {what} (put it in quotes if it is text)")
    for tag, value, what in (("int", "abc", "integer"), ("float", "x", "number"), ("bool", "maybe", "truth value"), ("null", "nothing", "null"))
]


# --- Patterns match the whole value: a trailing newline is refused everywhere --------------------

NEWLINE_CASES = [
    case("newline-after-language", {"site.yaml": SITE + 'language: "en\\n"\n'},
         "site.yaml:3:1: language: 'en\\n' is not a language tag such as en or en-GB"),
    case("newline-after-base-url", {"site.yaml": 'title: Scratch\nbase_url: "https://example.github.io/scratch/\\n"\n'},
         "site.yaml:2:1: base_url: 'https://example.github.io/scratch/\\n' is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /"),
    case("newline-after-entity-id", {E: ENTITIES.replace("id: moscow", 'id: "moscow\\n"')},
         f"{E}:11:3: id: 'moscow\\n' {PATTERN_WORDS['id']}"),
    case("newline-after-wikidata", {E: ENTITIES.replace("  description: Capital of Russia.\n", '  description: Capital of Russia.\n  wikidata: "Q649\\n"\n')},
         f"{E}:15:3: wikidata: 'Q649\\n' {PATTERN_WORDS['wikidata']}"),
    case("newline-after-event-id", {V: EVENTS.replace("id: february-talks", 'id: "february-talks\\n"')},
         f"{V}:7:3: id: 'february-talks\\n' {PATTERN_WORDS['id']}"),
    case("newline-after-event-entity", {V: EVENTS.replace("entities: [elon-musk, vladimir-putin]\n", 'entities: [elon-musk, "vladimir-putin\\n"]\n')},
         f"{V}:12:25: entities: 'vladimir-putin\\n' {PATTERN_WORDS['id']}"),
    case("newline-after-seed-name", {S: GOOD.replace("seed: a.txt", 'seed: "a.txt\\n"')},
         f"{S}:1:1: seed: 'a.txt\\n' is not a seed file name: a name in seeds/ ending in .txt, without / or \\ or control characters"),
    case("nul-in-seed-name", {S: GOOD.replace("seed: a.txt", 'seed: "a\\0.txt"')},
         f"{S}:1:7: the value holds the character U+0000, which no page can show (remove the escape that writes it)"),
    case("newline-after-sha256", {S: GOOD.replace(GOOD.split("\n")[1], GOOD.split("\n")[1].replace("sha256: ", 'sha256: "') + '\\n"')},
         f"{S}:2:1: sha256: '{GOOD.split(chr(10))[1].removeprefix('sha256: ')}\\n' {PATTERN_WORDS['sha256']}"),
    case("newline-after-author-entity", {S: GOOD + 'author_entity: "elon-musk\\n"\n'},
         f"{S}:21:1: author_entity: 'elon-musk\\n' {PATTERN_WORDS['id']}"),
    case("newline-after-speaker", {S: GOOD.replace("quotes: []", 'quotes:\n  - speaker: "elon-musk\\n"\n    text: the Kremlin said')},
         f"{S}:16:5: quotes.speaker: 'elon-musk\\n' {PATTERN_WORDS['id']}"),
    case("newline-after-cited-event", {S: GOOD.replace("event: february-talks", 'event: "february-talks\\n"')},
         f"{S}:19:5: events.event: 'february-talks\\n' {PATTERN_WORDS['id']}"),
]
BASE_URL_WORDS = "is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /"
BASE_URL_CASES = [
    case(f"base-url-with-{name}", {"site.yaml": f"title: Scratch\nbase_url: '{url}'\n"},
         f"site.yaml:2:1: base_url: {url!r} {BASE_URL_WORDS}")
    for name, url in (("quote", 'https://example.org/a"b/'), ("less-than", "https://example.org/<b>/"),
                      ("greater-than", "https://example.org/b>/"), ("space", "https://example.org/a b/"),
                      ("tab", "https://example.org/a\tb/"), ("backtick", "https://example.org/a`b/"),
                      ("brace", "https://example.org/{b}/"), ("pipe", "https://example.org/a|b/"),
                      ("backslash", "https://example.org/a\\b/"), ("caret", "https://example.org/a^b/"),
                      ("no-break-space", "https://example.org/a\u00a0b/"), ("fragment", "https://example.org/#frag/"),
                      ("query", "https://example.org/?q=1/"), ("broken-ipv6-host", "http://[::1/"))
] + [case("base-url-with-a-port-past-65535", {"site.yaml": "title: Scratch\nbase_url: 'https://example.org:99999/'\n"},
          "site.yaml:2:11: base_url: 'https://example.org:99999/' has no valid port (a number up to 65535)")]


CASES = yaml_cases() + COLON_CASES + scalar_cases() + TAG_CASES + NEWLINE_CASES + BASE_URL_CASES


def test_the_catalogue_covers_every_class() -> None:
    assert len(CASES) + len(YAML_FILES) >= 120


@pytest.mark.parametrize(("overrides", "expected"), CASES)
def test_hostile_yaml_is_reported_and_public_is_untouched(built: Path, tmp_path: Path, overrides: dict, expected: str) -> None:
    assert_refused(built, tmp_path, overrides, expected)


@pytest.mark.parametrize("loc", list(YAML_FILES))
def test_deeply_nested_yaml_is_refused_not_a_crash(built: Path, tmp_path: Path, loc: str) -> None:
    """In a process of its own: a crash of the parser would show as a negative exit status, not kill the tests."""
    project = tmp_path / "project"
    shutil.copytree(built, project)
    before = tree(project / "public")
    overrides, expected = deep_flow(loc)
    break_project(project, overrides)
    for command in ("build", "check"):
        done = subprocess.run([sys.executable, str(REPO / "build.py"), command, "--project", str(project)],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 1, done.stderr[-2000:]
        assert expected in done.stderr.splitlines()
        assert "Traceback" not in done.stderr
    assert tree(project / "public") == before


def test_numbers_keep_the_text_they_were_written_as() -> None:
    problems = Problems()
    data = load_yaml("a: 0x1F\nb: 20:18\nc: .inf\nd: 1_000\ne: 017\n", "x.yaml", problems)
    assert problems.items == []
    assert [repr(v) for v in data.values()] == ["0x1F", "20:18", ".inf", "1_000", "017"]
    assert list(data.values()) == [31, 1218, float("inf"), 1000, 15]


@pytest.mark.parametrize("pattern", sorted(PATTERN_HELP))
def test_every_pattern_refuses_a_trailing_newline_in_both_validators(pattern: str) -> None:
    """fastjsonschema reads `$` as the end of the text, jsonschema as Python does: before a final newline too."""
    fits = {"a.txt", "0" * 64, "https://example.org/", "en", "Q1", "moscow"}
    schema = {"type": "string", "pattern": pattern}
    fast, full = fastjsonschema.compile(schema), Draft202012Validator(schema)
    good = [text for text in fits if full.is_valid(text)]
    assert good
    for text in good:
        fast(text)
        assert not full.is_valid(text + "\n")
        with pytest.raises(fastjsonschema.JsonSchemaException):
            fast(text + "\n")


def test_every_pattern_of_the_schemas_is_explained() -> None:
    found = set(re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', "".join(p.read_text() for p in SCHEMA_DIR.glob("*.json"))))
    assert {json.loads(f'"{p}"') for p in found} == set(PATTERN_HELP)
