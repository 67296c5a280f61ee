"""threadline itself: synthesise, then full build, no-op rebuild, one-sidecar edit, search share, profile."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .common import REPO, Sample, combine, rel, run_measured, say, set_aside

EDITED = "d00000.yaml"  # the sidecar the edit run touches: a headline-neutral field only
EVENTS_EDITED = "batch-0000.yaml"  # the events file whose first event's title the event edit changes
EDIT_PROFILED = 1000  # the profiled edit's number, past those of the timed edits


@dataclass(frozen=True)
class Ours:
    full: Sample
    noop: Sample
    first_edit: Sample  # the first rebuild: no previous site to rewrite yet, so every file is new
    edit: Sample  # later rebuilds rewrite the previous site in place
    event_edit: Sample  # an event's title edited: its pages, its page of the timeline and the open data
    search: Sample  # the full build without the search index


def synthesise(n: int, project: Path) -> Path:
    """`build.py synth N DIR` (not timed)."""
    say(f"  synthesising {n} seeds into {rel(project)}")
    command = [sys.executable, "build.py", "synth", str(n), str(project)]
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return project


def build_command(project: Path) -> list[str]:
    return [sys.executable, "build.py", "build", "--project", str(project), "--out", str(project / "public")]


def build(project: Path, log: Path) -> Sample:
    return run_measured(build_command(project), REPO, log, project / "public")


def edit_sidecar(project: Path, k: int) -> None:
    """Append to one sidecar's published_basis, a field no page title depends on."""
    path = project / "content" / "dossiers" / EDITED
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"(?m)^published_basis: .*$", f"published_basis: synthetic, edit {k + 1}", text)
    if count != 1:
        raise RuntimeError(f"{rel(path)} has no published_basis line to edit")
    path.write_text(edited, encoding="utf-8")


def edit_event(project: Path, k: int) -> None:
    """Change the title of the first event of one events file."""
    path = project / "content" / "events" / EVENTS_EDITED
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"(?m)^(  title: .*?)(, edit [0-9]+)?$", rf"\g<1>, edit {k + 1}", text, count=1)
    if count != 1:
        raise RuntimeError(f"{rel(path)} has no event title to edit")
    path.write_text(edited, encoding="utf-8")


def clean_output(project: Path) -> None:
    """Set aside the output and what a previous build kept beside it, so the next build is a full one."""
    for folder in [project / "public", *project.glob(".public.*")]:
        set_aside(folder)


def measure_ours(project: Path, reps: int, logs: Path, beside: Callable[[int], None] = lambda k: None) -> Ours:
    """Full build, no-op rebuild, two sidecar edits and an event's, `reps` times; `beside(k)` runs right after full build k.

    The other generators' builds go in `beside`: this machine's speed drifts over minutes, and
    builds timed next to each other drift together, so their ratio holds better.
    """
    full, noop, first, edit, event = [], [], [], [], []
    for k in range(reps):
        clean_output(project)
        full.append(build(project, logs / f"ours-full-{k}.log"))
        beside(k)
        noop.append(build(project, logs / f"ours-noop-{k}.log"))
        edit_sidecar(project, 2 * k)
        first.append(build(project, logs / f"ours-first-edit-{k}.log"))
        edit_sidecar(project, 2 * k + 1)
        edit.append(build(project, logs / f"ours-edit-{k}.log"))
        edit_event(project, k)
        event.append(build(project, logs / f"ours-event-edit-{k}.log"))
        say(f"  ours run {k + 1}/{reps}: full {full[-1].wall:.2f} s, no-op {noop[-1].wall:.2f} s, "
            f"first edit {first[-1].wall:.2f} s, edit {edit[-1].wall:.2f} s, event edit {event[-1].wall:.2f} s, "
            f"peak {full[-1].peak_mib:.0f} MiB")
    return Ours(combine(full), combine(noop), combine(first), combine(edit), combine(event),
                measure_search(project, reps, logs))


