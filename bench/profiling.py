"""Read a cProfile file: the top entries, and the share of each build stage."""

from __future__ import annotations

import pstats
import re
from dataclasses import dataclass
from pathlib import Path

Key = tuple[str, int, str]

# Build stages as (label, file suffix, function); cumulative times, so a stage includes what it calls.
STAGES = (
    ("load and validate (all of load_project)", "threadline/inputs/load.py", "load_project"),
    ("- of which YAML parsing", "threadline/inputs/yamlio.py", "load_yaml"),
    ("- of which JSON Schema validation", "threadline/inputs/schema.py", "validate"),
    ("disk cache: hashing input files to find the entries (DiskCache.key)", "threadline/inputs/diskcache.py", "key"),
    ("disk cache: reading the loads and annotations kept (DiskCache.get)", "threadline/inputs/diskcache.py", "get"),
    ("cross-file checks", "threadline/inputs/check.py", "check_references"),
    ("annotation", "threadline/text/annotate.py", "annotate"),
    ("cross-referencing", "threadline/text/crossref.py", "cross_reference"),
    ("quality warnings", "threadline/inputs/check.py", "warn_quality"),
    ("template context (views)", "threadline/site/views.py", "made_views"),
    ("the page plan (make_plan)", "threadline/site/plan.py", "make_plan"),
    ("every file of the plan keyed, rendered and written (Mode.execute)", "threadline/publish/modes.py", "execute"),
    ("- of which keys (Keys.key)", "threadline/site/keys.py", "key"),
    ("- of which Jinja2 Template.render", "jinja2/environment.py", "render"),
    ("- of which the Markdown dossiers", "threadline/site/render.py", "markdown_dossier"),
    ("- of which writing files (Staging.put)", "threadline/publish/write.py", "put"),
    ("- of which data files (exports.EXPORTS)", "threadline/site/plan.py", "_export"),
    ("search documents (Indexer.__enter__; Pagefind runs in its own process)", "threadline/publish/search.py", "__enter__"),
    ("waiting for Pagefind (Indexer.finish)", "threadline/publish/search.py", "finish"),
)


@dataclass(frozen=True)
class Row:
    calls: str
    tottime: float
    cumtime: float
    where: str


def load(path: Path) -> pstats.Stats:
    return pstats.Stats(str(path))


def total_time(stats: pstats.Stats) -> float:
    return float(stats.total_tt)  # type: ignore[attr-defined]


def top(stats: pstats.Stats, by: str, count: int = 15) -> list[Row]:
    """The `count` entries with the largest `by` ("cumtime" or "tottime")."""
    column = {"tottime": 2, "cumtime": 3}[by]
    table = stats.stats  # type: ignore[attr-defined]
    keys = sorted(table, key=lambda k: table[k][column], reverse=True)[:count]
    return [_row(k, table[k]) for k in keys]


def _row(key: Key, value: tuple) -> Row:
    primitive, calls, tottime, cumtime, _ = value
    shown = str(calls) if calls == primitive else f"{calls}/{primitive}"
    return Row(shown, tottime, cumtime, label(key))


def label(key: Key) -> str:
    """`package/module.py:line(function)`, never an absolute path of the machine that ran it."""
    filename, line, function = key
    if filename == "~":
        return function
    return f"{_short(filename)}:{line}({function})"


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/threadline/", "/bench/"):
        if marker in filename:
            head = "" if marker == "site-packages/" else marker.strip("/") + "/"
            return head + filename.split(marker, 1)[1]
    match = re.search(r"python3\.\d+/(.*)$", filename)
    return match.group(1) if match else Path(filename).name


def stages(stats: pstats.Stats) -> list[tuple[str, float | None]]:
    """The cumulative seconds of each stage of STAGES, None where the profile has no such function."""
    table = stats.stats  # type: ignore[attr-defined]
    found = []
    for name, suffix, function in STAGES:
        times = [v[3] for k, v in table.items() if k[2] == function and k[0].endswith(suffix)]
        found.append((name, sum(times) if times else None))
    return found
