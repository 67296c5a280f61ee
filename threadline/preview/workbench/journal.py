"""Writing the workbench's changes: checked by a build first, written atomically, each action undoable.

A change is checked on a shadow copy of the project (its content/ and site.yaml as the action
leaves them, beside copies of its seeds): the same load, validation and annotation as `build`,
in preview mode (a draft's TODOs are allowed, as in the preview). The action is refused when that
build has an error the project's own build does not have, so a workbench action never breaks
the site, while an error the editor made by hand elsewhere does not block every action. A new
warning does not refuse it (a draft passes through many), but the editor is told of it at once:
`check --strict` fails on it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from threadline.errors import BuildError, Problem
from threadline.pipeline import Session, analyse

SHADOWED = ("site.yaml", "content")


class WriteRefusedError(Exception):
    """A change the workbench must not write (outside content/, over a link, or changed since)."""


CHECKED = ("error", "warning")  # what the check compares: a draft's TODOs are neither, in the preview


def problems_of(root: Path, session: Session | None = None) -> list[Problem]:
    """The errors and warnings of the project's build."""
    try:
        inv = analyse(root, mode=session or Session(drafts="preview"))
    except BuildError as error:
        return [p for p in error.problems if p.severity in CHECKED]
    return [p for p in inv.problems.items if p.severity in CHECKED]


def new_problems(root: Path, changes: dict[str, str], known: list[Problem] | None = None,
                 kept: Session | None = None) -> list[Problem]:
    """The errors and warnings the project's build would have after `changes` that it does not have now.

    `known` are the errors and warnings the project has now, when the caller knows them (the preview
    does, from its last build); `kept` is the preview's session, whose reads and annotations of
    unchanged files the check reuses: the copy keeps their times and sizes.
    """
    before = {(p.path, p.message) for p in (problems_of(root) if known is None else known)}
    with tempfile.TemporaryDirectory(prefix="threadline-check-") as folder:
        shadow = Path(folder) / "project"
        _copy_project(root, shadow)
        for rel, text in changes.items():
            (shadow / rel).parent.mkdir(parents=True, exist_ok=True)
            (shadow / rel).write_text(text, encoding="utf-8")
        session = Session(drafts="preview")
        if kept is not None:
            session.files, session.annotations = kept.files.moved(root, shadow), dict(kept.annotations)
        return [p for p in problems_of(shadow, session) if (p.path, p.message) not in before]


def _copy_project(root: Path, shadow: Path) -> None:
    """What the check reads: site.yaml, content/ and the seeds (hard links where the disk allows)."""
    shadow.mkdir()
    for name in SHADOWED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, shadow / name, symlinks=True)
        elif source.exists():
            shutil.copy2(source, shadow / name)
    if (root / "seeds").is_dir():
        shutil.copytree(root / "seeds", shadow / "seeds", symlinks=True, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another disk, or a file system without hard links
        shutil.copy2(source, target)


def writable(root: Path, rel: str) -> Path:
    """The path of a file the workbench may write: a YAML file under content/, never through a link."""
    parts = PurePosixPath(rel).parts
    if parts[:1] != ("content",) or ".." in parts or not rel.endswith(".yaml") or "\\" in rel:
        raise WriteRefusedError(f"{rel}: the workbench writes only YAML files under content/")
    path = root / rel
    for ancestor in [path, *path.parents]:
        if ancestor == root:
            break
        if ancestor.is_symlink():
            raise WriteRefusedError(f"{rel}: the workbench does not write through a symbolic link")
    return path


def write_atomically(path: Path, text: str | None) -> None:
    """The file replaced whole (a reader sees the old text or the new), or removed when `text` is None."""
    if text is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Step:
    """One action as written: what it said, and each file's text before (None: it did not exist) and after."""

    said: str
    before: dict[str, str | None]
    after: dict[str, str]


@dataclass
class Journal:
    """The actions written in this server's life, the last first to be undone."""

    root: Path
    steps: list[Step] = field(default_factory=list)

    def write(self, said: str, changes: dict[str, str]) -> Step:
        paths = {rel: writable(self.root, rel) for rel in changes}
        before = {rel: _text_or_none(path) for rel, path in paths.items()}
        for rel, text in changes.items():
            write_atomically(paths[rel], text)
        step = Step(said, before, dict(changes))
        self.steps.append(step)
        return step

    def undo(self) -> Step:
        """The last action's files put back as they were; refused when a file changed since."""
        if not self.steps:
            raise WriteRefusedError("nothing to undo")
        step = self.steps[-1]
        paths = {rel: writable(self.root, rel) for rel in step.after}
        changed = [rel for rel, path in paths.items() if _text_or_none(path) != step.after[rel]]
        if changed:
            raise WriteRefusedError(f"{', '.join(changed)} changed since the action; undo it by hand")
        for rel, path in paths.items():
            write_atomically(path, step.before[rel])
        return self.steps.pop()


def _text_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
