"""Editors publish alone: adding an article changes seeds/ and content/ only, and no test reads those.

The generator's tests build tests/fixture (or scratch projects); the live investigation is held by
`build.py check --strict --links` in `make test`. This file proves both halves on a copy of the
repository with a new article added: no test source names the live content, and the check passes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

# The ways a test could read the live investigation: a path into it, the repository root passed to
# a call (build(REPO, ...), analyse(REPO); naming a path relative to it reads nothing), or the root
# spelt out and passed on.
LIVE = [re.compile(r"""REPO\s*/\s*["'](seeds|content|site\.yaml)\b"""),
        re.compile(r"(?<!relative_to)\(\s*REPO\s*[,)]"),
        re.compile(r"\.parent\.parent\s*[,)]")]
# What a copy of the repository leaves out: the virtualenv, builds, caches, version control.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "public", ".public.*", "__pycache__", ".pytest_cache",
                                    ".ruff_cache", ".bench", "test-artifacts", ".threadline-cache")

SEED = """\
Harbour dredging contract signed

Ottilie Brennecke-Vance signed a dredging contract on Tuesday, her office said.
"""


def reads_of_live_content(source: str) -> list[str]:
    """The lines of a test source that read the live investigation."""
    return [line.strip() for line in source.splitlines() if any(p.search(line) for p in LIVE)]


def test_the_detector_finds_every_way_tests_used_to_read_the_live_content() -> None:
    old = ['build(REPO, tmp_path / "one")', "inv = analyse(REPO)", "project = load_project(REPO, Problems())",
           'seeds = sorted(p.name for p in (REPO / "seeds").glob("*.txt"))', 'REPO / "content/entities"',
           '(REPO / "site.yaml").read_text()', "build(Path(__file__).resolve().parent.parent, out, search=False)"]
    assert reads_of_live_content("\n".join(old)) == old
    fine = ['shutil.copytree(REPO / "templates", root)', "cwd=REPO", 'str(REPO / "build.py")', "build(FIXTURE, out)",
            "path.relative_to(REPO)"]
    assert reads_of_live_content("\n".join(fine)) == []


def test_no_test_reads_the_live_investigation() -> None:
    sources = [p for p in sorted((REPO / "tests").rglob("*.py")) if p != Path(__file__)]
    assert len(sources) > 10
    found = {p.name: reads for p in sources if (reads := reads_of_live_content(p.read_text(encoding="utf-8")))}
    assert found == {}, "tests must build tests/fixture or a scratch project, never seeds/ and content/"


def check(project: Path) -> tuple[int, int, int]:
    """Run the project's own `build.py check --strict`; the dossiers, entities and events it counted."""
    done = subprocess.run([sys.executable, str(project / "build.py"), "check", "--strict", "--project", str(project)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    counts = re.fullmatch(r"ok: (\d+) dossiers, (\d+) entities, (\d+) events, 0 warning\(s\)\n", done.stdout)
    assert counts, done.stdout
    return int(counts[1]), int(counts[2]), int(counts[3])


def add_article(project: Path) -> None:
    """What EDITING.md asks of an editor: a seed, its sidecar, a new entity and a new event."""
    (project / "seeds/publish-alone-dredging.txt").write_text(SEED, encoding="utf-8")
    files = {
        "content/entities/publish-alone.yaml": """\
            - id: ottilie-brennecke-vance
              kind: person
              name: Ottilie Brennecke-Vance
              description: Signed a dredging contract.
            """,
        "content/events/publish-alone.yaml": """\
            - id: brennecke-vance-signs-dredging-contract
              date: 2025-03-04
              date_basis: '"On Tuesday" in a report of Friday 7 March 2025.'
              title: Ottilie Brennecke-Vance signs a dredging contract
              status: reported
              entities: [ottilie-brennecke-vance]
            """,
        "content/dossiers/publish-alone-dredging.yaml": f"""\
            seed: publish-alone-dredging.txt
            sha256: {hashlib.sha256(SEED.encode("utf-8")).hexdigest()}
            headline: Harbour dredging contract signed
            headline_by: source
            outlet: null
            outlet_basis: The text names no outlet.
            author: null
            author_basis: No byline.
            published: 2025-03-07
            published_basis: Stated in the test.
            boilerplate: []
            notes:
              - passage: her office said
                text: No statement was published.
            quotes: []
            events:
              - event: brennecke-vance-signs-dredging-contract
                quote: Ottilie Brennecke-Vance signed a dredging contract on Tuesday
            """,
    }
    for name, text in files.items():
        (project / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_new_article_passes_the_check_with_no_change_to_tests(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(REPO, tmp_path / "repo", symlinks=True, ignore=NOT_COPIED))
    tests_before = {p: p.read_bytes() for p in sorted((copy / "tests").rglob("*")) if p.is_file()}
    dossiers, entities, events = check(copy)
    add_article(copy)
    assert check(copy) == (dossiers + 1, entities + 1, events + 1)
    assert {p: p.read_bytes() for p in sorted((copy / "tests").rglob("*")) if p.is_file()} == tests_before
