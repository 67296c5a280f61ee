"""The workbench's actions: each turns a request into new texts of files under content/, and writes nothing.

An action reads the project's files as they are on disk, edits them with yamledit (only the lines
it must change), and returns the pending texts; the server has them checked by a build before it
writes them (journal.new_problems), so what an action may do is exactly what an editor may write by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from threadline.inputs.model import KINDS
from threadline.inputs.todo import CONFIRM_KEY, MARKER, markers
from threadline.preview.workbench import yamledit
from threadline.preview.workbench.pending import (
    FOLDER,
    SETTABLE,
    ActionError,
    Pending,
    all_ids,
    append_item,
    file_data,
    find_item,
    new_id,
    param,
    seed_line,
    sidecar,
    sidecar_data,
    slug_param,
    spelling_owner,
    verbatim,
)
from threadline.tools.draft_text import DRAFTED_EVENT_ID, stub_date, without_draft_notes

# --- the actions -------------------------------------------------------------------------------------------


def cite(pending: Pending, params: dict) -> str:
    """The passage cited for an event; with `replaces`, it takes the place of that quote (a citation shortened)."""
    dossier, event = slug_param(params, "dossier"), slug_param(params, "event")
    quote = verbatim(pending, params)
    find_item(pending, "event", event)
    if (replaced := param(params, "replaces", optional=True)) is not None:
        index = _citation(pending, dossier, event, replaced)
        pending.edit(sidecar(dossier), lambda t: yamledit.set_value(t, ("events", index), "quote", quote))
        return f"the quote for {event!r} changed"
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "events", {"event": event, "quote": quote}))
    return f"cited {event!r}"


def _citation(pending: Pending, dossier: str, event: str, quote: Any) -> int:
    """The index of the sidecar's citation of `event` with `quote`."""
    cited = (sidecar_data(pending, dossier) or {}).get("events") or []
    found = [n for n, c in enumerate(cited) if isinstance(c, dict) and (c.get("event"), c.get("quote")) == (event, quote)]
    if not found:
        raise ActionError(f"{sidecar(dossier)} does not cite {event!r} with the quote {quote!r}")
    return found[0]


def new_event(pending: Pending, params: dict) -> str:
    dossier = slug_param(params, "dossier")
    quote = verbatim(pending, params)
    fields = {key: param(params, key) for key in ("date", "date_basis", "title", "status")}
    event = {"id": new_id(pending, "event", fields["title"], param(params, "id", optional=True)), **fields,
             "entities": list(param(params, "entities", optional=True) or [])}
    if note := param(params, "note", optional=True):
        event["note"] = note
    rel = _events_file(pending, dossier)
    append_item(pending, rel, event, "# Events written with the workbench of `build.py serve`.\n")
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
    entity, name = slug_param(params, "entity"), param(params, "alias")
    rel, index = find_item(pending, "entity", entity)
    pending.edit(rel, lambda t: yamledit.append(t, (index,), "aliases", name))
    return f"{name!r} is now an alias of {entity!r}"


def new_entity(pending: Pending, params: dict) -> str:
    kind = param(params, "kind")
    if kind not in KINDS:
        raise ActionError(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    name = param(params, "name")
    if owner := spelling_owner(pending, name):
        raise ActionError(f"{name!r} is already a spelling of {owner.get('name')!r} ({owner.get('id')}): "
                          "choose that entity instead of a new one")
    entity = {"id": new_id(pending, "entity", name, param(params, "id", optional=True)), "kind": kind, "name": name}
    if aliases := [a for a in param(params, "aliases", optional=True) or [] if a != name]:
        entity["aliases"] = aliases
    entity["description"] = param(params, "description")
    if wikidata := param(params, "wikidata", optional=True):
        entity["wikidata"] = wikidata
    rel = f"content/entities/{KINDS[kind]}.yaml"
    append_item(pending, rel, entity, f"# {KINDS[kind].capitalize()} added with the workbench of `build.py serve`.\n")
    return f"added the {kind} {entity['id']!r}"


def not_entity(pending: Pending, params: dict) -> str:
    """The name is deliberately not an entity: listed as unlinked; the draft's stub for it goes."""
    dossier, name = slug_param(params, "dossier"), param(params, "name")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "unlinked", name))
    stubs = f"content/entities/{dossier}.yaml"
    doc = file_data(pending.text(stubs) or "", stubs)
    for index, item in enumerate(doc or []):
        if isinstance(item, dict) and item.get("name") == name:
            _remove_entity(pending, stubs, index, item.get("id"))
            break
    return f"{name!r} is listed as not an entity"


def _remove_entity(pending: Pending, rel: str, index: int, ident: str) -> None:
    """The entity, and its id from every event that names it (a draft's stub events do)."""
    pending.edit(rel, lambda t: yamledit.remove_item(t, (), index))
    _replace_in_events(pending, ident, None)


