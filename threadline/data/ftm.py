"""The investigation as FollowTheMoney entities, one JSON object a line, as Aleph and OpenAleph ingest them.

People become Person, organisations Organization, places Address and products Asset entities;
each dossier is an Article (a kind of Document). Each event is an Event: the people and
organisations it involves are its `involved`, its places its `addressEntity`, the dossiers that
report it its `proof`; a product takes part through an UnknownLink (FtM's Event has no property
for a thing that is not a legal entity). A Documentation entity links each dossier to every entity
it names (how often, as which words) and to every event it reports (with the verbatim quote).

Ids are the site's ids with a prefix (`entity-`, `event-`, `dossier-`, `named-`, `source-`, `part-`);
two site ids in one FtM id are joined by `--`, which no site id holds, so no two ids can meet. No
FtM id has a dot: Aleph signs ids by appending `.` and a signature.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

from threadline.inputs.dates import FuzzyDate, prefix_bounds, prefix_text
from threadline.inputs.model import Entity, Event, Project
from threadline.site.urls import absolute, url
from threadline.site.views import Article, EntityView, EventView, Views
from threadline.text.jsontext import json_line

SCHEMATA = {"person": "Person", "organisation": "Organization", "place": "Address", "product": "Asset"}
ID_LIMIT = 200  # FollowTheMoney's longest entity id


def ftm_entities(project: Project, views: Views) -> bytes:
    """data/entities.ftm.json: entities, dossiers, events, then the links between them."""
    out = io.BytesIO()  # records made and written one at a time: a large file is held once, as bytes
    for record in _records(project, views):
        out.write(json_line(record).encode("utf-8") + b"\n")
    return out.getvalue()


def _records(project: Project, views: Views) -> Iterator[dict]:
    base = project.site.base_url
    for entity in sorted(project.entities.values(), key=lambda e: e.id):
        yield _entity(entity, views.entities[entity.id], base)
    for slug in sorted(views.articles):
        yield _dossier(views.articles[slug], base)
    for view in views.events:
        yield from _event(view, project.events[view.id], base)
    for entity_id in sorted(views.entities):
        yield from _named(views.entities[entity_id], base)
    for event in views.events:
        for s in event.sources:
            yield _source(event.id, s.dossier.slug, s.url.rsplit("#", 1)[1], s.quote, event.status, base)


def ftm_id(prefix: str, *ids: str) -> str:
    """A stable FtM id from site ids; a digest of it when it would be longer than FtM allows."""
    ident = f"{prefix}-" + "--".join(ids)
    return ident if len(ident) <= ID_LIMIT else f"{prefix}-{hashlib.sha1(ident.encode('utf-8')).hexdigest()}"


def _record(ident: str, schema: str, properties: dict[str, list[str]]) -> dict:
    """An entity as FtM writes it; properties without a value are left out."""
    return {"id": ident, "schema": schema, "properties": {k: v for k, v in properties.items() if v}}


def _entity(entity: Entity, view: EntityView, base: str) -> dict:
    return _record(ftm_id("entity", entity.id), SCHEMATA[entity.kind], {
        "name": [entity.name], "alias": list(entity.other_spellings), "description": _text(entity.description),
        "wikidataId": _text(entity.wikidata), "sourceUrl": [absolute(base, view.ref.url)],
        "full": [entity.name] if entity.kind == "place" else [],
    })


def _dossier(d: Article, base: str) -> dict:
    return _record(ftm_id("dossier", d.slug), "Article", {
        "title": [d.headline], "publisher": _text(d.outlet), "author": _text(d.author),
        "publishedAt": _single(d.published), "fileName": [d.seed], "mimeType": ["text/plain"],
        "bodyText": [d.body], "sourceUrl": [absolute(base, d.url)],
    })


def _event(view: EventView, event: Event, base: str) -> list[dict]:
    """The Event, and an UnknownLink for each product it involves."""
    kinds = {r.id: r.kind for r in view.entities}
    cited = sorted({ftm_id("dossier", s.dossier.slug) for s in view.sources})
    record = _record(ftm_id("event", event.id), "Event", {
        "name": [event.title], **_when(event.date), "summary": [f"Date: {view.date}. Status: {event.status}."],
        "keywords": [event.status], "description": _text(event.note), "notes": [event.date_basis],
        "involved": [ftm_id("entity", i) for i, k in kinds.items() if k in ("person", "organisation")],
        "addressEntity": [ftm_id("entity", i) for i, k in kinds.items() if k == "place"],
        "proof": cited, "sourceUrl": [absolute(base, f"{url('timeline')}#{event.id}")],
    })
    parts = [_record(ftm_id("part", i, event.id), "UnknownLink", {
        "subject": [ftm_id("entity", i)], "object": [ftm_id("event", event.id)], "role": ["involved in"],
    }) for i, k in kinds.items() if k == "product"]
    return [record, *parts]


def _when(fuzzy: FuzzyDate) -> dict[str, list[str]]:
    """`date` for a date at one precision; `startDate` and `endDate` for a season, a period or an open end."""
    start, end = prefix_bounds(fuzzy)
    if start and start == end:
        return {"date": [prefix_text(start)]}
    return {"startDate": [prefix_text(start)] if start else [], "endDate": [prefix_text(end)] if end else []}


def _single(fuzzy: FuzzyDate) -> list[str]:
    """A date at one precision as FtM writes it; nothing for a season or a period."""
    start, end = prefix_bounds(fuzzy)
    return [prefix_text(start)] if start and start == end else []


def _named(view: EntityView, base: str) -> list[dict]:
    """A Documentation for each dossier that names the entity: how often, and as which words."""
    entity = [ftm_id("entity", view.ref.id)]  # the same in each of its ~400 records at 10,000 dossiers
    return [_record(ftm_id("named", view.ref.id, g.dossier.slug), "Documentation", {
        "entity": entity, "document": [ftm_id("dossier", g.dossier.slug)],
        "role": ["named"], "summary": [f"Named {len(g.mentions)} time{'s' if len(g.mentions) != 1 else ''}."],
        "namesMentioned": sorted({m.text for m in g.mentions}),
        "sourceUrl": [absolute(base, f"{g.dossier.url}#{g.mentions[0].anchor}")],
    }) for g in view.groups]


def _source(event_id: str, slug: str, anchor: str, quote: str, status: str, base: str) -> dict:
    """A Documentation of a dossier's evidence for an event: the quote verbatim, and where it is."""
    return _record(ftm_id("source", slug, anchor), "Documentation", {
        "entity": [ftm_id("event", event_id)], "document": [ftm_id("dossier", slug)], "role": ["source"],
        "summary": [quote], "status": [status],
        "sourceUrl": [absolute(base, f"{url('dossier', slug=slug)}#{anchor}")],
    })


def _text(value: str | None) -> list[str]:
    return [value] if value else []
