"""The dev server's views after an edit: the last build's views, with only what the edit touched made again.

`views.made_views` makes every view from the whole investigation, which at 10,000 dossiers takes
seconds; after a save, nearly all of them are what they were. `views_again` starts from the last
build's views and makes again every view that anything changed may reach (a superset: a dossier's
view when its dossier, or an event it cites, changed; an entity's when its mentions, its counts,
its events or a neighbour's count changed; and so on). A view made again replaces the old one only
when they differ, so the views of unchanged pages stay the same objects, and the plan knows those
pages unchanged without hashing them (preview_mode.Preview). It is used only when the entities, the site
settings and the prose renderer are those of the last build; otherwise every view is made again.
tests/test_delta.py holds the result equal to `made_views` after random edits.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import TypeVar

from threadline.inputs.model import Event, Project
from threadline.site.graph import connections, overview, whole_network
from threadline.site.timeline import timeline_pages, timeline_parts
from threadline.site.views import (
    DossierRef,
    Made,
    Views,
    dossier_articles,
    dossier_links,
    dossier_ref,
    dossier_view,
    entity_view,
    event_view,
    events_by_entity,
    kinds_of,
    roster_of,
)
from threadline.text.annotate import Annotated
from threadline.text.crossref import CrossRef, Touched
from threadline.text.prose import Prose

T = TypeVar("T")


class Before:
    """What the last build's views were made from, and the views themselves."""

    def __init__(self, project: Project, docs: dict[str, Annotated], xref: CrossRef, made: Made, prose: Prose):
        self.project, self.docs, self.xref, self.made, self.prose = project, docs, xref, made, prose

    def still_fits(self, project: Project, prose: Prose) -> bool:
        """Whether views of `project` can be made from these: the same entities, site settings and prose renderer."""
        old = self.project
        return (prose is self.prose and project.site == old.site and list(project.entities) == list(old.entities)
                and all(e is old.entities[i] for i, e in project.entities.items()))

    def changed_dossiers(self, project: Project, docs: dict[str, Annotated]) -> set[str]:
        """The slugs of the dossiers edited, added or removed since."""
        # An annotation is kept only while its dossier is the same object: a dossier kept has its annotation kept.
        changed = (docs.keys() ^ self.docs.keys()) | (project.dossiers.keys() ^ self.project.dossiers.keys())
        return changed | {s for s, doc in docs.items() if self.docs.get(s) is not doc}


def views_again(before: Before, project: Project, docs: dict[str, Annotated], xref: CrossRef, changed: set[str],
                touched: Touched) -> Made:
    """The views of `project`, equal to made_views', made from `before` and what changed (see the module's text)."""
    old, style = before.made, project.site.date_style
    refs = old.refs
    drefs = _drefs(old.drefs, project, changed, style)
    renamed = {s for s in changed if drefs.get(s) is not old.drefs.get(s)}
    moved = _events_changed(before.project, project)
    ordered, pages = _order(before, project, moved)
    repaged = {e.id for e in ordered if pages.get(e.id) != old.pages.get(e.id)} if moved else set()
    dirty = moved | touched.sources | repaged | _cited(renamed, before.project, project)
    event_views = {v.id: v for v in old.views.events} if dirty else {}  # 50,000 at 10,000 dossiers: only when needed
    changed_events = _remake(event_views, (i for i in dirty if i in project.events), lambda i: event_view(
        project.events[i], refs, drefs, xref, before.prose, style, pages.get(i)))
    changed_events |= {i for i in moved if i not in project.events}
    views = Views()
    views.events = _same(old.views.events, [event_views[e.id] for e in ordered]) if changed_events or moved \
        else old.views.events
    views.timeline_parts = _same_each(old.views.timeline_parts, timeline_parts(views.events, pages)) \
        if changed_events else old.views.timeline_parts
    views.timeline_index = _same_each(old.views.timeline_index, [p.summary for p in views.timeline_parts]) \
        if changed_events else old.views.timeline_index
    views.event_urls = old.views.event_urls if pages == old.pages and not moved else \
        {e.id: e.url for e in views.events}
    by_entity, linked, relinked = _links(old, views.events, changed_events, event_views, moved)
    _entities_again(before, project, views, xref, touched, renamed, relinked, (refs, drefs, by_entity, linked))
    _dossiers_again(before, docs, views, xref, changed | _citing(changed_events, before.xref, xref), drefs, style)
    views.network = _same(old.views.network, whole_network(xref, refs)) \
        if touched.mentions or touched.together else old.views.network
    views.overview = _same(old.views.overview, overview(linked, refs)) if relinked else old.views.overview
    return Made(views, refs, drefs, ordered, pages, by_entity, linked)


