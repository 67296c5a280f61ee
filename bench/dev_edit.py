"""What the dev server does after a save, at any size: one session, an in-memory build, then edits.

    python -m bench.dev_edit DIR [EDITS]

DIR is a project, e.g. from `python build.py synth 10000 DIR`. Each edit changes one sidecar's
`published_basis` (`ours.edit_sidecar`, as `make bench` does) and rebuilds in memory, as `build.py serve` does after
a save; the times, their median (the last line, which `make bench` reads: `ours.dev_edit`) and the peak memory
of this process are printed.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from threadline.pipeline import Session, build_in_memory

from .ours import edit_sidecar


def main(root: Path, edits: int = 3) -> None:
    session = Session(drafts="preview")  # as the dev server keeps it
    started = time.perf_counter()
    build_in_memory(root, session)
    print(f"first in-memory build: {time.perf_counter() - started:.2f} s")
    times = []
    for k in range(edits):
        edit_sidecar(root, 100 + k)
        started = time.perf_counter()
        build_in_memory(root, session)
        times.append(time.perf_counter() - started)
        print(f"edit {k + 1}: {times[-1]:.3f} s")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"median edit: {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
