"""`make bench`: measure threadline beside Hugo, Pelican and MkDocs, print a table, write BENCHMARKS.md.

    python -m bench.run --n 100 1000 10000

For each N it synthesises an investigation into .bench/ (git-ignored) and writes each other
generator's project with the same articles as plain Markdown pages. Then, three times: our full
build with each other generator's full build timed right after it, our no-op rebuild and two
one-sidecar edits, each built from a fresh process; then our full build without search, and the
dev server's save-to-served time (five edits rebuilt in memory); finally it profiles one full
build, and one edit built from a fresh process at N = 10,000, with cProfile. Output folders are
set aside and removed only at the end (see common.set_aside).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from . import others, ours
from .common import REPO, WORK, BenchError, combine, empty_trash, rel, say, set_aside
from .machine import machine, our_versions
from .report import Result, Run, print_table, write_benchmarks


def parse(argv: list[str] | None) -> argparse.Namespace:
    top = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--n", type=int, nargs="+", default=[100, 1000, 10000], help="sizes (default: 100 1000 10000)")
    top.add_argument("--reps", type=int, default=3, help="runs per measurement up to --reps-below (median taken)")
    top.add_argument("--reps-below", type=int, default=10000, help="largest N measured --reps times; larger N once")
    top.add_argument("--profile-n", type=int, default=1000, help="N of the profiled build (0: no profile)")
    top.add_argument("--edit-profile-n", type=int, default=10000,
                     help="N of the profiled one-sidecar edit from a fresh process, if measured (0: none)")
    top.add_argument("--no-others", action="store_true", help="measure threadline only")
    top.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md", help="the report (default: BENCHMARKS.md)")
    return top.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.perf_counter()
    WORK.mkdir(exist_ok=True)
    empty_trash()  # left by an interrupted run
    tools = [] if args.no_others else others.available_tools()
    run = Run([], machine(), {**our_versions(), **others.versions(tools)}, reproduce(args.n))
    run.skipped = [f"{name} (not installed)" for name in ("hugo", "pelican", "mkdocs")
                   if not args.no_others and name not in {t.name for t in tools}]
    try:
        for n in sorted(set(args.n)):
            run.results.append(measure(n, args.reps if n <= args.reps_below else 1, tools))
        with tempfile.TemporaryDirectory(prefix="threadline-five-") as five:  # away from the big trees above
            run.five_seed_edit_ms = ours.five_seed_edit_ms(Path(five) / "site")
        if args.profile_n:
            profile(run, args.profile_n)
        if args.edit_profile_n in args.n:
            profile_edit(run, args.edit_profile_n)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        say("removing the output folders set aside")
        empty_trash()
    print_table(run)
    write_benchmarks(args.output, run)
    say(f"wrote {rel(args.output)} in {time.perf_counter() - started:.0f} s")
    return 0


def reproduce(sizes: list[int]) -> str:
    default = sorted(sizes) == [100, 1000, 10000]
    return "make bench" if default else f'make bench N="{" ".join(map(str, sorted(set(sizes))))}"'


def measure(n: int, reps: int, tools: list[others.Tool]) -> Result:
    """Our builds at N, with each other generator's full build timed right after each of ours."""
    say(f"N = {n:,} ({reps} run{'s' if reps > 1 else ''} each)")
    folder, logs = WORK / "work" / str(n), WORK / "logs" / str(n)
    set_aside(folder)
    project = ours.synthesise(n, folder / "project")
    articles = others.read_articles(project) if tools else []
    for tool in tools:
        others.prepare(tool, articles, folder / tool.name)
    samples: dict[str, list] = {tool.name: [] for tool in tools}

    def others_beside(k: int) -> None:
        for tool in tools:
            samples[tool.name].append(others.build_once(tool, folder / tool.name, logs, k))

    result = Result(n, reps, ours.measure_ours(project, reps, logs, others_beside))
    result.tools = {name: combine(found) for name, found in samples.items()}
    result.dev_edit_ms, result.dev_peak_mib = ours.dev_edit_ms(project, logs / "dev-edit.log")
    for tool in tools:
        set_aside(folder / tool.name)
    return result


def profile(run: Run, n: int) -> None:
    project = WORK / "work" / str(n) / "project"
    if not (project / "site.yaml").is_file():
        ours.synthesise(n, project)
    stats = WORK / f"profile-{n}.prof"
    say(f"profiling a full build at N = {n:,} into {rel(stats)}")
    ours.profile(project, stats, WORK / "logs" / f"profile-{n}.log")
    run.profile, run.profile_n = stats, n



def profile_edit(run: Run, n: int) -> None:
    """Profile one more one-sidecar edit at N, built by the command the figures time, on the site its last edit left."""
    stats = WORK / f"profile-edit-{n}.prof"
    say(f"profiling a one-sidecar edit from a fresh process at N = {n:,} into {rel(stats)}")
    ours.profile_edit(WORK / "work" / str(n) / "project", stats, WORK / "logs" / f"profile-edit-{n}.log")
    run.edit_profile, run.edit_profile_n = stats, n


if __name__ == "__main__":
    sys.exit(main())
