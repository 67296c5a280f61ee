"""Full-text search: Pagefind indexes a small document per searchable page, in the background.

What search should find is known as soon as the seeds are annotated: a dossier's text and
notes, an entity's names and description, a free page's prose. Each is written as a minimal
HTML document into a scratch folder, saved flat (`dossiers/<slug>.html` for the page at
`dossiers/<slug>/`: a folder per document would double the files a build creates),
and the search page turns each result's URL back into its page's. A forked process writes them
while this one cross-references, then Pagefind indexes them while this one renders; the build
waits for it before the swap. A large investigation's index is made in parts (PART_DOCUMENTS),
which the search merges. Indexing these documents instead of the rendered pages skips the
menus, panels, event lists and mention snippets Pagefind would parse only to ignore. Pagefind
comes from PyPI (`pagefind[bin]`, which ships the binary in its wheel); the search page loads
the bundle by a relative URL, so search works under any subpath, offline.

Pagefind's Python API, which sends the documents from memory to a Pagefind service, was measured
in this place and not kept: at 10,000 dossiers the build took longer (the documents are encoded
in the build's own process, and the service indexes them one at a time), at 1,000 it made no
difference, and the API's reader waits 0.1 s before each answer, one per document. Every process
started here ends with the build, even one killed by SIGKILL (`parallel.end_with_parent`).
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path

from markupsafe import Markup

from threadline.errors import BuildError, Problem, reason
from threadline.inputs.model import KIND_TITLES, Entity, Project
from threadline.publish.parallel import end_with_parent
from threadline.site.urls import save_as
from threadline.text.annotate import Annotated
from threadline.text.escaping import escape
from threadline.text.prose import Prose

PAGEFIND = [sys.executable, "-m", "pagefind"]  # the binary, from the wheel of `pagefind[bin]`
BUNDLE = "pagefind"
# Pagefind holds about 100 KB for each document while it indexes them, whatever its threads: 1 GB at
# 10,000 dossiers. Past this many documents, the index is made in parts, one after the other, the later
# ones in BUNDLE/part-N/; the search merges them (site.js), by the list the bundle holds (PARTS).
PART_DOCUMENTS = 4000
PARTS = "parts.js"
# Pagefind's input is thrown away after indexing: it goes to memory when Linux offers a memory-backed
# temporary folder. On disk, creating and then deleting ten thousand small files costs seconds of
# file-system time at 10,000 dossiers, for files nobody keeps.
MEMORY_TEMP = Path("/dev/shm")
_SCRATCH = "threadline-search"
_TAGS = {"heading": "h2", "para": "p"}


class Indexer:
    """Writes the search documents and runs Pagefind on them, beside the rest of the build.

    Use as a context manager around the rest of the build: entering forks a process that writes
    the documents and then runs Pagefind, while this one cross-references and renders; `finish`
    waits for it, the last step before the staging folder is swapped in. Leaving early (an
    error) stops both. Without fork, the indexing is done on entering.
    """

    def __init__(self, project: Project, docs: dict[str, Annotated], folder: Path, kept: str | None = None):
        items = [("page", slug) for slug in project.pages] + [("dossier", slug) for slug in docs]
        items += [("entity", entity_id) for entity_id in project.entities]
        self.project, self.docs, self.items, self.folder, self.kept = project, docs, items, folder, kept
        self.input: Path | None = None  # the documents' folder, made on entering
        self.child: multiprocessing.process.BaseProcess | None = None
        self.pipe: Connection | None = None
        self.result: tuple[int, str, str] = (0, "", "")

    def __enter__(self) -> Indexer:
        self.input = scratch_folder(self.folder)
        job = ((self.project, self.docs, Prose(), self.input), self.items, self.folder / BUNDLE, self.kept)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.result = _index(*job)
            return self
        self.pipe, sender = multiprocessing.Pipe(duplex=False)
        self.child = multiprocessing.get_context("fork").Process(target=_index_in_child,
                                                                 args=(*job, sender, os.getpid()))
        self.child.start()
        sender.close()
        return self

    def finish(self) -> str:
        """Wait for the index; a failure stops the build with Pagefind's message. The documents' hash."""
        if self.child and self.pipe:
            try:
                self.result = self.pipe.recv()
            except EOFError:  # the child died before it could say why
                self.result = (1, "", "")
            self.child.join()
        status, output, digest = self.result
        if status != 0:
            message = output.strip() or f"exit status {status}"
            raise BuildError([Problem("pagefind", 0, 0, f"search indexing failed: {message}")])
        return digest

    def __exit__(self, *exc: object) -> None:
        if self.child and self.child.is_alive():
            try:
                os.killpg(self.child.pid, signal.SIGKILL)  # the child and Pagefind, its own child
            except ProcessLookupError:  # the child had not yet made its group
                self.child.kill()
            self.child.join()
        if self.input:
            shutil.rmtree(self.input, ignore_errors=True)


def scratch_folder(staging: Path) -> Path:
    """A new folder for the search documents: in memory if Linux offers it, else in the staging folder.

    Its name holds this process's id, so that a later build can remove what a killed one left.
    """
    in_memory = MEMORY_TEMP.is_dir() and os.access(MEMORY_TEMP, os.W_OK | os.X_OK)
    parent = MEMORY_TEMP if in_memory else staging
    for left in parent.glob(f"{_SCRATCH}-*-*"):
        if not _alive(int(left.name.split("-")[2])):
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_SCRATCH}-{os.getpid()}-", dir=parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _index(context: tuple[Project, dict[str, Annotated], Prose, Path], items: list[tuple[str, str]],
           bundle: Path, kept: str | None) -> tuple[int, str, str]:
    """Every search document, then Pagefind run on them: its exit status, its output and the documents' hash.

    When the documents hash as those of the bundle the staging folder holds (`kept`, from the
    dependency record), that bundle is the index Pagefind would make: it is kept as it is.
    """
    documents = [_document_of(context, item) for item in items]
    # Pagefind's version is in the record's code hash, which every kept key depends on.
    digest = hashlib.blake2b("\0".join(f"{path}\0{html}" for path, html in documents).encode("utf-8",
                             "surrogateescape")).hexdigest()
    if digest == kept and bundle.is_dir():
        return 0, "", digest
    shutil.rmtree(bundle, ignore_errors=True)  # Pagefind's writer skips files that exist
    parts = [range(n, min(n + PART_DOCUMENTS, len(items))) for n in range(0, max(len(items), 1), PART_DOCUMENTS)]
    for number, part in enumerate(parts, 1):
        status, output = _index_part(context[3] / str(number), [(documents[n], items[n]) for n in part],
                                     bundle if number == 1 else bundle / part_folder(number))
        if status != 0:
            return status, output, ""
    names = ", ".join(f'"{part_folder(n)}/"' for n in range(2, len(parts) + 1))
    try:
        (bundle / PARTS).write_text(f"export default [{names}];\n", encoding="utf-8")
    except OSError as exc:
        return 1, f"{reason(exc)} while writing the list of the search index's parts", ""
    return 0, "", digest


def part_folder(number: int) -> str:
    return f"part-{number}"


def _index_part(site: Path, documents: list[tuple[tuple[str, str], tuple[str, str]]], bundle: Path) -> tuple[int, str]:
    """Pagefind run on one part of the documents, written into `site` and removed once indexed."""
    try:
        site.mkdir(parents=True, exist_ok=True)  # an investigation with nothing to search has an empty index
    except OSError as exc:  # a full disk, say: one line back to the build, not a traceback here
        return 1, f"{reason(exc)} while making the folder of the search documents"
    for (path, html), item in documents:
        try:
            _write_document(site / path, html)
        except OSError as exc:
            return 1, f"{reason(exc)} while writing the search document of {item[0]} {item[1]!r}"
    command = [*PAGEFIND, "--site", str(site), "--output-path", str(bundle), "--silent"]
    # Pagefind ends with the process that runs it, as that one ends with the build (_index_in_child).
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
                          preexec_fn=functools.partial(end_with_parent, os.getpid()))
    shutil.rmtree(site, ignore_errors=True)
    return done.returncode, done.stdout


def _index_in_child(context: tuple, items: list[tuple[str, str]], bundle: Path, kept: str | None,
                    pipe: Connection, build: int) -> None:
    os.setpgrp()  # a process group of its own, so that the build can stop it and Pagefind at once
    try:
        end_with_parent(build)  # killed with the build, even by SIGKILL, which it cannot pass on
        pipe.send(_index(context, items, bundle, kept))
    except Exception as exc:  # a bug: said once by the build, never as a traceback of this process
        pipe.send((1, f"internal error: {type(exc).__name__}: {exc}", ""))


def _write_document(target: Path, html: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def _document_of(context: tuple[Project, dict[str, Annotated], Prose, Path], item: tuple[str, str]) -> tuple[str, str]:
    """Where a search document is saved in the documents' folder, and the document."""
    project, docs, prose, _ = context
    kind, key = item
    if kind == "dossier":
        path, html = save_as("dossier", slug=key), dossier_document(docs[key], prose, project.site.date_style)
    elif kind == "entity":
        entity = project.entities[key]
        path, html = save_as("entity", kind=entity.kind, id=key), entity_document(entity, prose)
    else:
        page = project.pages[key]
        path, html = save_as("page", slug=key), page_document(page.title, prose.html(page.body))
    return flat(path), _document(project.site.language, html)


