"""Write the whole site at once: into a temporary folder, then swapped in by renaming."""

from __future__ import annotations

import os
import shutil
import tempfile
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


def write_site(outputs: list[Output], out: Path) -> None:
    """Replace `out` with exactly these files; on any failure `out` is left as it was."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.content)
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
