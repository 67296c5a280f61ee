"""Build modes: the one object that decides how the plan is executed and what is kept between builds.

- `Full`: every entry rendered, on worker processes for a large site; nothing kept (check, tests).
- `Incremental`: as `Full`, but the dependency record on disk (record.py) says which files the
  tree being rewritten already holds; only entries whose key changed are rendered and written.
  `build.py build` uses it, so an edit is built from a fresh process as the dev server builds it.
- `Preview` (the dev server's, in preview_mode.py): file reads, annotations, compiled templates,
  the last build's views and plan, and every file's bytes kept in memory; after a save only what
  the edit reaches is made again.

The core (pipeline, load) asks the mode; it never decides itself whether to use workers or a cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from threadline.errors import BuildError, Problem, Problems, relpath
from threadline.inputs.cache import FileCache
from threadline.inputs.diskcache import DiskCache, Made, hash_of
from threadline.inputs.model import Dossier, Event, Project
from threadline.publish.parallel import PARALLEL_FROM, parallel_map
from threadline.publish.stamp import cache_folder, code_digest
from threadline.publish.write import Staging
from threadline.site.keys import Keys, Shared, with_needed_keys
from threadline.site.plan import Entry, Memo
from threadline.site.render import Output, environment
from threadline.site.template_errors import check_templates
from threadline.site.views import Views, made_views
from threadline.text.annotate import AliasIndex, Annotated, Block, annotate
from threadline.text.crossref import CrossRef, cross_reference
from threadline.text.prose import Prose

Progress = Callable[[int, int], None]  # (files done, files in all)
Loader = Callable[[Any, Path], tuple[Any, list]]  # (context, path) -> (what the file makes, its problems)
CACHE = "made"  # the disk cache's folder in the project's cache folder
T = TypeVar("T")
D = TypeVar("D")


class Mode:
    """A full build: every entry rendered, on `workers` processes when the site is large enough."""

    drafts = "error"  # "error" refuses every TODO left to confirm (todo.py); "preview" builds anyway
    files: FileCache | None = None  # kept file reads, or None: every file read again
    kept: dict[str, str] | None = None  # output path -> key of what the output tree holds, when known
    recorded = False  # whether keys are kept on disk between runs (record.py)

    def __init__(self, workers: int = 1, progress: Progress | None = None):
        self.workers, self.progress = workers, progress
        self.prose = Prose()

    def map(self, function: Callable[[Any, Any], Any], context: Any, items: Sequence, **options: Any) -> list:
        """[function(context, item) for item in items], on worker processes when this mode has them."""
        return parallel_map(function, context, items, self.workers, **options)

    def load_each(self, root: Path, function: Loader, context: Any, paths: list[Path], expected: Any,
                  also: Callable[[Any], tuple[Path, ...]] = lambda value: (), **options: Any) -> list[tuple[Any, list]]:
        """[function(context, path) for path in paths]: what each file makes, of type `expected`, and its problems.

        `also` names the further files a value was made from (a dossier's seed). Incremental keeps them on disk.
        """
        return self.map(function, context, paths, **options)

    def annotate_all(self, dossiers: list[Dossier], index: AliasIndex, problems: Problems) -> dict[str, Annotated]:
        """Every dossier annotated, by slug: workers inherit the dossiers at fork, only blocks come back."""
        done = self.map(_annotate_one, ({d.slug: d for d in dossiers}, index), [d.slug for d in dossiers])
        docs = {}
        for dossier, (blocks, found) in zip(dossiers, done, strict=True):
            problems.extend(found)
            docs[dossier.slug] = Annotated(dossier, blocks, index.key)
        return docs

    def environment(self, templates: Path) -> jinja2.Environment:
        return checked_environment(templates)

    def per_dossier(self, name: str, items: Mapping[str, D], work: Callable[[D], T], basis: object = None) -> list[T]:
        """[work(item) for each dossier's item]; `name` names the work, `basis` what else it reads (the preview keeps them)."""
        return [work(item) for item in items.values()]

    def kept_while(self, name: str, basis: tuple, work: Callable[[], T]) -> T:
        """work(), named `name`; the preview keeps its result while `basis` holds the objects it was made from (or equal ones)."""
        return work()

    def cross_reference(self, project: Project, docs: dict[str, Annotated]) -> CrossRef:
        return cross_reference(project, docs)

    def views(self, project: Project, docs: dict[str, Annotated], xref: CrossRef) -> Views:
        return made_views(project, docs, xref, self.prose).views

    def memo(self) -> Memo:
        """The plan's memo of entries (plan.Memo): a new one, which reuses nothing."""
        return Memo()

    def keys(self, templates: Path) -> Keys | None:
        """How entries are keyed this build; None when nothing is kept to compare keys with."""
        return None

    def entry_keys(self, entries: list[Entry], keys: Keys | None) -> list[str]:
        """Each entry's key ("" for all, without keys), in this process.

        Not on workers: a forked worker touches, and so copies, every view it hashes; two workers
        keying half the plan each took 4.3 s at 10,000 dossiers, where this process takes 4.2 s for all.
        """
        return _keys_of(entries, keys)

    def execute(self, entries: list[Entry], keys: Keys | None, sink: Any) -> tuple[list[Output], dict[str, str]]:
        """Render the entries whose key differs from the kept one (all, without keys) into the sink.

        Returns the outputs (empty bytes for those a worker put in the sink) and every entry's key.
        A page that fails does not stop the others: every template problem is reported in one run.
        Entries that need others' sizes (the Data page) are rendered last, with them.
        """
        kept = self.kept or {}
        new = self.known_keys(entries, keys)
        if new is not None and isinstance(sink, Staging):
            sink.carry([e.path for e in entries if new[e.path] and kept.get(e.path) == new[e.path]])
        todo, sizes = self.to_render(entries, new, kept, sink) if new is not None else (entries, {})
        first, alone = longest_first([e for e in todo if not e.needs], todo)
        # Nothing kept to compare with (a first build): every entry is rendered, and keyed while they render,
        # as a job of its own, last: this process, which takes the list from its end (parallel.py), keys them,
        # and so touches every view in its own memory, where a worker would copy each page of it. On a large
        # site, two files of the open data are worth the workers however few the files: at 10,000 dossiers
        # each takes 0.1 to 3.7 s, and an event's edit renders ten of them.
        aside = [KEYING] if new is None else []
        results = self.map(_render_or_key, (first, sink, entries, keys), [*range(len(first)), *aside],
                           progress=self._counted(len(todo) + len(aside)), alone=alone,
                           min_items=2 if alone >= 2 and len(entries) >= PARALLEL_FROM else PARALLEL_FROM)
        if new is None:
            new, results = with_needed_keys(entries, results[-1]), results[:-1]
        done: dict[str, Output | Failed | int] = {**sizes, **dict(zip((e.path for e in first), results, strict=True))}
        results += render_last([e for e in todo if e.needs], done, sink)
        if self.progress and len(first) < len(todo):
            self.progress(len(results), len(todo))
        problems = [p for r in results if isinstance(r, Failed) for p in r.problems]
        if problems:
            raise BuildError(_unique(problems))
        return results, new

    def known_keys(self, entries: list[Entry], keys: Keys | None) -> dict[str, str] | None:
        """Every entry's key before anything renders, when there are kept ones to compare with; else None (a
        first build): the entries are keyed while they render (`execute`)."""
        return self.keyed(entries, keys) if self.kept else None

    def keyed(self, entries: list[Entry], keys: Keys | None) -> dict[str, str]:
        """Every entry's key by path, in this process ("" without keys)."""
        return with_needed_keys(entries, self.entry_keys(entries, keys))

    def to_render(self, entries: list[Entry], new: dict[str, str], kept: dict[str, str],
                  sink: Any) -> tuple[list[Entry], dict[str, int | None]]:
        """The entries whose key differs from the kept one, with those they need; the kept sizes of the rest they need."""
        changed = [e for e in entries if not new[e.path] or kept.get(e.path) != new[e.path]]
        sizes = {path: self.kept_size(path, sink) for e in changed for path in e.needs if kept.get(path) == new[path]}
        return with_needed(entries, changed, {path for path, size in sizes.items() if size is not None}), sizes

    def kept_size(self, path: str, sink: Any) -> int | None:
        """The size of the file the output tree keeps at `path` (its key unchanged), or None if not known."""
        return sink.size(path) if isinstance(sink, Staging) else None

    def _counted(self, total: int) -> Progress | None:
        """The progress callback, counting against every file to render (the last ones are told after)."""
        progress = self.progress
        return (lambda done, _: progress(done, total)) if progress else None


class Incremental(Mode):
    """A build that renders only what changed since the tree it rewrites was built (record.py).

    `inputs` is the hash of every input file (stamp.read_inputs), the key of the entries made
    from everything; `options` what else the site depends on (the base URL, the output folder);
    `hashes` each input file's hash as stamp.read_inputs read it, by path, with its stat then.
    """

    def __init__(self, workers: int = 1, progress: Progress | None = None, inputs: str | None = None,
                 options: object = None, hashes: Mapping[str, tuple[Sequence[int], str]] | None = None):
        super().__init__(workers, progress)
        self.inputs, self.options, self.hashes = inputs, options, hashes
        self.kept = {}
        self.recorded = True
        self.disk: DiskCache | None = None  # what loading and annotating made, on disk (made once the root is known)
        self.made_from: dict[str, str] = {}  # a sidecar's project-relative path -> the key of its load
        self.used: set[str] = set()  # the keys of the cache's entries this build looked for
        self.models = Shared()  # each dossier's and event's hash, from the key of its file's load

    def keys(self, templates: Path) -> Keys | None:
        return Keys(templates, self.inputs, self.options, self.models)

    def load_each(self, root: Path, function: Loader, context: Any, paths: list[Path], expected: Any,
                  also: Callable[[Any], tuple[Path, ...]] = lambda value: (), **options: Any) -> list[tuple[Any, list]]:
        """What each file makes, from the disk cache (diskcache.py) when it has it, else made and kept there."""
        if self.disk is None:
            self.disk = DiskCache(root, cache_folder(root) / CACHE, code_digest(), self.hashes)
        keys = [self.disk.key("load", path) for path in paths]
        found = self._kept_or_made(keys, expected, (function, context, also), paths, **options)
        self.made_from.update((relpath(path, root), key) for path, key in zip(paths, keys, strict=True) if key)
        for made, key in zip(found, keys, strict=True):
            if key and made.value is not None:
                self._hash_models(made.value, key, also)
        return [(made.value, made.problems) for made in found]

    def _hash_models(self, value: Any, key: str, also: Callable[[Any], tuple[Path, ...]]) -> None:
        """Each dossier or event the file made, hashed by its load's key (keys.Shared): what it is made from.

        The key names the generator's code and the file's path and bytes; a dossier's also its seed's.
        Hashing the 60,000 values themselves, seed text and all, took 0.8 s at 10,000 dossiers.
        """
        items = value if isinstance(value, list) else [value]
        made_from = [key, *(self.disk.file_hash(path) or "" for path in also(value))] if self.disk else [key]
        for n, item in enumerate(items):
            if isinstance(item, (Dossier, Event)):
                self.models.put(item, bytes.fromhex(hash_of(*made_from, str(n))))

    def annotate_all(self, dossiers: list[Dossier], index: AliasIndex, problems: Problems) -> dict[str, Annotated]:
        """Every dossier annotated: from the disk cache, by the key of its load and the alias index, when it has it."""
        keys = [hash_of(self.made_from[d.source], "annotation", index.key) if d.source in self.made_from else None
                for d in dossiers]
        make = (_annotate_one, ({d.slug: d for d in dossiers}, index), _nothing_else)
        found = self._kept_or_made(keys, list[Block], make, [d.slug for d in dossiers])
        docs = {}
        for dossier, made in zip(dossiers, found, strict=True):
            problems.extend(made.problems)
            docs[dossier.slug] = Annotated(dossier, made.value, index.key)
        if self.disk is not None:  # the last use of the cache in a build: what it did not use goes
            self.disk.keep_only(self.used)
        return docs

    def _kept_or_made(self, keys: list[str | None], expected: Any, make: tuple[Loader, Any, Callable], items: list,
                      **options: Any) -> list[Made]:
        """What each key's entry holds in the disk cache, or else what `make` makes of its item, kept.

        `make` is (function, context, also): function(context, item) is (value, problems), `also` the
        further files a value was made from. The processes that make the values keep them: encoding
        and writing the entries, a third of a cold load, is shared between the workers.
        """
        self.used.update(key for key in keys if key)
        found = [self.disk.get(key, expected) if key and self.disk else None for key in keys]
        missing = [n for n, made in enumerate(found) if made is None]
        made = self.map(_made_and_kept, (*make, self.disk), [(items[n], keys[n]) for n in missing], **options)
        for n, value in zip(missing, made, strict=True):
            found[n] = value
        return found


def with_needed(entries: list[Entry], todo: list[Entry], sized: set[str]) -> list[Entry]:
    """The entries to render, with those whose sizes one of them needs unless kept and `sized`, in plan order."""
    chosen = {e.path for e in todo} | {path for e in todo for path in e.needs if path not in sized}
    return [e for e in entries if e.path in chosen]


def longest_first(entries: list[Entry], todo: list[Entry]) -> tuple[list[Entry], int]:
    """The entries, those whose sizes another entry needs (the data files: the longest to make) first; and how many.

    Left in plan order, they went to one worker at the end of a build, the other one idle meanwhile.
    """
    needed = {path for e in todo for path in e.needs}
    first = [e for e in entries if e.path in needed]
    return first + [e for e in entries if e.path not in needed], len(first)


def render_last(dependent: list[Entry], done: dict[str, Output | Failed | int], sink: Any) -> list[Output | Failed]:
    """The entries that need others' sizes, given those sizes (`done`, by path: made in this run, or kept), in this process.

    One whose needed file failed is left out: that file's problem is reported, and it is rendered once fixed.
    """
    ready = [replace(e, context={**e.context, "sizes": {p: _size(done[p]) for p in e.needs}})
             for e in dependent if not any(isinstance(done[p], Failed) for p in e.needs)]
    return [_render_one((ready, sink), n) for n in range(len(ready))]


def _size(made: Output | Failed | int) -> int:
    return made if isinstance(made, int) else made.size


def checked_environment(templates: Path) -> jinja2.Environment:
    """The compiled templates; BuildError naming every template that cannot be read or compiled."""
    env = environment(templates)
    broken = check_templates(env, templates)
    if broken:
        raise BuildError(broken)
    return env


@dataclass(frozen=True)
class Failed:
    """An entry that could not be rendered: its problems, sent back from a worker like a page."""

    problems: list[Problem]


def _annotate_one(context: tuple[dict[str, Dossier], AliasIndex], slug: str) -> tuple[list, list]:
    dossiers, index = context
    found = Problems()
    return annotate(dossiers[slug], index, found).blocks, found.items


def _made_and_kept(context: tuple[Loader, Any, Callable, DiskCache | None], item: tuple[Any, str | None]) -> Made:
    """What the function makes of the item, kept in the disk cache under its key (when it has one)."""
    function, inner, also, disk = context
    value, problems = function(inner, item[0])
    made = Made(value, problems)
    if item[1] and disk and value is not None:
        disk.put(item[1], made, also(value))
    return made


def _nothing_else(value: Any) -> tuple[Path, ...]:
    return ()


KEYING = -1  # the job of keying every entry, among those rendering them


def _render_or_key(context: tuple[list[Entry], Any, list[Entry], Keys | None], n: int) -> Output | Failed | list[str]:
    """Render entry n; or, for KEYING, the key of every entry (of the whole plan), in plan order."""
    first, sink, entries, keys = context
    return _keys_of(entries, keys) if n == KEYING else _render_one((first, sink), n)


def _keys_of(entries: list[Entry], keys: Keys | None) -> list[str]:
    """Each entry's key, in one process: hashing the objects many entries share (the views) is most of
    their cost, and each process keying entries would hash them again."""
    return [keys.key(e) for e in entries] if keys else [""] * len(entries)


def _render_one(context: tuple[list[Entry], Any], n: int) -> Output | Failed:
    """Render one entry; with a sink (write.Sink) what it keeps of the file: from the staging folder, only its path."""
    entries, sink = context
    try:
        output = entries[n].render()
    except BuildError as error:
        return Failed(error.problems)
    return output if sink is None else sink.keep(output)


def _unique(problems: list[Problem]) -> list[Problem]:
    """One problem per place and message: a broken template breaks every page that uses it alike."""
    first: dict[tuple, Problem] = {}
    for problem in problems:
        first.setdefault((problem.path, problem.line, problem.message), problem)
    return sorted(first.values())
