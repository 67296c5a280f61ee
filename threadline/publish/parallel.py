"""Map a function over many items on forked worker processes, when there are enough items to pay.

Forked workers inherit the function and its context (the loaded project, the views) from the
parent without pickling them; only the items go out and the results come back. Small jobs,
and platforms without fork, run in this process.
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

    Items go to the workers in chunks, in order; the first `alone` (the longest to make, put first
    by the caller) one to a chunk, so that they are shared out and none waits behind another.
    """
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        results = [function(context, item) for item in items]
    else:
        results = []
        with multiprocessing.get_context("fork").Pool(workers, _adopt, (function, context, os.getpid())) as pool:
            for done in pool.imap(_call_each, chunked(items, alone, max(1, min(32, len(items) // (4 * workers))))):
                results.extend(done)
                if progress and len(results) // 100 > (len(results) - len(done)) // 100:
                    progress(len(results), len(items))
    if progress:
        progress(len(results), len(items))
    return results


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


def _call_each(items: Sequence) -> list:
    function, context = _inherited["call"]
    return [function(context, item) for item in items]
