"""The workbench's actions: each turns a request into new texts of files under content/, and writes nothing.

An action reads the project's files as they are on disk, edits them with yamledit (only the lines
it must change), and returns the pending texts; the server has them checked by a build before it
writes them (verify.py), so what an action may do is exactly what an editor may write by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotate import seed_lines
from ..errors import Problems, Where, relpath
from ..guess import slug
from ..inputs import decode, read_input
from ..load import SLUG
from ..model import KINDS
from ..todo import CONFIRM_KEY, MARKER
from . import yamledit
from .yamledit import EditError, YamlText

PLURAL = {"person": "people", "organisation": "organisations", "place": "places", "product": "products"}
SETTABLE = {
    "dossier": ("headline", "headline_by", "outlet", "outlet_basis", "author", "author_basis", "author_entity",
                "published", "published_basis"),
    "entity": ("kind", "name", "description", "wikidata"),
    "event": ("date", "date_basis", "title", "status", "entities", "note"),
}
FOLDER = {"entity": "content/entities", "event": "content/events"}


class ActionError(Exception):
    """A request the workbench refuses, with the reason shown in its panel."""


@dataclass
class Pending:
    """Texts of files under content/ as the action leaves them, over the files on disk."""

    root: Path
    texts: dict[str, str] = field(default_factory=dict)  # relative path -> new text
    read: dict[str, str | None] = field(default_factory=dict)  # relative path -> text on disk (None: no file)

    def text(self, rel: str) -> str | None:
        if rel in self.texts:
            return self.texts[rel]
        if rel not in self.read:
            self.read[rel] = self._read(rel)
        return self.read[rel]

    def _read(self, rel: str) -> str | None:
        path = self.root / rel
        if not path.exists() and not path.is_symlink():
            return None
        problems = Problems()
        raw = read_input(path, self.root, problems)
        text = None if raw is None else decode(raw, Where(rel), problems)
        if text is None:
            raise ActionError(str(problems.items[0]))
        return text

    def edit(self, rel: str, change: Callable[[str], str]) -> None:
        """The file's text through `change` (an EditError is refused with the file's name)."""
        text = self.text(rel)
        if text is None:
            raise ActionError(f"{rel} does not exist")
        try:
            self.texts[rel] = change(text)
        except EditError as exc:
            raise ActionError(f"{rel}: {exc}") from None

    def create(self, rel: str, text: str) -> None:
        self.texts[rel] = text

    def files(self, folder: str) -> list[str]:
        """The YAML files of a folder under content/, by name, with those this action creates."""
        on_disk = {relpath(p, self.root) for p in (self.root / folder).glob("*.yaml")}
        return sorted(on_disk | {rel for rel in self.texts if rel.startswith(folder + "/")})

    def changed(self) -> dict[str, str]:
        """Every file whose text differs from the disk's."""
        return {rel: text for rel, text in self.texts.items() if text != self.read.get(rel)}


def _param(params: dict, key: str, optional: bool = False) -> Any:
    value = params.get(key)
    if value is None and not optional:
        raise ActionError(f"missing {key!r}")
    if isinstance(value, str):
        value = value.strip()
        if not value and not optional:
            raise ActionError(f"{key!r} is empty")
    return value


def _slug_param(params: dict, key: str) -> str:
    value = _param(params, key)
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ActionError(f"{key!r} must be an id such as elon-musk, not {value!r}")
    return value


def sidecar(dossier: str) -> str:
    return f"content/dossiers/{dossier}.yaml"


def _sidecar_doc(pending: Pending, dossier: str) -> Any:
    text = pending.text(sidecar(dossier))
    if text is None:
        raise ActionError(f"no dossier {dossier!r}")
    return YamlText.parse(text).doc


