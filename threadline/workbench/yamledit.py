"""Edits of a YAML file that change only the lines they must: the rest keeps its comments, order and layout.

ruamel.yaml parses the file in round-trip mode, which gives the line and column of every key and
item; the edit is then spliced into the text at those places. A whole-file dump would also
reformat what the editor wrote (`null` becomes empty, top-level lists are re-indented, escapes
are expanded), and `git diff` must show only the lines an action added or changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

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
    return json.dumps(text, ensure_ascii=False)


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
    """A YAML file's text with its round-trip parse, for the positions of its nodes."""

    lines: list[str]
    doc: Any

    @classmethod
    def parse(cls, text: str) -> YamlText:
        try:
            doc = YAML(typ="rt").load(text)
        except YAMLError as exc:
            raise EditError(f"the file is not valid YAML: {str(exc).splitlines()[0]}") from None
        return cls(text.splitlines(keepends=True), doc)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def node(self, path: Path_) -> Any:
        node = self.doc
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                raise EditError(f"no {'/'.join(map(str, path))} in the file") from None
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

    def end_of_value(self, mapping: CommentedMap, key: str) -> int:
        line, col = mapping.lc.key(key)
        return self.end_of(line, col)


def append(text: str, path: Path_, key: str, value: Any) -> str:
    """`value` appended to the list at `path`/`key`; the list is made when missing, empty or null."""
    yt = YamlText.parse(text)
    parent = yt.node(path)
    if isinstance(parent, CommentedSeq) and key == "":
        return _append_to_block(yt, parent, value, base=0)
    if not isinstance(parent, CommentedMap):
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a mapping")
    if key not in parent:
        return _add_key(yt, parent, key, value)
    seq = parent[key]
    if isinstance(seq, CommentedSeq) and seq and not seq.fa.flow_style():
        return _append_to_block(yt, seq, value, base=parent.lc.key(key)[1] + 2)
    if isinstance(seq, CommentedSeq) and seq and not isinstance(value, dict):
        return _replace_flow(yt, parent, key, [*seq, value])
    if seq is None or (isinstance(seq, CommentedSeq) and not seq):
        return _fill_empty(yt, parent, key, value)
    raise EditError(f"{key} is not a list")


def _append_to_block(yt: YamlText, seq: CommentedSeq, value: Any, base: int) -> str:
    """After the last item of a block list, indented as its items are (blank lines between items kept)."""
    if not seq:  # an empty document: a top-level list's first item
        return yt.text + ("" if yt.text.endswith("\n") or not yt.text else "\n") + "".join(block(value, 0))
    last_line, last_col = seq.lc.item(len(seq) - 1)
    dash = _dash_column(yt.lines[last_line], last_col)
    end = yt.end_of(last_line, dash)
    spaced = len(seq) > 1 and not yt.lines[seq.lc.item(1)[0] - 1].strip()
    new = (["\n"] if spaced else []) + block(value, dash)
    return _insert_after(yt, end, new)


def _insert_after(yt: YamlText, end: int, new: list[str]) -> str:
    """The text with `new` lines after line `end` (which gets the newline a file's last line may lack)."""
    if not yt.lines[end].endswith("\n"):
        yt.lines[end] += "\n"
    yt.lines[end + 1:end + 1] = new
    return yt.text


def _dash_column(line: str, item_col: int) -> int:
    at = line.rfind("-", 0, item_col + 1)
    return at if at >= 0 else item_col


def _add_key(yt: YamlText, mapping: CommentedMap, key: str, value: Any) -> str:
    """A new `key:` with a one-item list, after the mapping's last key."""
    last = list(mapping)[-1]
    end = yt.end_of_value(mapping, last)
    col = mapping.lc.key(last)[1]
    new = [f"{' ' * col}{key}:\n", *block(value, col + 2)]
    return _insert_after(yt, end, new)


def _fill_empty(yt: YamlText, mapping: CommentedMap, key: str, value: Any) -> str:
    """`key: []` or `key: null` (its comment kept) becomes `key:` and a one-item block list."""
    line, col = mapping.lc.key(key)
    _, comment = _split_comment(yt.lines[line])
    yt.lines[line] = f"{' ' * col}{key}:{comment}\n"
    end = yt.end_of(line, col)
    if end != line:
        raise EditError(f"{key} spans several lines; edit it by hand")
    yt.lines[line + 1:line + 1] = block(value, col + 2)
    return yt.text


def _replace_flow(yt: YamlText, mapping: CommentedMap, key: str, values: list[Any]) -> str:
    line, col = mapping.lc.key(key)
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


def set_value(text: str, path: Path_, key: str, value: Any) -> str:
    """`key` of the mapping at `path` set to a scalar or flat list; added after the last key when missing."""
    yt = YamlText.parse(text)
    mapping = yt.node(path)
    if not isinstance(mapping, CommentedMap):
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a mapping")
    shown = flow(value) if isinstance(value, list) else scalar(value)
    if key not in mapping:
        last = list(mapping)[-1]
        end = yt.end_of_value(mapping, last)
        col = mapping.lc.key(last)[1]
        return _insert_after(yt, end, [f"{' ' * col}{key}: {shown}\n"])
    line, col = mapping.lc.key(key)
    end = yt.end_of(line, col)
    _, comment = _split_comment(yt.lines[line]) if end == line else ("", "")
    yt.lines[line:end + 1] = [f"{yt.lines[line][:col]}{key}: {shown}{_without_todo(comment)}\n"]
    return yt.text


def _without_todo(comment: str) -> str:
    """A setting by the editor confirms the value: its `# TODO …` comment goes, any other stays."""
    return "" if "TODO" in comment else comment


def remove_item(text: str, path: Path_, index: int) -> str:
    """The item at `index` of the block list at `path` removed, with the blank line before it when items are spaced."""
    yt = YamlText.parse(text)
    seq = yt.node(path)
    if not isinstance(seq, CommentedSeq) or seq.fa.flow_style():
        raise EditError(f"{'/'.join(map(str, path)) or 'the file'} is not a block list")
    line, col = seq.lc.item(index)
    start = _start_with_comments(yt, line)
    end = yt.end_of(line, _dash_column(yt.lines[line], col))
    del yt.lines[start:end + 1]
    return yt.text


def _start_with_comments(yt: YamlText, line: int) -> int:
    """An item's first line, or the blank line just before it (items separated by blank lines stay so)."""
    return line - 1 if line > 0 and not yt.lines[line - 1].strip() else line


def remove_key(text: str, path: Path_, key: str) -> str:
    """`key` and its value removed from the mapping at `path`."""
    yt = YamlText.parse(text)
    mapping = yt.node(path)
    if not isinstance(mapping, CommentedMap) or key not in mapping:
        return text
    line, col = mapping.lc.key(key)
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
    parent = yt.node(path[:-1])
    step = path[-1]
    yt.node(path)  # an EditError when it is not there
    if isinstance(parent, CommentedSeq):
        line, col = parent.lc.item(step)
        return line, _dash_column(yt.lines[line], col)
    return parent.lc.key(step)
