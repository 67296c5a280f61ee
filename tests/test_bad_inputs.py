# ruff: noqa: E501 (the catalogue quotes whole messages)
"""A catalogue of bad inputs: each is reported as `path:line:column: message`, exits 1, and leaves public/ as it was.

Each case starts from the valid scratch investigation (tests/conftest.py), built once into public/,
then breaks one thing and builds again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ENTITIES, EVENTS, SEED, scratch_files, sidecar, tree, write_project
from threadline.cli import main

S = "content/dossiers/example-report.yaml"
E = "content/entities/all.yaml"
V = "content/events/all.yaml"
GOOD = sidecar("a.txt", SEED)


def with_seed(raw: bytes) -> dict[str, str | bytes]:
    """A seed replaced by `raw` with the sidecar's sha256 updated, so the seed's own check is reached."""
    digest = hashlib.sha256(SEED.encode("utf-8")).hexdigest()
    return {"seeds/a.txt": raw, S: GOOD.replace(digest, hashlib.sha256(raw).hexdigest())}


def case(name: str, overrides: dict, expected: str) -> object:
    return pytest.param(overrides, expected, id=name)


CASES = [
    case("malformed-yaml-sidecar", {S: "seed: [unclosed\n"},
         "content/dossiers/example-report.yaml:2:1: malformed YAML: did not find expected ',' or ']'"),
    case("malformed-yaml-tab", {E: ENTITIES.replace("  kind: person\n  name: Elon Musk", "  kind: person\n\tname: Elon Musk", 1)},
         "content/entities/all.yaml:3:1: malformed YAML: found a tab character that violates indentation "
         "(indent with spaces: YAML does not allow tabs there)"),
    case("unknown-entity-in-event", {V: EVENTS.replace("entities: [elon-musk, vladimir-putin, moscow]", "entities: [elon-musk, vladimir-puttin, moscow]")},
         "content/events/all.yaml:6:25: unknown entity id 'vladimir-puttin' (did you mean 'vladimir-putin'?)"),
    case("unknown-event-in-sidecar", {S: GOOD.replace("event: february-talks", "event: febuary-talks")},
         "content/dossiers/example-report.yaml:19:5: unknown event id 'febuary-talks' (did you mean 'february-talks'?)"),
    case("unknown-speaker", {S: GOOD.replace("quotes: []", "quotes:\n  - speaker: kremlin-spokesman\n    text: the Kremlin said")},
         "content/dossiers/example-report.yaml:16:5: unknown entity id 'kremlin-spokesman'"),
    case("unknown-author-entity", {S: GOOD.replace("author: null\n", "author: null\nauthor_entity: jane-doe\n")},
         "content/dossiers/example-report.yaml:8:1: unknown entity id 'jane-doe'"),
    case("misspelt-field", {V: EVENTS.replace("date_basis:", "datebasis:", 1)},
         "content/events/all.yaml:3:3: unknown field ('datebasis' was unexpected) (did you mean 'date_basis'?)"),
    case("boilerplate-line-with-a-colon", {S: GOOD.replace("boilerplate: [Source link]", "boilerplate:\n  - Source link\n  - Photo: Reuters")},
         "content/dossiers/example-report.yaml:13:5: boilerplate: a boilerplate item is a whole line of the seed, or a "
         "mapping with `prefix:` (a line with `: ` in it must be in quotes: - 'Photo: Reuters')"),
    case("duplicate-entity-id", {E: ENTITIES + "- id: moscow\n  kind: place\n  name: Moskva\n  description: Again.\n"},
         "content/entities/all.yaml:19:3: duplicate entity id 'moscow' (first defined at content/entities/all.yaml:11)"),
    case("duplicate-event-id", {V: EVENTS + "- id: february-talks\n  date: 2024-02\n  date_basis: x\n  title: Again\n  status: reported\n  entities: [elon-musk]\n"},
         "content/events/all.yaml:13:3: duplicate event id 'february-talks' (first defined at content/events/all.yaml:7)"),
    case("duplicate-yaml-key", {S: GOOD.replace("author: null\n", "author: null\nauthor: Jane Doe\n")},
         "content/dossiers/example-report.yaml:8:1: duplicate key 'author'"),
    case("alias-owned-twice", {E: ENTITIES.replace("aliases: [Putin]", "aliases: [Putin, Musk]")},
         "content/entities/all.yaml:9:20: alias 'Musk' of 'vladimir-putin' already belongs to 'elon-musk'"),
    case("invalid-edtf-month", {V: EVENTS.replace("date: 2024-03-01", "date: 2024-13-45")},
         "content/events/all.yaml:2:9: date: '2024-13-45' is not a valid EDTF date (use e.g. 2021-05-21, 2021-02 (a month), 2019, 2023-12~ (about then), 2021? (not sure), 2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024))"),
    case("invalid-published-date", {S: GOOD.replace("published: 2024-03-01", "published: 1st March 2024")},
         "content/dossiers/example-report.yaml:9:12: published: '1st March 2024' is not a valid EDTF date (use e.g. 2021-05-21, 2021-02 (a month), 2019, 2023-12~ (about then), 2021? (not sure), 2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024))"),
    case("interval-ends-before-start", {V: EVENTS.replace("date: 2024-02\n", "date: 2024/2020\n")},
         "content/events/all.yaml:8:9: date: '2024/2020': the interval ends before it starts"),
    case("edtf-not-showable", {V: EVENTS.replace("date: 2024-02\n", "date: 2024-XX\n")},
         "content/events/all.yaml:8:9: date: '2024-XX' is valid EDTF but cannot be shown in words (use e.g. 2021-05-21, 2021-02 (a month), 2019, 2023-12~ (about then), 2021? (not sure), 2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024))"),
    case("quote-not-in-seed", {S: GOOD.replace("quote: talks in February", "quote: talks in March")},
         "content/dossiers/example-report.yaml:20:5: quote not found in seed 'a.txt': 'talks in March' (the closest passage in the seed is 'talks in February'; they first differ at character 10, where yours has 'M' and the seed has 'F')"),
    case("quote-straight-apostrophe", {S: GOOD.replace("quote: talks in February", "quote: Mr Musk's visit")},
         "content/dossiers/example-report.yaml:20:5: quote not found in seed 'a.txt': \"Mr Musk's visit\" (the closest passage in the seed is 'Mr Musk’s visit'; they first differ at character 8, where yours has \"'\" and the seed has '’' (U+2019 RIGHT SINGLE QUOTATION MARK))"),
    case("note-passage-not-in-seed", {S: GOOD.replace("passage: the Kremlin said", "passage: the Kremlin denied")},
         "content/dossiers/example-report.yaml:13:5: passage not found in seed 'a.txt': 'the Kremlin denied' (the closest passage in the seed is 'the Kremlin said.'; they first differ at character 13, where yours has 'd' and the seed has 's')"),
    case("boilerplate-not-a-line", {S: GOOD.replace("boilerplate: [Source link]", "boilerplate: [Source links]")},
         "content/dossiers/example-report.yaml:11:15: boilerplate: no line of the seed is 'Source links' (the closest passage in the seed is 'Source link'; they first differ at character 12, where yours has 's' and the seed has nothing more)"),
    case("boilerplate-prefix-missing", {S: GOOD.replace("boilerplate: [Source link]", "boilerplate: [Source link, {prefix: 'date 2024'}]")},
         "content/dossiers/example-report.yaml:11:28: boilerplate: no line of the seed starts with 'date 2024' (copy it from the seed exactly, curly quotes and apostrophes included)"),
    case("headline-not-a-line", {S: GOOD.replace("headline: Musk meets Putin in Moscow", "headline: Musk meets Putin")},
         "content/dossiers/example-report.yaml:3:1: headline 'Musk meets Putin' is not a whole line of seed 'a.txt' (it is part of line 1; give the whole line: 'Musk meets Putin in Moscow')"),
    case("subheading-also-boilerplate", {S: GOOD.replace("quotes: []", "quotes: []\nsubheadings: [Source link]")},
         "content/dossiers/example-report.yaml:16:15: subheading 'Source link' is also listed as boilerplate, so the page leaves it out (keep it in one of the two lists)"),
    case("quote-in-boilerplate", {S: GOOD.replace("quote: talks in February", "quote: Source link")},
         "content/dossiers/example-report.yaml:20:5: quote not found in seed 'a.txt': 'Source link' (it is on line 5, which the sidecar lists as boilerplate: the page does not show it)"),
    case("subheading-not-a-line", {S: GOOD.replace("quotes: []", "quotes: []\nsubheadings: [Talks in February]")},
         "content/dossiers/example-report.yaml:16:15: subheading 'Talks in February' is not a whole line of seed 'a.txt' (the closest passage in the seed is 'talks in February'; they first differ at character 1, where yours has 'T' and the seed has 't')"),
    case("seed-changed", {"seeds/a.txt": SEED + "An added line.\n"},
         "content/dossiers/example-report.yaml:2:1: seed 'a.txt' has changed since it was annotated (check the annotations against the new text, then set sha256: 85853d1041f60f29f586b2ddfe5fb87abd5eb1b4ccbaf442afbbe572018f125e)"),
    case("sha256-malformed", {S: GOOD.replace("sha256: ", "sha256: x")},
         "content/dossiers/example-report.yaml:2:1: sha256: 'x2c088cb880b46a03bf5bde558dbcfd67ff6710d1f509c9a0a314ef51ec554ee7' "
         "is not a sha256: 64 lower-case hexadecimal digits (`sha256sum seeds/<file>` prints it)"),
    case("seed-missing", {"seeds/a.txt": None},
         "content/dossiers/example-report.yaml:1:1: seed 'a.txt' not found in seeds/"),
    case("seed-name-with-slash", {S: GOOD.replace("seed: a.txt", "seed: ../a.txt")},
         "content/dossiers/example-report.yaml:1:1: seed: '../a.txt' is not a seed file name: a name in seeds/ ending in .txt, without / or \\ or control characters"),
    case("seed-name-with-backslash", {S: GOOD.replace("seed: a.txt", "seed: 'x\\a.txt'")},
         "content/dossiers/example-report.yaml:1:1: seed: 'x\\\\a.txt' is not a seed file name: a name in seeds/ ending in .txt, without / or \\ or control characters"),
    case("sidecar-slug-uppercase", {S: None, "content/dossiers/Example_Report.yaml": GOOD},
         "content/dossiers/Example_Report.yaml:1:1: the file name gives the slug 'Example_Report', which is not valid (use lower-case letters, digits and single hyphens, e.g. ft-2021-musk-forum.yaml)"),
    case("sidecar-slug-dots", {S: None, "content/dossiers/example..report.yaml": GOOD},
         "content/dossiers/example..report.yaml:1:1: the file name gives the slug 'example..report', which is not valid (use lower-case letters, digits and single hyphens, e.g. ft-2021-musk-forum.yaml)"),
    case("python-tag", {S: GOOD.replace("author: null", "author: !!python/name:os.system ''")},
         "content/dossiers/example-report.yaml:7:9: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed (only plain data: text, numbers, lists, mappings)"),
    case("python-tag-on-a-list", {S: GOOD.replace("author: null", "author: !!python/object/apply:os.system ['echo hi']")},
         "content/dossiers/example-report.yaml:7:9: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
         "(only plain data: text, numbers, lists, mappings)"),
    case("custom-tag", {E: ENTITIES.replace("description: Capital of Russia.", "description: !include other.yaml")},
         "content/entities/all.yaml:14:16: YAML tag '!include' is not allowed (only plain data: text, numbers, lists, mappings)"),
    case("merge-key", {S: GOOD.replace("author: null\n", "<<: {author: null}\n")},
         "content/dossiers/example-report.yaml:7:1: YAML merge keys (<<) are not supported"),
    case("aliases-not-a-list", {E: ENTITIES.replace("aliases: [Putin]", "aliases: Putin")},
         "content/entities/all.yaml:9:3: aliases: 'Putin' is not of type 'array'"),
    case("headline-wrong-type", {S: GOOD.replace("headline: Musk meets Putin in Moscow", "headline: [Musk, Putin]")},
         "content/dossiers/example-report.yaml:3:1: headline: ['Musk', 'Putin'] is not of type 'string'"),
    case("unknown-field-entity", {E: ENTITIES.replace("  description: Capital of Russia.", "  description: Capital of Russia.\n  nickname: Third Rome")},
         "content/entities/all.yaml:15:3: unknown field ('nickname' was unexpected)"),
    case("unknown-field-sidecar", {S: GOOD + "tags: [russia]\n"},
         "content/dossiers/example-report.yaml:21:1: unknown field ('tags' was unexpected)"),
    case("missing-required-field", {S: GOOD.replace("published_basis: Dateline.\n", "")},
         "content/dossiers/example-report.yaml:1:1: 'published_basis' is a required property"),
    case("bad-kind", {E: ENTITIES.replace("kind: place", "kind: city")},
         "content/entities/all.yaml:12:3: kind: 'city' is not one of ['person', 'organisation', 'place', 'product']"),
    case("bad-status", {V: EVENTS.replace("status: alleged", "status: rumoured")},
         "content/events/all.yaml:5:3: status: 'rumoured' is not one of ['reported', 'alleged', 'denied', 'confirmed', 'disputed']"),
    case("entity-id-uppercase", {E: ENTITIES.replace("id: moscow", "id: Moscow")},
         "content/entities/all.yaml:11:3: id: 'Moscow' is not a valid id: use lower-case letters, digits and single hyphens"),
    case("alias-edge-punctuation", {E: ENTITIES.replace("aliases: [Putin]", "aliases: [Putin, '-Putin']")},
         "content/entities/all.yaml:9:20: alias '-Putin' of 'vladimir-putin' must start and end with a letter or digit"),
    case("empty-seed", with_seed(b"  \n"),
         "content/dossiers/example-report.yaml:1:1: seed 'a.txt' is empty"),
    case("binary-seed", with_seed(b"\x89PNG\r\n\x1a\n\x00\x00"),
         "content/dossiers/example-report.yaml:1:1: seed 'a.txt' is binary, not text"),
    case("non-utf8-seed", with_seed(SEED.encode("utf-8").replace(b"Putin asked", b"Putin \xe9tait")),
         "content/dossiers/example-report.yaml:1:1: seed 'a.txt' is not UTF-8 (byte 167 is 0xe9) (convert it to UTF-8 first)"),
    case("site-yaml-missing", {"site.yaml": None},
         "site.yaml: site.yaml is missing (every investigation needs one; see `build.py init`)"),
    case("base-url-without-slash", {"site.yaml": "title: Scratch\nbase_url: https://example.github.io/scratch\n"},
         "site.yaml:2:1: base_url: 'https://example.github.io/scratch' is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /"),
    case("page-without-title", {"content/pages/about.md": "About\n\nNo heading.\n"},
         "content/pages/about.md:1:1: a page starts with its title as a `# heading` line"),
    case("event-without-source", {S: GOOD.replace("  - event: february-talks\n    quote: talks in February\n", "")},
         "content/events/all.yaml:7:3: event 'february-talks' has no source (cite it with a verbatim quote under `events:` in the sidecar of a seed that reports it)"),
    case("sidecar-only-comments", {S: "# nothing here yet\n"},
         "content/dossiers/example-report.yaml:1:1: the file is empty"),
    case("alias-read-as-a-truth-value", {E: ENTITIES.replace("aliases: [Putin]", "aliases: [Putin, no]")},
         "content/entities/all.yaml:9:20: aliases: read by YAML as the truth value false, not as text: an unquoted yes, no, on, off, true or false is a truth value, and ~, null or nothing is no value; put quotes around the text"),
    case("nothing-to-publish", {S: None, E: None, V: None, "content/pages/about.md": None},
         "content/dossiers: nothing to publish yet: no dossier, entity or page (draft a dossier from a seed: `build.py new seeds/<file>.txt`)"),
    case("escaped-control-character", {E: ENTITIES.replace("name: Vladimir Putin", 'name: "Vladimir\\x01Putin"')},
         "content/entities/all.yaml:8:9: the value holds the character U+0001, which no page can show (remove the escape that writes it)"),
    case("escaped-nul", {S: GOOD.replace("outlet: Example News", 'outlet: "Example\\0News"')},
         "content/dossiers/example-report.yaml:5:9: the value holds the character U+0000, which no page can show (remove the escape that writes it)"),
    case("control-character-in-page", {"content/pages/about.md": "# About\n\nA \x7f page.\n"},
         "content/pages/about.md:3:3: the page holds the character U+007F, which no page can show (remove it; such characters come from copying out of a PDF or a terminal)"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid scratch investigation, built once."""
    return build_good(tmp_path_factory)


