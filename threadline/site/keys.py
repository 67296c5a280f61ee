"""Each entry's key: one hash of everything its bytes are made from.

An entry's bytes are a pure function of its writer, its context, the templates and the
generator's code, so its key hashes exactly those: equal keys, equal bytes. The context is
pickled without pickle's memo, so the key depends on the values alone, never on which objects
happen to be shared (a kept annotation, a string read twice), and is the same in any process.
Objects that many contexts share (an event, a dossier, an entity's view) are hashed once per
build and stand in the pickle as their hash; the small values of the views and the model are
made plain first, as their type's name and their fields (plain.py), so that pickle writes builtins
only, without calling back for each object. An entry made from the whole investigation
(`everything`) is keyed by the hash of every input file instead: hashing its context would cost
as much as rendering it.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from threadline.data.exports import DataPage
from threadline.errors import Where
from threadline.inputs import model
from threadline.inputs.dates import FuzzyDate
from threadline.publish.stamp import code_digest
from threadline.site import graph, timeline, views
from threadline.site.cards import Card
from threadline.site.plain import Plain, field_values, flat_fields
from threadline.site.plan import Entry
from threadline.site.render import DossierPage, Template
from threadline.text.annotate import Annotated, Block, Span
from threadline.text.crossref import Mention

# Shared by many contexts: each hashed once per build, then pickled as its hash. A reference to a
# dossier or an entity stands in hundreds of thousands of places at 10,000 dossiers (each mention group,
# each event's list): as its hash, keying every file took about a tenth to a fifth less CPU. Smaller, rarer values
# (names, mentions) are cheaper to pickle where they stand.
SHARED = (Annotated, model.Dossier, model.Event, views.EventView, views.EntityView, views.DossierView, views.Views,
          views.Article, views.DossierRef, views.EntityRef)
# Values pickled as (type name, fields). Every field of these is a dataclass field (none sets other
# attributes), so the fields are the whole value. A type not listed is pickled whole, as exactly.
VALUES = (Where, FuzzyDate, Card, Block, Span, Mention, graph.Node, graph.Edge, graph.Network, graph.Connection,
          graph.Overview, model.Site, model.Entity, model.Citation, model.Quote, model.Note, model.Sic,
          model.Boilerplate, model.Page, views.PageMeta, views.SourceView,
          timeline.TimelinePart, timeline.PartSummary, views.EntitySummary, views.Counted, views.MentionGroup,
          views.Dated, views.Download)


class Keys:
    """The keys of one build's entries.

    `everything` is the hash of every input (stamp.read_inputs), or None where it is not known:
    then the entries made from everything get no key (""), and are always rendered.
    """

    def __init__(self, templates: Path, everything: str | None, options: object = None,
                 shared: Shared | None = None):
        self.code = code_digest()
        self.templates = templates_digest(templates)
        self.everything = _hash(self.code, everything, repr(options)) if everything else None
        self.shared = Shared() if shared is None else shared
        # Contexts are made plain first (plain.py); the reducers write what that leaves, in containers it does not know.
        self.plain = Plain(VALUES, SHARED, self._hash_of, {views.MentionGroup: self._mention_group}).plain
        self.table = {**copyreg.dispatch_table, **{kind: by_fields(kind) for kind in VALUES},
                      **{kind: self._reduce for kind in SHARED}}

    def key(self, entry: Entry) -> str:
        """The hash of the entry's path, writer, context, templates and the generator's code."""
        if entry.everything:
            return _hash(self.everything, entry.path) if self.everything else ""
        return _hash(self.code, self.templates, entry.path, writer_name(entry.writer), self.digest(entry.context))

    def digest(self, value: Any) -> str:
        return hashlib.blake2b(self._pickle(self.plain(value))).hexdigest()

    def _pickle(self, value: Any) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self.table
        pickler.fast = True  # no memo: the bytes depend on the values only, not on shared objects
        pickler.dump(value)
        return buffer.getvalue()

    def _reduce(self, obj: Any) -> tuple:
        return bytes, (self._hash_of(obj),)

    def _hash_of(self, obj: Any) -> bytes:
        """The hash of a shared object, made once: of what it is made from, made plain."""
        found = self.shared.get(obj)
        if found is None:
            name, values = _made_from(obj)
            found = self.shared.put(obj, hashlib.blake2b(self._pickle((name, self.plain(values)))).digest())
        return found

    def _mention_group(self, group: views.MentionGroup) -> tuple:
        """An entity's mentions in one dossier, by the hundred thousand at 10,000 dossiers: their fields in one flat tuple."""
        return "MentionGroup", MENTION_FIELDS, self.plain(group.dossier), _mentions_flat(group.mentions)


