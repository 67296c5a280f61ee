# ruff: noqa: E501 (the catalogue quotes whole messages)
"""Broken templates: every error is reported as `templates/<file>:<line>: message` by build, check and the preview.

Each case starts from the valid scratch investigation, built once, breaks one template in a
copy and asserts the exact lines on stderr (so no traceback), exit 1 and public/ unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, scratch_files, tree, write_project
from tests.test_bad_inputs import run
from threadline.cli import main
from threadline.preview.serve import Preview
from threadline.publish import modes

TEMPLATES = sorted(p.name for p in (REPO / "templates").glob("*.html"))
CHILDREN = [name for name in TEMPLATES if name not in ("base.html", "macros.html")]
BUILD_FAILED = "build failed: {n} error(s); nothing was written"

# The line after which an inserted line is rendered: inside the main block, the page's body or a macro
# that the home page calls.
ANCHORS = (b"{% block main %}", b"<body ", b"{% macro dossier_item(")

# The first page the build renders from each template (pages render in a fixed order: the timeline,
# home, dossier list, search, data and 404 pages, the kind indexes, free pages, dossiers, then entities).
FIRST_PAGES = {
    "404.html": "404.html", "base.html": "timeline/index.html", "data.html": "data/index.html",
    "dossier.html": "dossiers/example-report/index.html",
    "dossiers.html": "dossiers/index.html", "entity.html": "people/elon-musk/index.html", "home.html": "index.html",
    "kind_index.html": "people/index.html", "macros.html": "index.html", "page.html": "about/index.html",
    "search.html": "search/index.html", "timeline.html": "timeline/index.html",
}


def insertion_line(source: bytes) -> int:
    """The 1-based number a line inserted by `break_template` gets."""
    lines = source.splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(ANCHORS)) + 1


def break_template(source: bytes, snippet: str | bytes) -> bytes:
    """The template with `snippet` on a line of its own at `insertion_line`."""
    raw = snippet.encode("utf-8") if isinstance(snippet, str) else snippet
    lines = source.splitlines(keepends=True)
    at = insertion_line(source) - 1
    return b"".join([*lines[:at], raw + b"\n", *lines[at:]])


# What goes on a rendered line of a template, and what it is reported as (after `templates/<file>:<line>: `).
BREAKAGES = {
    "syntax-error": ("{% if %}", "template syntax error: Expected an expression, got 'end of statement block'"),
    "unknown-filter": ("{{ 1 | no_such_filter }}", "template syntax error: No filter named 'no_such_filter'."),
    "undefined": ("{{ no_such_variable }}", "'no_such_variable' is undefined"),
    "attribute-of-none": ("{% set n = none %}{{ n.y.z }}", "'None' has no attribute 'y'"),
    "missing-include": ('{% include "no-such.html" %}', "template 'no-such.html' not found in templates/"),
    "missing-import": ('{% from "no-such.html" import x %}{{ x() }}', "template 'no-such.html' not found in templates/"),
    "division-by-zero": ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
    "filter-on-wrong-type": ('{{ "text" | round }}', "TypeError: type str doesn't define __round__ method"),
    "not-utf8": (b"caf\xe9", None),
}
COMPILE_TIME = ("syntax-error", "unknown-filter", "not-utf8")  # found before any page renders: no page named


def _line_case(template: str, breakage: str) -> object:
    snippet, message = BREAKAGES[breakage]
    original = (REPO / "templates" / template).read_bytes()
    line = insertion_line(original)
    if breakage == "not-utf8":
        at = len(b"".join(original.splitlines(keepends=True)[:line - 1])) + 3
        message = f"the template is not UTF-8 (byte {at} is 0xe9) (convert it to UTF-8 first)"
    where = "" if breakage in COMPILE_TIME else f" (while rendering {FIRST_PAGES[template]})"
    expected = [f"templates/{template}:{line}: {message}{where}"]
    return pytest.param({template: break_template(original, snippet)}, expected, id=f"{template}-{breakage}")


def _whole_file_cases() -> list:
    cases = []
    for name in CHILDREN:
        page = FIRST_PAGES[name]
        source = (REPO / "templates" / name).read_bytes()
        cases += [
            pytest.param({name: source.replace(b'{% extends "base.html" %}', b'{% extends "no-such-base.html" %}')},
                         [f"templates/{name}:1: template 'no-such-base.html' not found in templates/ (while rendering {page})"], id=f"{name}-missing-extends"),
            pytest.param({name: None}, [f"templates/{name}: the template is missing (while rendering {page})"], id=f"{name}-deleted"),
            pytest.param({name: "folder"}, [f"templates/{name}: the template is a folder, not a file (while rendering {page})"], id=f"{name}-is-a-folder"),
        ]
    cases += [pytest.param({name: "fifo"}, [f"templates/{name}: the template is not a regular file (a pipe, socket or device?)"], id=f"{name}-is-a-fifo")
              for name in TEMPLATES]
    cases += [pytest.param({name: b" \n"}, [f"templates/{name}:1: the template is empty (restore it; to leave a part out on purpose, "
                                            "write a comment in it: {# left out #})"], id=f"{name}-is-empty")
              for name in TEMPLATES]
    cases.append(pytest.param({"base.html": "folder"}, sorted(
        f"templates/{name}:1: template 'base.html' is a folder, not a file (while rendering {FIRST_PAGES[name]})" for name in CHILDREN),
        id="base.html-is-a-folder"))
    cases.append(pytest.param({"static/style.css": "fifo"}, ["templates/static/style.css: cannot copy the static file: not a regular file (a pipe, socket or device?)"],
                              id="static-file-is-a-fifo"))
    return cases


CASES = [_line_case(t, b) for t in TEMPLATES for b in BREAKAGES] + _whole_file_cases()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid scratch investigation, built once."""
    project = write_project(tmp_path_factory.mktemp("good") / "project", scratch_files())
    assert main(["build", "--project", str(project)]) == 0
    return project