def seed_line(pending: Pending, dossier: str, number: Any) -> str:
    """Line `number` of the dossier's seed, as the build numbers lines."""
    doc = _sidecar_doc(pending, dossier)
    path = pending.root / "seeds" / str(doc.get("seed"))
    problems = Problems()
    raw = read_input(path, pending.root, problems)
    text = None if raw is None else decode(raw, Where(relpath(path, pending.root)), problems)
    if text is None:
        raise ActionError(str(problems.items[0]))
    lines = seed_lines(text)
    if not isinstance(number, int) or not 1 <= number <= len(lines):
        raise ActionError(f"the seed has no line {number!r}")
    return lines[number - 1]


def verbatim(pending: Pending, params: dict, key: str = "quote") -> str:
    """The seed's own text for the selected passage: exact, though the browser may have collapsed its spaces."""
    selected = _param(params, key)
    line = seed_line(pending, _slug_param(params, "dossier"), _param(params, "line"))
    if selected in line:
        return selected
    words = selected.split()
    found = re.search(r"\s+".join(map(re.escape, words)), line) if words else None
    if found is None:
        raise ActionError(f"the selection is not a passage of line {params['line']} of the seed: "
                          "a quote must lie within one paragraph")
    return found.group(0)


def find_item(pending: Pending, target: str, ident: str) -> tuple[str, int]:
    """The file and index of the entity or event `ident`."""
    for rel in pending.files(FOLDER[target]):
        doc = YamlText.parse(pending.text(rel) or "").doc
        for index, item in enumerate(doc if isinstance(doc, list) else []):
            if isinstance(item, dict) and item.get("id") == ident:
                return rel, index
    raise ActionError(f"no {target} {ident!r}")


def all_ids(pending: Pending, target: str) -> set[str]:
    ids = set()
    for rel in pending.files(FOLDER[target]):
        doc = YamlText.parse(pending.text(rel) or "").doc
        ids |= {item.get("id") for item in (doc if isinstance(doc, list) else []) if isinstance(item, dict)}
    return ids


def new_id(pending: Pending, target: str, text: str, wanted: str | None) -> str:
    """The id asked for, or one made from the name or title (a few words), not taken yet."""
    if wanted:
        if not SLUG.fullmatch(wanted):
            raise ActionError(f"'id' must be an id such as elon-musk, not {wanted!r}")
        if wanted in all_ids(pending, target):
            raise ActionError(f"there is already an {target} {wanted!r}")
        return wanted
    base = "-".join(slug(text).split("-")[:6]) or target
    taken = all_ids(pending, target)
    return next(f"{base}-{n}" if n > 1 else base for n in range(1, len(taken) + 2)
                if (f"{base}-{n}" if n > 1 else base) not in taken)


def _append_item(pending: Pending, rel: str, item: dict, head: str) -> None:
    if pending.text(rel) is None:
        pending.create(rel, head + "".join(yamledit.block(item, 0)))
    else:
        pending.edit(rel, lambda text: yamledit.append(text, (), "", item))


# --- the actions -------------------------------------------------------------------------------------------


def cite(pending: Pending, params: dict) -> str:
    dossier, event = _slug_param(params, "dossier"), _slug_param(params, "event")
    quote = verbatim(pending, params)
    find_item(pending, "event", event)
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "events", {"event": event, "quote": quote}))
    return f"cited {event!r}"


def new_event(pending: Pending, params: dict) -> str:
    dossier = _slug_param(params, "dossier")
    quote = verbatim(pending, params)
    fields = {key: _param(params, key) for key in ("date", "date_basis", "title", "status")}
    event = {"id": new_id(pending, "event", fields["title"], _param(params, "id", optional=True)), **fields,
             "entities": list(_param(params, "entities", optional=True) or [])}
    if note := _param(params, "note", optional=True):
        event["note"] = note
    rel = _events_file(pending, dossier)
    _append_item(pending, rel, event, "# Events written with the workbench of `build.py serve`.\n")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "events", {"event": event["id"], "quote": quote}))
    return f"created and cited {event['id']!r}"


