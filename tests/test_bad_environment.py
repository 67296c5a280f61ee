# ruff: noqa: E501 (the cases quote whole messages)
"""A full disk, a name too long, a wrong --out, an interrupt or a bug: one line on stderr, never a traceback,
and the previous site exactly as it was.

Failures of the operating system are simulated (the tests may run with every permission).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import scratch_files, tree, write_project
from tests.test_bad_inputs import run
from threadline.cli import main
from threadline.preview.serve import Preview
from threadline.publish import modes, search, stamp
from threadline.publish.parallel import parallel_map
from threadline.site import plan, render

KEPT = "; the previous site is unchanged"
# How the operating system words each error, and how the build repeats it.
OS_ERRORS = {
    errno.ENOSPC: ("No space left on device", "no space left on device"),
    errno.ENAMETOOLONG: ("File name too long", "file name too long"),
    errno.EACCES: ("Permission denied", "permission denied"),
    errno.EROFS: ("Read-only file system", "read-only file system"),
    errno.EDQUOT: ("Disk quota exceeded", "disk quota exceeded"),
    errno.EIO: ("Input/output error", "input/output error"),
}
# Files of every kind the build writes: a page, a dossier, the Markdown dossier, data, the feed, an asset.
WRITTEN = ["index.html", "dossiers/example-report/index.html", "dossiers/example-report.md",
           "data/entities.json", "feed.xml", "assets/style.css"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid scratch investigation, built once."""
    project = write_project(tmp_path_factory.mktemp("good") / "project", scratch_files())
    assert main(["build", "--project", str(project)]) == 0
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built investigation, to break."""
    shutil.copytree(built, tmp_path / "project")
    return tmp_path / "project"


def failing_write(monkeypatch: pytest.MonkeyPatch, suffix: str, code: int) -> None:
    """Writing the file `suffix` of the site fails as the operating system would fail it."""
    real = Path.write_bytes

    def write(self: Path, data: bytes) -> int:
        if self.as_posix().split("/.public.", 1)[-1].partition("/")[2] == suffix:  # the path in the staging folder
            raise OSError(code, OS_ERRORS[code][0], str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write)


@pytest.mark.parametrize("code", list(OS_ERRORS), ids=[errno.errorcode[c] for c in OS_ERRORS])
@pytest.mark.parametrize("written", WRITTEN)
def test_a_failed_write_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch, written: str, code: int) -> None:
    before = tree(project / "public")
    failing_write(monkeypatch, written, code)
    result = run("build", "--project", str(project), "--force", "--jobs", "1")
    assert result == (1, [f"build failed: {OS_ERRORS[code][1]} while writing {written}{KEPT}"])
    assert tree(project / "public") == before


def test_a_failed_write_on_a_worker_process_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = modes.parallel_map
    monkeypatch.setattr(modes, "parallel_map", lambda *args, **kw: real(*args, **{**kw, "min_items": 1}))  # workers even for a small site
    failing_write(monkeypatch, "people/elon-musk/index.html", errno.ENOSPC)
    before = tree(project / "public")
    result = run("build", "--project", str(project), "--force", "--jobs", "2")
    assert result == (1, [f"build failed: no space left on device while writing people/elon-musk/index.html{KEPT}"])
    assert tree(project / "public") == before


def test_a_failed_copy_from_the_last_site_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first rebuild copies the unchanged files of the last site (write.Staging.carry): a copy can fail too."""
    assert run("build", "--project", str(project), "--force") == (0, [])  # recorded for this project
    shutil.rmtree(project / ".public.previous")  # no site before the last to rewrite: the next build copies
    (project / "content/pages/about.md").write_text("# About\n\nEdited.\n", encoding="utf-8")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", full)  # the files are linked, or else copied
    before = tree(project / "public")
    status, lines = run("build", "--project", str(project))
    assert status == 1 and len(lines) == 1
    assert lines[0].startswith("build failed: no space left on device while copying ")
    assert lines[0].endswith(f" from the last site{KEPT}")
    assert tree(project / "public") == before


def test_no_room_beside_the_output_folder_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(project / ".public.new-x"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    before = tree(project / "public")
    result = run("build", "--project", str(project), "--force")
    assert result == (1, [f"build failed: permission denied while making a folder for the site beside {project / 'public'}{KEPT}"])
    assert tree(project / "public") == before


def test_a_failed_search_document_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search, "_write_document", full)  # in the forked indexing process too
    indexing_fails(project, "no space left on device while writing the search document of page 'about'")


