"""Reading input files safely: regular files inside the project, of a bounded size, in UTF-8.

A FIFO would hang the build, a directory or a device is not text, and a symbolic link to
outside the project would publish whatever it points to: each is refused with a message,
and only regular files are ever opened.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from threadline.errors import Problems, Where, reason, relpath
from threadline.inputs.cache import FileCache

MAX_TEXT_BYTES = 16 * 2**20  # a YAML file or a page; a larger one is not something an editor wrote
_NONBLOCKING = getattr(os, "O_NONBLOCK", 0)  # should a FIFO appear after the check, opening it does not wait


# Characters no page can show: control characters other than tab and line ends, surrogates, U+FFFE and
# U+FFFF. XML refuses them (a feed, a sitemap, the network file) and HTML shows them as nothing or garbage.
UNSHOWABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def unshowable(text: str, where: Where, problems: Problems, subject: str) -> bool:
    """Whether `text` (a file's, from line 1) holds a character no page can show; the first is said at its line."""
    bad = UNSHOWABLE.search(text)
    if bad is None:
        return False
    problems.add(where_in(text, bad.start(), where.path), f"{subject} holds the character U+{ord(bad.group()):04X}, "
                 "which no page can show", "remove it; such characters come from copying out of a PDF or a terminal")
    return True


def where_in(text: str, index: int, path: str) -> Where:
    """The line and column of the character at `index`."""
    line_start = text.rfind("\n", 0, index) + 1
    return Where(path, text.count("\n", 0, index) + 1, index - line_start + 1)


def listed(root: Path, folder: str, pattern: str, problems: Problems, cache: FileCache | None = None) -> list[Path]:
    """The files of `folder` matching `pattern`, in order; names that are not UTF-8 are reported and left out.

    With a cache, the last build's listing while the watcher saw nothing change in the folder.
    """
    if cache is not None:
        return cache.listing(root / folder, pattern, lambda found: listed(root, folder, pattern, found), problems)
    if not readable_folder(root / folder, Where(folder), problems):
        return []
    if pattern == "*.yaml":  # a .yml file would otherwise be left out without a word
        for path in sorted((root / folder).glob("*.yml"), key=str):
            problems.warn(Where(relpath(path, root)), "this file is not read: only files ending in .yaml are",
                          f"rename it to {path.stem}.yaml")
    paths = []
    for path in sorted((root / folder).glob(pattern), key=str):
        try:
            os.fsencode(path.name).decode("utf-8")
        except UnicodeDecodeError:
            problems.add(Where(relpath(path, root)), "the file name is not UTF-8", "rename the file")
            continue
        paths.append(path)
    return paths


def readable_folder(folder: Path, where: Where, problems: Problems, what: str = "the folder") -> bool:
    """Whether `folder` can be listed (or is missing); if not, a problem: listed as empty, it would drop its files unsaid."""
    try:
        with os.scandir(folder):
            return True
    except (FileNotFoundError, NotADirectoryError):
        return True  # a missing folder holds nothing; a file in its place is the loader's to report
    except OSError as exc:
        problems.add(where, f"{what} cannot be read: {reason(exc)}", "let the build read it, or move it out of the project")
        return False


def read_input(path: Path, root: Path, problems: Problems, subject: str = "", limit: int = MAX_TEXT_BYTES,
               where: Where | None = None) -> bytes | None:
    """The bytes of a regular file inside the project, at most `limit` of them; None, with a problem, otherwise.

    Problems are said of `subject` (e.g. "seed 'a.txt'") at `where`, or of the file itself at its path.
    """
    refusal = _refusal(path, root, limit)
    if refusal is None:
        try:
            return _read(path, limit)
        except OSError as exc:
            refusal = f"cannot be read: {exc.strerror or exc}"
    said = f"{subject} {refusal}" if refusal.startswith("cannot") else f"{subject} is {refusal}"
    problems.add(where or Where(relpath(path, root)), said if subject else refusal,
                 "copy the file into the project" if "outside" in refusal else "")
    return None


def _refusal(path: Path, root: Path, limit: int) -> str | None:
    """Why the file at `path` is not read, or None when it may be."""
    try:
        if not _inside(path, root):
            return "a link to outside the project"
        info = path.stat()
    except FileNotFoundError:
        return "a link to a missing file" if path.is_symlink() else "missing"
    except RuntimeError:  # Python before 3.13 says so of a link loop
        return f"cannot be read: {os.strerror(errno.ELOOP)}"
    except (OSError, ValueError) as exc:  # a name with a NUL byte is a ValueError
        return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > limit:
        return f"larger than {limit // 2**20} MiB"
    return None


def _inside(path: Path, root: Path) -> bool:
    """Whether `path` (below `root`), followed through any links, is in the project.

    Links are resolved only when the file or a folder between it and the project is one: resolving
    every path costs a system call per folder from `/`, for each of tens of thousands of files.
    """
    part, top = str(path), str(root)
    while len(part) > len(top):  # strings, not Path objects: this runs for every file of a build
        if os.path.islink(part):
            return path.resolve().is_relative_to(root.resolve())
        part = os.path.dirname(part)
    return True


def _read(path: Path, limit: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | _NONBLOCKING)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:  # replaced since it was checked
            raise OSError(0, "not a regular file of the size allowed")
        return file.read()  # read(limit) would allocate `limit` bytes for every file


def decode(raw: bytes, where: Where, problems: Problems, subject: str = "") -> str | None:
    """UTF-8 text of a file, without a byte-order mark; None, with a problem, when it is not UTF-8 or is empty."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is an encoding detail, not text
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        at = where if subject else _where_of_byte(raw, exc.start, where.path)
        problems.add(at, f"{subject + ' is' if subject else 'the file is'} not UTF-8 (byte {exc.start} is {bad:#04x})",
                     "convert it to UTF-8 first")
        return None
    if not text.strip():
        problems.add(where if subject else Where(where.path, 1, 1), f"{subject or 'the file'} is empty")
        return None
    return text


def _where_of_byte(raw: bytes, index: int, path: str) -> Where:
    """The line and column (in characters) of byte `index`."""
    line_start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[line_start:index].decode("utf-8", "replace")) + 1
    return Where(path, raw.count(b"\n", 0, index) + 1, column)


def file_digest(raw: bytes) -> str:
    """The hash of a file's bytes, as the build knows its inputs (stamp.read_inputs, the disk cache)."""
    return hashlib.blake2b(raw).hexdigest()


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What a file's stat says of its bytes: inode, size, mtime and ctime (ns). While it holds, so do the bytes read."""
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
