"""The build, stage by stage: load and validate everything, annotate, render, write."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadline.errors import Problems
from threadline.inputs.check import check_references, warn_quality
from threadline.inputs.load import base_url_given, load_project
from threadline.inputs.model import Project
from threadline.publish import record
from threadline.publish.files import refuse_links_out
from threadline.publish.modes import Mode
from threadline.publish.preview_mode import Preview, SiteFiles
from threadline.publish.search import BUNDLE, Indexer
from threadline.publish.stamp import code_digest
from threadline.publish.write import Discard, Staging, refuse_output_folder, writing
from threadline.site.plan import Entry, Parts, make_plan
from threadline.site.render import Output
from threadline.site.views import Views
from threadline.text.annotate import AliasIndex, Annotated
from threadline.text.crossref import CrossRef


@dataclass
class Investigation:
    """An investigation loaded, validated and annotated: everything needed to render it."""

    project: Project
    docs: dict[str, Annotated]
    xref: CrossRef
    problems: Problems


Session = Preview  # what the dev server keeps between builds (preview_mode.Preview)


@dataclass
class Timings:
    """How long each stage of a build took, in order; `build.py build --timings` prints them."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    last: float = field(default_factory=time.perf_counter)
    rendered: tuple[int, int] = (0, 0)  # files rendered, files in the plan

    def mark(self, stage: str) -> None:
        """The stage that just ended."""
        now = time.perf_counter()
        self.stages.append((stage, now - self.last))
        self.last = now


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector off for a build, on again after.

    A build makes millions of objects and almost no reference cycles: at 10,000 dossiers the
    collector's passes over them cost 6 s of CPU and free nothing (peak memory is the same
    without them). Forked workers inherit the setting, so they never walk, and so copy, the
    pages of the objects they inherited.

    With `freeze` (a process that keeps its builds: the dev server), what exists at the end is left
    out of the collector's passes for good: otherwise its first pass after the build walks every object
    the build made (65 ms at 10,000 dossiers, once per save), and a full one, every few saves, all the
    kept ones (2.5 s). Frozen objects are still freed when unused; only a cycle among them stays.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def analyse(root: Path, base_url: str | None = None, mode: Mode | None = None) -> Investigation:
    """Load, check and annotate everything, then cross-reference; raise BuildError on any error."""
    with collector_paused():
        mode = mode or Mode()
        return cross_checked(*annotated(root, base_url, mode), mode)


def annotated(root: Path, base_url: str | None, mode: Mode) -> tuple[Project, dict[str, Annotated], Problems]:
    """Load and check every input, then annotate every seed; raise BuildError on any error."""
    problems = Problems()
    project = load_project(root, problems, mode)
    if base_url:
        base_url_given(project, base_url, problems)
    check_references(project, problems, mode)
    index = AliasIndex(list(project.entities.values()))
    docs = mode.annotate_all(sorted(project.dossiers.values(), key=lambda d: d.slug), index, problems)
    problems.raise_if_errors(drafts=mode.drafts != "preview")
    return project, docs, problems


def cross_checked(project: Project, docs: dict[str, Annotated], problems: Problems, mode: Mode) -> Investigation:
    """Index who is named where and which passages support which event; add the editors' warnings."""
    xref = mode.cross_reference(project, docs)
    warn_quality(project, docs, xref, problems, mode)
    return Investigation(project, docs, xref, problems)


def site_plan(inv: Investigation, templates: Path, mode: Mode) -> list[Entry]:
    """The page plan of the site: every file as an entry, path collisions refused before anything renders."""
    refuse_links_out(inv.project.root, templates)  # before any template or static file is read
    views: Views = mode.views(inv.project, inv.docs, inv.xref)
    return make_plan(Parts(inv.project, views, mode.environment(templates), mode.prose, templates, mode.memo()))


