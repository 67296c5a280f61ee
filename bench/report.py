"""The results as a table on stdout and as BENCHMARKS.md."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import profiling
from .common import Sample
from .ours import Ours

BEGIN = "<!-- bench:begin: written by `make bench`; edit outside these markers -->"
END = "<!-- bench:end -->"
HEADER = ("N", "generator", "build", "runs", "wall s", "HTML pages", "pages/s", "peak MiB")


@dataclass
class Result:
    n: int
    reps: int
    ours: Ours
    tools: dict[str, Sample] = field(default_factory=dict)
    dev_edit_ms: float | None = None  # the dev server's median rebuild after a one-sidecar edit
    dev_peak_mib: float | None = None  # the dev server's peak memory over its first build and those edits


@dataclass
class Run:
    results: list[Result]
    machine: dict[str, str]
    versions: dict[str, str]
    command: str
    profile_n: int | None = None
    profile: Path | None = None
    edit_profile_n: int | None = None  # a one-sidecar edit built from a fresh process, profiled
    edit_profile: Path | None = None
    skipped: list[str] = field(default_factory=list)
    five_seed_edit_ms: float | None = None  # median in-process rebuild after one sidecar edit


# ---- rows and ratios -----------------------------------------------------------------------------

def rows(result: Result) -> list[tuple[str, ...]]:
    ours = result.ours
    found = [_row(result, "threadline", "full build", ours.full),
             _row(result, "threadline", "no-op rebuild", ours.noop),
             _row(result, "threadline", "one-sidecar edit, first rebuild", ours.first_edit),
             _row(result, "threadline", "one-sidecar edit", ours.edit),
             _row(result, "threadline", "one-event edit (its title)", ours.event_edit),
             _row(result, "threadline", "full build without search", ours.search)]
    return found + [_row(result, name, "full build, plain pages", s) for name, s in result.tools.items()]


def _row(result: Result, who: str, what: str, s: Sample) -> tuple[str, ...]:
    runs = f"median of {result.reps}" if result.reps > 1 else "1"
    return (f"{result.n:,}", who, what, runs, f"{s.wall:.2f}", f"{s.pages:,}", f"{s.pages_per_s:,.0f}", f"{s.peak_mib:,.0f}")


def ratios(result: Result) -> str:
    """Our full-build time against each other generator's, always as the larger over the smaller."""
    ours = result.ours.full.wall
    parts = []
    for name, s in result.tools.items():
        parts.append(f"ours / {name} = {ours / s.wall:.1f}x" if ours >= s.wall else f"{name} / ours = {s.wall / ours:.1f}x")
    return "; ".join(parts)


def search_share(result: Result) -> str:
    s = result.ours.search
    full = result.ours.full.wall
    if full <= s.wall:  # Pagefind runs beside the build: on a small site its cost is within the noise
        return f"the search index adds no measurable time to the full build ({s.wall:.2f} s without it)"
    return (f"the search index adds {full - s.wall:.2f} s to the full build ({(full - s.wall) / full:.0%}; "
            f"{s.wall:.2f} s without it)")


# ---- targets -------------------------------------------------------------------------------------

def targets(results: list[Result], five_seed_edit_ms: float | None = None) -> list[tuple[str, str, str]]:
    """(target, measured, met?) for each target of the issue, at the largest N measured (and at 1,000)."""
    big = results[-1]
    at = f"N = {big.n:,}"
    full = big.ours.full.wall
    found = [_vs_hugo(big, at)]
    found += [_vs_slow(big, name, at) for name in ("pelican", "mkdocs")]
    found += [_linear(results), _mark(f"no-op rebuild < 1 s ({at})", f"{big.ours.noop.wall:.2f} s", big.ours.noop.wall < 1)]
    found.append(_mark(f"one-sidecar edit built from a fresh process ≤ 2 s ({at})", f"{big.ours.edit.wall:.2f} s",
                       big.ours.edit.wall <= 2))
    for result in results:
        limit = {1000: 100, 10000: 300}.get(result.n)
        if limit and result.dev_edit_ms is not None:
            found.append(_mark(f"dev server, save to served page ≤ {limit} ms (N = {result.n:,})",
                               f"{result.dev_edit_ms:,.0f} ms (median of 5)", result.dev_edit_ms <= limit))
    edit_target = "one-sidecar edit on the five-seed site rebuilt < 50 ms (in-process, as the dev server does)"
    if five_seed_edit_ms is None:
        found.append((edit_target, "not measured", "unknown"))
    else:
        found.append(_mark(edit_target, f"{five_seed_edit_ms:.1f} ms (median of 20)", five_seed_edit_ms < 50))
    found.append(_mark(f"peak memory < 1 GiB, search included ({at})", f"{big.ours.full.peak_mib:,.0f} MiB",
                       big.ours.full.peak_mib < 1024))
    if big.dev_peak_mib is not None:
        found.append(_mark(f"dev server's peak memory < 1 GiB ({at}; first build and five edits)",
                           f"{big.dev_peak_mib:,.0f} MiB", big.dev_peak_mib < 1024))
    found.append(("(for reference) full build", f"{full:.2f} s at {at}", ""))
    return found


def _mark(target: str, measured: str, met: bool) -> tuple[str, str, str]:
    return target, measured, "met" if met else "NOT met"


def _vs_hugo(big: Result, at: str) -> tuple[str, str, str]:
    hugo = big.tools.get("hugo")
    if not hugo:
        return f"full build ≤ 3× Hugo's plain pages ({at})", "Hugo not measured", "unknown"
    ratio = big.ours.full.wall / hugo.wall
    return _mark(f"full build ≤ 3× Hugo's plain pages ({at})", f"{ratio:.1f}× Hugo ({hugo.wall:.2f} s)", ratio <= 3)