def measure_search(project: Path, reps: int, logs: Path) -> Sample:
    """The same full build without the search index (`--no-search`): what indexing adds is the difference.

    Pagefind runs beside the rest of the build, so timing it alone would not say what it adds.
    """
    samples = []
    for k in range(reps):
        out = project.parent / "public-no-search"
        set_aside(out)
        command = [*build_command(project)[:-1], str(out), "--no-search"]
        samples.append(run_measured(command, REPO, logs / f"ours-no-search-{k}.log", out))
        set_aside(out)
    return combine(samples)


def profile(project: Path, stats: Path, log: Path) -> Sample:
    """One full build under cProfile, its statistics written to `stats`."""
    out = project.parent / "public-profile"
    set_aside(out)
    # One process (--jobs 1), so that the profile sees inside rendering, loading and annotating
    # instead of the parent waiting for its workers.
    command = [sys.executable, "-m", "cProfile", "-o", str(stats), "build.py", "build", "--jobs", "1",
               "--project", str(project), "--out", str(out)]
    sample = run_measured(command, REPO, log, out)
    set_aside(out)
    return sample


def profile_edit(project: Path, stats: Path, log: Path) -> Sample:
    """One more one-sidecar edit under cProfile, built as the measured edits are (workers and all).

    The builds without search since wrote elsewhere, and the record holds the trees of one output
    folder (publish/record.py): two edits built first make it describe this one's site and the one
    before it again, as after the measured edits.
    """
    for k in range(2):
        edit_sidecar(project, EDIT_PROFILED + k)
        build(project, log.with_name(f"{log.stem}-before-{k}.log"))
    edit_sidecar(project, EDIT_PROFILED + 2)
    command = [sys.executable, "-m", "cProfile", "-o", str(stats), *build_command(project)[1:]]
    return run_measured(command, REPO, log, project / "public")


def dev_edit_ms(project: Path, log: Path, edits: int = 5) -> tuple[float, float]:
    """The dev server's save-to-served time: median in-memory rebuild after a one-sidecar edit (`bench.dev_edit`);
    and the peak memory of its process, MiB.

    Run in a process of its own, so that what it keeps in memory does not weigh on the builds measured after it.
    """
    say(f"  dev server: {edits} one-sidecar edits rebuilt in memory")
    done = subprocess.run([sys.executable, "-m", "bench.dev_edit", str(project), str(edits)], cwd=REPO,
                          check=True, stdout=subprocess.PIPE, text=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.stdout)
    lines = done.stdout.strip().splitlines()
    median = float(lines[-1].split(": ")[1].removesuffix(" ms"))
    peak = float(lines[-2].split(": ")[1].removesuffix(" MiB"))
    say(f"  dev server: median {median:.1f} ms a save, peak {peak:,.0f} MiB")
    return median, peak


def five_seed_edit_ms(work: Path, rounds: int = 20) -> float:
    """Median time of an in-process rebuild after one sidecar edit on a copy of the real site.

    This is what the dev server does after a save: the session keeps file reads, annotations,
    templates and pages, so only what the edit touches is rendered again; the result is served
    from memory, with no search index.
    """
    import statistics
    import time

    from threadline.pipeline import Session, build_in_memory

    shutil.rmtree(work, ignore_errors=True)
    for part in ("seeds", "content", "templates", "site.yaml"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy2
        copy(REPO / part, work / part)
    session = Session()
    build_in_memory(work, session)
    sidecar = sorted((work / "content" / "dossiers").glob("*.yaml"))[0]
    times = []
    for k in range(rounds):
        text = sidecar.read_text(encoding="utf-8")
        # An editor's note changes: the dossier page and the overview pages are rendered again.
        edited = re.sub(r"(?m)^(    text: >-\n      )(Edit \d+\. )?", rf"\1Edit {k}. ", text, count=1)
        assert edited != text, "the first sidecar has no folded note text to edit"
        sidecar.write_text(edited, encoding="utf-8")
        started = time.perf_counter()
        build_in_memory(work, session)
        times.append((time.perf_counter() - started) * 1000)
    say(f"  five-seed site, one-sidecar edit rebuilt in-process: median {statistics.median(times):.1f} ms")
    return statistics.median(times)
