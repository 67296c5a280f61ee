"""A template context as plain values (tuples, lists, dicts, strings, numbers), for keys.py to hash.

Pickle writes a dataclass through a reducer it calls back for each object, then looks its
callable up as a global: at 10,000 dossiers, millions of small views (a name and its link, a
date, a mention) cost seconds that way. Here each type is turned into (its name, its fields) by
a function made once for it, which takes the fields whose annotation is a plain type as they
are, and pickle then writes builtins only, at C speed. The result is a value's own: two equal
contexts give equal plain values in any process, two different ones different values.

Objects many contexts share stand as their hash (`shared`), made once per build by keys.py.
A type not known here is left as it is, for the pickler's reducers (keys.py).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from itertools import chain
from typing import Any

LEAVES = (str, int, float, bool, type(None), bytes)
MEMO_FROM = 64  # a list or dict at least this long is turned once a build, by id: the views share their tables

Convert = Callable[[Any], Any]


class Plain:
    """Turns values into plain ones; `shared` gives the hash of an object that stands as its hash."""

    def __init__(self, values: tuple[type, ...], shared: tuple[type, ...], hash_of: Callable[[Any], bytes],
                 special: dict[type, Convert]):
        self.convert: dict[type, Convert] = {list: self._list, tuple: self._tuple, dict: self._dict}
        self.convert.update({kind: fields_of(kind, self.plain) for kind in values})
        self.convert.update({kind: hash_of for kind in shared})
        self.convert.update(special)
        self.memo: dict[int, tuple[Any, Any]] = {}  # id -> (the table, held; its plain value)

    def plain(self, value: Any) -> Any:
        convert = self.convert.get(type(value))
        return value if convert is None else convert(value)

    def _list(self, value: list) -> Any:
        return self._kept(value, self._items)

    def _tuple(self, value: tuple) -> tuple:
        return tuple(self._items(value))

    def _dict(self, value: dict) -> Any:
        return self._kept(value, lambda table: dict(zip(table, self._items(table.values()), strict=True)))

    def _items(self, items: Any) -> list:
        """Each item made plain; the dispatch written out: most items are plain already, and a call each doubles the cost."""
        get = self.convert.get
        return [item if (convert := get(type(item))) is None else convert(item) for item in items]

    def _kept(self, value: Any, make: Callable[[Any], Any]) -> Any:
        """make(value); for a long table, made once a build and kept by id (the table held, so its id stays its own)."""
        if len(value) < MEMO_FROM:
            return make(value)
        found = self.memo.get(id(value))
        if found is None or found[0] is not value:
            found = self.memo[id(value)] = (value, make(value))
        return found[1]


def field_values(kind: type) -> Callable[[Any], tuple]:
    """A function giving the values of the fields of an object of this dataclass, as one tuple."""
    names = [f.name for f in dataclasses.fields(kind)]
    return operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))


def fields_of(kind: type, plain: Convert) -> Convert:
    """(type name, fields) of an object of this dataclass; the fields annotated as a plain type taken as they are."""
    name = f"{kind.__module__}.{kind.__qualname__}"
    nested = [n for n, field in enumerate(dataclasses.fields(kind)) if not _is_leaf(field.type)]
    values = field_values(kind)
    if not nested:
        return lambda obj: (name, values(obj))

    def convert(obj: Any) -> tuple:
        found = list(values(obj))
        for n in nested:
            found[n] = plain(found[n])
        return name, tuple(found)
    return convert


LEAF_NAMES = frozenset(kind.__name__ for kind in LEAVES) | {"None"}


def _is_leaf(hint: Any) -> bool:
    """Whether every value of this annotation is a plain value: "str", "int | None" (a value of another type is left as it is).

    Read from the annotation's text, as the modules write it (postponed annotations): some name types
    imported only for the type checker, which typing.get_type_hints could not resolve.
    """
    if not isinstance(hint, str):
        return hint in LEAVES
    return all(part.strip() in LEAF_NAMES for part in hint.split("|"))


def flat_fields(kind: type) -> Callable[[list], tuple]:
    """The fields of every item of a list of this dataclass, in one flat tuple (each item has them all, so it is the value)."""
    values = field_values(kind)
    return lambda items: tuple(chain.from_iterable(map(values, items)))