def _vs_slow(big: Result, name: str, at: str) -> tuple[str, str, str]:
    other = big.tools.get(name)
    target = f"full build faster than {name.capitalize()} ({at})"
    if not other:
        return target, f"{name} not measured", "unknown"
    speedup = other.wall / big.ours.full.wall
    return _mark(target, f"{speedup:.2f}× as fast ({name}: {other.wall:.2f} s)", speedup > 1)


def _linear(results: list[Result]) -> tuple[str, str, str]:
    """The growth exponent k in time ∝ N^k between the two largest N; linear when k ≤ 1.1."""
    target = "cost grows linearly with N (exponent k in time ∝ Nᵏ ≤ 1.1 between the two largest N)"
    if len(results) < 2:
        return target, "needs two sizes", "unknown"
    a, b = results[-2], results[-1]
    k = math.log(b.ours.full.wall / a.ours.full.wall) / math.log(b.n / a.n)
    per = [f"{r.ours.full.wall / r.n * 1000:.1f} ms/dossier at {r.n:,}" for r in results]
    return _mark(target, f"k = {k:.2f} ({'; '.join(per)})", k <= 1.1)


# ---- stdout --------------------------------------------------------------------------------------

def print_table(run: Run) -> None:
    table = [HEADER, *[r for result in run.results for r in rows(result)]]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    for line in table:
        print("  ".join(cell.rjust(w) if i >= 3 else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))))
    for result in run.results:
        print(f"N = {result.n:,}: {ratios(result)}; {search_share(result)}")
    for target, measured, met in targets(run.results, run.five_seed_edit_ms):
        print(f"[{met or '-'}] {target}: {measured}")


# ---- BENCHMARKS.md ------------------------------------------------------------------------------

def markdown(run: Run) -> str:
    parts = [BEGIN, _summary(run), _figures(run), _targets_md(run), _profile_md(run), _edit_profile_md(run), END]
    return "\n\n".join(p for p in parts if p) + "\n"


def _table(header: tuple[str, ...], body: list[tuple[str, ...]], right: range = range(0)) -> str:
    """A Markdown table; the columns in `right` (numbers) are right-aligned."""
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = [header, tuple(align), *body]
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines)


def _summary(run: Run) -> str:
    machine = "\n".join(f"- {k}: {v}" for k, v in run.machine.items())
    versions = "\n".join(f"- {k}: {v}" for k, v in run.versions.items())
    skipped = "\n".join(f"- skipped: {s}" for s in run.skipped)
    return (f"## How these figures were made\n\nReproduce with:\n\n```sh\n{run.command}\n```\n\n"
            f"Machine:\n\n{machine}\n\nVersions:\n\n{versions}" + (f"\n\n{skipped}" if skipped else ""))


def _figures(run: Run) -> str:
    body = [r for result in run.results for r in rows(result)]
    lines = [f"- N = {r.n:,}: {ratios(r)}" for r in run.results]
    lines += [f"- N = {r.n:,}: {search_share(r)}" for r in run.results]
    return "## Figures\n\n" + _table(HEADER, body, range(4, 8)) + "\n\n" + "\n".join(lines)


def _targets_md(run: Run) -> str:
    body = targets(run.results, run.five_seed_edit_ms)
    return "## Targets (issue 7)\n\n" + _table(("target", "measured", "met?"), body)


def _profile_md(run: Run) -> str:
    if not run.profile or not run.profile.is_file():
        return ""
    return _profiled(run.profile, f"## Profile of a full build at N = {run.profile_n:,}")


def _edit_profile_md(run: Run) -> str:
    """What stands in the way of a fast edit from a fresh process: where its time goes, by stage."""
    if not run.edit_profile or not run.edit_profile.is_file():
        return ""
    title = f"## Profile of a one-sidecar edit built from a fresh process at N = {run.edit_profile_n:,}"
    return _profiled(run.edit_profile, title, ("tottime",))


def _profiled(path: Path, title: str, by: tuple[str, ...] = ("cumtime", "tottime")) -> str:
    stats = profiling.load(path)
    total = profiling.total_time(stats)
    head = f"{title} (cProfile, {total:.1f} s under the profiler)"
    return "\n\n".join([head, _stages_md(stats, total), *(_top_md(stats, column) for column in by)])


def _stages_md(stats, total: float) -> str:
    body = [(name, "—" if s is None else f"{s:.2f}", "—" if s is None else f"{s / total:.0%}")
            for name, s in profiling.stages(stats)]
    return "By stage (cumulative time of each stage's function):\n\n" + _table(("stage", "s", "share"), body, range(1, 3))


def _top_md(stats, by: str) -> str:
    rows_ = [(r.calls, f"{r.tottime:.3f}", f"{r.cumtime:.3f}", f"`{r.where}`") for r in profiling.top(stats, by)]
    title = {"cumtime": "cumulative", "tottime": "internal"}[by]
    return f"Top 15 by {title} time:\n\n" + _table(("calls", "tottime s", "cumtime s", "function"), rows_, range(3))


def write_benchmarks(path: Path, run: Run) -> None:
    """Replace the generated block of `path`, keeping whatever was written around it."""
    block = markdown(run).rstrip("\n")
    if path.is_file() and BEGIN in path.read_text(encoding="utf-8"):
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
        path.write_text(pattern.sub(lambda _: block, text, count=1), encoding="utf-8")
        return
    path.write_text(f"# Benchmarks\n\n{block}\n", encoding="utf-8")
