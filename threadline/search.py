"""Full-text search: Pagefind indexes a small document per searchable page, before the swap.

What search should find is known before any page is rendered: a dossier's text and notes, an
entity's names and description, a free page's prose. Each is written as a minimal HTML document
into `INPUT` inside the staging folder, at the path of its page, so Pagefind gives each result
the page's URL; Pagefind then writes its bundle into `pagefind/` and the documents are removed.
Indexing these documents instead of the rendered pages skips the menus, panels, event lists and
mention snippets Pagefind would parse only to ignore: at 10,000 dossiers it takes a quarter of
the time. Pagefind comes from PyPI (`pagefind[bin]`, which ships the binary in its wheel); the
search page loads the bundle by a relative URL, so search works under any subpath, offline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

from markupsafe import Markup

from .errors import BuildError, Problem
from .views import DossierView, EntityView

BUNDLE = "pagefind"
INPUT = "_search-input"  # a folder of the staging tree: Pagefind's input, removed before the swap
_TAGS = {"heading": "h2", "para": "p"}


def pagefind_available() -> bool:
    try:
        from pagefind.service import _must_get_executable  # noqa: F401
    except ImportError:
        return False
    return True


def dossier_document(view: DossierView, language: str) -> str:
    """The headline, the verbatim text (less the headline line) and the editors' notes."""
    ref = view.ref
    kind = " · ".join(part for part in ("Dossier", ref.outlet, view.link.published) if part)
    blocks = [f"<{_TAGS[b.kind]}>{escape(b.text)}</{_TAGS[b.kind]}>" for b in view.annotated.blocks if b.kind in _TAGS]
    notes = [f"<p>{html}</p>" for _, html in view.notes]
    return _document(language, f'<p data-pagefind-meta="kind">{escape(kind)}</p>',
                     f"<h1>{escape(ref.headline)}</h1>", *blocks, *notes)


def entity_document(view: EntityView, language: str) -> str:
    """The name and every other spelling weigh most, then the description."""
    aliases = ", ".join(escape(a) for a in view.aliases)
    return _document(language, f'<p data-pagefind-meta="kind">{escape(view.kind_title)}</p>',
                     f'<h1 data-pagefind-weight="10">{escape(view.ref.name)}</h1>',
                     f'<p data-pagefind-weight="8">{aliases}</p>' if aliases else "",
                     f'<div data-pagefind-weight="4">{view.description}</div>')


def page_document(title: str, body: Markup, language: str) -> str:
    return _document(language, f"<h1>{escape(title)}</h1>", str(body))


def _document(language: str, *parts: str) -> str:
    body = "\n".join(part for part in parts if part)
    head = f'<!doctype html>\n<html lang="{escape(language)}">\n<body><main data-pagefind-body>\n'
    return f"{head}{body}\n</main></body>\n</html>\n"


def index_site(folder: Path) -> None:
    """Index the documents in `folder`/INPUT into `folder`/pagefind, then remove them.

    A failure stops the build with Pagefind's message.
    """
    source = folder / INPUT
    command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(folder / BUNDLE), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BuildError([Problem("pagefind", 0, 0, f"search indexing failed: {message}")])