def test_a_search_part_whose_folder_cannot_be_made_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = Path.mkdir

    def full(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == "1" and self.parent.name.startswith("threadline-search"):  # the first part's documents
            raise OSError(errno.ENOSPC, "No space left on device")
        made(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", full)  # in the forked indexing process too
    indexing_fails(project, "no space left on device while making the folder of the search documents")


def indexing_fails(project: Path, why: str) -> None:
    """The build stops with the indexing's one line and leaves the site as it was."""
    before = tree(project / "public")
    assert run("build", "--project", str(project), "--force") == (
        1, [f"pagefind: search indexing failed: {why}", "build failed: 1 error(s); nothing was written"])
    assert tree(project / "public") == before


def test_a_name_too_long_for_the_file_system_is_reported_before_writing(project: Path) -> None:
    slug = "a" * 251
    (project / f"content/pages/{slug}.md").write_text("# Long\n\nA page.\n", encoding="utf-8")
    before = tree(project / "public")
    expected = [f"{slug}/index.html: page page 'Long' would be saved under a name of 251 bytes, more than file systems allow (250) (shorten the id or file name it comes from)"]
    assert run("build", "--project", str(project)) == (1, [*expected, "build failed: 1 error(s); nothing was written"])
    assert run("check", "--project", str(project)) == (1, [*expected, "check failed: 1 error(s); fix them and run it again"])
    assert tree(project / "public") == before
    (project / f"content/pages/{slug}.md").rename(project / f"content/pages/{slug[:250]}.md")
    assert run("build", "--project", str(project))[0] == 0


OUT_CASES = {  # --out relative to the project -> the problem
    "site.yaml": "the output folder is a file",
    "seeds/a.txt/site": "the output folder is inside {project}/seeds/a.txt, a file",
    ".": "the output folder holds the investigation, and a build replaces it whole",
    "..": "the output folder holds the investigation, and a build replaces it whole",
    "seeds": "the output folder is inside the investigation's seeds, and a build replaces it whole",
    "seeds/site": "the output folder is inside the investigation's seeds, and a build replaces it whole",
    "content/dossiers": "the output folder is inside the investigation's content, and a build replaces it whole",
    "templates/static": "the output folder is inside the investigation's templates, and a build replaces it whole",
}


@pytest.mark.parametrize(("out", "problem"), OUT_CASES.items(), ids=list(OUT_CASES))
def test_an_output_folder_that_a_build_must_not_replace(project: Path, out: str, problem: str) -> None:
    before = inputs_and_site(project)
    target = (project / out).resolve()
    code, lines = run("build", "--project", str(project), "--out", str(project / out))
    assert (code, lines) == (1, [f"{target}: {problem.format(project=project)} (choose a folder of its own, e.g. {project}/public)",
                                 "build failed: 1 error(s); nothing was written"])
    assert inputs_and_site(project) == before


def test_a_folder_holding_files_no_build_wrote_is_not_replaced(project: Path, tmp_path: Path) -> None:
    """`--out` naming someone's folder of documents: refused, every file left where it was; a site built there is not."""
    docs = tmp_path / "mydocs"
    docs.mkdir()
    (docs / "thesis.txt").write_text("years of work")
    code, lines = run("build", "--project", str(project), "--out", str(docs))
    assert (code, lines) == (1, [f"{docs}: the output folder holds files no build wrote (there is no .nojekyll in it), and a "
                                 f"build replaces it whole (choose a folder of its own, e.g. {project}/public)",
                                 "build failed: 1 error(s); nothing was written"])
    assert tree(docs) == {"thesis.txt": b"years of work"} and not (tmp_path / ".mydocs.previous").exists()
    (docs / "thesis.txt").unlink()  # an empty folder is the editor's to fill
    assert run("build", "--project", str(project), "--out", str(docs), "--no-search")[0] == 0
    assert run("build", "--project", str(project), "--out", str(docs), "--no-search", "--force")[0] == 0


def inputs_and_site(project: Path) -> dict[str, bytes]:
    """Every file beside the project and in it, but the record of the last build (a failed build forgets it)."""
    return {k: v for k, v in tree(project.parent).items() if not k.startswith("project/.threadline-cache/")}


def test_an_edit_that_keeps_size_and_time_is_built(project: Path) -> None:
    sidecar = project / "content/dossiers/example-report.yaml"
    assert run("build", "--project", str(project)) == (0, [])
    stat = sidecar.stat()
    text = sidecar.read_text(encoding="utf-8")
    edited = text.replace("has not published a readout", "has not published a READOUT")
    assert len(edited) == len(text) and edited != text
    sidecar.write_text(edited, encoding="utf-8")
    os.utime(sidecar, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert sidecar.stat().st_mtime_ns == stat.st_mtime_ns and sidecar.stat().st_size == stat.st_size
    assert main(["build", "--project", str(project)]) == 0
    assert "has not published a READOUT" in (project / "public/dossiers/example-report/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", [b"\xbb\x00\xff garbage", b"", b"plain words"])
def test_a_damaged_stamp_of_the_last_build_means_a_build(project: Path, damage: bytes) -> None:
    assert run("build", "--project", str(project), "--no-search")[0] == 0
    (project / ".threadline-cache/last-build").write_bytes(damage)
    edit = project / "content/dossiers/example-report.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace("has not published", "never published"), encoding="utf-8")
    assert run("build", "--project", str(project), "--no-search")[0] == 0
    assert "never published" in (project / "public/dossiers/example-report/index.html").read_text(encoding="utf-8")


def test_a_build_with_nothing_changed_is_still_skipped(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--project", str(project), "--force"]) == 0
    assert main(["build", "--project", str(project)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"up to date: nothing changed since the last build of {project / 'public'}"


def test_a_fifo_among_the_inputs_never_blocks_the_up_to_date_check(project: Path) -> None:
    os.mkfifo(project / "content/pages/notes.pipe")
    assert main(["build", "--project", str(project), "--force"]) == 0
    assert main(["build", "--project", str(project)]) == 0


def test_an_interrupted_build_keeps_the_previous_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(self: plan.Entry) -> render.Output:
        raise KeyboardInterrupt

    monkeypatch.setattr(plan.Entry, "render", interrupt)
    before = tree(project / "public")
    assert run("build", "--project", str(project), "--force") == (130, [f"build interrupted{KEPT}"])
    assert tree(project / "public") == before
    monkeypatch.undo()
    assert run("build", "--project", str(project)) == (0, [])  # not skipped: nothing vouches for the output


def test_a_bug_is_one_line_and_exit_2(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr("threadline.pipeline.cross_checked", bug)
    before = tree(project / "public")
    assert run("build", "--project", str(project), "--force") == (
        2, ["internal error: RuntimeError: a bug over two lines (please report it with the command you ran)"])
    assert run("check", "--project", str(project)) == (
        2, ["internal error: RuntimeError: a bug over two lines (please report it with the command you ran)"])
    assert tree(project / "public") == before
    files, problems, _ = Preview(project).build_once()
    assert files is None
    assert [str(p) for p in problems] == [
        "(build): internal error: RuntimeError: a bug over two lines (please report it with what you changed)"]


def test_a_file_the_system_refuses_to_read_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "seeds/a.txt")

    monkeypatch.setattr("threadline.pipeline.load_project", refuse)
    before = tree(project / "public")
    assert run("build", "--project", str(project), "--force") == (1, [f"build failed: permission denied (seeds/a.txt){KEPT}"])
    assert run("check", "--project", str(project)) == (1, ["check failed: permission denied (seeds/a.txt)"])
    assert tree(project / "public") == before


UNREADABLE_FOLDERS = {
    "content/entities": ["content/entities: the folder cannot be read: permission denied "
                         "(let the build read it, or move it out of the project)"],
    "templates/static": ["templates/static: the folder cannot be read: permission denied "
                         "(let the build read it, or move it out of the project)"],
    "seeds": ["content/dossiers/example-report.yaml:1:1: seed 'a.txt' cannot be looked for: seeds/ cannot be read: "
              "permission denied (let the build read it, or move it out of the project)"],
}


@pytest.mark.parametrize("folder", UNREADABLE_FOLDERS)
def test_a_folder_the_system_refuses_to_list_is_an_error_not_an_empty_one(project: Path, folder: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as empty, it would drop what it holds without a word (its pages, its assets, its entities)."""
    refused, real = str(project / folder), os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", refused)
        return real(path)

    if folder == "seeds":  # as for a folder without the permission to look a name up
        real_lexists = os.path.lexists
        monkeypatch.setattr(os.path, "lexists", lambda p: False if str(p).startswith(refused + "/") else real_lexists(p))
        shutil.rmtree(project / ".threadline-cache")  # in earnest, the seed's stat fails too: its kept load is not used
    monkeypatch.setattr(os, "scandir", scandir)
    before = tree(project / "public")
    for command in ("check", "build"):
        code, lines = run(command, "--project", str(project), *(["--force", "--no-search"] if command == "build" else []))
        assert (code, lines[:-1]) == (1, UNREADABLE_FOLDERS[folder]), command
    assert tree(project / "public") == before


@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org/#top/", "is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /"),
    ("http://[::1/", "is not a base URL: http:// or https://, no spaces, quotes or any of <>\\^`{|}#?[], ending with /"),
    ("https://example.org:99999/", "has no valid port (a number up to 65535)"),
])
def test_a_base_url_given_to_the_build_is_held_to_site_yamls_rules(project: Path, url: str, problem: str) -> None:
    before = tree(project / "public")
    assert run("build", "--project", str(project), "--base-url", url) == (
        1, [f"--base-url: base_url: {url!r} {problem}", "build failed: 1 error(s); nothing was written"])
    assert tree(project / "public") == before
    assert run("build", "--project", str(project), "--base-url", "https://example.org/preview", "--no-search")[0] == 0
    assert "https://example.org/preview/dossiers/example-report/" in (project / "public/sitemap.xml").read_text()


def test_a_file_the_system_refuses_to_read_is_said_so_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from threadline.errors import Problems
    from threadline.inputs import reading

    def refuse(path: Path, limit: int) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied")

    (tmp_path / "a.txt").write_text("words")
    monkeypatch.setattr(reading, "_read", refuse)
    problems = Problems()
    assert reading.read_input(tmp_path / "a.txt", tmp_path, problems, "seed 'a.txt'") is None
    assert [p.message for p in problems.items] == ["seed 'a.txt' cannot be read: Permission denied"]


def test_a_build_that_cannot_be_recorded_still_succeeds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("threadline.publish.stamp.record", refuse)
    assert run("build", "--project", str(project), "--force") == (
        0, ["warning: the build could not be recorded (permission denied); the next build will not be skipped"])


def test_a_kept_hash_is_not_trusted_once_the_file_changed(project: Path) -> None:
    options = {"out": "x"}
    inputs = stamp.read_inputs(project)
    inputs.taken_ns += 10 * stamp.MARGIN_NS  # as if recorded long after every file was written: hashes are trusted
    stamp.record(project, project / "public", options, inputs)
    assert stamp.up_to_date(project, project / "public", options, stamp.read_inputs(project))
    sidecar = project / "content/dossiers/example-report.yaml"
    stat = sidecar.stat()
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("readout", "READOUT"), encoding="utf-8")
    os.utime(sidecar, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not stamp.up_to_date(project, project / "public", options, stamp.read_inputs(project))


def _made_by(context: None, item: int) -> tuple[int, int]:
    time.sleep(0.4 if item < 3 else 0.001)  # the first three, the longest: this process is done before the worker
    return item, os.getpid()


def test_a_parallel_map_keeps_the_order_and_leaves_the_items_alone_to_the_workers() -> None:
    """This process works beside its workers, from the end of the list; the first items, the largest, are theirs."""
    made = parallel_map(_made_by, None, list(range(600)), workers=2, min_items=1, alone=3)
    assert [item for item, _ in made] == list(range(600))
    by = [pid for _, pid in made]
    assert os.getpid() not in by[:3] and os.getpid() in by[3:] and set(by) - {os.getpid()}


def test_a_parallel_map_of_few_items_besides_the_largest_leaves_them_all_to_the_workers() -> None:
    """An event's edit renders ten files of the open data and five pages: two workers share them, as they would
    share the largest files, and this process, which holds the whole investigation, holds none of them too."""
    made = parallel_map(_made_by, None, list(range(6)), workers=2, min_items=1, alone=4)
    assert [item for item, _ in made] == list(range(6))
    by = {pid for _, pid in made}
    assert os.getpid() not in by and len(by) == 2


def _sigint_handler(context: None, item: int) -> tuple[int, object]:
    time.sleep(0.05)  # long enough for the worker to take items too
    return os.getpid(), signal.getsignal(signal.SIGINT)


def test_ctrl_c_stops_only_the_parent_so_workers_print_no_traceback() -> None:
    made = parallel_map(_sigint_handler, None, list(range(8)), workers=2, min_items=1)
    by_worker = [handler for pid, handler in made if pid != os.getpid()]
    assert by_worker and by_worker == [signal.SIG_IGN] * len(by_worker)
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # the parent still stops on Ctrl-C, and works too
    assert len(by_worker) < len(made)
