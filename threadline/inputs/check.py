"""Checks across files, run after each file passed its own schema: ids, aliases, references."""

from __future__ import annotations

import difflib
import re
from functools import partial

from threadline.errors import Problem, Problems, Where
from threadline.inputs.model import Dossier, Event, Project
from threadline.publish.modes import Mode
from threadline.text.annotate import Annotated
from threadline.text.crossref import CrossRef
from threadline.tools.scaffold import warn_placeholders

_EDGE_WORD = re.compile(r"^\w.*\w$|^\w$", re.DOTALL)
# A run of capitalised words: the shape of a name an editor may have missed.
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")


def check_references(project: Project, problems: Problems, mode: Mode | None = None) -> None:
    """Every id that is referred to exists; every alias is usable and belongs to one entity."""
    mode = mode or Mode()
    _check_aliases(project, problems)
    incomplete = tuple(kind in project.incomplete for kind in ("entities", "events", "dossiers"))
    # The preview keeps what depends only on the entities and events while their files are unchanged.
    entity_ids, event_ids, found = mode.kept_while("event references", (project.entities, project.events, *incomplete),
                                                   lambda: _event_references(project, incomplete[0]))
    problems.extend(found)
    known = (entity_ids, event_ids, *incomplete[:2])
    cited: set[str] = set()
    for found, events in mode.per_dossier("references", project.dossiers, partial(_dossier_references, known=known), known):
        problems.extend(found)
        cited |= events
    if not incomplete[2]:  # a citing sidecar may be the one that failed to load
        problems.extend(mode.kept_while("sources", (project.events, cited), lambda: _unsourced(project, cited)))
    if not (project.dossiers or project.entities or project.pages or project.incomplete):
        problems.add(Where("content/dossiers"), "nothing to publish yet: no dossier, entity or page",
                     "draft a dossier from a seed: `build.py new seeds/<file>.txt`")


def _event_references(project: Project, no_entities: bool) -> tuple[frozenset[str], frozenset[str], list[Problem]]:
    """The ids of the entities and events, and the problems of the events' references to entities."""
    entity_ids, problems = frozenset(project.entities), Problems()
    for event in project.events.values():
        for n, entity_id in enumerate(event.entities):
            _known(entity_id, entity_ids, _nth(event.entities_where, n, event.where), "entity", problems, no_entities)
    return entity_ids, frozenset(project.events), problems.items


def _unsourced(project: Project, cited: set[str]) -> list[Problem]:
    problems = Problems()
    for event in project.events.values():
        if event.id not in cited:
            problems.add(event.where, f"event {event.id!r} has no source",
                         "cite it with a verbatim quote under `events:` in the sidecar of a seed that reports it")
    return problems.items


def _dossier_references(dossier: Dossier, known: tuple) -> tuple[list[Problem], set[str]]:
    """The problems of a dossier's references to events and entities, and the events it cites."""
    entity_ids, event_ids, no_entities, no_events = known
    problems = Problems()
    for citation in dossier.citations:
        _known(citation.event, event_ids, citation.event_where, "event", problems, no_events)
    for quote in dossier.quotes:
        _known(quote.speaker, entity_ids, quote.speaker_where, "entity", problems, no_entities)
    if dossier.author_entity:
        _known(dossier.author_entity, entity_ids, dossier.author_entity_where or dossier.where, "entity", problems,
               no_entities)
    return problems.items, {citation.event for citation in dossier.citations}


def _known(ident: str, known: frozenset[str], where: Where, what: str, problems: Problems, incomplete: bool = False) -> bool:
    if ident in known or incomplete:  # an id in a file that failed to load is not reported as unknown
        return True
    close = difflib.get_close_matches(ident, sorted(known), n=1)
    problems.add(where, f"unknown {what} id {ident!r}", f"did you mean {close[0]!r}?" if close else "")
    return False


def _check_aliases(project: Project, problems: Problems) -> None:
    owner: dict[str, str] = {}
    for entity in project.entities.values():
        # Each alias's first place, where it was loaded from a file (an entity made in code has none).
        written = dict(zip(reversed(entity.aliases), reversed(entity.aliases_where), strict=False))
        for alias in entity.spellings:
            where = written.get(alias, entity.where)  # the canonical name: the entity's
            if not _EDGE_WORD.match(alias):
                problems.add(where, f"alias {alias!r} of {entity.id!r} must start and end with a letter or digit")
            elif alias in owner and owner[alias] != entity.id:
                problems.add(where, f"alias {alias!r} of {entity.id!r} already belongs to {owner[alias]!r}")
            owner.setdefault(alias, entity.id)


def _nth(wheres: tuple[Where, ...], n: int, default: Where) -> Where:
    """Where the n-th item of a list stands, as loaded; `default` (the item's mapping) when not known."""
    return wheres[n] if n < len(wheres) else default


def warn_quality(project: Project, docs: dict[str, Annotated], xref: CrossRef, problems: Problems,
                 mode: Mode | None = None) -> None:
    """What an editor should look at: unused aliases, unmentioned entities, likely missed names."""
    mode = mode or Mode()
    used = set().union(*mode.per_dossier("spellings used", docs, _spellings_used))
    authors = {d.author_entity for d in project.dossiers.values()}
    for entity in project.entities.values():
        if xref.dossier_count(entity.id) == 0 and entity.id not in authors:
            problems.warn(entity.where, f"entity {entity.id!r} is mentioned in no dossier")
        # The canonical name may be a display name that no seed uses; aliases must occur.
        for alias in entity.aliases:
            if alias not in used and xref.dossier_count(entity.id):
                problems.warn(entity.where, f"alias {alias!r} of {entity.id!r} occurs in no seed")
    known = frozenset(alias for e in project.entities.values() for alias in e.spellings)
    for found in mode.per_dossier("unknown names", docs, partial(_unknown_names, known=known), known):
        problems.extend(found)
    for found in mode.per_dossier("dates", project.dossiers, partial(_dates_after_publication, events=project.events),
                                  project.events):
        problems.extend(found)
    warn_placeholders(project, problems)


def _spellings_used(doc: Annotated) -> set[str]:
    return {block.text[span.start:span.end] for block, span in doc.spans("mention")}


def _dates_after_publication(dossier: Dossier, events: dict[str, Event]) -> list[Problem]:
    """An event cannot start after a report of it was published: one of the two dates is wrong."""
    problems = Problems()
    for citation in dossier.citations:
        event = events.get(citation.event)
        if event and event.date.lower > dossier.published.upper:
            problems.warn(citation.event_where,
                          f"event {event.id!r} ({event.date.edtf}) starts after this seed was published "
                          f"({dossier.published.edtf})", "check the event's date and the publication date")
    return problems.items


def _unknown_names(doc: Annotated, known: frozenset[str]) -> list[Problem]:
    """The runs of capitalised words in a dossier's text that no entity claims, as warnings."""
    problems = Problems()
    unlinked = set(doc.dossier.unlinked)
    for block in doc.blocks:
        for match in _NAME.finditer(block.text):
            name = match.group()
            if name in known or name in unlinked:  # most are: looked up first, before the spans are scanned
                continue
            overlaps = any(s.kind == "mention" and s.start < match.end() and s.end > match.start() for s in block.spans)
            byline = bool(doc.dossier.author) and name.removeprefix("By ") == doc.dossier.author
            if not overlaps and not byline:
                problems.warn(Where(f"seeds/{doc.dossier.seed}", block.line, match.start() + 1),
                              f"{name!r} looks like a name that no entity claims",
                              f"add it to an entity, or to `unlinked:` in {doc.dossier.source}")
    return problems.items