def flat(page_path: str) -> str:
    """Where the search document of a page is saved: "people/x/index.html" -> "people/x.html"."""
    return page_path.removesuffix("/index.html") + ".html"


def dossier_document(doc: Annotated, prose: Prose, date_style: str) -> str:
    """The headline, the verbatim text (less the headline line) and the editors' notes."""
    d = doc.dossier
    kind = " · ".join(part for part in ("Dossier", d.outlet, d.published.display(date_style)) if part)
    blocks = [f"<{_TAGS[b.kind]}>{escape(b.text)}</{_TAGS[b.kind]}>" for b in doc.blocks if b.kind in _TAGS]
    notes = [f"<p>{prose.inline(note.text)}</p>" for note in d.notes]
    return "\n".join([f'<p data-pagefind-meta="kind">{escape(kind)}</p>',
                      f'<h1 data-pagefind-weight="9">{escape(d.headline)}</h1>', *blocks, *notes])


def entity_document(entity: Entity, prose: Prose) -> str:
    """The name, every other spelling, the description: weighed less than a dossier's headline, since a reader
    searching for a name wants the reporting that names them first (the search page lists dossiers first)."""
    aliases = ", ".join(escape(a) for a in entity.other_spellings)
    kind = escape(KIND_TITLES[entity.kind])
    return "\n".join([f'<p data-pagefind-meta="kind">{kind}</p>',
                      f'<h1 data-pagefind-weight="3">{escape(entity.name)}</h1>',
                      f'<p data-pagefind-weight="2">Also written: {aliases}</p>' if aliases else "",
                      f"<div>{prose.html(entity.description)}</div>"])


def page_document(title: str, body: Markup) -> str:
    return f'<p data-pagefind-meta="kind">Page</p>\n<h1>{escape(title)}</h1>\n{body}'


def _document(language: str, body: str) -> str:
    head = f'<!doctype html>\n<html lang="{escape(language)}">\n<body><main data-pagefind-body>\n'
    return f"{head}{body}\n</main></body>\n</html>\n"
