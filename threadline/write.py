"""Write the whole site at once: into a temporary folder, then swapped in by renaming."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
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


def write_site(outputs: list[Output], out: Path, finish: Callable[[Path], None] | None = None,
               previous: Written | None = None) -> Written:
    """Replace `out` with exactly these files; on any failure `out` is left as it was.

    `finish`, if given, runs on the complete staging folder before it is swapped in (the search
    indexer writes its bundle there), so a failure in it also leaves `out` untouched. Files equal
    to those of `previous` are hard-linked from it: on a rebuild most files are unchanged, and a
    link costs a fifth of a write.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for folder in sorted({(staging / o.path).parent for o in outputs}):
            folder.mkdir(parents=True, exist_ok=True)
        for output in outputs:
            _put(staging / output.path, output, previous)
        if finish:
            finish(staging)
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(out, {o.path: o.content for o in outputs})


def _put(target: Path, output: Output, previous: Written | None) -> None:
    if previous and previous.contents.get(output.path) == output.content:
        try:
            os.link(previous.folder / output.path, target)
            return
        except OSError:  # the previous site is gone or on another file system: write it
            pass
    target.write_bytes(output.content)


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
