"""Safe YAML loading that remembers where every value came from, so messages can say `path:line`.

Values are built from the parser's events on a stack of our own, not by the library's composer:
its C composer recurses once per level of nesting and crashes the process on a deeply nested
file, and it expands aliases without limit. Here nesting depth and what aliases repeat are
bounded, and refused with a message, before anything is built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.resolver import Resolver

from threadline.errors import Problems, Where
from threadline.inputs.reading import UNSHOWABLE, where_in
from threadline.inputs.yamlnum import SCALARS

# libyaml's C parser when present: about ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # the schemas nest four levels; a file nested deeper than this is not data we read
MAX_ALIAS_VALUES = 10_000  # values that aliases may repeat in one file, all aliases together
_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_DATA = "only plain data: text, numbers, lists, mappings"
# The characters YAML allows in a file (YAML 1.1, section 5.1) are those a page can show (UNSHOWABLE);
# any other, such as a control character, is refused before parsing, with its line and column.
_KEY_VALUE = re.compile(r"(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):\s+(\S.*?)\s*$")  # [- ]key: value
MERGE_KEY = object()  # what a plain `<<` key is built as, to be refused


class YMap(dict):
    """A mapping that knows the position of itself, of each of its keys and of each key's value."""

    where: Where
    key_where: dict[str, Where]
    value_where: dict[str, Where]


class YList(list):
    """A sequence that knows the position of itself and of each item."""

    where: Where
    item_where: list[Where]


def where_of(container: Any, key: Any, default: Where) -> Where:
    """The position of `container[key]` if known, else of the container, else `default`."""
    if isinstance(container, YMap):
        return container.key_where.get(key, container.where)
    if isinstance(container, YList) and isinstance(key, int) and key < len(container.item_where):
        return container.item_where[key]
    return getattr(container, "where", default)


def value_where_of(container: Any, key: str, default: Where) -> Where:
    """The position of the value `container[key]`, where an error is in the value rather than the key."""
    if isinstance(container, YMap) and key in container.value_where:
        return container.value_where[key]
    return where_of(container, key, default)


class RefusedError(Exception):
    """A file the loader stops reading: too deep, an alias bomb, a second document."""

    def __init__(self, where: Where, message: str, hint: str = ""):
        super().__init__(message)
        self.where, self.message, self.hint = where, message, hint


