"""The build, stage by stage: load and validate everything, annotate, render, write."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .annotate import AliasIndex, Annotated, annotate
from .cache import FileCache
from .check import check_references, warn_quality
from .crossref import CrossRef, cross_reference
from .errors import BuildError, Problems
from .exports import export_files
from .files import feed, refuse_links_out, sitemap, static_files
from .load import load_project
from .model import Dossier, Project
from .parallel import parallel_map
from .prose import Prose
from .render import Output, Progress, Renderer, Sink, environment
from .search import BUNDLE, Indexer
from .template_errors import check_templates
from .views import Views, build_views
from .write import Discard, Staging, refuse_bad_paths, refuse_output_folder, writing


@dataclass
class Investigation:
    """An investigation loaded, validated and annotated: everything needed to render it."""

    project: Project
    docs: dict[str, Annotated]
    xref: CrossRef
    problems: Problems


@dataclass
class Session:
    """What one process keeps between builds (the dev server keeps one): file reads, annotations, templates.

    Everything kept is keyed by what it was made from, so a build with a session writes exactly
    what a build without one writes; tests/test_incremental.py holds it to that.
    `drafts` is the one switch between building and previewing: "error" refuses every TODO left
    to confirm (todo.py), "preview" (the dev server's) builds anyway and leaves them in the problems.
    """

    files: FileCache = field(default_factory=FileCache)
    annotations: dict[tuple, Annotated] = field(default_factory=dict)
    templates: tuple = ()
    env: jinja2.Environment | None = None
    pages: dict = field(default_factory=dict)  # path -> (hash of what it is made from, output), for this env
    prose: Prose = field(default_factory=Prose)
    drafts: str = "error"  # or "preview"

    def annotate(self, dossier: Dossier, index: AliasIndex, problems: Problems) -> Annotated:
        key = (dossier, index.key)
        if key not in self.annotations:
            found = Problems()
            doc = annotate(dossier, index, found)
            problems.extend(found)
            if found.items:
                return doc  # never keep a failed annotation: its problems must be reported again
            self.annotations[key] = doc
        kept = self.annotations[key]
        if kept.dossier is not dossier:
            # This build's dossier object (equal to the kept one) with the kept blocks: the views must
            # share objects as a fresh build's do, or their pickles, the page memo's keys, differ.
            kept = self.annotations[key] = Annotated(dossier, kept.blocks)
        return kept

    def forget_except(self, docs: dict[str, Annotated]) -> None:
        """Drop annotations of dossiers that changed, so the cache does not grow with every edit."""
        alive = {id(doc) for doc in docs.values()}
        self.annotations = {k: v for k, v in self.annotations.items() if id(v) in alive}

    def environment(self, templates: Path) -> jinja2.Environment:
        """The compiled templates, compiled again only when a template file changed."""
        files = sorted((p for p in templates.rglob("*") if p.is_file()), key=str)
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        if self.env is None or stamp != self.templates:
            self.env, self.templates = checked_environment(templates), stamp
            self.pages = {}  # rendered with the old templates
        return self.env


def checked_environment(templates: Path) -> jinja2.Environment:
    """The compiled templates; BuildError naming every template that cannot be read or compiled.

    Checked once per compilation: a session keeps the environment, and so the check, until a template changes.
    """
    env = environment(templates)
    broken = check_templates(env, templates)
    if broken:
        raise BuildError(broken)
    return env


@dataclass
class Timings:
    """How long each stage of a build took, in order; `build.py build --timings` prints them."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    last: float = field(default_factory=time.perf_counter)

    def mark(self, stage: str) -> None:
        """The stage that just ended."""
        now = time.perf_counter()
        self.stages.append((stage, now - self.last))
        self.last = now


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a build, on again after.

    A build makes millions of objects and almost no reference cycles: at 10,000 dossiers the
    collector's passes over them cost 6 s of CPU and free nothing (peak memory is the same
    without them). Forked workers inherit the setting, so they never walk, and so copy, the
    pages of the objects they inherited.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(root: Path, base_url: str | None = None, session: Session | None = None, workers: int = 1) -> Investigation:
    """Load, check and annotate everything, then cross-reference; raise BuildError on any error.

    A session (the dev server's) reuses what is unchanged; without one, a large investigation is
    read and annotated on `workers` processes.
    """
    with collector_paused():
        return cross_checked(*annotated(root, base_url, session, workers))


def annotated(root: Path, base_url: str | None = None, session: Session | None = None,
              workers: int = 1) -> tuple[Project, dict[str, Annotated], Problems]:
    """Load and check every input, then annotate every seed; raise BuildError on any error."""
    problems = Problems()
    project = load_project(root, problems, session.files if session else None, workers)
    if base_url:
        project.site = replace(project.site, base_url=base_url if base_url.endswith("/") else base_url + "/")
    check_references(project, problems)
    index = AliasIndex(list(project.entities.values()))
    docs = annotate_all(project, index, problems, session, workers)
    problems.raise_if_errors(drafts=session is None or session.drafts != "preview")
    return project, docs, problems


