"""Know when a build would change nothing: a fingerprint of every input, the generator and the output.

After a successful build the fingerprint is kept in PROJECT/.threadline-cache/; the next build
with the same fingerprint is skipped. Inputs count by their bytes, not their size and time: an
edit that keeps both (a tool that restores the time, a save within the clock's resolution)
must not be skipped. Outputs count by their stat: only builds write them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from stat import S_ISREG

INPUTS = ("site.yaml", "seeds", "content", "templates")
LIBRARIES = ("jinja2", "markdown", "pyyaml", "edtf", "jsonschema", "fastjsonschema", "pagefind")


def fingerprint(root: Path, out: Path, options: dict) -> str | None:
    """One hash of the options, the generator's code and libraries, every input's bytes and every output's stat.

    None when an input cannot be read: the build will say why.
    """
    digest = hashlib.blake2b(json.dumps(options, sort_keys=True).encode())
    for path in sorted(Path(__file__).parent.rglob("*"), key=str):
        if path.is_file() and path.suffix in (".py", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}".encode())
    try:
        for base in INPUTS:
            _contents(root / base, len(str(root)) + 1, digest)
        _stats(out, digest)
    except OSError:
        return None
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _contents(top: Path, cut: int, digest) -> None:
    """The name, size and bytes of every file below `top` (or of `top`); other kinds of file by their stat."""
    for path, stat in sorted(_files(str(top))):
        if S_ISREG(stat.st_mode):
            with open(path, "rb") as file:  # a file's size goes first: one file's end is never the next one's start
                digest.update(f"{path[cut:]}\0{stat.st_size}\0".encode() + file.read())
        else:  # a pipe or a device is never opened: reading it could wait for ever
            digest.update(f"{path[cut:]}\0{stat.st_mode}\0{stat.st_mtime_ns}\0".encode())


def _files(top: str) -> Iterator[tuple[str, os.stat_result]]:
    if os.path.isdir(top) and not os.path.islink(top):
        yield from _walk(top)
    elif os.path.lexists(top):
        yield top, os.stat(top)


def _stats(top: Path, digest) -> None:
    # os.scandir, not Path.rglob: at tens of thousands of files, Path objects cost most of the time.
    cut = len(str(top)) + 1
    lines = (f"{path[cut:]}\0{stat.st_mtime_ns}\0{stat.st_size}\n" for path, stat in _walk(str(top)))
    digest.update("".join(sorted(lines)).encode())


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every file below `folder` with its stat (following links to files); nothing when it is missing."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        else:
            yield entry.path, entry.stat()


def _stamp_file(root: Path) -> Path:
    return root / ".threadline-cache" / "last-build"


def up_to_date(root: Path, out: Path, options: dict) -> bool:
    """True when the last build from this project wrote `out` from exactly these inputs."""
    try:
        last = _stamp_file(root).read_text()
    except OSError:  # none yet, or unreadable: build
        return False
    return last == fingerprint(root, out, options)


def record(root: Path, out: Path, options: dict) -> None:
    """Keep the fingerprint of the build that just finished."""
    now = fingerprint(root, out, options)
    if now is not None:
        stamp = _stamp_file(root)
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(now)


def forget(root: Path) -> None:
    """A failed or interrupted build leaves nothing that could vouch for the output."""
    _stamp_file(root).unlink(missing_ok=True)
