"""How long a workbench action takes to show on the page, on a copy of a project.

    python -m bench.workbench [PROJECT] [ROUNDS]

PROJECT defaults to this repository's own investigation; it is copied to a temporary folder, so
nothing in it changes. Each round adds an alias through the workbench's endpoint (checked by a
build, then written), waits until the preview serves a rebuilt page, then undoes it. Printed: the
action's reply time (the check and the write) and the time from the request to the rebuilt page.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPIED = ("site.yaml", "seeds", "content", "templates")


def copy_project(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    return target


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def post(origin: str, token: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{origin}/__threadline__/workbench/{path}", json.dumps(body).encode(),
                                     {"Origin": origin, "X-Threadline-Token": token,
                                      "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def builds(origin: str) -> int:
    return json.loads(get(f"{origin}/__threadline__/status"))["build"]


def wait_for_build_after(origin: str, count: int) -> None:
    deadline = time.monotonic() + 60
    while builds(origin) <= count:
        if time.monotonic() > deadline:
            raise SystemExit("the preview did not rebuild within a minute")
        time.sleep(0.005)


def one_round(origin: str, token: str, page: str, entity: str, n: int) -> tuple[float, float]:
    before = builds(origin)
    started = time.perf_counter()
    post(origin, token, "action", {"action": "alias", "entity": entity, "alias": f"Measured Alias {n}"})
    replied = time.perf_counter()
    wait_for_build_after(origin, before)
    get(page)
    shown = time.perf_counter()
    undone = builds(origin)
    post(origin, token, "undo", {})
    wait_for_build_after(origin, undone)
    return (replied - started) * 1000, (shown - started) * 1000


def main(source: Path, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        project = copy_project(source, Path(work) / "project")
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--project", str(project),
                                 "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            origin = re.search(r"listening on (http://\S+)/", proc.stdout.readline()).group(1)
            while builds(origin) < 1:
                time.sleep(0.05)
            prefix = json.loads(get(f"{origin}/__threadline__/status"))["prefix"]
            slug = sorted((project / "content" / "dossiers").glob("*.yaml"))[0].stem
            page = f"{origin}{prefix}dossiers/{slug}/"
            token = re.search(r'data-token="([^"]+)"', get(page)).group(1)
            entity = json.loads(get(f"{origin}/__threadline__/workbench/state?dossier={slug}"))["entities"][0]["id"]
            times = [one_round(origin, token, page, entity, n) for n in range(rounds)]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for label, values in (("action checked and written", [t[0] for t in times]),
                          ("action to rebuilt page served", [t[1] for t in times])):
        print(f"{label}, {rounds} rounds: median {statistics.median(values):.0f} ms, "
              f"min {min(values):.0f} ms, max {max(values):.0f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