def _events_file(pending: Pending, dossier: str) -> str:
    """The dossier's own stub file (as `new` wrote it), else events.yaml, else the first events file."""
    files = pending.files("content/events")
    for rel in (f"content/events/{dossier}.yaml", "content/events/events.yaml"):
        if rel in files:
            return rel
    return files[0] if files else "content/events/events.yaml"


def alias(pending: Pending, params: dict) -> str:
    entity, name = _slug_param(params, "entity"), _param(params, "alias")
    rel, index = find_item(pending, "entity", entity)
    pending.edit(rel, lambda t: yamledit.append(t, (index,), "aliases", name))
    return f"{name!r} is now an alias of {entity!r}"


def new_entity(pending: Pending, params: dict) -> str:
    kind = _param(params, "kind")
    if kind not in KINDS:
        raise ActionError(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    name = _param(params, "name")
    entity = {"id": new_id(pending, "entity", name, _param(params, "id", optional=True)), "kind": kind, "name": name}
    if aliases := [a for a in _param(params, "aliases", optional=True) or [] if a != name]:
        entity["aliases"] = aliases
    entity["description"] = _param(params, "description")
    if wikidata := _param(params, "wikidata", optional=True):
        entity["wikidata"] = wikidata
    rel = f"content/entities/{PLURAL[kind]}.yaml"
    _append_item(pending, rel, entity, f"# {PLURAL[kind].capitalize()} added with the workbench of `build.py serve`.\n")
    return f"added the {kind} {entity['id']!r}"


def not_entity(pending: Pending, params: dict) -> str:
    """The name is deliberately not an entity: listed as unlinked; the draft's stub for it goes."""
    dossier, name = _slug_param(params, "dossier"), _param(params, "name")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "unlinked", name))
    stubs = f"content/entities/{dossier}.yaml"
    doc = YamlText.parse(pending.text(stubs) or "").doc if pending.text(stubs) else None
    for index, item in enumerate(doc or []):
        if isinstance(item, dict) and item.get("name") == name:
            _remove_entity(pending, stubs, index, item.get("id"))
            break
    return f"{name!r} is listed as not an entity"


def _remove_entity(pending: Pending, rel: str, index: int, ident: str) -> None:
    """The entity, and its id from every event that names it (a draft's stub events do)."""
    pending.edit(rel, lambda t: yamledit.remove_item(t, (), index))
    for events in pending.files("content/events"):
        doc = YamlText.parse(pending.text(events) or "").doc
        for n, event in enumerate(doc if isinstance(doc, list) else []):
            names = list(event.get("entities") or []) if isinstance(event, dict) else []
            if ident in names:
                kept = [e for e in names if e != ident]
                pending.edit(events, lambda t, n=n, kept=kept: yamledit.set_value(t, (n,), "entities", kept))


def note(pending: Pending, params: dict) -> str:
    dossier = _slug_param(params, "dossier")
    passage, text = verbatim(pending, params, "passage"), _param(params, "text")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "notes", {"passage": passage, "text": text}))
    return "note added"


def boilerplate(pending: Pending, params: dict) -> str:
    dossier = _slug_param(params, "dossier")
    line = seed_line(pending, dossier, _param(params, "line"))
    if not line.strip():
        raise ActionError("that line is empty")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "boilerplate", line))
    return f"line {params['line']} is boilerplate"


def set_fields(pending: Pending, params: dict) -> str:
    """Fields of the sidecar, an entity or an event set, and their TODO comments gone: the editor confirms them."""
    target, fields = _param(params, "target"), _param(params, "fields")
    if target not in SETTABLE:
        raise ActionError(f"'target' must be dossier, entity or event, not {target!r}")
    if not isinstance(fields, dict) or not fields:
        raise ActionError("'fields' must name at least one field")
    if unknown := sorted(set(fields) - set(SETTABLE[target])):
        raise ActionError(f"the workbench does not set {', '.join(unknown)} of an {target}")
    rel, path = _target(pending, target, _slug_param(params, "id"))
    for key, value in fields.items():
        pending.edit(rel, lambda t, key=key, value=value: yamledit.set_value(t, path, key, value))
    if params.get("confirm") and path:
        pending.edit(rel, lambda t: yamledit.drop_todo_comments(t, path))
    if target == "dossier":
        _drop_confirm_key(pending, rel)
    return f"{', '.join(fields)} set"


