"""Which files the editor changed: what the dev server polls, and how it sees a change.

Every 20 ms the server looks at the (mtime, size) of every file under seeds/, content/ and
templates/, and at site.yaml; a poll that differs from the last starts a burst of changes, and the
first quiet poll after it a rebuild (serve.Watcher).
"""

from __future__ import annotations

import os
from pathlib import Path

WATCHED = ("seeds", "content", "templates", "site.yaml")
POLL_MS = 20


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file; public/ and editors' swap files are never looked at.

    Read with os.scandir, without a Path object per file: at 10,000 dossiers there are 20,000 files.
    Folders that are symbolic links are not entered.
    """
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        path = root / name
        if path.is_file():
            _note(found, str(path), path)
        else:
            _scan(str(path), found)
    return found


def _scan(folder: str, found: dict[str, tuple[int, int]]) -> None:
    try:
        entries = os.scandir(folder)
    except OSError:  # not there (yet), or not a folder
        return
    with entries:
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    _scan(entry.path, found)
                elif entry.is_file() and not _is_scratch(entry.name):
                    _note(found, entry.path, entry)
            except OSError:  # gone between listing and looking: the next poll sees it
                continue


def _note(found: dict[str, tuple[int, int]], key: str, file: Path | os.DirEntry) -> None:
    try:
        stat = file.stat()
    except OSError:  # deleted between listing and stat: the next poll sees it
        return
    found[key] = (stat.st_mtime_ns, stat.st_size)


def _is_scratch(name: str) -> bool:
    """Temporary files editors write while saving (vim, emacs, JetBrains)."""
    return name.startswith((".#", ".~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
