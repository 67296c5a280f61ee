"""Which files the editor changed: how the dev server learns of a save.

The system says which files under seeds/, content/ and templates/ were written, made or removed
(`Notifications`, through watchfiles: inotify on Linux, FSEvents on macOS); once the folders have been
quiet for 10 ms, the changed paths go to the next build, which looks at no other file. Where the
system cannot say (some network and container mounts, `serve --poll`), the server polls instead:
every 20 ms it looks at the (mtime, size) of every watched file (`snapshot`); a poll that differs from
the last starts a burst of changes, and the first quiet poll after it a rebuild (watcher.Watcher).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from stat import S_ISDIR

import watchfiles

WATCHED = ("seeds", "content", "templates", "site.yaml")
POLL_MS = 20
# How long the folders must be quiet after a notified change before it is built: a burst of writes
# (an editor's atomic save, the workbench's files) is one build, and a save waits at most twice this.
QUIET_MS = 10


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


class Notifications:
    """The paths the system reports changed under the watched folders, from a thread of its own (watchfiles).

    `report` gets each batch of (made or removed, path), once the folders have been quiet for QUIET_MS;
    None when notifications stopped (the system refused them, or a folder went away): the dev server
    then polls. site.yaml is a file beside the folders: the watcher looks at it on each tick.
    """

    def __init__(self, root: Path, report: Callable[[list[tuple[bool, str]] | None], None]):
        self.folders = [root / name for name in WATCHED if name != "site.yaml"]
        self.report = report
        self.stopping = threading.Event()
        self.ready = threading.Event()  # set once every change is reported: the first build waits for it
        self.thread = threading.Thread(target=self._run, name="threadline-notifications", daemon=True)
        self.identity = folder_identity(self.folders)

    def start(self) -> Notifications:
        self.thread.start()
        return self

    def wait(self) -> Notifications:
        """Until the watch is set up (a fraction of a second), or has failed."""
        while not self.ready.wait(0.05) and self.thread.is_alive():
            pass
        return self

    def stop(self) -> None:
        """Stop the thread and wait for it: leaving it in the library's code at exit would crash the interpreter."""
        self.stopping.set()
        self.thread.join()

    def intact(self) -> bool:
        """Whether every watched folder is still the one watched: one removed, replaced or renamed is no longer seen."""
        return folder_identity(self.folders) == self.identity

    def _run(self) -> None:
        try:
            # An empty batch each 200 ms of quiet: the first says the watch is set up (`ready`).
            for batch in watchfiles.watch(*self.folders, watch_filter=_wanted, step=QUIET_MS, stop_event=self.stopping,
                                          rust_timeout=200, yield_on_timeout=True, raise_interrupt=False):
                self.ready.set()
                if batch:
                    self.report([(change != watchfiles.Change.modified, path) for change, path in batch])
        except Exception:  # no watches left (the system's limit), a folder gone: poll instead
            self.ready.set()
            self.report(None)
            return
        if not self.stopping.is_set():
            self.report(None)


def folder_identity(folders: list[Path]) -> list[tuple[int, int] | None]:
    """(device, inode) of each folder, or None for one that is not a folder."""
    found = []
    for folder in folders:
        try:
            stat = os.stat(folder)
        except OSError:
            found.append(None)
            continue
        found.append((stat.st_dev, stat.st_ino) if S_ISDIR(stat.st_mode) else None)
    return found


def _wanted(change: watchfiles.Change, path: str) -> bool:
    return not _is_scratch(os.path.basename(path))
