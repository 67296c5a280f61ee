"""What loading and annotating each input file made, kept on disk between builds, as data only.

An entry is found by its key: the hash of the cache's format, the generator's code (stamp.code_digest),
what was made ("load", "annotation") and the path and hash of the bytes of the file it was made
from. It holds the value made and the problems found making it (warnings and TODO drafts with
their path:line, given back exactly as a fresh load gives them), and the hash of any further file
the value was made from (a dossier's seed), checked again on every use. A file's hash is the one the
build read its inputs with (stamp.read_inputs) while the file's stat is the same, else read again.

The files are JSON, never pickle: decoding one can only make the model's own types, each field of
the type its annotation says. An entry is used only when its checksum, its key, its types and its
further files all check out; a corrupted, stale, foreign or planted one is ignored and the value
made again. Delete the folder freely.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from stat import S_ISREG
from typing import Any

from threadline.errors import Problem, Problems, Where
from threadline.inputs.dates import FuzzyDate
from threadline.inputs.model import Boilerplate, Citation, Dossier, Entity, Event, Note, Quote, Sic
from threadline.inputs.reading import file_digest, read_input, stat_key
from threadline.text.annotate import Block, Span

FORMAT = 2
TYPES = {kind.__name__: kind for kind in (Dossier, Entity, Event, FuzzyDate, Where, Boilerplate, Note, Quote,
                                          Citation, Sic, Problem, Block, Span)}
FIELD_NAMES = {kind: tuple(f.name for f in fields(kind)) for kind in TYPES.values()}  # what `encode` writes of each
MAX_BYTES = 20 * 1024 * 1024  # the largest input file read (a seed)


Decoder = Callable[[Any], Any]
PLAIN = (str, int, float, bool, type(None))  # JSON's own values: checked by their exact type


class UnusableError(Exception):
    """A cache entry that does not decode to the model's types, or a value that cannot be kept."""


@dataclass
class Made:
    """A value found in the cache or made again, with the problems found making it."""

    value: Any
    problems: list[Problem]


