"""How long a workbench action takes to show on the page, on a copy of a project.

    python -m bench.workbench [PROJECT] [ROUNDS]

PROJECT defaults to this repository's own investigation; it is copied to a temporary folder, so
nothing in it changes. Each round makes one action through the workbench's endpoint (checked by a
build, then written), waits until the preview serves a rebuilt page, then undoes it: a note on one
dossier (one page to render again), and an alias of the first entity (every page that names it).
Printed for each: the action's reply time (the check and the write) and the time from the request
to the rebuilt page.
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
import urllib.error
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COPIED = ("site.yaml", "seeds", "content", "templates")


def copy_project(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    if not (target / "templates").exists():  # the tests' fixture has none: the repository's, as the tests use
        shutil.copytree(REPO / "templates", target / "templates")
    return target


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def post(origin: str, token: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{origin}/__threadline__/workbench/{path}", json.dumps(body).encode(),
                                     {"Origin": origin, "X-Threadline-Token": token,
                                      "Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:  # a refused action says why
        raise SystemExit(f"{body['action']} refused: {error.read().decode()}") from None


def builds(origin: str) -> int:
    return json.loads(get(f"{origin}/__threadline__/status"))["build"]


def wait_for_build_after(origin: str, count: int) -> None:
    deadline = time.monotonic() + 60
    while builds(origin) <= count:
        if time.monotonic() > deadline:
            raise SystemExit("the preview did not rebuild within a minute")
        time.sleep(0.005)


def one_round(origin: str, token: str, page: str, action: dict) -> tuple[float, float]:
    before = builds(origin)
    started = time.perf_counter()
    post(origin, token, "action", action)
    replied = time.perf_counter()
    wait_for_build_after(origin, before)
    get(page)
    shown = time.perf_counter()
    undone = builds(origin)
    post(origin, token, "undo", {})
    wait_for_build_after(origin, undone)
    time.sleep(0.5)  # an editor reads the page before the next action: the preview's second pass is over by then
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
            quote = yaml.safe_load((project / "content" / "dossiers" / f"{slug}.yaml").read_text())["events"][0]["quote"]
            seed = (project / "seeds" / seed_of(project, slug)).read_text(encoding="utf-8").split("\n")
            line, passage = next(n for n, text in enumerate(seed, 1) if quote in text), quote  # a passage the page shows
            actions = {"a note": lambda n: {"action": "note", "dossier": slug, "line": line, "passage": passage,
                                            "text": f"Measured {n}."},
                       "an alias": lambda n: {"action": "alias", "entity": entity, "alias": f"Measured Alias {n}"}}
            times = {name: [one_round(origin, token, page, make(n)) for n in range(rounds)]
                     for name, make in actions.items()}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for name, measured in times.items():
        for label, values in (("checked and written", [t[0] for t in measured]),
                              ("to the rebuilt page served", [t[1] for t in measured])):
            print(f"{name}: {label}, {rounds} rounds: median {statistics.median(values):.0f} ms, "
                  f"min {min(values):.0f} ms, max {max(values):.0f} ms")


def seed_of(project: Path, slug: str) -> str:
    text = (project / "content" / "dossiers" / f"{slug}.yaml").read_text(encoding="utf-8")
    return re.search(r"^seed:\s*[\"']?([^\"'\s]+)", text, re.MULTILINE).group(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
