"""A TODO left anywhere an editor writes is never published, is listed by `build.py todo`, and previews."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEED, scratch_files, sidecar, tree, write_project
from threadline.cli import main
from threadline.inputs.todo import markers
from threadline.pipeline import Session, build_in_memory
from threadline.preview.serve import with_banners

SIDECAR = "content/dossiers/example-report.yaml"
# A scratch project with a TODO in a sidecar's value, a comment of an entity file and a page.
TODOS = {
    SIDECAR: sidecar("a.txt", SEED).replace("outlet_basis: Stated in the masthead.",
                                            'outlet_basis: "TODO: <b>check</b> the masthead"'),
    "content/entities/all.yaml": "# TODO confirm Moscow's description\n" + scratch_files()["content/entities/all.yaml"],
    "content/pages/about.md": "# About\n\nA scratch investigation. TODO: say who we are.\n",
}
HINT = "(confirm or correct it, then remove the TODO)"
ERRORS = [
    f"content/dossiers/example-report.yaml:6:16: unconfirmed draft: outlet_basis: \"TODO: <b>check</b> the masthead\" {HINT}",
    f"content/entities/all.yaml:1:3: unconfirmed draft: # TODO confirm Moscow's description {HINT}",
    f"content/pages/about.md:3:26: unconfirmed draft: A scratch investigation. TODO: say who we are. {HINT}",
]


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", scratch_files(**TODOS))


def test_every_todo_fails_the_build_and_nothing_is_written(drafted: Path, capsys: pytest.CaptureFixture) -> None:
    clean = write_project(drafted.parent / "clean", scratch_files())
    assert main(["build", "--project", str(clean), "--out", str(drafted / "public"), "--no-search"]) == 0
    before = tree(drafted / "public")
    capsys.readouterr()
    assert main(["build", "--project", str(drafted), "--no-search"]) == 1
    assert capsys.readouterr().err.splitlines() == [*ERRORS, "build failed: 3 error(s); nothing was written"]
    assert tree(drafted / "public") == before


def test_check_strict_fails_on_every_todo(drafted: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--strict", "--project", str(drafted)]) == 1
    assert capsys.readouterr().err.splitlines() == [*ERRORS, "check failed: 3 error(s); fix them and run it again"]


def test_todo_lists_what_is_left_by_file_and_line(drafted: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["todo", "--project", str(drafted)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        'content/dossiers/example-report.yaml:6: outlet_basis: "TODO: <b>check</b> the masthead"',
        "content/entities/all.yaml:1: # TODO confirm Moscow's description",
        "content/pages/about.md:3: A scratch investigation. TODO: say who we are.",
        "3 item(s) left to confirm",
    ]


def test_todo_says_when_nothing_is_left(scratch: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["todo", "--project", str(scratch)]) == 0
    assert capsys.readouterr().out == "nothing left to confirm\n"


@pytest.mark.parametrize(("text", "found"), [
    ("published: TODO\n", [(1, 12, "published: TODO")]),
    ("a: 1\n  b: x  # TODO confirm\n", [(2, 11, "b: x  # TODO confirm")]),
    ("TODO_confirm_every_guess_below_then_delete_this_line: true\n",
     [(1, 1, "TODO_confirm_every_guess_below_then_delete_this_line: true")]),
    ("note: TODOS, todo and MYTODO are other words\n", []),
])
def test_a_marker_is_the_word_todo_in_capitals(text: str, found: list) -> None:
    assert list(markers(text)) == found


def test_published_todo_is_reported_once_as_a_draft(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = sidecar("a.txt", SEED).replace("published: 2024-03-01", "published: TODO")
    project = write_project(tmp_path / "p", scratch_files(**{SIDECAR: text}))
    assert main(["check", "--project", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{SIDECAR}:9:12: unconfirmed draft: published: TODO {HINT}",
        "check failed: 1 error(s); fix them and run it again"]


def test_the_preview_builds_a_draft_and_banners_its_page_only(drafted: Path) -> None:
    text = (drafted / SIDECAR).read_text().replace("published: 2024-03-01", "published: TODO")
    (drafted / SIDECAR).write_text(text)
    inv, files = build_in_memory(drafted, Session(drafts="preview"))
    assert [p.line for p in inv.problems.drafts] == [6, 9, 1, 3]
    assert b"undated" in files["dossiers/example-report/index.html"]
    shown = with_banners(files, inv.problems.drafts)
    page = shown["dossiers/example-report/index.html"].decode()
    assert page.count('id="threadline-draft" role="note"') == 1
    assert "<li>6: outlet_basis: &quot;TODO: &lt;b&gt;check&lt;/b&gt; the masthead&quot;</li>" in page
    assert "<li>9: published: TODO</li>" in page and "<b>check</b>" not in page
    assert "<li>3: A scratch investigation. TODO: say who we are.</li>" in shown["about/index.html"].decode()
    assert "content/entities/all.yaml" in shown["index.html"].decode()  # a file with no page of its own
    assert b"threadline-draft" not in shown["timeline/index.html"] and b"threadline-draft" not in files["index.html"]


def test_the_same_draft_fails_a_session_that_builds(drafted: Path) -> None:
    from threadline.errors import BuildError

    with pytest.raises(BuildError) as failed:
        build_in_memory(drafted, Session())
    assert [str(p) for p in failed.value.problems] == ERRORS


def test_the_stub_files_new_writes_are_bannered_on_their_dossiers_page(tmp_path: Path) -> None:
    seed = "Harbour talks\n\nAna Ruiz met Tomas Vidal in Lisbon on Friday.\n\n2024-03-01\n"
    project = write_project(tmp_path / "p", scratch_files(**{"seeds/talks.txt": seed}))
    assert main(["new", "--project", str(project), "seeds/talks.txt"]) == 0
    inv, files = build_in_memory(project, Session(drafts="preview"))
    page = with_banners(files, inv.problems.drafts)["dossiers/talks/index.html"].decode()
    for kind in ("dossiers", "entities", "events"):
        assert f"left to confirm in <code>content/{kind}/talks.yaml</code>" in page
    assert "<code>build.py todo</code> lists what is left across the investigation" in page


def test_todo_reads_files_as_the_build_does(scratch: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A pipe is never opened (it would wait for ever); a link out of the project is never followed."""
    os.mkfifo(scratch / "content/dossiers/pipe.yaml")
    secret = tmp_path / "secret.yaml"
    secret.write_text("- note: TODO secret\n")
    (scratch / "content/events/linked.yaml").symlink_to(secret)
    assert main(["todo", "--project", str(scratch)]) == 1  # the list leaves out what could not be read
    out, err = capsys.readouterr()
    assert out == "nothing left to confirm\n"
    assert err.splitlines() == ["content/dossiers/pipe.yaml: not a regular file",
                                "content/events/linked.yaml: a link to outside the project (copy the file into the project)",
                                "todo: 2 file(s) could not be read; fix them and run it again"]
