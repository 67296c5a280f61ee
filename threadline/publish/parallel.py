"""Map a function over many items on forked worker processes, when there are enough items to pay.

Forked workers inherit the function, its context (the loaded project, the views) and the items
from the parent without pickling them; only the results come back. This process works beside
them. Small jobs, and platforms without fork, run in this process alone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

# Below this many items, starting workers costs more than it saves.
PARALLEL_FROM = 400
PR_SET_DEATHSIG = 1  # prctl's option, from <linux/prctl.h>
_inherited: dict[str, Any] = {}  # in a worker: what it inherited at fork (set once, read only)


def parallel_map(function: Callable[[Any, Any], Any], context: Any, items: Sequence, workers: int,
                 progress: Callable[[int, int], None] | None = None, min_items: int = PARALLEL_FROM,
                 alone: int = 0) -> list:
    """[function(context, item) for item in items], in order, on `workers` processes when it pays.

    The first `alone` items (the longest to make, put first by the caller, the largest files among them)
    go one to a chunk, to the workers only: none waits behind another, and this process, which holds the
    whole investigation, never holds one of them too. When there are none, or many other items, this
    process is one of the `workers`: it takes chunks from the end of the list while the workers it forks
    take them from the front, until they meet. A forked worker copies each page of the parent's memory
    it touches (counting a reference writes to the object), so one process fewer to fork saved a second
    of the 16 s spent rendering 10,000 dossiers. When the other items are few (an event's edit: ten files
    of the open data and five pages), `workers` workers share the list.
    """
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        results = [function(context, item) for item in items]
    else:
        fork = multiprocessing.get_context("fork")
        chunks = chunked(items, alone, max(1, min(32, len(items) // (4 * workers))))
        work = Chunks(fork.Array("q", [0, len(chunks), 0]), chunks, min(alone, len(items)), (progress, len(items)))
        # This process takes its share, unless the list is mostly the largest files (an event's edit).
        beside = not alone or len(items) - alone >= PARALLEL_FROM
        forked = workers - 1 if beside else workers
        with fork.Pool(forked, _adopt, (function, (context, work), os.getpid())) as pool:
            taken = [pool.apply_async(_take_inherited) for _ in range(forked)]
            done = work.take(function, context, from_end=True) if beside else {}
            for made in taken:
                done.update(made.get())
        results = [result for n in range(len(chunks)) for result in done[n]]
    if progress:
        progress(len(results), len(items))
    return results


class Chunks:
    """The chunks of one map, and what every process of it sees: the next chunk from the front, the next from
    the end, and how many items are done."""

    def __init__(self, state: Any, chunks: list[Sequence], alone: int,
                 progress: tuple[Callable[[int, int], None] | None, int]):
        self.state, self.chunks, self.alone, self.progress = state, chunks, alone, progress

    def take(self, function: Callable[[Any, Any], Any], context: Any, from_end: bool = False) -> dict[int, list]:
        """Make chunk after chunk until none is left; what was made, by chunk."""
        done = {}
        while (n := self._next(from_end)) is not None:
            done[n] = [function(context, item) for item in self.chunks[n]]
            with self.state.get_lock():
                self.state[2] += len(done[n])
                finished = self.state[2]
            if from_end and self.progress[0]:  # told by this process only: the callback is its own
                # (when it leaves the list to the workers, it tells the end only: parallel_map)
                self.progress[0](finished, self.progress[1])
        return done

    def _next(self, from_end: bool) -> int | None:
        """The next chunk to make, from the front or from the end; None when none is left for the asker."""
        with self.state.get_lock():
            front, end = self.state[0], self.state[1]
            if front >= end or (from_end and end - 1 < self.alone):  # the chunks alone are the workers'
                return None
            if from_end:
                self.state[1] = end - 1
                return end - 1
            self.state[0] = front + 1
            return front


def chunked(items: Sequence, alone: int, size: int) -> list[Sequence]:
    """The items as the chunks sent to the workers: the first `alone` one by one, the rest `size` at a time."""
    alone = min(alone, len(items))
    return [items[n:n + 1] for n in range(alone)] + [items[n:n + size] for n in range(alone, len(items), size)]


def end_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this process (SIGKILL) when its parent, `parent`, ends.

    A build killed with SIGKILL cannot stop its children itself: a render worker or Pagefind left
    running would write into the staging folder after the next build cleared it, and make it
    anew. Where there is no prctl, a build ends its children only when it can leave properly.
    """
    if not sys.platform.startswith("linux"):
        return
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DEATHSIG) refused")
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _adopt(function: Callable, context: Any, parent: int) -> None:
    end_with_parent(parent)
    # Ctrl-C reaches every process of the terminal's group: only the parent stops (and says so, once);
    # it ends the pool's workers as it leaves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _inherited["call"] = (function, context)


def _take_inherited() -> dict[int, list]:
    function, (context, chunks) = _inherited["call"]
    return chunks.take(function, context)