def _drefs(old: dict[str, DossierRef], project: Project, changed: set[str], style: str) -> dict[str, DossierRef]:
    """Each dossier's reference: the old one, unless the dossier changed and its reference with it."""
    if project.dossiers.keys() != old.keys():  # added or removed: made in the dossiers' order
        return {slug: _same(old.get(slug), dossier_ref(d, style)) if slug in changed else old[slug]
                for slug, d in project.dossiers.items()}
    drefs = dict(old)  # the same slugs, so in the same order
    for slug in changed:
        drefs[slug] = _same(old[slug], dossier_ref(project.dossiers[slug], style))
    return drefs


def kept_where_equal(old: Made, new: Made) -> Made:
    """`new` with every view equal to the last build's replaced by that one: made again whole, unchanged pages stay known."""
    views, was = new.views, old.views
    for table, before in ((views.dossiers, was.dossiers), (views.entities, was.entities)):
        for key, view in table.items():
            table[key] = _same(before.get(key), view)
    views.dossiers, views.entities = _same(was.dossiers, views.dossiers), _same(was.entities, views.entities)
    by_id = {e.id: e for e in was.events}
    views.events = _same(was.events, [_same(by_id.get(e.id), e) for e in views.events])
    views.by_kind = {k: _same(was.by_kind.get(k), v) for k, v in views.by_kind.items()}
    views.roster = _same(was.roster, {k: _same(was.roster.get(k), v) for k, v in views.roster.items()})
    views.timeline_parts = _same_each(was.timeline_parts, views.timeline_parts)
    views.timeline_index = _same_each(was.timeline_index, views.timeline_index)
    views.event_urls = _same(was.event_urls, views.event_urls)
    views.links, views.articles = _same(was.links, views.links), _same(was.articles, views.articles)
    views.network, views.overview = _same(was.network, views.network), _same(was.overview, views.overview)
    return new


def _events_changed(old: Project, new: Project) -> set[str]:
    """The ids of the events added, removed or changed in value (views read nothing else of them)."""
    if list(old.events) == list(new.events) and all(map(operator.is_, old.events.values(), new.events.values())):
        return set()  # their files did not change: the file cache gave the same objects, in the same order
    return {i for i in old.events.keys() | new.events.keys() if not _equal(old.events.get(i), new.events.get(i))}


def _order(before: Before, project: Project, moved: set[str]) -> tuple[list[Event], dict[str, str]]:
    """The events in date order and their timeline pages: the last ones unless an event changed."""
    if not moved:
        return before.made.ordered, before.made.pages
    ordered = sorted(project.events.values(), key=lambda e: e.date.sort_key)
    return ordered, timeline_pages([(e.id, e.date.year) for e in ordered])


def _cited(slugs: set[str], *projects: Project) -> set[str]:
    """The events the dossiers `slugs` cite, before or after the edit."""
    return {c.event for p in projects for s in slugs if s in p.dossiers for c in p.dossiers[s].citations}


def _citing(events: set[str], *xrefs: CrossRef) -> set[str]:
    """The dossiers that cite any of `events`, before or after the edit."""
    return {s.slug for x in xrefs for i in events for s in x.sources.get(i, [])}


