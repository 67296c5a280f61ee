"""The build, stage by stage: load and validate everything, annotate, render, write."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .annotate import AliasIndex, Annotated, annotate
from .check import check_references, warn_quality
from .crossref import CrossRef, cross_reference
from .errors import Problems
from .files import data_files, feed, markdown_files, sitemap, static_files
from .load import load_project
from .model import Project
from .prose import Prose
from .render import Output, Renderer, environment
from .search import index_site
from .views import Views, build_views
from .write import refuse_collisions, write_site


@dataclass
class Investigation:
    """An investigation loaded, validated and annotated: everything needed to render it."""

    project: Project
    docs: dict[str, Annotated]
    xref: CrossRef
    problems: Problems


def analyse(root: Path, base_url: str | None = None) -> Investigation:
    """Load and check every input, then annotate every seed; raise BuildError on any error."""
    problems = Problems()
    project = load_project(root, problems)
    if base_url:
        project.site = replace(project.site, base_url=base_url if base_url.endswith("/") else base_url + "/")
    check_references(project, problems)
    index = AliasIndex(list(project.entities.values()))
    docs = {slug: annotate(d, index, problems) for slug, d in sorted(project.dossiers.items())}
    problems.raise_if_errors()
    xref = cross_reference(project, docs)
    warn_quality(project, docs, xref, problems)
    return Investigation(project, docs, xref, problems)


def render_site(inv: Investigation, templates: Path) -> list[Output]:
    """Every file of the site, in memory, in a stable order."""
    prose = Prose()
    views: Views = build_views(inv.project, inv.docs, inv.xref, prose)
    pages = list(Renderer(inv.project, views, environment(templates), prose).all_pages())
    outputs = pages + list(markdown_files(inv.project, views)) + list(data_files(inv.project, views))
    outputs += [sitemap(inv.project, pages), feed(inv.project, views), *static_files(templates)]
    refuse_collisions(outputs)
    return outputs


def build(root: Path, out: Path, base_url: str | None = None) -> Investigation:
    """Build the site in `root` into `out`; on error nothing in `out` changes."""
    inv = analyse(root, base_url)
    write_site(render_site(inv, root / "templates"), out, finish=index_site)
    return inv