def load_yaml(text: str, path: str, problems: Problems) -> Any:
    """Parse `text`; on malformed YAML, unsafe tags or values past the limits, record problems and return None."""
    bad = UNSHOWABLE.search(text)
    if bad:
        problems.add(where_in(text, bad.start(), path), f"malformed YAML: the character U+{ord(bad.group()):04X} "
                     "is not allowed in YAML", "control characters cannot be written in a YAML file")
        return None
    before = len(problems.items)
    try:
        value = _Builder(path, problems).build(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Where(path, mark.line + 1, mark.column + 1) if mark else Where(path)
        problems.add(where, f"malformed YAML: {getattr(exc, 'problem', None) or exc}", _hint(exc, text))
        return None
    except RefusedError as exc:
        problems.add(exc.where, exc.message, exc.hint)
        return None
    return None if len(problems.items) > before else value


def _hint(exc: yaml.YAMLError, text: str) -> str:
    """For `title: Musk: the talks`, the usual cause of "mapping values are not allowed": quote the value; for a tab, spaces."""
    mark = getattr(exc, "problem_mark", None)
    if "tab character" in str(getattr(exc, "problem", "")):
        return "indent with spaces: YAML does not allow tabs there"
    if mark is None or "mapping values are not allowed" not in str(getattr(exc, "problem", "")):
        return ""
    lines = text.split("\n")
    match = _KEY_VALUE.fullmatch(lines[mark.line]) if mark.line < len(lines) else None
    if not match:
        return "a value that contains `: ` must be in quotes"
    indent, key, value = match.groups()
    dash = "- " if indent.strip() else ""
    quoted = "'" + value.replace("'", "''") + "'"  # single quotes: nothing is an escape but ''
    return f"a value that contains `: ` must be in quotes: {dash}{key}: {quoted}"


@dataclass
class _Open:
    """A mapping or sequence being built: its value, its anchor, how many values it holds so far."""

    value: YMap | YList
    anchor: str | None
    size: int = 1
    key: Any = None
    key_where: Where | None = None
    skip: bool = False  # the pending key is refused (a merge key): drop its value


@dataclass
class _Builder:
    """Builds plain values from parser events, with every position, within the limits."""

    path: str
    problems: Problems
    stack: list[_Open] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    aliased: int = 0  # values repeated by aliases so far
    resolver: Resolver = field(default_factory=Resolver)

    def build(self, text: str) -> Any:
        """The document's value (None for an empty one)."""
        loader = _Loader(text)
        try:
            return self.walk(iter(loader.get_event, None))
        finally:
            loader.dispose()

    def walk(self, events: Any) -> Any:
        root, documents = None, 0
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                done = self.place(self.scalar(event), 1, event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                done = self.open(event)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = self.close()
            elif kind is yaml.AliasEvent:
                done = self.place(*self.alias(event), event.start_mark)
            else:
                documents += kind is yaml.DocumentStartEvent
                if documents > 1:
                    raise RefusedError(self.at(event.start_mark), "malformed YAML: a second document starts here",
                                       "a file holds one document: remove the `---` line")
                continue
            if done is not None:
                root = done[0]
        return root

    def at(self, mark: Any) -> Where:
        return Where(self.path, mark.line + 1, mark.column + 1)

    def open(self, event: yaml.CollectionStartEvent) -> None:
        """Start a mapping or a sequence, one level deeper."""
        if len(self.stack) >= MAX_DEPTH:
            raise RefusedError(self.at(event.start_mark), f"values are nested more than {MAX_DEPTH} levels deep",
                               "lists and mappings inside one another this deep are not data this file holds")
        if event.tag not in (None, "!") and event.tag not in _COLLECTIONS:
            self.problems.add(self.at(event.start_mark), f"YAML tag {event.tag!r} is not allowed", _PLAIN_DATA)
        value = YMap() if type(event) is yaml.MappingStartEvent else YList()
        value.where = self.at(event.start_mark)
        if type(value) is YMap:
            value.key_where, value.value_where = {}, {}
        else:
            value.item_where = []
        if event.anchor is not None:
            self.anchors.pop(event.anchor, None)  # an alias to it now would be to itself, or to the old value
        self.stack.append(_Open(value, event.anchor))

    def close(self) -> tuple[Any] | None:
        """Finish the innermost mapping or sequence, and put it where it belongs."""
        top = self.stack.pop()
        if top.anchor is not None:
            self.anchors[top.anchor] = (top.value, top.size)
        return self.place(top.value, top.size, None, top.value.where)

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE:  # a plain `<<`: a merge key where a key is due, else the text it is
            return MERGE_KEY if self.key_is_due() else event.value
        if tag not in SCALARS:
            self.problems.add(self.at(event.start_mark), f"YAML tag {tag!r} is not allowed", _PLAIN_DATA)
            return None
        try:
            value = SCALARS[tag](event.value)
        except ValueError as exc:
            self.problems.add(self.at(event.start_mark), str(exc), "put it in quotes if it is text")
            return None
        if type(value) is str and (bad := UNSHOWABLE.search(value)):  # written with an escape, as "\x01" or "\0"
            self.problems.add(self.at(event.start_mark), f"the value holds the character U+{ord(bad.group()):04X}, "
                              "which no page can show", "remove the escape that writes it")
            return None
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return value

    def key_is_due(self) -> bool:
        return bool(self.stack) and type(self.stack[-1].value) is YMap and self.stack[-1].key_where is None

    def alias(self, event: yaml.AliasEvent) -> tuple[Any, int]:
        if event.anchor not in self.anchors:
            inside = any(o.anchor == event.anchor for o in self.stack)
            raise RefusedError(self.at(event.start_mark), f"the alias *{event.anchor} refers to "
                               + ("the value it is inside of" if inside else "no anchor before it"),
                               "a value cannot contain itself" if inside else f"define &{event.anchor} before using it")
        value, size = self.anchors[event.anchor]
        self.aliased += size
        if self.aliased > MAX_ALIAS_VALUES:
            raise RefusedError(self.at(event.start_mark), f"aliases repeat more than {MAX_ALIAS_VALUES:,} values in this file",
                               "write the values out, or use fewer aliases")
        return value, size

    def place(self, value: Any, size: int, mark: Any, where: Where | None = None) -> tuple[Any] | None:
        """Put a finished value into the collection being built, or return it when it is the document."""
        if not self.stack:
            return (value,)
        top = self.stack[-1]
        top.size += size
        if type(top.value) is YList:
            top.value.append(value)
            top.value.item_where.append(where or self.at(mark))
        elif top.key_where is None:
            self.take_key(top, value, where or self.at(mark))
        else:
            if not top.skip:
                top.value[top.key] = value
                top.value.key_where[top.key] = top.key_where
                top.value.value_where[top.key] = where or self.at(mark)
            top.key, top.key_where, top.skip = None, None, False
        return None

    def take_key(self, top: _Open, key: Any, where: Where) -> None:
        """A mapping's key: plain text (or a number, a truth value), said once."""
        top.key_where, top.skip = where, True
        if key is MERGE_KEY:
            self.problems.add(where, "YAML merge keys (<<) are not supported")
        elif not isinstance(key, (str, int, float, bool)) and key is not None:
            self.problems.add(where, "a mapping key must be plain text")
        else:
            top.key, top.skip = str(key), False
            if top.key in top.value:
                self.problems.add(where, f"duplicate key {top.key!r}")
