"""What a long-running preview keeps between builds: file reads keyed by their stat, annotations."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from threadline.errors import Problems

Stat = tuple[int, int] | None  # (mtime, size), or None for a file that is not there


class FileCache:
    """The result of reading a file, kept while the file's (mtime, size) stays the same.

    The problems found while reading are kept too and reported again on every hit, so a
    cached file is reported exactly as a freshly read one. Paths are kept as strings: hashing and
    comparing Path objects cost more than the rest of a lookup, 20,000 times a build at 10,000 dossiers.

    What the dev server's watcher knows is handed to the next build (watch.py), in one of two forms:
    - `seen`: (mtime, size) by path, as its last poll saw every file: the build looks at no file again;
    - `changed`: the paths the system said were written, made or removed since the last build, and
      `listed` the folders where a file was made or removed. Every other file is as the last build saw
      it, so its stat is kept, and so is the listing of every other folder.
    With neither, every file is looked at.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], tuple[tuple, Any, list]] = {}
        self._seen: dict[str, tuple[int, int]] = {}
        self._stats: dict[str, Stat] = {}  # this build's, so that no file is looked at twice
        self._listings: dict[tuple[str, str], tuple[list[Path], list]] = {}
        self._made: dict[str, tuple[Any, tuple[str, ...], list]] = {}  # kept(): value, the files it read, problems
        self._trusted = False  # whether this build was told which files changed
        self._links: set[str] = set()  # the paths read that are symbolic links
        self.seen: dict[str, tuple[int, int]] = {}
        self.changed: set[str] | None = None
        self.listed: set[str] = set()

    def begin(self) -> None:
        """A new build: files are looked at again, or taken as the watcher last saw them."""
        self._trusted = self.changed is not None
        if self.changed is None:
            self._stats, self._listings = {}, {}
        else:
            # A folder moved or removed whole is notified alone: what was inside it changed too.
            within = tuple(path + os.sep for path in self.changed)
            # A link is looked at again each build: the system tells of a change to what it points to by that file's name.
            self._stats = {path: stat for path, stat in self._stats.items()
                           if path not in self.changed and not path.startswith(within) and path not in self._links}
            self._listings = {key: kept for key, kept in self._listings.items()
                              if key[0] not in self.listed and key[0] not in self.changed and not key[0].startswith(within)}
        self._seen, self.seen, self.changed, self.listed = self.seen, {}, None, set()

    def get(self, paths: tuple[Path, ...], compute: Callable[[Problems], Any], problems: Problems) -> Any:
        """compute(problems) for these files, or its kept result if none of them changed."""
        names = tuple(map(str, paths))
        key = tuple(map(self._stat, names))
        hit = self._entries.get(names)
        if hit and hit[0] == key and None not in key:
            problems.extend(hit[2])
            return hit[1]
        local = Problems()
        value = compute(local)
        problems.extend(local)
        self._entries[names] = (key, value, local.items)
        return value

    def kept(self, key: str, compute: Callable[..., tuple[Any, tuple[Path, ...]]], problems: Problems, *args: Any) -> Any:
        """compute(*args, problems) gives a value and the files it read: the kept value while the watcher named none of them.

        Told nothing (a poll's build, the first one), it is computed again: its own reads hit `get`.
        """
        made = self._made.get(key)
        if made is not None and self._trusted and all(path in self._stats for path in made[1]):
            problems.extend(made[2])
            return made[0]
        local = Problems()
        value, files = compute(*args, local)
        problems.extend(local)
        if files:
            self._made[key] = (value, tuple(map(str, files)), local.items)
        else:  # a value that read no file (a failed load) is never kept: its problems must be looked for again
            self._made.pop(key, None)
        return value

    def listing(self, folder: Path, pattern: str, compute: Callable[[Problems], list[Path]], problems: Problems) -> list[Path]:
        """compute(problems): the files of `folder` matching `pattern`; the last build's while none was made or removed."""
        key = (str(folder), pattern)
        kept = self._listings.get(key)
        if kept is None:
            local = Problems()
            kept = self._listings[key] = (compute(local), local.items)
        problems.extend(kept[1])
        return kept[0]

    def _stat(self, path: str) -> Stat:
        stat = self._stats.get(path, False)
        if stat is False:
            stat = self._stats[path] = self._seen.get(path) or self._looked_at(path)
        return stat

    def _looked_at(self, path: str) -> Stat:
        if os.path.islink(path):
            self._links.add(path)
        return file_stat(path)

    def moved(self, old: Path, new: Path) -> FileCache:
        """The kept reads, as if the project at `old` were at `new`: a copy of it with the same stats hits them."""
        moved = FileCache()
        for paths, entry in dict(self._entries).items():  # a copy: the preview's build may add to it meanwhile
            if all(Path(path).is_relative_to(old) for path in paths):
                moved._entries[tuple(str(new / Path(path).relative_to(old)) for path in paths)] = entry
        return moved


def file_stat(path: str | Path) -> Stat:
    """(mtime, size) of the file at `path`, following links; None when it is not there."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
