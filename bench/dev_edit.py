"""What the dev server does after a save, at any size: one session, an in-memory build, then edits.

    python -m bench.dev_edit DIR [EDITS] [--poll] [--event]

DIR is a project, e.g. from `python build.py synth 10000 DIR`. Each edit changes one sidecar's
`published_basis` (`ours.edit_sidecar`, as `make bench` does) and rebuilds in memory as `build.py serve`
does after a save: the system's notification of the changed file (watch.Notifications, which waits for
the folders to be quiet for 20 ms), then a first pass that serves the pages (the open-data files keep their
last bytes), told only that file. Notification and first pass together are the save-to-served time; the
second pass, which completes the open data, is timed apart. With `--poll`, as `serve --poll` does: the
watcher's two polls (the one that sees the save, and the quiet one; each looks at every watched file) in
place of the notification, the wait for the next 20 ms poll not counted. With `--event`, each edit changes
an event's title instead (`ours.edit_event`). The times, their median (the
last line, which `make bench` reads: `ours.dev_edit`) and the peak memory of this process are printed.
"""

from __future__ import annotations

import queue
import resource
import statistics
import sys
import time
from pathlib import Path

from threadline.pipeline import Session, build_in_memory
from threadline.preview.watch import Notifications, snapshot

from .ours import edit_event, edit_sidecar


def timed_pass(root: Path, session: Session, defer_data: bool) -> float:
    """One pass of the dev server's rebuild, in seconds."""
    session.defer_data = defer_data
    started = time.perf_counter()
    build_in_memory(root, session)
    return time.perf_counter() - started


def polls(root: Path, session: Session) -> None:
    """The watcher's two polls after a save (watcher.Watcher.due): the build takes the second's listing."""
    snapshot(root)
    session.files.seen = snapshot(root)


def notified(reports: queue.Queue, session: Session) -> None:
    """The system's word on the save, as watcher.Watcher.hand_over tells the build."""
    batch = reports.get(timeout=60)
    session.files.changed = {path for _, path in batch}
    session.files.listed = {str(Path(path).parent) for made, path in batch if made}


def main(root: Path, edits: int = 3, poll: bool = False, event: bool = False) -> None:
    root = root.resolve()  # as `serve` has it, so the paths notified are the paths read
    session = Session(drafts="preview", freeze=True)  # as the dev server keeps it
    print(f"first in-memory build: {timed_pass(root, session, False):.2f} s")
    reports: queue.Queue = queue.Queue()
    notifications = None if poll else Notifications(root, reports.put).start().wait()
    times = []
    try:
        for k in range(edits):
            started = time.perf_counter()
            (edit_event if event else edit_sidecar)(root, 100 + k)
            polls(root, session) if poll else notified(reports, session)
            told = time.perf_counter() - started
            built = timed_pass(root, session, True)
            times.append(told + built)
            session.files.changed = None if poll else set()  # nothing changed since the first pass
            second = timed_pass(root, session, False) if session.waiting else 0.0
            print(f"edit {k + 1}: {times[-1]:.3f} s to the served page ({told:.3f} s until the {'polls' if poll else 'system'} "
                  f"told, {built:.3f} s to build); the open data {second:.3f} s after")
    finally:
        if notifications:
            notifications.stop()
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"median edit: {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--poll", "--event")]
    main(Path(args[0]), int(args[1]) if len(args) > 1 else 3, poll="--poll" in sys.argv, event="--event" in sys.argv)
