# ruff: noqa: E501 (the catalogue quotes whole messages)
"""More of the catalogue of bad inputs, generated from tables: files that are not plain UTF-8
text files of the project, and inputs that mean something impossible.

Each case breaks a copy of the built scratch investigation and expects exit 1, the exact
`path:line:column: message` line, no traceback, and public/ byte for byte as it was.
tests/test_hostile_yaml.py holds the YAML cases.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ENTITIES, EVENTS, SEED, scratch_files, sidecar, write_project
from tests.test_bad_inputs import GOOD, E, S, V, assert_refused, build_good, case, with_seed
from threadline.pipeline import build

SITE = "title: Scratch\nbase_url: https://example.github.io/scratch/\n"
P = "content/pages/about.md"
PAGE = "# About\n\nA scratch investigation.\n"
TEXT_FILES = {"site.yaml": SITE, E: ENTITIES, V: EVENTS, S: GOOD, P: PAGE}
LABELS = {"site.yaml": "site", E: "entities", V: "events", S: "sidecar", P: "page"}  # for the cases' names
YAML_FILES = {k: v for k, v in TEXT_FILES.items() if k.endswith(".yaml")}
LIST_ROOTED = {E, V}  # files whose top level is a list; the others are a mapping


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_good(tmp_path_factory)


# --- Things text cannot say: makers of (project, path) ------------------------------------------

def fifo(project: Path, path: Path) -> None:
    os.mkfifo(path)


def folder(project: Path, path: Path) -> None:
    (path / "inside").mkdir(parents=True)


def link_out(original: str | bytes) -> Callable[[Path, Path], None]:
    """A symbolic link to a file outside the project holding `original`: it must not be followed."""
    def make(project: Path, path: Path) -> None:
        target = project.parent / f"outside-{path.name}"
        target.write_bytes(original if isinstance(original, bytes) else original.encode("utf-8"))
        path.symlink_to(target)
    return make


def dangling(project: Path, path: Path) -> None:
    path.symlink_to(project / "nowhere.txt")


def loop(project: Path, path: Path) -> None:
    path.symlink_to(path)


def larger_than(mib: int) -> Callable[[Path, Path], None]:
    """A sparse file one byte over `mib` MiB: refused by its size, before any byte is read."""
    def make(project: Path, path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(mib * 2**20 + 1)
    return make


def folder_out(name: str, files: dict[str, str]) -> Callable[[Path, Path], None]:
    """The folder `name` replaced by a link to a folder outside the project holding `files`."""
    def make(project: Path, path: Path) -> None:
        outside = project.parent / "outside-folder"
        outside.mkdir()
        for file, text in files.items():
            (outside / file).write_text(text, encoding="utf-8")
        real = project / name
        for child in real.iterdir():
            child.unlink()
        real.rmdir()
        real.symlink_to(outside, target_is_directory=True)
    return make


# --- Files: every input location x every kind of thing that is not a plain UTF-8 text file ----

NOT_UTF8_START = b"# caf\xe9\n"  # byte 5, line 1, column 6
NOT_UTF8_LATER = "# ’ok\n# ’".encode() + b"\xff\n"  # byte 13, line 2, column 4 (columns count characters)
UTF8_HINT = "(convert it to UTF-8 first)"


def file_cases() -> list:
    cases = []
    for loc, text in TEXT_FILES.items():
        name = LABELS[loc]
        cases += [
            case(f"fifo-{name}", {loc: fifo}, f"{loc}: not a regular file"),
            case(f"folder-{name}", {loc: folder}, f"{loc}: not a regular file"),
            case(f"link-out-{name}", {loc: link_out(text)}, f"{loc}: a link to outside the project (copy the file into the project)"),
            case(f"link-dangling-{name}", {loc: dangling}, f"{loc}: a link to a missing file"),
            case(f"link-loop-{name}", {loc: loop}, f"{loc}: cannot be read: Too many levels of symbolic links"),
            case(f"zero-bytes-{name}", {loc: b""}, f"{loc}:1:1: the file is empty"),
            case(f"whitespace-only-{name}", {loc: " \n\t\n  \n"}, f"{loc}:1:1: the file is empty"),
            case(f"too-large-{name}", {loc: larger_than(16)}, f"{loc}: larger than 16 MiB"),
            case(f"not-utf8-{name}", {loc: NOT_UTF8_START + text.encode()}, f"{loc}:1:6: the file is not UTF-8 (byte 5 is 0xe9) {UTF8_HINT}"),
            case(f"not-utf8-line-2-{name}", {loc: NOT_UTF8_LATER + text.encode()}, f"{loc}:2:4: the file is not UTF-8 (byte 13 is 0xff) {UTF8_HINT}"),
        ]
    for loc in (E, V):
        cases.append(case(f"comments-only-{LABELS[loc]}", {loc: "# to do\n"}, f"{loc}:1:1: the file is empty"))
    cases.append(case("comments-only-site.yaml", {"site.yaml": "# to do\n"}, "site.yaml:1:1: the file is empty"))
    return cases


def seed_cases() -> list:
    at = f"{S}:1:1: seed 'a.txt' is"
    return [
        case("seed-fifo", {"seeds/a.txt": fifo}, f"{at} not a regular file"),
        case("seed-folder", {"seeds/a.txt": folder}, f"{at} not a regular file"),
        case("seed-link-out", {"seeds/a.txt": link_out(SEED)}, f"{at} a link to outside the project (copy the file into the project)"),
        case("seed-link-dangling", {"seeds/a.txt": dangling}, f"{at} a link to a missing file"),
        case("seed-link-loop", {"seeds/a.txt": loop}, f"{at.removesuffix(' is')} cannot be read: Too many levels of symbolic links"),
        case("seed-zero-bytes", with_seed(b""), f"{at} empty"),
        case("seed-too-large", {"seeds/a.txt": larger_than(20)}, f"{at} larger than 20 MiB"),
        case("seed-not-utf8-line-2", with_seed(NOT_UTF8_LATER), f"{at} not UTF-8 (byte 13 is 0xff) {UTF8_HINT}"),
        case("seeds-folder-link-out", {"seeds/.keep": folder_out("seeds", {"a.txt": SEED})},
             f"{at} a link to outside the project (copy the file into the project)"),
        case("pages-folder-link-out", {"content/pages/.keep": folder_out("content/pages", {"about.md": PAGE})},
             f"{P}: a link to outside the project (copy the file into the project)"),
    ]


def name_cases() -> list:
    """File names whose bytes are not UTF-8 (Python holds them as surrogates): reported, shown as \\xe9."""
    cases = []
    for folder_name, suffix, text in (("entities", "yaml", ENTITIES), ("events", "yaml", EVENTS),
                                      ("dossiers", "yaml", GOOD), ("pages", "md", PAGE)):
        loc = f"content/{folder_name}/caf\udce9.{suffix}"
        cases.append(case(f"name-not-utf8-{folder_name}", {loc: text},
                          f"content/{folder_name}/caf\\xe9.{suffix}: the file name is not UTF-8 (rename the file)"))
    cases.append(case("name-with-newline-dossier", {S: None, "content/dossiers/a\nb.yaml": GOOD},
                      "content/dossiers/a\\nb.yaml:1:1: the file name gives the slug 'a\\nb', which is not valid (use lower-case letters, digits and single hyphens, e.g. ft-2021-musk-forum.yaml)"))
    cases.append(case("name-with-tab-page", {"content/pages/a\tb.md": PAGE}, "content/pages/a\\tb.md:1:1: page file name 'a\\tb' is not a valid slug"))
    return cases


# --- Meaning: one sidecar per seed, dates that exist, pages that keep off the site's sections ----

DATE_HELP = "(use e.g. 2021-05-21, 2021-02 (a month), 2019, 2023-12~ (about then), 2021? (not sure), 2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024))"


BAD_DATES = {
    "2024-00": "'2024-00' is not a valid EDTF date: there is no month 00",
    "2024-03-00": "'2024-03-00' is not a valid EDTF date: there is no day 00",
    "2024-00-01": "'2024-00-01' is not a valid EDTF date: there is no month 00",
    "2024-00/2025": "'2024-00/2025' is not a valid EDTF date: there is no month 00",
    "٢٠٢٤": f"'٢٠٢٤' is not a valid EDTF date {DATE_HELP}",
    "٢٠٢٤-٠٢": f"'٢٠٢٤-٠٢' is not a valid EDTF date {DATE_HELP}",
    "２０２４-02": f"'２０２４-02' is not a valid EDTF date {DATE_HELP}",
    "2024-0٢": f"'2024-0٢' is not a valid EDTF date {DATE_HELP}",
}
DATE_CASES = [
    case(f"date-{n}-event", {V: EVENTS.replace("date: 2024-02\n", f"date: '{text}'\n")}, f"{V}:8:9: date: {message}")
    for n, (text, message) in enumerate(BAD_DATES.items())
] + [
    case(f"date-{n}-published", {S: GOOD.replace("published: 2024-03-01", f"published: '{text}'")}, f"{S}:9:12: published: {message}")
    for n, (text, message) in enumerate(BAD_DATES.items())
]
SECTIONS = ["dossiers", "people", "organisations", "places", "products", "timeline", "search", "data", "assets", "pagefind"]
MEANING_CASES = [
    case("two-sidecars-one-seed", {"content/dossiers/second-report.yaml": GOOD},
         "content/dossiers/second-report.yaml:1:1: seed 'a.txt' already has a sidecar, content/dossiers/example-report.yaml (one sidecar per seed: merge the two files)"),
    case("two-sidecars-one-seed-first-by-name", {"content/dossiers/a-copy.yaml": GOOD},
         "content/dossiers/example-report.yaml:1:1: seed 'a.txt' already has a sidecar, content/dossiers/a-copy.yaml (one sidecar per seed: merge the two files)"),
] + [
    case(f"page-named-{name}", {f"content/pages/{name}.md": f"# {name.title()}\n\nA page.\n"},
         f"content/pages/{name}.md:1:1: a page named {name!r} would replace the site's own {name}/ (rename the file)")
    for name in SECTIONS
]

CASES = file_cases() + seed_cases() + name_cases() + DATE_CASES + MEANING_CASES


def test_the_catalogue_covers_every_class() -> None:
    assert len(CASES) >= 90


@pytest.mark.parametrize(("overrides", "expected"), CASES)
def test_hostile_input_is_reported_and_public_is_untouched(built: Path, tmp_path: Path, overrides: dict, expected: str) -> None:
    assert_refused(built, tmp_path, overrides, expected)


# --- What must still work ---------------------------------------------------------------------

SEPARATORS = {"line-separator": "\u2028", "paragraph-separator": "\u2029", "next-line": "\x85", "vertical-tab": "\v",
              "form-feed": "\f", "file-separator": "\x1c", "group-separator": "\x1d", "record-separator": "\x1e",
              "carriage-return": "\r"}


@pytest.mark.parametrize("separator", list(SEPARATORS.values()), ids=list(SEPARATORS))
def test_a_line_separator_inside_a_line_does_not_shift_the_anchors(tmp_path: Path, separator: str) -> None:
    """Lines are split at line feeds only, as editors number them: line 7 of the file is still #line-7."""
    seed = SEED.replace("on Friday, the Kremlin", f"on Friday,{separator} the Kremlin")
    project = write_project(tmp_path / "project", scratch_files(**{"seeds/a.txt": seed, S: sidecar("a.txt", seed)}))
    build(project, project / "public", search=False)
    html = (project / "public/dossiers/example-report/index.html").read_text(encoding="utf-8")
    assert re.findall(r'id="line-(\d+)"', html) == ["3", "7"]


def test_a_link_to_a_file_inside_the_project_is_read(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", scratch_files(**{"seeds/a.txt": None, "seeds/original.txt": SEED}))
    (project / "seeds/a.txt").symlink_to("original.txt")
    (project / "content/pages/about.md").rename(project / "page.md")
    (project / "content/pages/about.md").symlink_to(project / "page.md")
    build(project, project / "public", search=False)
    assert "A scratch investigation." in (project / "public/about/index.html").read_text(encoding="utf-8")