def _replace_in_events(pending: Pending, old: str, new: str | None) -> None:
    """The entity `old` replaced by `new` (or removed, for None) in the entities of every event that names it."""
    for rel in pending.files("content/events"):
        doc = file_data(pending.text(rel) or "", rel)
        for n, event in enumerate(doc if isinstance(doc, list) else []):
            names = list(event.get("entities") or []) if isinstance(event, dict) else []
            if old in names:
                kept = [new if e == old else e for e in names if e != old or new]
                pending.edit(rel, lambda t, n=n, kept=kept: yamledit.set_value(t, (n,), "entities", kept))


def note(pending: Pending, params: dict) -> str:
    dossier = slug_param(params, "dossier")
    passage, text = verbatim(pending, params, "passage"), param(params, "text")
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "notes", {"passage": passage, "text": text}))
    return "note added"


def boilerplate(pending: Pending, params: dict) -> str:
    """Whole lines that are not the article: `line`, or several at once as `lines` (a banner, a footer)."""
    dossier = slug_param(params, "dossier")
    numbers = params["lines"] if isinstance(params.get("lines"), list) else [param(params, "line")]
    listed = (sidecar_data(pending, dossier) or {}).get("boilerplate") or []
    for number in numbers:
        line = seed_line(pending, dossier, number)
        if line.strip() and line not in listed:  # a blank line is never shown anyway; one listed is listed
            listed.append(line)
            pending.edit(sidecar(dossier), lambda t, line=line: yamledit.append(t, (), "boilerplate", line))
    return f"line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))} boilerplate"


def quotation(pending: Pending, params: dict) -> str:
    """A direct quotation of the seed and who said it."""
    dossier, speaker = slug_param(params, "dossier"), slug_param(params, "speaker")
    text = verbatim(pending, params, "text")
    find_item(pending, "entity", speaker)
    pending.edit(sidecar(dossier), lambda t: yamledit.append(t, (), "quotes", {"speaker": speaker, "text": text}))
    return f"quotation of {speaker!r} added"


def headline(pending: Pending, params: dict) -> str:
    """A whole line of the seed is the headline (shown as the title, not repeated in the text)."""
    dossier = slug_param(params, "dossier")
    line = seed_line(pending, dossier, param(params, "line")).strip()
    for key, value in (("headline", line), ("headline_by", "source")):
        pending.edit(sidecar(dossier), lambda t, key=key, value=value: yamledit.set_value(t, (), key, value))
    _drop_confirm_key(pending, sidecar(dossier))
    return f"line {params['line']} is the headline"


def _check_field(key: str, value: Any) -> None:
    """A field is written as text, empty (null) or, for an event's entities, a list of ids: never a stringified object."""
    listed = isinstance(value, list) and all(isinstance(item, str) for item in value)
    if not (listed if key == "entities" else isinstance(value, str) or value is None):
        wanted = "a list of ids" if key == "entities" else "text"
        raise ActionError(f"{key!r} must be {wanted}, not {json.dumps(value)}")


def set_fields(pending: Pending, params: dict) -> str:
    """Fields of the sidecar, an entity or an event set, and their TODO comments gone: the editor confirms them."""
    target, fields = param(params, "target"), param(params, "fields")
    if target not in SETTABLE:
        raise ActionError(f"'target' must be dossier, entity or event, not {target!r}")
    if not isinstance(fields, dict) or not fields:
        raise ActionError("'fields' must name at least one field")
    if unknown := sorted(set(fields) - set(SETTABLE[target])):
        raise ActionError(f"the workbench does not set {', '.join(unknown)} of an {target}")
    for key, value in fields.items():
        _check_field(key, value)
    ident = slug_param(params, "id")
    rel, path = _target(pending, target, ident)
    if params.get("confirm") and _named_by_new(target, ident, fields):
        fields = {**fields, "id": new_id(pending, "event", fields["title"], None)}
    if fields.get("id", ident) != ident:
        rename(pending, target, ident, slug_param(fields, "id"))
    for key, value in fields.items():
        pending.edit(rel, lambda t, key=key, value=value: yamledit.set_value(t, path, key, value))
    if params.get("confirm") and path:
        pending.edit(rel, lambda t: yamledit.drop_todo_comments(t, path))
    if target == "dossier":
        _drop_confirm_key(pending, rel)
        _redate_stubs(pending, ident, fields.get("published"))
    return f"{', '.join(fields)} set"


SECTIONS = ("boilerplate", "events", "notes", "quotes", "unlinked", "subheadings")


def _named_by_new(target: str, ident: str, fields: dict) -> bool:
    """A stub event confirmed with its title and the id `new` gave it (`<slug>-event-N`): it is named after its title."""
    title = fields.get("title")
    return (target == "event" and fields.get("id", ident) == ident and DRAFTED_EVENT_ID.fullmatch(ident) is not None
            and isinstance(title, str) and bool(title.strip()) and not MARKER.search(title))