SECTIONS = ("boilerplate", "events", "notes", "quotes", "unlinked", "subheadings")


def confirm(pending: Pending, params: dict) -> str:
    """The TODO comments of an entity, an event or sections of the sidecar go: the editor checked those guesses."""
    target, ident = _param(params, "target"), _slug_param(params, "id")
    if target not in SETTABLE:
        raise ActionError(f"'target' must be dossier, entity or event, not {target!r}")
    rel, path = _target(pending, target, ident)
    keys = _param(params, "keys") if target == "dossier" else [None]
    if target == "dossier" and (not isinstance(keys, list) or not set(keys) <= set(SECTIONS + SETTABLE["dossier"])):
        raise ActionError(f"'keys' must list sections of the sidecar: {', '.join(SECTIONS)}")
    for key in keys:
        pending.edit(rel, lambda t, key=key: yamledit.drop_todo_comments(t, (*path, key) if key else path))
    if target == "dossier":
        _drop_confirm_key(pending, rel)
    return f"confirmed {', '.join(keys) if target == 'dossier' else ident}"


def _target(pending: Pending, target: str, ident: str) -> tuple[str, tuple]:
    if target == "dossier":
        _sidecar_doc(pending, ident)
        return sidecar(ident), ()
    rel, index = find_item(pending, target, ident)
    return rel, (index,)


def _drop_confirm_key(pending: Pending, rel: str) -> None:
    """The draft's "confirm every guess, then delete this line" goes with its last other TODO."""
    text = pending.text(rel) or ""
    left = [line for line in text.splitlines() if MARKER.search(line) and not line.startswith(CONFIRM_KEY)]
    if not left and CONFIRM_KEY in text:
        pending.edit(rel, lambda t: yamledit.remove_key(t, (), CONFIRM_KEY))


def remove(pending: Pending, params: dict) -> str:
    """An entity or event removed; an event's citations go with it, an entity's id leaves the events."""
    target, ident = _param(params, "target"), _slug_param(params, "id")
    if target not in FOLDER:
        raise ActionError(f"'target' must be entity or event, not {target!r}")
    rel, index = find_item(pending, target, ident)
    if target == "entity":
        _remove_entity(pending, rel, index, ident)
    else:
        pending.edit(rel, lambda t: yamledit.remove_item(t, (), index))
        _uncite(pending, ident)
    return f"removed the {target} {ident!r}"


def _uncite(pending: Pending, event: str) -> None:
    for rel in pending.files("content/dossiers"):
        doc = YamlText.parse(pending.text(rel) or "").doc
        cited = [n for n, c in enumerate(doc.get("events") or []) if isinstance(c, dict) and c.get("event") == event]
        for n in reversed(cited):
            pending.edit(rel, lambda t, n=n: yamledit.remove_item(t, ("events",), n))


ACTIONS: dict[str, Callable[[Pending, dict], str]] = {
    "cite": cite, "new-event": new_event, "alias": alias, "new-entity": new_entity, "not-entity": not_entity,
    "note": note, "boilerplate": boilerplate, "set": set_fields, "confirm": confirm, "remove": remove,
}


def plan(root: Path, params: Any) -> tuple[str, dict[str, str]]:
    """(what was done, the new text of each file it changes) for one request; ActionError when refused."""
    if not isinstance(params, dict):
        raise ActionError("the request must be a JSON object")
    action = ACTIONS.get(params.get("action"))
    if action is None:
        raise ActionError(f"unknown action {params.get('action')!r}; one of {', '.join(ACTIONS)}")
    pending = Pending(root)
    said = action(pending, params)
    return said, pending.changed()
