"""The command line: build, check, serve, new, todo, init."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shlex
import sys
from pathlib import Path
from typing import NoReturn

from threadline.errors import BuildError, OutputError, Problem, Problems, one_line, reason
from threadline.publish import stamp

# The generator's stages are imported by the commands that run them: `build` with nothing changed
# needs only the stamp, and importing them all was half of its second at 10,000 dossiers.


def main(argv: list[str] | None = None, ending: bool = False) -> int:
    """Run one command; `ending` when the process ends after it (build.py), so that nothing need be freed."""
    args = parser().parse_args(argv)
    args.ending = ending
    command = args.run.__name__.removeprefix("cmd_")
    kept = "; the previous site is unchanged" if args.run is cmd_build else ""
    try:
        return args.run(args)
    except BuildError as error:
        report(error.problems)
        outcome = "nothing was written" if args.run is cmd_build else "fix them and run it again"
        print(f"{command} failed: {len(error.problems)} error(s); {outcome}", file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"{command} failed: {error}{kept}", file=sys.stderr)
        return 1
    except OSError as exc:  # the system refused something outside the writing of the site: nothing was written
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"{command} failed: {reason(exc)}{where}{kept}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{command} interrupted{kept}", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: every kind of bad input is a BuildError or an OutputError above
        print(f"internal error: {type(exc).__name__}: {one_line(str(exc))} (please report it with the command you ran)",
              file=sys.stderr)
        return 2


def end(status: int) -> NoReturn:
    """Leave the process at once with `status`, its output flushed (build.py, after `main(ending=True)`).

    Python's own exit frees every object one by one: 2.4 s at 10,000 dossiers, after the build is done,
    for memory the system takes back whole. Every file the build wrote is closed by then.
    """
    if sys.getprofile() or sys.gettrace():  # a profiler or a coverage tool writes what it found as Python exits
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away, or a closed stream
            stream.flush()
    os._exit(status)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build an investigation into a static site.")
    top.set_defaults(run=cmd_build, out=None, base_url=None, project=Path("."), strict=False,
                     jobs=os.cpu_count() or 1, search=True, force=False, timings=False)
    commands = top.add_subparsers(title="commands")
    sub = commands.add_parser("build", help="build the site (the default)")
    _common(sub)
    sub.add_argument("--out", type=Path, help="output folder (default: PROJECT/public)")
    sub.add_argument("--base-url", help="override site.yaml's base_url, e.g. for a preview")
    sub.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                     help="processes rendering pages on large sites (default: one per core)")
    sub.add_argument("--no-search", dest="search", action="store_false", help="skip the full-text search index")
    sub.add_argument("--force", action="store_true", help="build even when nothing changed since the last build")
    sub.add_argument("--timings", action="store_true", help="print how long each stage of the build took")
    sub.set_defaults(run=cmd_build)
    sub = commands.add_parser("check", help="validate everything and render every page in memory; write nothing")
    _common(sub)
    sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub.add_argument("--links", action="store_true",
                     help="also build the site and crawl it, at its base_url and at a domain root, for broken links")
    sub.set_defaults(run=cmd_check)
    sub = commands.add_parser("serve", help="build, serve and rebuild on change")
    _common(sub)
    sub.add_argument("--port", type=int, default=8000)
    sub.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: loopback only)")
    sub.add_argument("--poll", action="store_true",
                     help="look at every file every 20 ms instead of asking the system which changed "
                          "(for folders the system cannot watch, such as some network or container mounts)")
    sub.set_defaults(run=cmd_serve)
    sub = commands.add_parser("new", help="draft the sidecar of a seed that has none yet")
    _common(sub)
    sub.add_argument("seed", help="the seed, e.g. seeds/report.txt")
    sub.set_defaults(run=cmd_new)
    sub = commands.add_parser("todo", help="list every TODO left to confirm")
    _common(sub)
    sub.set_defaults(run=cmd_todo)
    sub = commands.add_parser("synth", help="write a synthetic investigation of N seeds (for benchmarks)")
    sub.add_argument("n", type=int, help="number of seeds")
    sub.add_argument("dir", type=Path, help="where to write it (replaced if it exists)")
    sub.set_defaults(run=cmd_synth)
    sub = commands.add_parser("init", help="start a new investigation in an empty folder")
    sub.add_argument("dir", type=Path, help="the new investigation's folder (created if missing; must be empty)")
    sub.set_defaults(run=cmd_init)
    _common(top)
    return top


def _common(sub: argparse.ArgumentParser) -> None:
    # A subcommand's own --project has no default: `build.py --project X check` keeps X (the top level's default is ".").
    default = Path(".") if sub.prog == "build.py" else argparse.SUPPRESS
    sub.add_argument("--project", type=Path, default=default, help="the investigation's folder (default: .)")


def report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    if args.ending:
        # The process ends with the build: the cyclic garbage collector's first pass after it would walk
        # every object the build made (2.5 s at 10,000 dossiers) to free nothing the exit does not free.
        gc.disable()
    out = (args.out or args.project / "public").resolve()
    options = {"base_url": args.base_url, "search": args.search, "out": str(out)}
    inputs = stamp.read_inputs(args.project)  # before the build: an edit made while it runs is not vouched for
    if not args.force and stamp.up_to_date(args.project, out, options, inputs):
        print(f"up to date: nothing changed since the last build of {out}")
        return 0
    from threadline.pipeline import Timings, build
    from threadline.publish.modes import Incremental
    from threadline.publish.write import writing

    with writing("removing the stamp of the last build"):
        stamp.forget(args.project)
    progress = _progress_bar if sys.stderr.isatty() else None  # quiet in logs and pipes
    clock = Timings()
    # Only what changed since the last build is rendered and written (record.py), from any process.
    mode = Incremental(args.jobs, progress, inputs.digest, options, inputs.hashes)
    inv = build(args.project, out, args.base_url, mode, search=args.search, timings=clock)
    try:
        stamp.record(args.project, out, options, inputs)
    except OSError as exc:  # the site is built; only the next build's skipping is lost
        print(f"warning: the build could not be recorded ({reason(exc)}); the next build will not be skipped", file=sys.stderr)
    report(inv.problems.warnings)
    if args.timings:
        for stage, seconds in clock.stages:
            print(f"{seconds:8.2f} s  {stage}", file=sys.stderr)
    print(f"built {len(inv.project.dossiers)} dossiers, {len(inv.project.entities)} entities, "
          f"{len(inv.project.events)} events into {out} ({clock.rendered[0]} of {clock.rendered[1]} files rendered)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from threadline.pipeline import analyse, render_everything
    from threadline.publish.modes import Mode

    mode = Mode(args.jobs)
    inv = analyse(args.project, mode=mode)
    render_everything(inv, args.project / "templates", mode)  # template errors show only when pages render
    warnings = inv.problems.warnings
    report(warnings)
    if warnings and args.strict:
        print(f"check failed: {len(warnings)} warning(s) with --strict", file=sys.stderr)
        return 1
    if args.links:
        broken = broken_links(args.project, inv.project.site.base_url)
        for line in broken:
            print(line, file=sys.stderr)
        if broken:
            print(f"check failed: {len(broken)} broken link(s)", file=sys.stderr)
            return 1
    print(f"ok: {len(inv.project.dossiers)} dossiers, {len(inv.project.entities)} entities, "
          f"{len(inv.project.events)} events, {len(warnings)} warning(s)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from threadline.preview.serve import serve  # livereload and tornado load only when serving

    return serve(args.project, args.host, args.port, poll=args.poll)


def cmd_new(args: argparse.Namespace) -> int:
    from threadline.tools.draft import DraftError, new_sidecar

    try:
        written = new_sidecar(args.project, args.seed)
    except DraftError as error:
        print(f"new: {error}", file=sys.stderr)
        return 1
    print(f"drafted {', '.join(str(path) for path in written)}: confirm every TODO (`build.py todo` lists them, and "
          "the workbench of `build.py serve` shows them on the page), then run `build.py check`")
    return 0


def cmd_todo(args: argparse.Namespace) -> int:
    from threadline.inputs.todo import left_to_confirm

    unreadable = Problems()
    items = left_to_confirm(args.project, unreadable)
    report(unreadable.items)
    for item in items:
        print(item)
    print(f"{len(items)} item(s) left to confirm" if items else "nothing left to confirm")
    if unreadable.items:  # what they hold is not listed: the list is not the whole
        print(f"todo: {len(unreadable.items)} file(s) could not be read; fix them and run it again", file=sys.stderr)
    return 1 if unreadable.items else 0


def cmd_init(args: argparse.Namespace) -> int:
    from threadline.tools.scaffold import ScaffoldError, init_project

    try:
        init_project(args.dir)
    except ScaffoldError as error:
        print(f"init: {error}", file=sys.stderr)
        return 1
    run = f"{_invocation()} --project {shlex.quote(str(args.dir))}"
    print(f"started a new investigation in {args.dir}. From this folder:\n"
          f"  {run.replace(' --project', ' serve --project', 1)}    preview it as you edit\n"
          f"  {run.replace(' --project', ' new --project', 1)} seeds/YOUR-SOURCE.txt    draft the sidecar of a seed you add\n"
          f"  {run.replace(' --project', ' check --strict --project', 1)}    what is left before publishing")
    return 0


def _invocation() -> str:
    """How this command was run (interpreter and script, as typed), so printed commands work as printed."""
    python = os.path.relpath(sys.executable) if not os.path.relpath(sys.executable).startswith("..") else sys.executable
    script = sys.argv[0] if sys.argv[0].endswith(".py") else "build.py"
    return f"{shlex.quote(python)} {shlex.quote(script)}"


def broken_links(root: Path, base_url: str) -> list[str]:
    """Build into temporary folders for base_url and for a domain root, crawl both, and say what was crawled."""
    import tempfile

    from threadline.pipeline import build
    from threadline.publish.links import crawl_site

    broken = []
    for url in dict.fromkeys([base_url, "https://example.org/"]):
        with tempfile.TemporaryDirectory(prefix="threadline-links-") as tmp:
            out = Path(tmp) / "site"
            build(root, out, url)
            seen = crawl_site(out, url)
            print(seen.summary())
            broken += [f"{line} [served at {url}]" for line in seen.broken]
    return broken


def cmd_synth(args: argparse.Namespace) -> int:
    from threadline.tools.synth import synthesise

    synthesise(args.n, args.dir)
    print(f"wrote a synthetic investigation of {args.n} seeds to {args.dir}")
    return 0


def _progress_bar(done: int, total: int) -> None:
    """A one-line bar on the terminal, shown only for builds big enough to take a while (those rendered in parallel)."""
    from threadline.publish.parallel import PARALLEL_FROM

    if total < PARALLEL_FROM:
        return
    width = 30
    filled = width * done // total
    end = "\n" if done == total else ""
    print(f"\rrendering pages [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)
