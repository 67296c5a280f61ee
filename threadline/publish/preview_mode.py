"""The dev server's build mode: what one process keeps in memory between builds, and how a build starts from it.

`Preview` keeps file reads, annotations, the compiled templates, the last build's views (delta.py),
its plan (plan.Memo) and every file's bytes. After a save it makes again only what the edit reaches,
renders serially (a save changes a few pages; forking a large process for them costs more), and can
be stopped between entries from another thread (`interrupted`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from threadline.errors import Problems
from threadline.inputs.cache import FileCache
from threadline.inputs.model import Dossier, Project
from threadline.publish.modes import D, Mode, Progress, T, checked_environment
from threadline.publish.write import Sink
from threadline.site.delta import Before, kept_where_equal, views_again
from threadline.site.keys import Keys, Shared
from threadline.site.plan import Entry, Memo
from threadline.site.render import Output
from threadline.site.views import Views, made_views
from threadline.text.annotate import AliasIndex, Annotated, annotate
from threadline.text.crossref import CrossRef, Touched, cross_reference, cross_reference_again
from threadline.text.prose import Prose

FORGET_EVERY = 8  # passes between two clearings of the kept hashes: a clearing looks at every one


@dataclass
class Preview(Mode):
    """What one process keeps between builds (the dev server keeps one): files, annotations, templates, pages.

    Everything kept is keyed by what it was made from, so a build in this mode writes exactly
    what a full build writes; tests/test_incremental.py holds it to that. Serial: a few pages
    change per save, and forking a large process for them costs more than rendering them.
    """

    drafts: str = "error"  # the dev server's is "preview"
    freeze: bool = False  # leave each build's objects out of the garbage collector's passes (collector_paused)
    files: FileCache = field(default_factory=FileCache)
    annotations: dict[str, tuple[Dossier, str, Annotated]] = field(default_factory=dict)  # slug -> (dossier, index key, it)
    templates: tuple = ()
    env: jinja2.Environment | None = None
    kept: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)  # path -> the last build's file
    prose: Prose = field(default_factory=Prose)
    workers: int = 1
    progress: Progress | None = None
    # The dev server's first pass after an edit: the open-data files and the Data page (made from
    # everything, a third of a rebuild) keep their last bytes until a second pass (serve.Watcher).
    defer_data: bool = False
    waiting: set[str] = field(default_factory=set)  # what the last pass deferred: a second pass is due
    # Set from another thread to stop the pass under way at its next entry (the dev server's second pass,
    # when a new save comes in): nothing of it is kept, and the next pass renders what it would have.
    interrupted: bool = False
    before: Before | None = None  # the last build's views and what they were made from (delta.py)
    edit: tuple[set[str], Touched] | None = None  # this build's changed dossiers and what they touched, from `before`
    planned: Memo = field(default_factory=Memo)
    done: dict[str, tuple[object, dict[str, tuple[Any, Any]]]] = field(default_factory=dict)  # per_dossier's results
    whole: dict[str, tuple[tuple, Any]] = field(default_factory=dict)  # kept_while's: (basis, result) by name
    passes: int = 0  # builds executed, so a fresh entry's key is never a kept one
    hashed: Shared = field(default_factory=Shared)  # the hashes of shared objects, kept across builds (keys.py)

    def map(self, function: Callable[[Any, Any], Any], context: Any, items: Sequence, **options: Any) -> list:
        """[function(context, item) for item in items], in this process; PassInterruptedError once `interrupted` is set."""
        done = []
        for item in items:
            if self.interrupted:
                raise PassInterruptedError
            done.append(function(context, item))
        return done

    def deferred(self, entries: list[Entry]) -> set[str]:
        """The paths this pass leaves as they were: the open data, when there is a last build of it."""
        if not self.defer_data:
            return set()
        data = {path for e in entries for path in e.needs} | {e.path for e in entries if e.needs}
        return data if data <= self.outputs.keys() else set()

    def annotate_all(self, dossiers: list[Dossier], index: AliasIndex, problems: Problems) -> dict[str, Annotated]:
        """Each dossier's annotation, kept while the dossier is the same object (the file cache keeps one while
        its files are unchanged: hashing a dossier would hash its whole text) and the entities' index is equal."""
        last, now, docs = self.annotations, {}, {}
        for dossier in dossiers:
            kept = last.get(dossier.slug)
            if kept is None or kept[0] is not dossier or kept[1] != index.key:
                found = Problems()
                doc = annotate(dossier, index, found)
                problems.extend(found)
                if found.items:  # never keep a failed annotation: its problems must be reported again
                    docs[dossier.slug] = doc
                    continue
                kept = (dossier, index.key, doc)
            now[dossier.slug] = kept
            docs[dossier.slug] = kept[2]
        self.annotations = now  # what changed or went is dropped, so this does not grow with edits
        return docs

    def per_dossier(self, name: str, items: Mapping[str, D], work: Callable[[D], T], basis: object = None) -> list[T]:
        """Each result kept while its item is the same object and `basis` is equal: made again only for those edited."""
        last_basis, last = self.done.get(name, (None, {}))
        if last_basis is not basis and last_basis != basis:  # compared once: a basis may hold every id
            last = {}
        now = {}
        for key, item in items.items():
            kept = last.get(key)
            now[key] = kept if kept is not None and kept[0] is item else (item, work(item))
        self.done[name] = (basis, now)  # the entries of items gone or changed are dropped
        return [made for _, made in now.values()]

    def kept_while(self, name: str, basis: tuple, work: Callable[[], T]) -> T:
        """The kept result while each object of `basis` is the one it was made from, or equal to it; else work(), kept."""
        kept = self.whole.get(name)
        if kept is None or len(kept[0]) != len(basis) or any(a is not b and a != b for a, b in zip(kept[0], basis, strict=True)):
            kept = self.whole[name] = (basis, work())
        return kept[1]

    def cross_reference(self, project: Project, docs: dict[str, Annotated]) -> CrossRef:
        """Made again from the last build's for the dossiers that changed, when the views can be too (delta.py)."""
        if self.before is None or not self.before.still_fits(project, self.prose):
            self.edit = None
            return cross_reference(project, docs)
        changed = self.before.changed_dossiers(project, docs)
        xref, touched = cross_reference_again(self.before.xref, self.before.docs, docs, changed)
        self.edit = (changed, touched)
        return xref

    def views(self, project: Project, docs: dict[str, Annotated], xref: CrossRef) -> Views:
        """The last build's views with only what the edit touched made again, or all made again and kept where equal."""
        if self.before is not None and self.edit is not None:
            made = views_again(self.before, project, docs, xref, *self.edit)
        else:
            made = made_views(project, docs, xref, self.prose)
            if self.before is not None:
                made = kept_where_equal(self.before.made, made)
        self.before, self.edit = Before(project, docs, xref, made, self.prose), None
        return made.views

    def memo(self) -> Memo:
        return self.planned

    def known_keys(self, entries: list[Entry], keys: Keys | None) -> dict[str, str]:
        """Known on every pass, the first too: the plan's memo tells the entries made again, which need no hash."""
        return self.keyed(entries, keys)

    def entry_keys(self, entries: list[Entry], keys: Keys | None) -> list[str]:
        """The kept key of an entry the plan reused, a new one of an entry made again, and the key of any other."""
        fresh, made = f"made in pass {self.passes}", self.planned.made
        return [fresh if e.path in self.planned.fresh else self.kept.get(e.path, "") if e.path in made
                else keys.key(e) if keys else "" for e in entries]

    def environment(self, templates: Path) -> jinja2.Environment:
        """The compiled templates, compiled (and checked) again only when a template file changed."""
        files = sorted((p for p in templates.rglob("*") if p.is_file()), key=str)
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        if self.env is None or stamp != self.templates:
            self.env, self.templates = checked_environment(templates), stamp
        return self.env

    def keys(self, templates: Path) -> Keys | None:
        self.hashed.now = self.passes + 1  # execute() counts this pass
        if self.passes % FORGET_EVERY == 0:
            self.hashed.forget(self.passes - 2)  # what neither this pass nor the two before used
        return Keys(templates, None, shared=self.hashed)

    def kept_size(self, path: str, sink: Any) -> int | None:
        return self.outputs[path].size if path in self.outputs else None

    def execute(self, entries: list[Entry], keys: Keys | None, sink: Any) -> tuple[list[Output], dict[str, str]]:
        later = self.waiting = self.deferred(entries)
        self.passes += 1
        results, new = super().execute([e for e in entries if e.path not in later], keys, Packing())
        # A new table: the last one may still be served (SiteFiles) while this pass runs.
        last, made = self.outputs, {output.path: output for output in results}
        self.outputs = {e.path: made[e.path] if e.path in made else last[e.path] for e in entries}
        # A deferred entry keeps its last key, which its last bytes (still in `outputs`) were made with.
        self.kept = {**{path: key for path, key in self.kept.items() if path in later}, **new}
        self.planned.finish()  # only now: after a failed pass, the next is compared with the last built
        return list(self.outputs.values()), new


class Packing(Sink):
    """The preview's sink: each file packed as soon as it is rendered (720 MB of files at 10,000 dossiers, 115 MB
    packed), so that the raw bytes of a whole site are never held at once."""

    def keep(self, output: Output) -> Output:
        return output.packed_copy()


class SiteFiles(Mapping[str, bytes]):
    """Every file of a preview's build by path: kept packed, each opened when it is read (a request, a test)."""

    def __init__(self, outputs: Mapping[str, Output]):
        self.outputs = outputs

    def __getitem__(self, path: str) -> bytes:
        return self.outputs[path].data

    def __contains__(self, path: object) -> bool:
        return path in self.outputs  # without opening the file

    def __iter__(self) -> Iterator[str]:
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)


class PassInterruptedError(Exception):
    """A preview's pass stopped before it ended (Preview.interrupted); what it had made is dropped."""