def _links(old: Made, events: list, changed: set[str], event_views: dict, moved: set[str]) -> tuple[dict, dict, set[str]]:
    """Each entity's events and connections, and the entities whose either changed."""
    if not changed:
        return old.by_entity, old.linked, set()
    if moved:  # the order changed: made again whole, and compared
        by_entity, linked = events_by_entity(events), connections(events)
        keys = by_entity.keys() | old.by_entity.keys() | linked.keys() | old.linked.keys()
        return by_entity, linked, {i for i in keys if by_entity.get(i) != old.by_entity.get(i)
                                   or linked.get(i) != old.linked.get(i)}
    # The order is the same, so each entity takes part in the same events: only their views are new.
    reached = {ref.id for i in changed for ref in event_views[i].entities}
    by_entity = {**old.by_entity, **{i: [event_views[v.id] for v in old.by_entity[i]] for i in reached}}
    linked = {i: _same(cs, connections(by_entity[i])[i]) if i in reached else cs for i, cs in old.linked.items()}
    return by_entity, linked, reached


def _entities_again(before: Before, project: Project, views: Views, xref: CrossRef, touched: Touched,
                    renamed: set[str], relinked: set[str], tables: tuple) -> None:
    old = before.made.views
    recounted = {i for i in touched.mentions if before.xref.dossier_count(i) != xref.dossier_count(i)}
    neighbours = {n for i in recounted for x in (before.xref, xref) for n in x.together.get(i, {})}
    named = {i for s in renamed for x in (before.xref, xref) for i in x.named_in.get(s, [])}
    dirty = touched.mentions | touched.together | relinked | neighbours | named
    views.entities = dict(old.entities)
    remade = _remake(views.entities, (i for i in dirty if i in project.entities),
                     lambda i: entity_view(project.entities[i], *tables, xref, before.prose))
    views.entities = _same(old.entities, views.entities)
    if not remade:
        views.by_kind, views.roster = old.by_kind, old.roster
        return
    views.by_kind = {k: _same(old.by_kind[k], v) for k, v in kinds_of(views.entities).items()}
    views.roster = _same(old.roster, {k: _same(old.roster[k], v) for k, v in roster_of(views.by_kind).items()})


def _dossiers_again(before: Before, docs: dict[str, Annotated], views: Views, xref: CrossRef, dirty: set[str],
                    drefs: dict, style: str) -> None:
    old = before.made.views
    position = {e.id: n for n, e in enumerate(views.events)} if dirty else {}
    same_slugs = docs.keys() == old.dossiers.keys()  # then in the same order: a copy needs no reordering
    kept = dict(old.dossiers) if same_slugs else {s: old.dossiers[s] for s in docs if s in old.dossiers}
    _remake(kept, (s for s in dirty if s in docs), lambda s: dossier_view(
        docs[s], drefs[s], before.made.refs, views.events, position, before.prose, style))
    views.dossiers = _same(old.dossiers, kept if same_slugs else {s: kept[s] for s in docs})
    views.links = _same(old.links, dossier_links(views.dossiers))
    views.articles = _same(old.articles, dossier_articles(views.dossiers))


def _remake(table: dict[str, T], ids: Iterable[str], make: Callable[[str], T]) -> set[str]:
    """Make the views of `ids` again into `table`, keeping each old one equal to its new one; the ids that changed."""
    changed = set()
    for ident in ids:
        new = make(ident)
        if table.get(ident) != new:
            table[ident] = new
            changed.add(ident)
    return changed


def _equal(a: object, b: object) -> bool:
    return a is b or a == b  # the same object is not compared field by field


def _same(old: T | None, new: T) -> T:
    """The old value when it equals the new one, so that what did not change stays the same object."""
    return old if old is not None and _equal(old, new) else new


def _same_each(old: list[T], new: list[T]) -> list[T]:
    kept = [_same(a, b) for a, b in zip(old, new, strict=False)] + new[len(old):]
    return _same(old, kept)
