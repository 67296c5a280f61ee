"""Edits of a YAML file that change only the lines they must: the rest keeps its comments, order and layout.

The file is composed (parsed into nodes that know their line and column) and each edit is
spliced into the text at those places. A round-trip library's dump would also reformat what the
editor wrote: ruamel.yaml, tried first, turns `null` into nothing, re-indents top-level lists and
expands escapes, and `git diff` must show only the lines an action added or changed. Composing
with libyaml (PyYAML's C loader) is also some 70 times faster than ruamel's parser, which keeps
an action on a 500-line events file within the preview's reload budget.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from threadline.tools.draft_text import q

COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STRINGS = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar a string: ids and names as written

Path_ = tuple[str | int, ...]  # keys and indices from the document's root to a node
PLAIN = re.compile(r"[A-Za-z][^:#\n\"'\[\]{},&*!|>%@`\\]*")
WORDS_NOT_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


class EditError(Exception):
    """The file does not have the shape the edit needs (e.g. a list where a mapping is expected)."""


def scalar(value: Any) -> str:
    """A YAML scalar for a string, None, bool or int: plain when it reads back as the same string, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, (bool, int)):
        return json.dumps(value)
    text = str(value)
    if PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in WORDS_NOT_PLAIN and " -" not in text:
        return text
    return q(text)


