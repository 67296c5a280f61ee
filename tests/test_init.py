"""`build.py init DIR`: a new investigation that builds at once, and never over someone's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline import scaffold
from threadline.cli import main


def test_init_builds_at_once_and_passes_the_strict_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = tmp_path / "second-investigation"
    assert main(["init", str(project)]) == 0
    assert main(["check", "--strict", "--project", str(project)]) == 0
    assert main(["build", "--project", str(project)]) == 0
    page = (project / "public/dossiers/example-report/index.html").read_text(encoding="utf-8")
    assert "Harbour authority approves new ferry terminal" in page
    assert (project / "public/people/ana-ruiz/index.html").is_file()
    assert (project / "content/pages/about.md").is_file() and (project / "templates/base.html").is_file()
    assert "0 warning(s)" in capsys.readouterr().out


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


def test_init_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "site.yaml").is_file()


def test_init_fails_clearly_without_the_shipped_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(scaffold, "shipped_templates", lambda: tmp_path / "nowhere" / "templates")
    assert main(["init", str(tmp_path / "p")]) == 1
    assert "init: the generator's templates are missing" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()
