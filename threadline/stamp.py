"""Know when a build would change nothing: a fingerprint of every input, the generator and the output.

After a successful build the fingerprint is kept in PROJECT/.threadline-cache/; the next build
with the same fingerprint is skipped. Stating twenty thousand files costs a fraction of a second,
where rebuilding ten thousand dossiers costs most of a minute.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

INPUTS = ("site.yaml", "seeds", "content", "templates")
LIBRARIES = ("jinja2", "markdown", "pyyaml", "edtf", "jsonschema", "fastjsonschema", "pagefind")


def fingerprint(root: Path, out: Path, options: dict) -> str:
    """One hash of the options, the generator's code and libraries, and the stat of every input and output."""
    digest = hashlib.blake2b(json.dumps(options, sort_keys=True).encode())
    for path in sorted(Path(__file__).parent.rglob("*"), key=str):
        if path.is_file() and path.suffix in (".py", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}".encode())
    for base in INPUTS:
        _stats(root / base, root, digest)
    _stats(out, out, digest)
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _stats(top: Path, relative_to: Path, digest) -> None:
    if top.is_file():
        stat = top.stat()
        digest.update(f"{top.relative_to(relative_to)}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    elif top.is_dir():
        # os.scandir, not Path.rglob: at tens of thousands of files, Path objects cost most of the time.
        # surrogateescape: a file name that is not UTF-8 is for the build to report, not to crash this
        digest.update("".join(sorted(_walk(str(top), len(str(relative_to)) + 1))).encode("utf-8", "surrogateescape"))


def _walk(folder: str, cut: int) -> Iterator[str]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path, cut)
            else:
                try:
                    stat = entry.stat()
                except OSError:  # a link to nothing, or to itself: the build reports it; its own stat here
                    stat = entry.stat(follow_symlinks=False)
                yield f"{entry.path[cut:]}\0{stat.st_mtime_ns}\0{stat.st_size}\n"


def _stamp_file(root: Path) -> Path:
    return root / ".threadline-cache" / "last-build"


def up_to_date(root: Path, out: Path, options: dict) -> bool:
    """True when the last build from this project wrote `out` from exactly these inputs."""
    stamp = _stamp_file(root)
    return stamp.is_file() and stamp.read_text() == fingerprint(root, out, options)


def record(root: Path, out: Path, options: dict) -> None:
    """Keep the fingerprint of the build that just finished."""
    stamp = _stamp_file(root)
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(fingerprint(root, out, options))


def forget(root: Path) -> None:
    """A failed or interrupted build leaves nothing that could vouch for the output."""
    _stamp_file(root).unlink(missing_ok=True)