def render_site(inv: Investigation, templates: Path, mode: Mode, sink: Any = None) -> tuple[list[Output], dict[str, str]]:
    """Render what the mode says must be (with a sink, pages go there as they are made); every entry's key."""
    entries = site_plan(inv, templates, mode)
    return mode.execute(entries, mode.keys(templates), sink)


def build(root: Path, out: Path, base_url: str | None = None, mode: Mode | None = None, search: bool = True,
          timings: Timings | None = None) -> Investigation:
    """Build the site in `root` into `out` as the mode says (a full build by default); on error nothing in `out` changes.

    `search=False` skips the full-text index (the preview does: indexing costs more than a rebuild).
    """
    refuse_output_folder(root, out)
    with collector_paused():
        return _build(root, out, base_url, mode or Mode(), search, timings or Timings())


def render_everything(inv: Investigation, templates: Path, mode: Mode | None = None) -> None:
    """Render every file of the site and keep none: what `check` does to find the templates' errors."""
    with collector_paused():
        render_site(inv, templates, mode or Mode(), Discard())


def _build(root: Path, out: Path, base_url: str | None, mode: Mode, search: bool, clock: Timings) -> Investigation:
    project, docs, problems = annotated(root, base_url, mode)
    clock.mark("load, validate and annotate")
    code = code_digest()
    # Search documents are written, then indexed, by processes of their own, beside the build.
    with writing(f"writing the site into {out}"), Staging(out, regenerated=(BUNDLE,) if search else ()) as stage:
        if mode.recorded:
            mode.kept = record_of(root, out, stage, code)
        kept_index = (mode.kept or {}).get(SEARCH_INDEX)
        if search and kept_index:
            stage.carry_folder(BUNDLE)  # a new staging folder: the last site's index, kept if its documents are
        with Indexer(project, docs, stage.folder, kept_index) if search else nullcontext() as indexer:
            inv = cross_checked(project, docs, problems, mode)
            clock.mark("cross-reference and warn")
            outputs, keys = render_site(inv, root / "templates", mode, stage)
            clock.mark("views, plan, render and write")
            clock.rendered = (len(outputs), len(keys))
            for output in outputs:
                if not output.on_disk:
                    stage.put(output)
            if indexer:
                keys[SEARCH_INDEX] = indexer.finish()
                clock.mark("wait for the search index")
        stage.keep_only(set(keys))
    clock.mark("remove what the site no longer has, swap in")
    if mode.recorded:
        with writing("recording the keys of the pages built"):
            record.save(root, out, code, keys)
        clock.mark("record the keys of the pages")
    return inv


SEARCH_INDEX = f"{BUNDLE}/"  # the search bundle's key in the record: the hash of its documents


def record_of(root: Path, out: Path, stage: Staging, code: str) -> dict[str, str]:
    """The keys of the files a build may keep: those the staging folder holds when it rewrites the site before
    the last; those of the last site (which it links) when it is a new folder. Only as the record has them,
    when it describes that tree as it is and can be trusted; otherwise none.

    A site before the last that the record does not vouch for (built by another version of the generator,
    or changed since) is set aside for a new folder when the last site is vouched for: rewriting it would
    render every file, where linking renders only what changed.
    """
    if stage.reused:
        kept = record.kept_keys(root, out, stage.folder, code)
        if kept or not (kept := _last_site_keys(root, out, code)):
            return kept
        stage.afresh()
    else:
        kept = _last_site_keys(root, out, code)
    stage.source = out if kept else None
    return kept


def _last_site_keys(root: Path, out: Path, code: str) -> dict[str, str]:
    if not out.is_dir() or out.is_symlink():
        return {}
    return record.kept_keys(root, out, out, code)


def build_in_memory(root: Path, session: Preview) -> tuple[Investigation, SiteFiles]:
    """Every file of the site by path, without writing (the dev server serves from memory, each file packed).

    No search index: indexing costs more than the rebuild. The session renders only what changed.
    """
    with collector_paused(freeze=session.freeze):
        inv = analyse(root, mode=session)
        render_site(inv, root / "templates", session)
        return inv, SiteFiles(session.outputs)
