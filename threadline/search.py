"""Full-text search: Pagefind indexes a small document per searchable page, in the background.

What search should find is known as soon as the seeds are annotated: a dossier's text and
notes, an entity's names and description, a free page's prose. Each is written as a minimal
HTML document into `INPUT` inside the staging folder, saved flat (`dossiers/<slug>.html` for
the page at `dossiers/<slug>/`: a folder per document would double the files a build creates),
and the search page turns each result's URL back into its page's. Pagefind runs as a separate
process while this one cross-references and renders, and the build waits for it before the
swap. Indexing these documents instead of the rendered pages skips the menus, panels, event
lists and mention snippets Pagefind would parse only to ignore. Pagefind comes from PyPI
(`pagefind[bin]`, which ships the binary in its wheel); the search page loads the bundle by a
relative URL, so search works under any subpath, offline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

from markupsafe import Markup

from .annotate import Annotated
from .errors import BuildError, Problem
from .model import KIND_TITLES, Entity, Project
from .parallel import parallel_map
from .prose import Prose
from .urls import save_as

PAGEFIND = [sys.executable, "-m", "pagefind"]  # the binary, from the wheel of `pagefind[bin]`
BUNDLE = "pagefind"
INPUT = "_search-input"  # a folder of the staging tree: Pagefind's input, removed before the swap
_TAGS = {"heading": "h2", "para": "p"}


def pagefind_available() -> bool:
    try:
        from pagefind.service import _must_get_executable  # noqa: F401
    except ImportError:
        return False
    return True


class Indexer:
    """Writes the search documents, runs Pagefind in the background, and waits for it in `finish`.

    Use as a context manager around the rest of the build: leaving it early (an error) stops
    Pagefind. `finish` is the last step before the staging folder is swapped in.
    """

    def __init__(self, project: Project, docs: dict[str, Annotated], prose: Prose, folder: Path, workers: int = 1):
        self.context = (project, docs, prose, folder / INPUT)
        self.folder, self.workers = folder, workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Indexer:
        project, docs = self.context[:2]
        items = [("page", slug) for slug in project.pages] + [("dossier", slug) for slug in docs]
        items += [("entity", entity_id) for entity_id in project.entities]
        parallel_map(_write_document, self.context, items, self.workers)
        command = [*PAGEFIND, "--site", str(self.folder / INPUT), "--output-path", str(self.folder / BUNDLE), "--silent"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return self

    def finish(self) -> None:
        """Wait for Pagefind and remove its input; its failure stops the build with its message."""
        assert self.process is not None, "finish() runs inside the with block"
        output, _ = self.process.communicate()
        shutil.rmtree(self.folder / INPUT, ignore_errors=True)
        if self.process.returncode != 0:
            message = output.strip() or f"exit status {self.process.returncode}"
            raise BuildError([Problem("pagefind", 0, 0, f"search indexing failed: {message}")])

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def _write_document(context: tuple[Project, dict[str, Annotated], Prose, Path], item: tuple[str, str]) -> None:
    project, docs, prose, folder = context
    kind, key = item
    if kind == "dossier":
        path, html = save_as("dossier", slug=key), dossier_document(docs[key], prose, project.site.date_style)
    elif kind == "entity":
        entity = project.entities[key]
        path, html = save_as("entity", kind=entity.kind, id=key), entity_document(entity, prose)
    else:
        page = project.pages[key]
        path, html = save_as("page", slug=key), page_document(page.title, prose.html(page.body))
    target = folder / flat(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_document(project.site.language, html), encoding="utf-8")


def flat(page_path: str) -> str:
    """Where the search document of a page is saved: "people/x/index.html" -> "people/x.html"."""
    return page_path.removesuffix("/index.html") + ".html"


def dossier_document(doc: Annotated, prose: Prose, date_style: str) -> str:
    """The headline, the verbatim text (less the headline line) and the editors' notes."""
    d = doc.dossier
    kind = " · ".join(part for part in ("Dossier", d.outlet, d.published.display(date_style)) if part)
    blocks = [f"<{_TAGS[b.kind]}>{escape(b.text)}</{_TAGS[b.kind]}>" for b in doc.blocks if b.kind in _TAGS]
    notes = [f"<p>{prose.inline(note.text)}</p>" for note in d.notes]
    return "\n".join([f'<p data-pagefind-meta="kind">{escape(kind)}</p>', f"<h1>{escape(d.headline)}</h1>", *blocks, *notes])


def entity_document(entity: Entity, prose: Prose) -> str:
    """The name and every other spelling weigh most, then the description."""
    aliases = ", ".join(escape(a) for a in entity.spellings if a != entity.name)
    return "\n".join([f'<p data-pagefind-meta="kind">{escape(KIND_TITLES[entity.kind])}</p>',
                      f'<h1 data-pagefind-weight="10">{escape(entity.name)}</h1>',
                      f'<p data-pagefind-weight="8">{aliases}</p>' if aliases else "",
                      f'<div data-pagefind-weight="4">{prose.html(entity.description)}</div>'])


def page_document(title: str, body: Markup) -> str:
    return f"<h1>{escape(title)}</h1>\n{body}"


def _document(language: str, body: str) -> str:
    head = f'<!doctype html>\n<html lang="{escape(language)}">\n<body><main data-pagefind-body>\n'
    return f"{head}{body}\n</main></body>\n</html>\n"