class Shared:
    """The hashes of the shared objects, by object: a build's, or kept across builds by the dev server.

    Each entry holds its object, so its id is never another's while it is kept; `forget` drops the
    entries no build has used since `before` (the dev server's views change with each save).
    """

    def __init__(self) -> None:
        self.hashes: dict[int, tuple[Any, bytes, int]] = {}
        self.now = 0  # the build counter the entries used now are marked with

    def get(self, obj: Any) -> bytes | None:
        found = self.hashes.get(id(obj))
        if found is None or found[0] is not obj:
            return None
        if found[2] != self.now:
            self.hashes[id(obj)] = (obj, found[1], self.now)
        return found[1]

    def put(self, obj: Any, digest: bytes) -> bytes:
        self.hashes[id(obj)] = (obj, digest, self.now)
        return digest

    def forget(self, before: int) -> None:
        self.hashes = {k: v for k, v in self.hashes.items() if v[2] >= before}


def with_needed_keys(entries: list[Entry], found: list[str]) -> dict[str, str]:
    """Every entry's key by path; one that reads others' sizes (`needs`) keyed by theirs too ("" if one has none)."""
    new = dict(zip((e.path for e in entries), found, strict=True))
    for entry in entries:
        if entry.needs:
            parts = [new[entry.path], *(new[path] for path in entry.needs)]
            new[entry.path] = _hash(*parts) if all(parts) else ""
    return new


def _made_from(obj: Any) -> tuple[str, tuple]:
    """What an object is made from: its fields; for an annotated dossier, the dossier and the alias index.

    Annotation is a function of those two (and of the code, in every key), so the blocks it found,
    the largest part of a dossier, need not be hashed.
    """
    if isinstance(obj, Annotated) and obj.index:
        return "Annotated", (obj.dossier, obj.index)
    kind = type(obj)
    return kind.__name__, _FIELDS[kind](obj)


_FIELDS = {kind: field_values(kind) for kind in SHARED}
MENTION_FIELDS = tuple(f.name for f in dataclasses.fields(Mention))
_mentions_flat = flat_fields(Mention)


def by_fields(kind: type) -> Callable[[Any], tuple]:
    """A pickle reducer writing an object of this dataclass as its type's name and its fields' values."""
    name = f"{kind.__module__}.{kind.__qualname__}"
    values = field_values(kind)
    return lambda obj: (tuple, ((name, values(obj)),))


def writer_name(writer: Any) -> str:
    """What names a writer in a key: its template, or its function."""
    if isinstance(writer, Template):
        return f"template {writer.name}"
    if isinstance(writer, DossierPage):
        return f"dossier page {writer.template.name}"
    if isinstance(writer, DataPage):
        return f"data page {writer.template.name}"
    return f"{writer.__module__}.{writer.__qualname__}"


def templates_digest(templates: Path) -> str:
    """The hash of every template (static files are entries of their own, keyed by their bytes)."""
    digest = hashlib.blake2b()
    static = templates / "static"
    for path in sorted(templates.rglob("*"), key=str):
        if path.is_file() and static not in path.parents:
            digest.update(str(path.relative_to(templates)).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes()).digest())
    return digest.hexdigest()


def _hash(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
