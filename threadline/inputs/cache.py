"""What a long-running preview keeps between builds: file reads keyed by their stat, annotations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from threadline.errors import Problems


class FileCache:
    """The result of reading a file, kept while the file's (mtime, size) stays the same.

    The problems found while reading are kept too and reported again on every hit, so a
    cached file is reported exactly as a freshly read one.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[tuple, Any, list]] = {}
        self._seen: dict[str, tuple[int, int]] = {}
        self._stats: dict[Path, tuple[int, int] | None] = {}  # this build's, so that no file is looked at twice
        # (mtime, size) by path, as the dev server's watcher just saw them (watch.snapshot): the next build
        # takes them instead of looking at each file again. A file changed since is seen by the next poll.
        self.seen: dict[str, tuple[int, int]] = {}

    def begin(self) -> None:
        """A new build: files are looked at again, or taken as the watcher last saw them."""
        self._stats, self._seen, self.seen = {}, self.seen, {}

    def get(self, paths: tuple[Path, ...], compute: Callable[[Problems], Any], problems: Problems) -> Any:
        """compute(problems) for these files, or its kept result if none of them changed."""
        key = tuple(self._stat(path) for path in paths)
        hit = self._entries.get(paths)
        if hit and hit[0] == key and None not in key:
            problems.extend(hit[2])
            return hit[1]
        local = Problems()
        value = compute(local)
        problems.extend(local)
        self._entries[paths] = (key, value, local.items)
        return value


    def _stat(self, path: Path) -> tuple[int, int] | None:
        if path not in self._stats:
            self._stats[path] = self._seen.get(str(path)) or _stat(path)
        return self._stats[path]

    def moved(self, old: Path, new: Path) -> FileCache:
        """The kept reads, as if the project at `old` were at `new`: a copy of it with the same stats hits them."""
        moved = FileCache()
        for paths, entry in dict(self._entries).items():  # a copy: the preview's build may add to it meanwhile
            if all(path.is_relative_to(old) for path in paths):
                moved._entries[tuple(new / path.relative_to(old) for path in paths)] = entry
        return moved


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