class DiskCache:
    """The entries of one project's cache folder, for one version of the generator."""

    def __init__(self, root: Path, folder: Path, code: str, known: Mapping[str, tuple[Sequence[int], str]] | None = None):
        self.root, self.folder, self.code = root, folder, code
        self.known = known or {}  # path -> (stat key, hash of the bytes), as the build read its inputs
        self.decoders: dict[Any, Decoder] = {}  # by the type expected, each made once
        self.folders: set[Path] = set()  # the entries' folders this process made or found, each made once

    def key(self, what: str, path: Path, *more: str) -> str | None:
        """The key of what is made from the file at `path` (and `more`), or None when it cannot be read."""
        digest = self.file_hash(path)
        if digest is None:
            return None
        return hash_of(str(FORMAT), self.code, what, str(path.relative_to(self.root)), digest, *more)

    def get(self, key: str, expected: Any) -> Made | None:
        """The entry of this key, its value of the type expected, or None when there is none that can be trusted."""
        try:
            header, _, body = (self.folder / key[:2] / key).read_bytes().partition(b"\n")
            if header != hash_of(key, body.decode("utf-8")).encode():
                return None
            kept = json.loads(body)
            if not all(self._unchanged(path, digest) for path, digest in kept["also"].items()):
                return None
            value = self._decoder(expected)(kept["value"])
            return Made(value, self._decoder(list[Problem])(kept["problems"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, UnusableError):
            return None

    def file_hash(self, path: Path) -> str | None:
        """The hash of a file's bytes, read as the build reads inputs (inside the project, a regular file).

        The build's own reading of it, when it read the file as it still is (the same stat) and the file
        is a regular one, not a link, within the size allowed: twenty thousand reads spared at 10,000 dossiers.
        """
        found = self.known.get(str(path))
        if found is not None:
            try:
                st = os.lstat(path)
            except OSError:
                st = None
            if st and S_ISREG(st.st_mode) and st.st_size <= MAX_BYTES and stat_key(st) == tuple(found[0]):
                return found[1]
        raw = read_input(path, self.root, Problems(), limit=MAX_BYTES)
        return None if raw is None else file_digest(raw)

    def _unchanged(self, path: str, digest: str) -> bool:
        """Whether the project's file at `path` (relative, inside it) still has these bytes."""
        inside = not Path(path).is_absolute() and ".." not in Path(path).parts
        return inside and self.file_hash(self.root / path) == digest

    def _decoder(self, expected: Any) -> Decoder:
        if expected not in self.decoders:
            self.decoders[expected] = decoder(expected)
        return self.decoders[expected]

    def keep_only(self, used: set[str]) -> None:
        """Remove every entry but those of `used` (this build's), and what a write left behind, so the folder does not grow.

        An entry removed that another build still wanted is made again there: only slower, never wrong.
        """
        try:
            folders = [f for f in self.folder.iterdir() if f.is_dir() and not f.is_symlink()]
            stale = [e for f in folders for e in f.iterdir() if e.name not in used]
            for entry in stale:
                entry.unlink()
        except OSError:
            return  # a cache that cannot be tidied only takes more room

    def put(self, key: str, made: Made, also: tuple[Path, ...] = ()) -> None:
        """Keep what was made under its key, with the hashes of the further files it was made from."""
        if any(p.severity == "error" for p in made.problems):
            return  # what failed is made again, and its errors found again
        hashes = {str(path.relative_to(self.root)): self.file_hash(path) for path in also}
        try:
            body = json.dumps({"value": encode(made.value), "problems": [encode(p) for p in made.problems],
                               "also": hashes}, ensure_ascii=False)
        except UnusableError:
            return
        target = self.folder / key[:2] / key
        try:
            if target.parent not in self.folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.folders.add(target.parent)
            temporary = target.with_name(f"{key}.{os.getpid()}")
            temporary.write_bytes(hash_of(key, body).encode() + b"\n" + body.encode("utf-8"))
            os.replace(temporary, target)  # a reader sees the whole entry or none
        except OSError:
            return  # a cache that cannot be written only makes the next build slower


def encode(value: Any) -> Any:
    """The value as JSON data: a model object as its type's name and fields, a tuple marked as one."""
    kind = type(value)
    if kind in PLAIN:  # the exact types first: a cache entry holds hundreds of thousands of values
        return value
    if kind is list:
        return [encode(item) for item in value]
    named = FIELD_NAMES.get(kind)
    if named is not None:
        return {"type": kind.__name__, "fields": [encode(getattr(value, name)) for name in named]}
    return _encode_other(value)


def _encode_other(value: Any) -> Any:
    """`encode` of what is not exactly a plain value, a list or a model object (a tuple, a subclass)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    raise UnusableError(f"{type(value).__name__} is not kept")


def decode(data: Any, expected: Any) -> Any:
    """The value `encode` wrote, of the type expected; UnusableError (or KeyError, TypeError) when it is not of it."""
    return decoder(expected)(data)


def decoder(expected: Any) -> Decoder:
    """A function decoding what `encode` wrote of the type expected, made once for every value of that type.

    Checking each field against its type's annotation as it is decoded would cost more than the load it saves.
    """
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return _either([decoder(arg) for arg in args])
    if origin is list:
        return _list(decoder(args[0]))
    if origin is tuple:
        return _tuple([decoder(arg) for arg in args]) if args[-1] is not Ellipsis else _tuple_of(decoder(args[0]))
    if expected in TYPES.values():
        return _object(expected)
    if expected in PLAIN:
        return _plain(expected)
    raise UnusableError(f"{expected} is not kept")


def _plain(kind: type) -> Decoder:
    def plain(data: Any) -> Any:
        if type(data) is not kind:
            raise UnusableError(f"a {type(data).__name__} where a {kind.__name__} belongs")
        return data
    return plain


def _either(options: list[Decoder]) -> Decoder:
    def either(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except (UnusableError, KeyError, TypeError):
                continue
        raise UnusableError("a value of none of the types allowed")
    return either


def _list(item: Decoder) -> Decoder:
    def items(data: Any) -> list:
        if type(data) is not list:
            raise UnusableError("a list expected")
        return [item(value) for value in data]
    return items


def _tuple_of(item: Decoder) -> Decoder:
    return lambda data: tuple([item(value) for value in _tuple_items(data)])


def _tuple(parts: list[Decoder]) -> Decoder:
    def fixed(data: Any) -> tuple:
        items = _tuple_items(data)
        if len(items) != len(parts):
            raise UnusableError(f"a tuple of {len(items)} where {len(parts)} belong")
        return tuple([part(value) for part, value in zip(parts, items, strict=True)])
    return fixed


def _tuple_items(data: Any) -> list:
    items = data["tuple"]
    if type(items) is not list:
        raise UnusableError("a tuple expected")
    return items


def _object(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in fields(kind)]
    plain = [n for n, field in enumerate(names) if hints[field] in PLAIN]
    plain_types = tuple(hints[names[n]] for n in plain)
    nested = [(n, decoder(hints[field])) for n, field in enumerate(names) if n not in plain]
    pick = _picker(plain)
    name, count = kind.__name__, len(names)

    def made(data: Any) -> Any:
        values = data["fields"]
        if data["type"] != name or type(values) is not list or len(values) != count:
            raise UnusableError(f"not a {name}")
        if tuple(map(type, pick(values))) != plain_types:  # the plain fields checked at once, in C
            raise UnusableError(_mismatch(pick(values), plain_types))
        values = list(values)  # not the data's own list: another type of a union may read it next
        for n, part in nested:
            values[n] = part(values[n])
        # Every field set, as __init__ would (none of these types has more to do): a frozen
        # dataclass's __init__ sets each field through object.__setattr__, at twice the cost.
        obj = object.__new__(kind)
        obj.__dict__.update(zip(names, values, strict=True))
        return obj
    return made


def _picker(positions: list[int]) -> Callable[[list], tuple]:
    """The values at these positions of a list, as a tuple."""
    if len(positions) == 1:
        return lambda values: (values[positions[0]],)
    return operator.itemgetter(*positions) if positions else lambda values: ()


def _mismatch(values: tuple, types: tuple) -> str:
    wrong = next((v, t) for v, t in zip(values, types, strict=True) if type(v) is not t)
    return f"a {type(wrong[0]).__name__} where a {wrong[1].__name__} belongs"


def hash_of(*parts: str) -> str:
    """One hash of strings, each kept apart from the next."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
