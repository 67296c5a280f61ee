"""What the dev server does after a save, at any size: one session, an in-memory build, then edits.

    python -m bench.dev_edit DIR [EDITS]

DIR is a project, e.g. from `python build.py synth 10000 DIR`. Each edit changes one sidecar's
`published_basis` (`ours.edit_sidecar`, as `make bench` does) and rebuilds in memory as `build.py serve`
does after a save: the watcher's poll that sees the save and the quiet poll after it (each looks at every
watched file: watch.snapshot), then a first pass that serves the pages (the open-data files keep their last
bytes), which takes the files as the quiet poll saw them. Polls and first pass together are the
save-to-served time (the wait for the next 20 ms poll is not counted); the second pass, which completes the
open data, is timed apart. The times, their median (the last line, which `make bench` reads:
`ours.dev_edit`) and the peak memory of this process are printed.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from threadline.pipeline import Session, build_in_memory
from threadline.preview.watch import snapshot

from .ours import edit_sidecar


def timed_pass(root: Path, session: Session, defer_data: bool) -> float:
    """One pass of the dev server's rebuild, in seconds."""
    session.defer_data = defer_data
    started = time.perf_counter()
    build_in_memory(root, session)
    return time.perf_counter() - started


def polls(root: Path, session: Session) -> float:
    """The watcher's two polls after a save (serve.Watcher.due), in seconds: the build takes the second's listing."""
    started = time.perf_counter()
    snapshot(root)
    session.files.seen = snapshot(root)
    return time.perf_counter() - started


def main(root: Path, edits: int = 3) -> None:
    session = Session(drafts="preview")  # as the dev server keeps it
    print(f"first in-memory build: {timed_pass(root, session, False):.2f} s")
    times = []
    for k in range(edits):
        edit_sidecar(root, 100 + k)
        polled = polls(root, session)
        built = timed_pass(root, session, True)
        times.append(polled + built)
        second = timed_pass(root, session, False) if session.waiting else 0.0
        print(f"edit {k + 1}: {times[-1]:.3f} s to the served page ({polled:.3f} s of polls, {built:.3f} s to build); "
              f"the open data {second:.3f} s after")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"median edit: {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
