"""When the dev server rebuilds: on the system's word that files changed, or on a quiet poll (watch.py).

One build at a time. A burst of saves is one rebuild; a save during a build is built right after it;
a save during the second pass (the open data) stops that pass and is built at once.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from asyncio import Future
from pathlib import Path
from typing import TYPE_CHECKING

from tornado.ioloop import IOLoop

from threadline.inputs.cache import Stat, file_stat
from threadline.preview.watch import Notifications, snapshot

if TYPE_CHECKING:
    from threadline.preview.serve import Preview


class Watcher:
    """Learns of changes, by notification or by polling, and rebuilds once a burst of them is over."""

    def __init__(self, preview: Preview):
        self.preview = preview
        self.seen = snapshot(preview.root)
        self.dirty = False
        self.building = False
        self.changed_at = 0.0
        self.completing: Future | None = None  # the second pass of the last rebuild, while it runs
        self.notifications: Notifications | None = None
        self.retired: list[Notifications] = []  # stopped, to be waited for at exit
        self.changed: set[str] = set()  # notified since the last build began
        self.listed: set[str] = set()  # the folders where a file was made or removed meanwhile
        self.written: dict[str, Stat] = {}  # path -> stat, as the workbench wrote and nudged it
        self.site_stat = file_stat(preview.root / "site.yaml")

    def notify(self) -> None:
        """Learn of changes from the system from now on; polling goes on where it cannot say."""
        loop = IOLoop.current()
        self.notifications = Notifications(self.preview.root, lambda batch: loop.add_callback(self.notified, batch))
        self.notifications.start()

    def stop(self) -> None:
        """Stop the notifications' thread, and wait for every one started."""
        for notifications in [*self.retired, *filter(None, [self.notifications])]:
            notifications.stop()

    def notified(self, batch: list[tuple[bool, str]] | None) -> None:
        """A batch of changed paths, the folders quiet since; None when the system stopped telling."""
        if batch is None:
            self.polling("the system stopped reporting changes")
            return
        batch = [(made, path) for made, path in batch if not self._written_already(path)]
        for made_or_removed, path in batch:
            self.changed.add(path)
            if made_or_removed:
                self.listed.add(os.path.dirname(path))
        if batch:
            self.changed_at = self.changed_at or time.perf_counter()
            self.dirty = True

    def _written_already(self, path: str) -> bool:
        """Whether `path` is as the workbench wrote it, its nudge having built it: then its notification is not
        built again (a second reload would come while the page shows what the action did)."""
        if path not in self.written:
            return False
        if file_stat(path) == self.written[path]:
            return True
        del self.written[path]  # changed since: built as any change
        return False

    def polling(self, why: str) -> None:
        """From now on, poll every file: the next build looks at every file once."""
        if self.notifications is not None:
            self.notifications.stopping.set()  # the thread ends at its next timeout; stop() waits for it
            self.retired.append(self.notifications)
            print(f"watching by polling: {why}", file=sys.stderr, flush=True)
        self.notifications = None
        self.seen = {}  # unlike any poll: the next one is a change, so every file is looked at
        self.changed.clear()

    def nudge(self, paths: list[Path] = ()) -> None:
        """Rebuild now, without waiting for a quiet poll: the workbench has just written these files whole."""
        if self.notifications is not None:
            self.notified([(True, str(path)) for path in paths])
            self.written.update({str(path): file_stat(path) for path in paths})
        else:
            self.seen = snapshot(self.preview.root)
        self.changed_at = self.changed_at or time.perf_counter()
        if self.building:
            self.dirty = True  # the build under way started before the write: one more after it
        else:
            self.dirty = False
            IOLoop.current().add_callback(self.rebuild)

    def poll(self) -> None:
        # Not while a build runs: looking at every file holds the interpreter (a fifth of a second at
        # 10,000 dossiers) and would slow the build down. The first poll after it sees what changed meanwhile.
        # Nor while a workbench action writes: it asks for the rebuild itself (nudge) once its reply is due, and
        # a rebuild started from its files' notifications would reload the page before the reply reaches it.
        if not self.building and not self.preview.workbench.lock.locked() and self.due():
            IOLoop.current().add_callback(self.rebuild)

    def due(self) -> bool:
        """True once after a burst of changes: notified ones, or the first poll that sees nothing new."""
        if self.notifications is not None:
            return self._notified_due()
        now = snapshot(self.preview.root)
        if now != self.seen:
            self.seen, self.dirty = now, True
            self.changed_at = self.changed_at or time.perf_counter()
            return False  # wait for a quiet poll: a burst of saves becomes one rebuild
        if self.dirty and not self.building:
            self.dirty = False
            return True
        return False

    def _notified_due(self) -> bool:
        if not self.notifications.ready.is_set():
            return False  # a change made before the watch is set up would not be told: no build yet
        site = file_stat(self.preview.root / "site.yaml")
        if site != self.site_stat:  # a file beside the watched folders: looked at on each tick
            self.site_stat = site
            self.notified([(True, str(self.preview.root / "site.yaml"))])
        if not self.notifications.intact():
            self.polling("a watched folder was removed or replaced")
            self.dirty = True
        if self.dirty and not self.building:
            self.dirty = False
            return True
        return False

    def hand_over(self, keep: bool = False) -> None:
        """Tell the build what changed since the last one began: the paths notified, or the last poll's stats.

        With `keep` (the second pass), the paths are told again to the next build: a change during
        the first pass is the next rebuild's to make.
        """
        files = self.preview.session.files
        if self.notifications is not None:
            files.changed, files.listed = set(self.changed), set(self.listed)
            if not keep:
                self.changed.clear()
                self.listed.clear()
        elif not keep:  # the second pass looks at every file again, as a build without a poll does
            files.seen = self.seen  # what the last poll saw: the build looks at no file again

    async def rebuild(self) -> None:
        self.building = True
        started, self.changed_at = self.changed_at or time.perf_counter(), 0.0
        try:
            await self.interrupt()
            self.hand_over()
            result = await IOLoop.current().run_in_executor(None, self.preview.build_once, True)
            self.preview.last_ms = (time.perf_counter() - started) * 1000
            self.preview.apply(*result)
            announce(self.preview)
            if result[0] is not None and self.preview.session.waiting:  # the open data, after the browser was told
                self.completing = asyncio.ensure_future(self.complete())
        finally:
            self.building = False

    async def complete(self) -> None:
        """The second pass (the open data): served quietly when done; a save meanwhile stops it (interrupt)."""
        try:
            self.hand_over(keep=True)
            result = await IOLoop.current().run_in_executor(None, self.preview.build_once, False)
            self.preview.apply(*result, reload=False)
        finally:
            self.completing = None

    async def interrupt(self) -> None:
        """Stop the second pass under way, if any, and wait until it has: at 10,000 dossiers it takes seconds."""
        running = self.completing
        if running is not None:
            self.preview.session.interrupted = True
            await running
        self.preview.session.interrupted = False


def announce(preview: Preview) -> None:
    """Tell the terminal how the latest build went."""
    if preview.problems:
        for problem in preview.problems:
            print(problem, file=sys.stderr, flush=True)
        print(f"build failed: {len(preview.problems)} error(s); still serving the last good site", file=sys.stderr, flush=True)
    else:
        print(f"build {preview.builds} ok in {preview.last_ms:.0f} ms", flush=True)
    if preview.current is not None and preview.announced != preview.prefix:
        preview.announced = preview.prefix
        print(f"preview at {preview.origin}{preview.prefix}", flush=True)