def flow(values: list[Any]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def block(value: Any, indent: int) -> list[str]:
    """`value` (a scalar, or a mapping of scalars and flat lists) as lines of a block sequence item at `indent`."""
    pad = " " * indent
    if not isinstance(value, dict):
        return [f"{pad}- {scalar(value)}\n"]
    lines = []
    for n, (key, item) in enumerate(value.items()):
        lead = f"{pad}- " if n == 0 else f"{pad}  "
        lines.append(f"{lead}{key}: {flow(item) if isinstance(item, list) else scalar(item)}\n")
    return lines


@dataclass
class YamlText:
    """A YAML file's text with its composed nodes, for the positions of its keys and items."""

    lines: list[str]
    root: Node | None

    @classmethod
    def parse(cls, text: str) -> YamlText:
        try:
            root = yaml.compose(text, Loader=COMPOSER)
        except yaml.YAMLError as exc:
            raise EditError(f"the file is not valid YAML: {str(exc).splitlines()[0]}") from None
        return cls(text.splitlines(keepends=True), root)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def node(self, path: Path_) -> Node | None:
        node = self.root
        for step in path:
            node = child(node, step)
            if node is None:
                raise EditError(f"no {'/'.join(map(str, path))} in the file")
        return node

    def indent(self, line: int) -> int:
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def end_of(self, line: int, floor: int) -> int:
        """The last line of the node starting at `line` whose own column is `floor` (lines indented deeper belong to it)."""
        last = line
        for n in range(line + 1, len(self.lines)):
            stripped = self.lines[n].strip()
            if not stripped:
                continue
            if self.indent(n) <= floor:
                break
            last = n
        return last

    def end_of_key(self, mapping: MappingNode, key: str) -> int:
        line, col = key_at(mapping, key)
        return self.end_of(line, col)


def data(text: str) -> Any:
    """The file as Python data, every scalar a string (None for an empty file); EditError when it is not YAML."""
    try:
        return yaml.load(text, Loader=STRINGS)
    except yaml.YAMLError as exc:
        raise EditError(f"the file is not valid YAML: {str(exc).splitlines()[0]}") from None


def child(node: Node | None, step: str | int) -> Node | None:
    """The value of a mapping's key or a list's item, or None."""
    if isinstance(node, SequenceNode) and isinstance(step, int):
        return node.value[step] if -len(node.value) <= step < len(node.value) else None
    if isinstance(node, MappingNode):
        return next((value for key, value in node.value if key.value == step), None)
    return None


def key_at(mapping: MappingNode, key: str) -> tuple[int, int]:
    """(line, column) of a key, counted from 0."""
    found = next(k for k, _ in mapping.value if k.value == key)
    return found.start_mark.line, found.start_mark.column


def _has(mapping: Node | None, key: str) -> bool:
    return isinstance(mapping, MappingNode) and any(k.value == key for k, _ in mapping.value)


def _is_empty(node: Node) -> bool:
    """`[]`, `null`, `~` or nothing at all."""
    if isinstance(node, SequenceNode):
        return not node.value
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def append(text: str, path: Path_, key: str, value: Any) -> str:
    """`value` appended to the list at `path`/`key` (`key` "" for the list at `path`); made when missing, empty or null."""
    yt = YamlText.parse(text)
    parent = yt.node(path) if path or yt.root is not None else None
    if key == "":
        if parent is None or (isinstance(parent, SequenceNode) and not parent.flow_style):
            return _append_to_block(yt, parent, value)
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a list")
    if not isinstance(parent, MappingNode):
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a mapping")
    if not _has(parent, key):
        return _add_key(yt, parent, key, value)
    seq = child(parent, key)
    if _is_empty(seq):
        return _fill_empty(yt, parent, key, value)
    if isinstance(seq, SequenceNode) and not seq.flow_style:
        return _append_to_block(yt, seq, value)
    if isinstance(seq, SequenceNode) and not isinstance(value, dict):
        return _replace_flow(yt, parent, key, [*data(yaml.serialize(seq)), value])
    raise EditError(f"{key} is not a list")


def _append_to_block(yt: YamlText, seq: SequenceNode | None, value: Any) -> str:
    """After the last item of a block list, indented as its items are (blank lines between items kept)."""
    if seq is None or not seq.value:  # an empty document: a top-level list's first item
        return yt.text + ("" if yt.text.endswith("\n") or not yt.text else "\n") + "".join(block(value, 0))
    last = seq.value[-1].start_mark
    dash = _dash_column(yt.lines[last.line], last.column)
    end = yt.end_of(last.line, dash)
    spaced = len(seq.value) > 1 and not yt.lines[seq.value[1].start_mark.line - 1].strip()
    return _insert_after(yt, end, (["\n"] if spaced else []) + block(value, dash))


def _insert_after(yt: YamlText, end: int, new: list[str]) -> str:
    """The text with `new` lines after line `end` (which gets the newline a file's last line may lack)."""
    if not yt.lines[end].endswith("\n"):
        yt.lines[end] += "\n"
    yt.lines[end + 1:end + 1] = new
    return yt.text


def _dash_column(line: str, item_col: int) -> int:
    at = line.rfind("-", 0, item_col + 1)
    return at if at >= 0 else item_col


def _last_key(mapping: MappingNode) -> tuple[int, int]:
    """(last line of the mapping's last value, the column of its keys)."""
    key = mapping.value[-1][0]
    return key.start_mark.line, key.start_mark.column


def _add_key(yt: YamlText, mapping: MappingNode, key: str, value: Any) -> str:
    """A new `key:` with a one-item list, after the mapping's last key."""
    line, col = _last_key(mapping)
    return _insert_after(yt, yt.end_of(line, col), [f"{' ' * col}{key}:\n", *block(value, col + 2)])


def _fill_empty(yt: YamlText, mapping: MappingNode, key: str, value: Any) -> str:
    """`key: []` or `key: null` (its comment kept) becomes `key:` and a one-item block list."""
    line, col = key_at(mapping, key)
    if yt.end_of(line, col) != line:
        raise EditError(f"{key} spans several lines; edit it by hand")
    _, comment = _split_comment(yt.lines[line])
    yt.lines[line] = f"{' ' * col}{key}:{comment}\n"
    yt.lines[line + 1:line + 1] = block(value, col + 2)
    return yt.text


def _replace_flow(yt: YamlText, mapping: MappingNode, key: str, values: list[Any]) -> str:
    line, col = key_at(mapping, key)
    if yt.end_of(line, col) != line:
        raise EditError(f"{key} spans several lines; edit it by hand")
    _, comment = _split_comment(yt.lines[line])
    yt.lines[line] = f"{' ' * col}{key}: {flow(values)}{comment}\n"
    return yt.text


def _split_comment(line: str) -> tuple[str, str]:
    """A one-line `key: value  # comment` split before its comment (with the spaces before it)."""
    body = line.rstrip("\n")
    found = _comment_start(body)
    return (body, "") if found < 0 else (body[:found].rstrip(), body[len(body[:found].rstrip()):])


def _comment_start(line: str) -> int:
    """Where a comment starts in one line of YAML (outside quotes), or -1."""
    quote = ""
    for n, char in enumerate(line):
        if quote:
            if char == quote and not (quote == '"' and line[n - 1] == "\\"):
                quote = ""
        elif char in "\"'" and (n == 0 or line[n - 1] in " [{,:-"):
            quote = char
        elif char == "#" and (n == 0 or line[n - 1] in " \t"):
            return n
    return -1


def set_value(text: str, path: Path_, key: str, value: Any, confirmed: bool = True) -> str:
    """`key` of the mapping at `path` set to a scalar or flat list; added after the last key when missing.

    A value the editor sets is `confirmed`: its `# TODO …` comment goes (any other comment stays).
    """
    yt = YamlText.parse(text)
    mapping = yt.node(path)
    if not isinstance(mapping, MappingNode):
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a mapping")
    shown = flow(value) if isinstance(value, list) else scalar(value)
    if not _has(mapping, key):
        line, col = _last_key(mapping)
        return _insert_after(yt, yt.end_of(line, col), [f"{' ' * col}{key}: {shown}\n"])
    line, col = key_at(mapping, key)
    end = yt.end_of(line, col)
    _, comment = _split_comment(yt.lines[line]) if end == line else ("", "")
    kept = "" if confirmed and "TODO" in comment else comment
    yt.lines[line:end + 1] = [f"{yt.lines[line][:col]}{key}: {shown}{kept}\n"]
    return yt.text


def remove_item(text: str, path: Path_, index: int) -> str:
    """The item at `index` of the block list at `path` removed, with the blank line before it when items are spaced."""
    yt = YamlText.parse(text)
    seq = yt.node(path) if path else yt.root
    if not isinstance(seq, SequenceNode) or seq.flow_style or not -len(seq.value) <= index < len(seq.value):
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} has no item {index} in a block list")
    mark = seq.value[index].start_mark
    start = mark.line - 1 if mark.line > 0 and not yt.lines[mark.line - 1].strip() else mark.line
    del yt.lines[start:yt.end_of(mark.line, _dash_column(yt.lines[mark.line], mark.column)) + 1]
    return yt.text


