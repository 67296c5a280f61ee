"""What every measurement shares: the wrapper call, samples, medians and page counts."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"


class BenchError(RuntimeError):
    """A measured command failed; the message says which and where its log is."""


@dataclass(frozen=True)
class Sample:
    """One measured run: wall seconds, peak resident memory of the process tree, pages written."""

    wall: float
    peak_mib: float
    pages: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


def rel(path: Path) -> str:
    """A path as shown in logs and reports: relative to the repository, never absolute."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return path.name


def run_measured(command: list[str], cwd: Path, log: Path, output: Path | None) -> Sample:
    """Run `command` under bench.measure; count the .html files in `output` afterwards."""
    log.parent.mkdir(parents=True, exist_ok=True)
    wrapper = [sys.executable, "-m", "bench.measure", "--cwd", str(cwd), "--log", str(log), "--", *command]
    result = subprocess.run(wrapper, cwd=REPO, capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["returncode"] != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise BenchError(f"{' '.join(command[:3])}… exited {report['returncode']}; see {rel(log)}:\n{tail}")
    pages = count_html(output) if output else 0
    return Sample(report["wall"], report["maxrss_kib"] / 1024, pages)


def count_html(folder: Path) -> int:
    return sum(name.endswith(".html") for _, _, names in os.walk(folder) for name in names)


def combine(samples: list[Sample]) -> Sample:
    """The median wall time of several runs, with the worst peak memory and the pages of the last."""
    wall = statistics.median(s.wall for s in samples)
    return Sample(wall, max(s.peak_mib for s in samples), samples[-1].pages)


TRASH = WORK / "trash"


def set_aside(path: Path) -> None:
    """Move `path` into the bench's trash, which is emptied only when every timing is done.

    Deleting tens of thousands of files right before a timed build slows that build on some file
    systems: ext4 without a journal checks each inode it is about to hand out against recent
    deletions, one to six minutes' worth, so creating files soon after deleting many costs
    several times more. No timed build of any generator follows a deletion here.
    """
    if os.path.lexists(path):
        TRASH.mkdir(parents=True, exist_ok=True)
        os.replace(path, tempfile.mkdtemp(dir=TRASH))


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def fresh(folder: Path) -> Path:
    """`folder`, emptied (its old contents set aside)."""
    set_aside(folder)
    folder.mkdir(parents=True)
    return folder


def say(message: str) -> None:
    print(message, flush=True)
