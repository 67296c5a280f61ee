"""Which fields of the views a page template reads, found in its source before anything renders.

The pages made from the whole investigation (timeline, home, dossier list) are given `views`. A
page is given only the fields its template, and every template it extends, includes or imports,
names as `views.field` (or `views["field"]`): so its key, which hashes what it is given (keys.py),
changes only when those do, and a sidecar's edit does not render the timeline's pages again.
Were a template to use `views` any other way (pass it whole to a macro, name something else so),
or one of them could not be found, the page is given every field, and keyed by every input.
"""

from __future__ import annotations

from dataclasses import fields

import jinja2
from jinja2 import meta, nodes

from threadline.site.views import Views

NAME = "views"


def views_read(env: jinja2.Environment, template: str) -> tuple[str, ...] | None:
    """The fields of the views that this template and those it uses read, in order; None when not known."""
    read: set[str] = set()
    todo, seen = [template], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = _parsed(env, name)
        found = None if tree is None else fields_named(tree)
        used = [] if tree is None else list(meta.find_referenced_templates(tree))
        if found is None or None in used:  # a template named at run time could read anything
            return None
        read |= found
        todo += used
    known = {f.name for f in fields(Views)}
    return tuple(sorted(read)) if read <= known else None


def _parsed(env: jinja2.Environment, name: str) -> nodes.Template | None:
    try:
        source = env.loader.get_source(env, name)[0] if env.loader else None
        return None if source is None else env.parse(source)
    except (jinja2.TemplateError, OSError, UnicodeError):
        return None


def fields_named(tree: nodes.Node) -> set[str] | None:
    """The fields of `views` the template names; None when it uses the name any other way."""
    named: dict[int, str] = {}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name) and node.node.name == NAME:
            field = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
            if field is not None:
                named[id(node.node)] = field
    uses = [node for node in tree.find_all(nodes.Name) if node.name == NAME]
    return set(named.values()) if all(id(n) in named and n.ctx == "load" for n in uses) else None


def _constant(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