def broken_copy(built: Path, tmp_path: Path, changes: dict) -> Path:
    """A copy of the built project with templates changed: bytes, None (removed), "folder" or "fifo"."""
    project = tmp_path / "project"
    shutil.copytree(built, project)
    for name, change in changes.items():
        path = project / "templates" / name
        path.unlink()
        if change == "folder":
            path.mkdir()
        elif change == "fifo":
            os.mkfifo(path)
        elif change is not None:
            path.write_bytes(change)
    return project


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_a_broken_template_is_reported_at_its_line(built: Path, tmp_path: Path, changes: dict, expected: list[str]) -> None:
    project = broken_copy(built, tmp_path, changes)
    before = tree(project / "public")
    code, lines = run("build", "--project", str(project))
    assert (code, lines) == (1, [*expected, BUILD_FAILED.format(n=len(expected))])
    assert tree(project / "public") == before
    code, lines = run("check", "--project", str(project))
    assert (code, lines) == (1, [*expected, f"check failed: {len(expected)} error(s); fix them and run it again"])
    files, problems, inv = Preview(project).build_once()
    assert (files, [str(p) for p in problems], inv) == (None, expected, None)


def test_template_errors_come_back_from_worker_processes(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = modes.parallel_map
    monkeypatch.setattr(modes, "parallel_map", lambda *args, **kw: real(*args, **{**kw, "min_items": 1}))  # workers even for a small site
    source = (REPO / "templates/entity.html").read_bytes()
    project = broken_copy(built, tmp_path, {"entity.html": break_template(source, b"{{ 1 / 0 }}")})
    before = tree(project / "public")
    code, lines = run("build", "--project", str(project), "--jobs", "2")
    line = insertion_line(source)
    assert (code, lines) == (1, [f"templates/entity.html:{line}: ZeroDivisionError: division by zero (while rendering people/elon-musk/index.html)",
                                 BUILD_FAILED.format(n=1)])
    assert tree(project / "public") == before


def test_the_preview_recovers_when_the_template_is_fixed(built: Path, tmp_path: Path) -> None:
    source = (REPO / "templates/page.html").read_bytes()
    project = broken_copy(built, tmp_path, {"page.html": break_template(source, b"{{ no_such_variable }}")})
    preview = Preview(project)
    assert preview.build_once()[0] is None
    (project / "templates/page.html").write_bytes(source)
    files, problems, _ = preview.build_once()
    assert problems == [] and files is not None and "about/index.html" in files


def test_check_says_ok_only_when_every_page_renders(built: Path, tmp_path: Path) -> None:
    project = broken_copy(built, tmp_path, {})
    assert run("check", "--project", str(project)) == (0, [])


def test_every_broken_template_is_reported_in_one_run(built: Path, tmp_path: Path) -> None:
    changes = {name: break_template((REPO / "templates" / name).read_bytes(), snippet)
               for name, snippet in [("entity.html", "{{ 1 / 0 }}"), ("page.html", "{{ no_such_variable }}"),
                                     ("search.html", "{% if %}"), ("404.html", b"caf\xe9")]}
    project = broken_copy(built, tmp_path, changes)
    bad_byte = changes["404.html"].index(b"\xe9")
    compiled = [f"templates/404.html:{insertion_line(changes['404.html'])}: the template is not UTF-8 (byte {bad_byte} is 0xe9) (convert it to UTF-8 first)",
                f"templates/search.html:{insertion_line(changes['search.html'])}: template syntax error: Expected an expression, got 'end of statement block'"]
    assert run("build", "--project", str(project)) == (1, [*compiled, BUILD_FAILED.format(n=2)])
    for name in ("404.html", "search.html"):  # once they compile, every error of rendering shows at once
        (project / "templates" / name).write_bytes((REPO / "templates" / name).read_bytes())
    rendered = [f"templates/entity.html:{insertion_line(changes['entity.html'])}: ZeroDivisionError: division by zero (while rendering people/elon-musk/index.html)",
                f"templates/page.html:{insertion_line(changes['page.html'])}: 'no_such_variable' is undefined (while rendering about/index.html)"]
    assert run("build", "--project", str(project)) == (1, [*rendered, BUILD_FAILED.format(n=2)])
