"""Know when a build would change nothing: a fingerprint of every input, the generator and the output.

After a successful build the fingerprint is kept in PROJECT/.threadline-cache/; the next build
with the same fingerprint is skipped. Inputs count by their bytes, not their size and time: an
edit that keeps both (a tool that restores the time, two saves within the clock's resolution)
must not be skipped. Reading twenty thousand files would cost most of the second a no-op build
may take, so each file's hash is kept with its stat, and reused while the stat is the same
and the file's ctime is older than the record by more than a clock tick: no tool can set a
ctime, and any write moves it on, unless two writes fall within one tick (hence the margin).
Outputs count by their stat: only builds write them.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from stat import S_ISREG

from threadline import PACKAGE
from threadline.inputs.reading import file_digest, stat_key

INPUTS = ("site.yaml", "seeds", "content", "templates")
LIBRARIES = ("jinja2", "markdown", "pyyaml", "edtf", "jsonschema", "fastjsonschema", "pagefind")
MARGIN_NS = 2_000_000_000  # more than any file system's timestamp tick (FAT's is 2 s)

Key = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


@dataclass
class Inputs:
    """What every input file holds, read at one moment: the fingerprint's input part and the hashes behind it."""

    digest: str | None  # None when an input could not be read: the build will say why
    hashes: dict[str, tuple[Key, str]] = field(default_factory=dict)  # path -> (stat key, hash of the bytes)
    taken_ns: int = 0


def read_inputs(root: Path) -> Inputs:
    """Hash every input, reusing the kept hash of a file whose stat is unchanged since well before it was kept."""
    taken_ns, known = time.time_ns(), _kept_hashes(root)
    hashes: dict[str, tuple[Key, str]] = {}
    cut = len(str(root)) + 1
    try:
        lines = [f"{path[cut:]}\0{_hash(path, stat, known, hashes)}\n"
                 for path, stat in sorted(p for base in INPUTS for p in _files(str(root / base)))]
    except OSError:
        return Inputs(None)
    # surrogateescape: a file name that is not UTF-8 is for the build to report, not to crash this
    return Inputs(hashlib.blake2b("".join(lines).encode("utf-8", "surrogateescape")).hexdigest(), hashes, taken_ns)


def _hash(path: str, stat: os.stat_result, known: dict, hashes: dict) -> str:
    if not S_ISREG(stat.st_mode):  # a pipe or a device is never opened: reading it could wait for ever
        return f"mode {stat.st_mode} {stat.st_mtime_ns}"
    key = stat_key(stat)
    kept = known.get(path)
    if kept and tuple(kept[0]) == key and key[3] < kept[2] - MARGIN_NS:
        hashes[path] = (key, kept[1])
    else:
        with open(path, "rb") as file:
            hashes[path] = (key, file_digest(file.read()))
    return hashes[path][1]



def fingerprint(out: Path, options: dict, inputs: Inputs) -> str | None:
    """The hash of what the build is made from (`settled`), then one of that and every output's stat."""
    settled = _settled(options, inputs)
    return None if settled is None else _with_outputs(out, settled)


def _with_outputs(out: Path, settled: str) -> str | None:
    """The fingerprint: `settled`, then the hash of it and every output's stat; None if `out` cannot be listed."""
    try:
        cut = len(str(out)) + 1
        outputs = sorted(f"{p[cut:]}\0{s.st_mtime_ns}\0{s.st_size}\n" for p, s in walk(str(out)))
    except OSError:
        return None
    digest = hashlib.blake2b(settled.encode() + "".join(outputs).encode("utf-8", "surrogateescape"))
    return f"{settled} {digest.hexdigest()}"


def _settled(options: dict, inputs: Inputs) -> str | None:
    """One hash of the options, the generator's code and libraries, and the inputs; None if an input is unreadable."""
    if inputs.digest is None:
        return None
    digest = hashlib.blake2b(json.dumps(options, sort_keys=True).encode() + inputs.digest.encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()


def code_digest() -> str:
    """The hash of the generator's code and schemas and of the versions of the libraries it uses."""
    digest = hashlib.blake2b()
    for path in sorted(PACKAGE.rglob("*"), key=str):
        if path.is_file() and path.suffix in (".py", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}".encode())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _files(top: str) -> Iterator[tuple[str, os.stat_result]]:
    if os.path.isdir(top) and not os.path.islink(top):
        yield from walk(top)
    elif os.path.lexists(top):
        yield top, _stat(top)


def walk(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every file below `folder` with its stat (following links to files); nothing when it is missing.

    os.scandir, not Path.rglob: at tens of thousands of files, Path objects cost most of the time.
    """
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path)
        else:
            yield entry.path, _stat(entry.path)


def _stat(path: str) -> os.stat_result:
    """The file's stat, or the link's own when it leads nowhere or to itself: the build reports those."""
    try:
        return os.stat(path)
    except OSError:
        return os.lstat(path)


def cache_folder(root: Path) -> Path:
    return root / ".threadline-cache"


def _kept_hashes(root: Path) -> dict[str, tuple[list, str, int]]:
    """path -> (stat key, hash, when it was taken), as the last build kept them; nothing if unreadable."""
    try:
        kept = json.loads((cache_folder(root) / "input-hashes").read_text(encoding="utf-8"))
        return {path: (key, digest, kept["taken_ns"]) for path, (key, digest) in kept["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def up_to_date(root: Path, out: Path, options: dict, inputs: Inputs) -> bool:
    """True when the last build from this project wrote `out` from exactly these inputs."""
    try:
        last = (cache_folder(root) / "last-build").read_text(encoding="utf-8")
    except (OSError, ValueError):  # none yet, unreadable or not text (damaged): build
        return False
    # An edit shows in the inputs' part: the output folder (20,000 files at 10,000 dossiers) is listed only if they match.
    settled = _settled(options, inputs)
    return settled is not None and last.startswith(f"{settled} ") and last == _with_outputs(out, settled)


def record(root: Path, out: Path, options: dict, inputs: Inputs) -> None:
    """Keep the fingerprint of the build that just finished, from the inputs as they were read before it."""
    now = fingerprint(out, options, inputs)
    if now is None:
        return
    cache_folder(root).mkdir(exist_ok=True)
    hashes = json.dumps({"taken_ns": inputs.taken_ns, "files": inputs.hashes})
    (cache_folder(root) / "input-hashes").write_text(hashes, encoding="utf-8")
    (cache_folder(root) / "last-build").write_text(now, encoding="utf-8")


def forget(root: Path) -> None:
    """A failed or interrupted build leaves nothing that could vouch for the output."""
    (cache_folder(root) / "last-build").unlink(missing_ok=True)
