"""`build.py init DIR`: a new investigation that builds at once, and never over someone's files."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from threadline.cli import main
from threadline.tools import scaffold


def test_init_builds_at_once_and_the_strict_check_asks_for_its_own_settings(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture) -> None:
    project = tmp_path / "second-investigation"
    assert main(["init", str(project)]) == 0
    assert main(["check", "--project", str(project)]) == 0
    assert main(["build", "--project", str(project)]) == 0
    page = (project / "public/dossiers/example-report/index.html").read_text(encoding="utf-8")
    assert "Harbour authority approves new ferry terminal" in page
    assert (project / "public/people/ana-ruiz/index.html").is_file()
    assert (project / "content/pages/about.md").is_file() and (project / "templates/base.html").is_file()
    capsys.readouterr()
    assert main(["check", "--strict", "--project", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/pages/about.md:1:1: warning: this page is still the example that `init` wrote "
        "(say who made the investigation, what it looked at and how)",
        "site.yaml:2:1: warning: title is still the example that `init` wrote: 'A new investigation' "
        "(replace it with this investigation's own)",
        "site.yaml:3:1: warning: description is still the example that `init` wrote: "
        "'One sentence on what this investigation is about.' (replace it with this investigation's own)",
        "site.yaml:5:1: warning: base_url is still the example that `init` wrote: "
        "'https://example.github.io/new-investigation/' (replace it with this investigation's own)",
        "site.yaml:6:1: warning: publisher is still the example that `init` wrote: 'Your newsroom' "
        "(replace it with this investigation's own)",
        "check failed: 5 warning(s) with --strict",
    ]


def test_once_its_examples_are_replaced_the_new_investigation_passes_the_strict_check(tmp_path: Path) -> None:
    project = tmp_path / "p"
    scaffold.init_project(project)
    site = (project / "site.yaml").read_text(encoding="utf-8")
    for old, new in [("A new investigation", "Harbour works"), ("One sentence on what this investigation is about.", "Ferries."),
                     ("new-investigation", "harbour"), ("Your newsroom", "The Harbour Gazette")]:
        site = site.replace(old, new)
    (project / "site.yaml").write_text(site, encoding="utf-8")
    (project / "content/pages/about.md").write_text("# About\n\nThe Gazette's desk read the minutes.\n", encoding="utf-8")
    assert main(["check", "--strict", "--project", str(project)]) == 0


def test_the_commands_init_prints_work_as_printed(tmp_path: Path) -> None:
    """Run from the repository as the README says; each printed command is run as printed."""
    repo = Path(__file__).resolve().parent.parent
    venv_python = os.path.relpath(sys.executable, repo)
    done = subprocess.run([sys.executable, "build.py", "init", str(tmp_path / "p")], cwd=repo, capture_output=True, text=True)
    printed = [line.split("    ")[0].strip() for line in done.stdout.splitlines()[1:]]
    assert [shlex.split(c)[:3] for c in printed] == [[venv_python, "build.py", verb] for verb in ("serve", "new", "check")]
    (tmp_path / "p/seeds/YOUR-SOURCE.txt").write_text("A headline\n\nA ferry sailed on Monday.\n", encoding="utf-8")
    new = subprocess.run(shlex.split(printed[1]), cwd=repo, capture_output=True, text=True)
    assert new.returncode == 0, new.stderr
    assert (tmp_path / "p/content/dossiers/your-source.yaml").is_file()
    check = subprocess.run(shlex.split(printed[2]), cwd=repo, capture_output=True, text=True)
    assert check.returncode == 1 and "content/dossiers/your-source.yaml:" in check.stderr  # runs: the draft is unconfirmed


def test_init_writes_schema_comments_that_point_at_real_files(tmp_path: Path) -> None:
    project = tmp_path / "p"
    scaffold.init_project(project)
    for name in ["site.yaml", "content/entities/entities.yaml", "content/events/events.yaml",
                 "content/dossiers/example-report.yaml"]:
        first = (project / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), name
        schema = (project / name).parent / first.split("=", 1)[1]
        assert schema.resolve().is_file(), name


@pytest.mark.parametrize("existing", ["file.txt", ".hidden"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, existing: str, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / existing).write_text("someone's work")
    assert main(["init", str(tmp_path)]) == 1
    assert f"init: {tmp_path} is not empty; give a new or empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_init_on_a_file_says_it_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("someone's work")
    assert main(["init", str(tmp_path / "notes.txt")]) == 1
    assert capsys.readouterr().err == f"init: {tmp_path / 'notes.txt'} is a file, not a folder; give a new or empty folder\n"
    assert (tmp_path / "notes.txt").read_text() == "someone's work"


def test_init_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "site.yaml").is_file()


def test_init_fails_clearly_without_the_shipped_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(scaffold, "shipped_templates", lambda: tmp_path / "nowhere" / "templates")
    assert main(["init", str(tmp_path / "p")]) == 1
    assert "init: the generator's templates are missing" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()
