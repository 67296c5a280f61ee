"""Write the whole site at once: into a temporary folder, then swapped in by renaming."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Problem
from .render import Output


def refuse_collisions(outputs: list[Output]) -> None:
    """Two pages that would write one path are an error, never a silent overwrite."""
    seen: dict[str, Output] = {}
    problems = []
    for output in outputs:
        key = output.path.lower()  # case-insensitive file systems would merge them too
        if key in seen:
            problems.append(Problem(output.path, 0, 0, f"{output.source} and {seen[key].source} both write this path"))
        seen.setdefault(key, output)
    if problems:
        raise BuildError(problems)


@dataclass
class Written:
    """A complete site on disk and the bytes of its files: a next build links the unchanged ones."""

    folder: Path
    contents: dict[str, bytes]


class Staging:
    """A temporary folder beside `out` that becomes `out` only when the whole build succeeded.

    Files are put into it as they are made (worker processes put their own pages, so the site
    never has to be held in memory at once); leaving the `with` block with an error removes it
    and leaves `out` exactly as it was. Files equal to those of `previous`
    are hard-linked from it: on a rebuild most files are unchanged, and a link costs a fifth of
    a write.
    """

    def __init__(self, out: Path, previous: Written | None = None):
        self.out, self.previous = out.resolve(), previous
        self.folder = Path()
        self.made: set[Path] = set()  # folders made by this process, so each is made once

    def __enter__(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        return self

    def put(self, output: Output) -> None:
        target = self.folder / output.path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)  # another worker may have made it: fine
            self.made.add(target.parent)
        if self.previous and self.previous.contents.get(output.path) == output.content:
            try:
                os.link(self.previous.folder / output.path, target)
                return
            except OSError:  # the previous site is gone or on another file system: write it
                pass
        target.write_bytes(output.content)

    def __exit__(self, kind, error, trace) -> None:
        try:
            if error is None:
                swap_in(self.folder, self.out)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)  # gone already after a successful swap


def swap_in(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is with two renames; the old tree is removed afterwards."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, old / "site")
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(old / "site", out)  # put the previous site back
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what a build killed mid-way left: restore a site moved aside, drop half-written trees."""
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if (old / "site").is_dir() and not out.exists():
            os.replace(old / "site", out)  # killed between the two renames of swap_in
        shutil.rmtree(old, ignore_errors=True)
    for staging in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(staging, ignore_errors=True)
