"""What the workbench panel shows: the dossier's metadata and what is left in it, events, entities, suggestions."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from threadline.errors import Problem
from threadline.inputs.dates import DateError, parse_date
from threadline.inputs.model import KINDS, STATUSES, Dossier, Project
from threadline.inputs.todo import MARKER
from threadline.pipeline import Investigation
from threadline.preview.workbench.actions import SECTIONS
from threadline.preview.workbench.pending import SETTABLE
from threadline.preview.workbench.yamledit import EditError, YamlText, child, key_at
from threadline.site.urls import save_as
from threadline.text.annotate import AliasIndex
from threadline.tools import suggest
from threadline.tools.draft import find
from threadline.tools.draft_text import stub_date
from threadline.tools.guess import date_expressions


def page_of(path: str, files: Mapping[str, bytes]) -> str:
    """The page built from an input file: a dossier's or a free page's; the home page for the others."""
    source = PurePosixPath(path)
    kind = {"content/dossiers": "dossier", "content/pages": "page"}.get(source.parent.as_posix())
    # `new` names a draft's stub entities and events after its dossier: their TODOs go on its page.
    kind = kind or ("dossier" if source.parent.as_posix() in ("content/entities", "content/events") else None)
    page = save_as(kind, slug=source.stem) if kind else save_as("home")
    return page if page in files else save_as("home")


def date_preview(value: str, style: str) -> dict[str, str]:
    """The reader's form of an EDTF date as the editor types it, or why it is not one."""
    try:
        return {"shown": parse_date(value).display(style)}
    except DateError as exc:
        return {"error": str(exc)}


def date_guess(inv: Investigation, slug: str, text: str, line: int) -> dict[str, str]:
    """A new event's title, date and basis drafted from the selected passage, as `new` drafts a stub event's.

    The date comes from a date expression in the passage; without one, an event the report tells of
    happened on or before the report's own day.
    """
    dossier = inv.project.dossiers.get(slug)
    if dossier is None:
        return {}
    lower = dossier.published.lower
    day = dt.date(*lower) if dossier.published.edtf[:10] == dossier.published.iso_lower else None
    found = date_expressions(text)
    if found:
        date, basis = stub_date(found[0], line, day)
        date, basis = date or "", basis.removeprefix("TODO confirm: ")
    else:
        date, basis = suggest.undated(day) if day else ("", "")
    return {"title": suggest.title(text), "date": date, "date_basis": basis}


def workbench_state(inv: Investigation, slug: str, sidecar_text: str, problems: list[Problem],
                    files: Mapping[str, bytes], prefix: str) -> dict[str, Any]:
    """Everything the panel of one dossier's page needs, as JSON-ready data."""
    project, dossier = inv.project, inv.project.dossiers.get(slug)
    todo = unconfirmed([*project.events.values(), *project.entities.values()], problems)
    return {
        "dossier": _dossier(dossier, sidecar_text) if dossier else None,
        "events": [_event(e, project) | {"todo": e.id in todo}
                   for e in sorted(project.events.values(), key=lambda e: e.date.sort_key)],
        "entities": [{"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                      "description": e.description, "file": e.where.path, "todo": e.id in todo}
                     for e in sorted(project.entities.values(), key=lambda e: e.name.lower())],
        "suggestions": suggestions(project, dossier) if dossier else [],
        "statuses": STATUSES, "kinds": list(KINDS),
        "left": [_left(p, files, prefix) for p in problems],
    }


def unconfirmed(items: list, problems: list[Problem]) -> set[str]:
    """The ids of the events or entities that still hold a TODO: a draft's problem lies among their lines."""
    marked: dict[str, set[int]] = {}  # by file: the lines of what is left to confirm
    for problem in problems:
        if problem.severity == "draft":
            marked.setdefault(problem.path, set()).add(problem.line)
    by_file: dict[str, list] = {}
    for item in sorted(items, key=lambda i: i.where.line):
        by_file.setdefault(item.where.path, []).append(item)
    found = set()
    for path, group in by_file.items():
        ends = [item.where.line for item in group[1:]] + [sys.maxsize]  # an item's lines end where the next begins
        found |= {item.id for item, end in zip(group, ends, strict=True)
                  if any(item.where.line <= line < end for line in marked.get(path, ()))}
    return found


def _dossier(dossier: Dossier, text: str) -> dict[str, Any]:
    fields = {}
    try:
        yt = YamlText.parse(text)
    except EditError:
        yt = None
    for key in SETTABLE["dossier"]:
        value = getattr(dossier, key, None)
        value = value.edtf if key == "published" else value
        fields[key] = {"value": value, "todo": _todo_at(yt, key)}
    sections = {key: {"todo": _todo_at(yt, key, whole=False)} for key in SECTIONS}
    return {"slug": dossier.slug, "seed": dossier.seed, "fields": fields, "sections": sections,
            "unlinked": list(dossier.unlinked), "citations": [{"event": c.event, "quote": c.quote} for c in dossier.citations]}


def _todo_at(yt: YamlText | None, key: str, whole: bool = True) -> bool:
    """True when the key's line (or, `whole`, any line of its value) still says TODO: a guess of `new` not confirmed."""
    if yt is None or child(yt.root, key) is None:
        return False
    line, col = key_at(yt.root, key)
    last = yt.end_of(line, col) if whole else line
    return any(MARKER.search(yt.lines[n]) for n in range(line, last + 1))


def _event(event, project: Project) -> dict[str, Any]:
    style = project.site.date_style
    return {"id": event.id, "title": event.title, "date": event.date.edtf, "shown": event.date.display(style),
            "date_basis": event.date_basis, "status": event.status, "entities": list(event.entities),
            "file": event.where.path}


def suggestions(project: Project, dossier: Dossier) -> list[dict[str, Any]]:
    """Capitalised names of the seed no entity claims and the editor has not set aside, in order of appearance."""
    entities = list(project.entities.values())
    index = AliasIndex(entities)
    found = find(dossier.text, dossier.slug, entities)
    out = []
    for name in found.names.values():
        if name.text in dossier.unlinked:
            continue
        inside = index.find(name.text)  # "The Washington Post" holds "Washington": a suggestion, never a link
        out.append({"name": name.text, "line": name.line, "kind": name.kind,
                    "contains": inside[0][2] if inside else None})
    return out


def _left(problem: Problem, files: Mapping[str, bytes], prefix: str) -> dict[str, Any]:
    page = page_of(problem.path, files).removesuffix("index.html")
    return {"where": ":".join([problem.path, *(str(n) for n in (problem.line,) if n)]), "severity": problem.severity,
            "message": problem.message, "hint": problem.hint, "url": prefix + page}
