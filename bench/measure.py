"""Run one command and report its wall time and peak memory as one JSON line.

Each measured build runs under its own copy of this wrapper, so RUSAGE_CHILDREN covers that
build alone: ru_maxrss is the peak resident set of the largest process in its tree (KiB on Linux).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def measure(command: list[str], cwd: Path, log: Path) -> dict[str, float | int]:
    """Run `command` in `cwd` with its output in `log`; return wall seconds, peak KiB and exit status."""
    with log.open("wb") as sink:
        start = time.perf_counter()
        status = subprocess.run(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, check=False).returncode
        wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"wall": wall, "maxrss_kib": peak, "returncode": status}


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--cwd", type=Path, default=Path("."))
    args.add_argument("--log", type=Path, required=True)
    args.add_argument("command", nargs=argparse.REMAINDER)
    ns = args.parse_args(argv)
    command = ns.command[1:] if ns.command[:1] == ["--"] else ns.command
    print(json.dumps(measure(command, ns.cwd, ns.log)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