def cross_checked(project: Project, docs: dict[str, Annotated], problems: Problems) -> Investigation:
    """Index who is named where and which passages support which event; add the editors' warnings."""
    xref = cross_reference(project, docs)
    warn_quality(project, docs, xref, problems)
    return Investigation(project, docs, xref, problems)


def annotate_all(project: Project, index: AliasIndex, problems: Problems, session: Session | None,
                 workers: int) -> dict[str, Annotated]:
    """Every dossier annotated, by slug in order: kept ones reused, or many on worker processes."""
    dossiers = sorted(project.dossiers.values(), key=lambda d: d.slug)
    if session:
        docs = {d.slug: session.annotate(d, index, problems) for d in dossiers}
        session.forget_except(docs)
        return docs
    # Workers inherit the dossiers at fork: only slugs go out and only the blocks come back.
    done = parallel_map(_annotate_one, (project.dossiers, index), [d.slug for d in dossiers], workers)
    docs = {}
    for dossier, (blocks, found) in zip(dossiers, done, strict=True):
        problems.extend(found)
        docs[dossier.slug] = Annotated(dossier, blocks)
    return docs


def _annotate_one(context: tuple[dict[str, Dossier], AliasIndex], slug: str) -> tuple[list, list]:
    dossiers, index = context
    found = Problems()
    return annotate(dossiers[slug], index, found).blocks, found.items


def render_site(inv: Investigation, templates: Path, session: Session | None = None, workers: int = 1,
                progress: Progress | None = None, stage: Sink | None = None) -> list[Output]:
    """Every file of the site in a stable order; pages on `workers` processes when it pays.

    With a staging folder, pages are written there as they are rendered (their outputs come back
    `on_disk`, without their bytes); everything else is returned for the caller to put.
    """
    refuse_links_out(inv.project.root, templates)  # before any template or static file is read
    prose = session.prose if session else Prose()
    views: Views = build_views(inv.project, inv.docs, inv.xref, prose)
    env = session.environment(templates) if session else checked_environment(templates)
    memo = session.pages if session else None  # a one-off build renders everything once: no memo
    exported, listed = export_files(inv.project, views, stage)  # before the pages: the Data page gives their sizes
    pages = Renderer(inv.project, views, env, prose, memo, listed).all_pages(workers, progress, stage)
    outputs = pages + exported
    outputs += [sitemap(inv.project, pages), feed(inv.project, views), *static_files(templates)]
    refuse_bad_paths(outputs)
    return outputs


def build(root: Path, out: Path, base_url: str | None = None, session: Session | None = None,
          search: bool = True, workers: int = 1, progress: Progress | None = None,
          timings: Timings | None = None) -> Investigation:
    """Build the site in `root` into `out`; on error nothing in `out` changes.

    `search=False` skips the full-text index (the preview does: indexing costs more than a rebuild).
    """
    refuse_output_folder(root, out)
    with collector_paused():
        return _build(root, out, base_url, session, search, workers, progress, timings or Timings())


def render_everything(inv: Investigation, templates: Path, workers: int = 1) -> None:
    """Render every file of the site and keep none: what `check` does to find the templates' errors."""
    with collector_paused():
        render_site(inv, templates, workers=workers, stage=Discard())


def _build(root: Path, out: Path, base_url: str | None, session: Session | None, search: bool, workers: int,
           progress: Progress | None, clock: Timings) -> Investigation:
    project, docs, problems = annotated(root, base_url, session, workers)
    clock.mark("load, validate and annotate")
    # Search documents are written, then indexed, by processes of their own, beside the build.
    with (writing(f"writing the site into {out}"), Staging(out, regenerated=(BUNDLE,) if search else ()) as stage,
          Indexer(project, docs, stage.folder) if search else nullcontext() as indexer):
        inv = cross_checked(project, docs, problems)
        clock.mark("cross-reference and warn")
        # A session keeps each page's bytes, to reuse those whose variables are unchanged: it renders in memory.
        outputs = render_site(inv, root / "templates", session, workers, progress, None if session else stage)
        for output in outputs:
            if not output.on_disk:
                stage.put(output)
        clock.mark("views, render and write")
        if indexer:
            indexer.finish()
            clock.mark("wait for the search index")
        stage.keep_only({o.path for o in outputs})
    clock.mark("remove what the site no longer has, swap in")
    return inv


def build_in_memory(root: Path, session: Session) -> tuple[Investigation, dict[str, bytes]]:
    """Every file of the site by path, without writing (the dev server serves from memory).

    No search index: indexing costs more than the rebuild. The session renders only what changed.
    """
    with collector_paused():
        inv = analyse(root, session=session)
        return inv, {o.path: o.content for o in render_site(inv, root / "templates", session)}
