"""Safe YAML loading that remembers where every value came from, so messages can say `path:line`."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Problems, Where

# libyaml's C parser when present: about ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SCALARS = {
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": lambda v: v.lower() in ("true", "yes", "on"),
    "tag:yaml.org,2002:null": lambda v: None,
    # Dates stay the strings the editor wrote: they are EDTF, parsed later.
    "tag:yaml.org,2002:timestamp": str,
    _STR: str,
}


class YMap(dict):
    """A mapping that knows the position of itself and of each of its keys."""

    where: Where
    key_where: dict[str, Where]


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


def load_yaml(text: str, path: str, problems: Problems) -> Any:
    """Parse `text`; on malformed YAML or unsafe tags, record problems and return None."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problems.add(Where(path, line, col), f"malformed YAML: {getattr(exc, 'problem', None) or exc}")
        return None
    if node is None:
        return None
    before = len(problems.items)
    value = _build(node, path, problems)
    return None if len(problems.items) > before else value


def _at(node: yaml.Node, path: str) -> Where:
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(node: yaml.Node, path: str, problems: Problems) -> Any:
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTIONS:
        problems.add(_at(node, path), f"YAML tag {node.tag!r} is not allowed", "only plain data: text, numbers, lists, mappings")
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_map(node, path, problems)
    if isinstance(node, yaml.SequenceNode):
        out = YList(_build(item, path, problems) for item in node.value)
        out.where, out.item_where = _at(node, path), [_at(item, path) for item in node.value]
        return out
    convert = _SCALARS.get(node.tag)
    if convert is None:
        problems.add(_at(node, path), f"YAML tag {node.tag!r} is not allowed", "only plain data: text, numbers, lists, mappings")
        return None
    return convert(node.value)


def _build_map(node: yaml.MappingNode, path: str, problems: Problems) -> YMap:
    out = YMap()
    out.where, out.key_where = _at(node, path), {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.add(_at(key_node, path), "YAML merge keys (<<) are not supported")
            continue
        key = _build(key_node, path, problems)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            problems.add(_at(key_node, path), "a mapping key must be plain text")
            continue
        key = str(key)
        if key in out:
            problems.add(_at(key_node, path), f"duplicate key {key!r}")
        out[key] = _build(value_node, path, problems)
        out.key_where[key] = _at(key_node, path)
    return out