def build_good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid scratch investigation, built: each module of cases builds it once and copies it."""
    project = write_project(tmp_path_factory.mktemp("good") / "project", scratch_files())
    assert main(["build", "--project", str(project)]) == 0
    return project


Maker = Callable[[Path, Path], None]  # (project, path): makes something at path that text cannot say


def break_project(project: Path, overrides: dict[str, str | bytes | Maker | None]) -> None:
    """Apply the overrides: None removes a file, a maker makes its own thing, text or bytes replace it."""
    for name, content in overrides.items():
        if content is None or callable(content):
            (project / name).unlink(missing_ok=True)
        if callable(content):
            content(project, project / name)
    write_project(project, {k: v for k, v in overrides.items() if isinstance(v, (str, bytes))})


def run(*args: str) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue().splitlines()


def assert_refused(built: Path, tmp_path: Path, overrides: dict, expected: str) -> None:
    """Break a copy of the built project: build and check exit 1 with the expected line, public/ untouched."""
    project = tmp_path / "project"
    shutil.copytree(built, project)
    before = tree(project / "public")
    break_project(project, overrides)
    code, lines = run("build", "--project", str(project))
    assert code == 1
    assert expected in lines, "\n".join(lines)
    assert lines[-1].startswith("build failed: ") and lines[-1].endswith("error(s); nothing was written")
    assert not any("Traceback" in line for line in lines)
    assert tree(project / "public") == before
    assert run("check", "--project", str(project))[0] == 1


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("overrides", "expected"), CASES)
def test_bad_input_is_reported_and_public_is_untouched(built: Path, tmp_path: Path, overrides: dict, expected: str) -> None:
    assert_refused(built, tmp_path, overrides, expected)