def confirm(pending: Pending, params: dict) -> str:
    """The TODO comments of an entity, an event or sections of the sidecar go: the editor checked those guesses."""
    target, ident = param(params, "target"), slug_param(params, "id")
    if target not in SETTABLE:
        raise ActionError(f"'target' must be dossier, entity or event, not {target!r}")
    rel, path = _target(pending, target, ident)
    keys = param(params, "keys") if target == "dossier" else [None]
    if target == "dossier" and (not isinstance(keys, list) or not set(keys) <= set(SECTIONS + SETTABLE["dossier"])):
        raise ActionError(f"'keys' must list sections of the sidecar: {', '.join(SECTIONS)}")
    for key in keys:
        pending.edit(rel, lambda t, key=key: yamledit.drop_todo_comments(t, (*path, key) if key else path))
    if target == "dossier":
        _drop_confirm_key(pending, rel)
    return f"confirmed {', '.join(keys) if target == 'dossier' else ident}"


GUESSED = re.compile(r"TODO confirm: (['\"])(.+?)\1 on line (\d+)")


def _redate_stubs(pending: Pending, dossier: str, published: Any) -> None:
    """The draft's unconfirmed stub events dated again from their date expressions, against the confirmed publication day.

    `new` dated them from the date it took for the publication's (a banner's date may mislead it).
    """
    try:
        day = dt.date.fromisoformat(published) if isinstance(published, str) and len(published) == 10 else None
    except ValueError:
        day = None
    rel = f"content/events/{dossier}.yaml"
    if day is None or pending.text(rel) is None:
        return
    for n, event in enumerate(file_data(pending.text(rel) or "", rel) or []):
        guessed = GUESSED.match(str(event.get("date_basis", ""))) if isinstance(event, dict) else None
        if guessed:
            date, basis = stub_date(guessed[2], int(guessed[3]), day)
            for key, value in (("date", date or "TODO"), ("date_basis", basis)):
                pending.edit(rel, lambda t, n=n, key=key, value=value: yamledit.set_value(t, (n,), key, value, False))


def _target(pending: Pending, target: str, ident: str) -> tuple[str, tuple]:
    if target == "dossier":
        sidecar_data(pending, ident)
        return sidecar(ident), ()
    rel, index = find_item(pending, target, ident)
    return rel, (index,)


def _drop_confirm_key(pending: Pending, rel: str) -> None:
    """The draft's "confirm every guess, then delete this line" goes with its last other TODO, and its notes with it."""
    text = pending.text(rel) or ""
    left = [words for _, _, words in markers(text) if not words.startswith(CONFIRM_KEY)]
    if not left and CONFIRM_KEY in text:
        pending.edit(rel, lambda t: without_draft_notes(yamledit.remove_key(t, (), CONFIRM_KEY)))


def remove(pending: Pending, params: dict) -> str:
    """An entity or event removed; an event's citations go with it, an entity's id leaves the events."""
    target, ident = param(params, "target"), slug_param(params, "id")
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
        doc = file_data(pending.text(rel) or "", rel)
        citations = (doc.get("events") if isinstance(doc, dict) else None) or []
        cited = [n for n, c in enumerate(citations) if isinstance(c, dict) and c.get("event") == event]
        for n in reversed(cited):
            pending.edit(rel, lambda t, n=n: yamledit.remove_item(t, ("events",), n))


def rename(pending: Pending, target: str, old: str, new: str) -> None:
    """A new id for an entity or event, and every reference to it: citations, events' entities, speakers, authors."""
    if new in all_ids(pending, target):
        raise ActionError(f"there is already an {target} {new!r}")
    if target == "event":
        _replace_refs(pending, "content/dossiers", "events", "event", old, new)
        return
    _replace_refs(pending, "content/dossiers", "quotes", "speaker", old, new)
    for rel in pending.files("content/dossiers"):
        if (file_data(pending.text(rel) or "", rel) or {}).get("author_entity") == old:
            pending.edit(rel, lambda t: yamledit.set_value(t, (), "author_entity", new))
    _replace_in_events(pending, old, new)


def _replace_refs(pending: Pending, folder: str, section: str, key: str, old: str, new: str) -> None:
    """`key: old` becomes `key: new` in each item of `section` of every file of `folder`."""
    for rel in pending.files(folder):
        doc = file_data(pending.text(rel) or "", rel)
        items = (doc.get(section) if isinstance(doc, dict) else None) or []
        for n, item in enumerate(items):
            if isinstance(item, dict) and item.get(key) == old:
                pending.edit(rel, lambda t, n=n: yamledit.set_value(t, (section, n), key, new))


ACTIONS: dict[str, Callable[[Pending, dict], str]] = {
    "cite": cite, "new-event": new_event, "alias": alias, "new-entity": new_entity, "not-entity": not_entity,
    "note": note, "boilerplate": boilerplate, "quotation": quotation, "headline": headline, "set": set_fields,
    "confirm": confirm, "remove": remove,
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