def remove_key(text: str, path: Path_, key: str) -> str:
    """`key` and its value removed from the mapping at `path`."""
    yt = YamlText.parse(text)
    mapping = yt.node(path) if path else yt.root
    if not _has(mapping, key):
        return text
    line, col = key_at(mapping, key)
    del yt.lines[line:yt.end_of(line, col) + 1]
    return yt.text


def drop_todo_comments(text: str, path: Path_) -> str:
    """The `# TODO …` end-of-line comments of every line of the node at `path` removed (it is confirmed)."""
    yt = YamlText.parse(text)
    start, col = _start_of(yt, path)
    for n in range(start, yt.end_of(start, col) + 1):
        body, comment = _split_comment(yt.lines[n])
        if "TODO" in comment:
            yt.lines[n] = body + "\n"
    return yt.text


def _start_of(yt: YamlText, path: Path_) -> tuple[int, int]:
    """(line, column) where the key or item at `path` starts: a list item's dash, a mapping's key."""
    parent, step = yt.node(path[:-1]) if path[:-1] else yt.root, path[-1]
    yt.node(path)  # an EditError when it is not there
    if isinstance(parent, SequenceNode):
        mark = parent.value[step].start_mark
        return mark.line, _dash_column(yt.lines[mark.line], mark.column)
    return key_at(parent, step)
