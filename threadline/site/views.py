"""The typed template context: everything a template may use, built once per build.

Template authors: each page template receives `site` (model.Site), `root` (the relative
prefix back to the site root: write links as `{{ root }}{{ thing.url }}`), `page` (PageMeta)
and the page's own objects (see the entries of plan.py). URLs here are relative to the site root.
Besides the page's variables, every template may call `event_items(events, root)`,
`mention_groups(groups, root)` and `status_badge(status)` (fragments.py: the lists that repeat
by the thousand, written in Python), `network_svg`, `dossier_ld`, `entity_ld` and `dataset_ld`. What search
indexes is not read from the templates: search.py writes it from the model.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from markupsafe import Markup

from threadline.inputs.dates import FuzzyDate, html_datetime, precision
from threadline.inputs.model import KIND_TITLES, KINDS, Dossier, Entity, Event, Project
from threadline.site.graph import Connection, Network, Overview, connections, ego_network, overview, whole_network
from threadline.site.timeline import PartSummary, TimelinePart, timeline_pages, timeline_parts
from threadline.site.urls import url
from threadline.text.annotate import Annotated
from threadline.text.crossref import CrossRef, Mention
from threadline.text.prose import Prose


@dataclass(frozen=True)
class PageMeta:
    title: str
    path: str  # output path, e.g. people/elon-musk/index.html
    url: str  # relative to the site root
    canonical: str  # absolute, from base_url
    description: str = ""
    kind: str = "page"
    image: str = ""  # the absolute URL of its preview image, if it has one


@dataclass(frozen=True)
class EntityRef:
    id: str
    kind: str
    name: str
    url: str


@dataclass(frozen=True)
class DossierRef:
    slug: str
    headline: str
    url: str
    outlet: str | None
    published: str  # in words
    published_edtf: str
    published_iso: str
    published_datetime: str | None = None  # a valid HTML date, or None when the date is a span


@dataclass(frozen=True)
class SourceView:
    dossier: DossierRef
    url: str  # the dossier URL with the quote's #anchor
    quote: str


@dataclass(frozen=True)
class EventView:
    id: str
    edtf: str
    date: str  # in words, at its own precision
    year: int
    title: str
    status: str
    entities: list[EntityRef]
    note: Markup
    date_basis: str
    sources: list[SourceView]
    precision: str = "day"  # day | month | part (of a year) | year | span | open (one end not given)
    datetime: str | None = None  # a valid HTML date (see html_datetime)
    url: str = ""  # the event on the timeline, relative to the site root: "timeline/#id" or "timeline/2021/#id"


@dataclass(frozen=True)
class Counted:
    entity: EntityRef
    count: int


@dataclass
class MentionGroup:
    dossier: DossierRef
    mentions: list[Mention]


@dataclass
class EntityView:
    ref: EntityRef
    kind_title: str
    aliases: list[str]
    description: Markup
    wikidata: str | None
    dossier_count: int
    mention_count: int
    groups: list[MentionGroup]
    events: list[EventView]
    together: list[Counted]
    network: Network | None = None  # the entity and those most often named with it
    connections: list[Connection] = field(default_factory=list)  # entities it takes part in events with

    @property
    def first_seen(self) -> DossierRef | None:
        """The earliest dossier that names it (groups are in order of publication)."""
        return self.groups[0].dossier if self.groups else None

    @property
    def last_seen(self) -> DossierRef | None:
        return self.groups[-1].dossier if self.groups else None


@dataclass(frozen=True)
class EntitySummary:
    """An entity as a list of entities shows it (Views.roster): its name, other spellings and counts.

    Not its mentions or events: so a page listing entities is not made again when a quote or an
    event changes what its page shows, only when a name or a count changes.
    """

    ref: EntityRef
    aliases: list[str]
    dossier_count: int
    mention_count: int
    event_count: int


@dataclass(frozen=True)
class Dated:
    """A date as a reader sees it and as a `datetime` attribute (None for a span)."""

    words: str
    datetime: str | None


@dataclass(frozen=True)
class Article:
    """What the published data says of a dossier as a document: its metadata and its text, nothing of its annotation.

    A file made from every dossier reads these (Views.articles), so an edit of a note or a date's basis
    leaves it as it is (keys.py).
    """

    slug: str
    headline: str
    outlet: str | None
    author: str | None
    published: FuzzyDate
    seed: str
    url: str  # the dossier's page, relative to the site root
    body: str  # the text shown, its paragraphs apart


@dataclass
class DossierView:
    ref: Dossier
    link: DossierRef
    markdown_url: str
    entities: dict[str, list[Counted]]  # kind title -> entities named, most often first
    events: list[EventView]
    notes: list[tuple[int, Markup]]
    annotated: Annotated
    words: int = 0  # of the text shown, for the reading time
    updated: Dated | None = None  # when the editors last revised the annotation, if they said
    article: Article | None = None  # the dossier as a document (Views.articles)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


@dataclass(frozen=True)
class Download:
    """One file of the published data, as the Data page lists it."""

    name: str  # e.g. "events.csv"
    url: str  # relative to the site root
    format: str  # e.g. "CSV"
    media_type: str
    size: int  # bytes
    contents: str  # what it holds, in one sentence
    howto: tuple[str, ...]  # how to open or use a file of its format


@dataclass
class Views:
    """Every view of the investigation, keyed by id or slug."""

    dossiers: dict[str, DossierView] = field(default_factory=dict)
    entities: dict[str, EntityView] = field(default_factory=dict)
    events: list[EventView] = field(default_factory=list)  # in date order
    by_kind: dict[str, list[EntityView]] = field(default_factory=dict)  # the most widely named first
    roster: dict[str, list[EntitySummary]] = field(default_factory=dict)  # by_kind, as the lists of entities show them
    network: Network | None = None  # who is named with whom, across the investigation
    overview: Overview | None = None  # the key entities and the strongest connections among them
    timeline_parts: list[TimelinePart] = field(default_factory=list)  # empty when the timeline is one page
    timeline_index: list[PartSummary] = field(default_factory=list)  # the parts without their events
    event_urls: dict[str, str] = field(default_factory=dict)  # each event's place on the timeline, from the site root
    # Each dossier's link, by slug: what a page listing the dossiers reads, so that it is not made again
    # after an edit that changes a dossier's page but not its headline, outlet or date.
    links: dict[str, DossierRef] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)  # each dossier as a document, by slug


def build_views(project: Project, docs: dict[str, Annotated], xref: CrossRef, prose: Prose) -> Views:
    return made_views(project, docs, xref, prose).views


@dataclass
class Made:
    """The views and the tables they were made from: what the dev server keeps to update them after an edit (delta.py)."""

    views: Views
    refs: dict[str, EntityRef]
    drefs: dict[str, DossierRef]
    ordered: list[Event]  # the events in date order
    pages: dict[str, str]  # each event's timeline page, when the timeline has pages
    by_entity: dict[str, list[EventView]]  # the events each entity takes part in, in date order
    linked: dict[str, list[Connection]]  # graph.connections of the events


def made_views(project: Project, docs: dict[str, Annotated], xref: CrossRef, prose: Prose) -> Made:
    """Every view of the investigation, made from the whole of it."""
    style = project.site.date_style
    refs = {e.id: entity_ref(e) for e in project.entities.values()}
    drefs = {slug: dossier_ref(d, style) for slug, d in project.dossiers.items()}
    ordered = sorted(project.events.values(), key=lambda e: e.date.sort_key)
    pages = timeline_pages([(e.id, e.date.year) for e in ordered])
    views = Views()
    views.events = [event_view(e, refs, drefs, xref, prose, style, pages.get(e.id)) for e in ordered]
    views.timeline_parts = timeline_parts(views.events, pages)
    views.timeline_index = [part.summary for part in views.timeline_parts]
    views.event_urls = {e.id: e.url for e in views.events}
    by_entity = events_by_entity(views.events)
    linked = connections(views.events)
    for entity in project.entities.values():
        views.entities[entity.id] = entity_view(entity, refs, drefs, by_entity, linked, xref, prose)
    views.by_kind = kinds_of(views.entities)
    views.roster = roster_of(views.by_kind)
    position = {e.id: i for i, e in enumerate(views.events)}
    for slug, doc in docs.items():
        views.dossiers[slug] = dossier_view(doc, drefs[slug], refs, views.events, position, prose, style)
    views.links, views.articles = dossier_links(views.dossiers), dossier_articles(views.dossiers)
    views.network = whole_network(xref, refs)
    views.overview = overview(linked, refs)
    return Made(views, refs, drefs, ordered, pages, by_entity, linked)


def dossier_links(dossiers: dict[str, DossierView]) -> dict[str, DossierRef]:
    """Each dossier's link, by slug (Views.links)."""
    return {slug: view.link for slug, view in dossiers.items()}


def dossier_articles(dossiers: dict[str, DossierView]) -> dict[str, Article]:
    """Each dossier as a document, by slug (Views.articles)."""
    return {slug: view.article for slug, view in dossiers.items() if view.article}


def events_by_entity(events: list[EventView]) -> dict[str, list[EventView]]:
    """The events each entity takes part in, in the order given."""
    by_entity: dict[str, list[EventView]] = {}
    for event in events:
        for ref in event.entities:
            by_entity.setdefault(ref.id, []).append(event)
    return by_entity


def kinds_of(entities: dict[str, EntityView]) -> dict[str, list[EntityView]]:
    """The entities of each kind, the most widely named first."""
    return {kind: sorted((v for v in entities.values() if v.ref.kind == kind),
                         key=lambda v: (-v.dossier_count, -v.mention_count, v.ref.name)) for kind in KINDS}


def roster_of(by_kind: dict[str, list[EntityView]]) -> dict[str, list[EntitySummary]]:
    """The entities of each kind as summaries (Views.roster), in by_kind's order."""
    return {kind: [EntitySummary(v.ref, v.aliases, v.dossier_count, v.mention_count, len(v.events)) for v in views]
            for kind, views in by_kind.items()}


def entity_view(entity: Entity, refs: dict[str, EntityRef], drefs: dict[str, DossierRef],
                by_entity: dict[str, list[EventView]], linked: dict[str, list[Connection]], xref: CrossRef,
                prose: Prose) -> EntityView:
    """One entity's view, with its network of those named with it and its connections by events."""
    view = _entity_view(entity, refs, drefs, by_entity.get(entity.id, []), xref, prose)
    view.network = ego_network(xref, refs, entity.id)
    view.connections = linked.get(entity.id, [])
    return view


def dossier_view(doc: Annotated, dref: DossierRef, refs: dict[str, EntityRef], events: list[EventView],
                 position: dict[str, int], prose: Prose, style: str) -> DossierView:
    """One dossier's view: its entities, the events it cites (in date order), its notes."""
    view = _dossier_view(doc, dref, refs, events, position, prose)
    if view.ref.updated is not None:
        view.updated = Dated(view.ref.updated.display(style), html_datetime(view.ref.updated.edtf))
    return view


def reading_minutes(words: int) -> int:
    """Minutes to read that many words, at 230 a minute, never less than one."""
    return max(1, round(words / 230))


def entity_ref(entity: Entity) -> EntityRef:
    return EntityRef(entity.id, entity.kind, entity.name, url("entity", kind=entity.kind, id=entity.id))


def dossier_ref(dossier: Dossier, style: str) -> DossierRef:
    return DossierRef(dossier.slug, dossier.headline, url("dossier", slug=dossier.slug), dossier.outlet,
                      dossier.published.display(style), dossier.published.edtf, dossier.published.iso_lower,
                      html_datetime(dossier.published.edtf))


def event_view(event: Event, refs, drefs, xref: CrossRef, prose: Prose, style: str, page: str | None) -> EventView:
    sources = [SourceView(drefs[s.slug], f"{drefs[s.slug].url}#{s.anchor}", s.quote) for s in xref.sources.get(event.id, [])]
    return EventView(
        id=event.id, edtf=event.date.edtf, date=event.date.display(style), year=event.date.year,
        title=event.title, status=event.status, entities=[refs[i] for i in event.entities if i in refs],
        note=prose.inline(event.note) if event.note else Markup(""), date_basis=event.date_basis, sources=sources,
        precision=precision(event.date), datetime=html_datetime(event.date.edtf),
        url=f"{url('timeline_part', part=page) if page else url('timeline')}#{event.id}",
    )


def _entity_view(entity: Entity, refs, drefs, events: list[EventView], xref: CrossRef, prose: Prose) -> EntityView:
    groups = [MentionGroup(drefs[slug], mentions) for slug, mentions in xref.mentions.get(entity.id, {}).items()]
    groups.sort(key=lambda g: (g.dossier.published_iso, g.dossier.slug))
    partners = heapq.nsmallest(12, xref.together.get(entity.id, {}).items(), key=lambda p: (-p[1], p[0]))
    together = [Counted(refs[i], n) for i, n in partners]
    return EntityView(
        ref=refs[entity.id], kind_title=KIND_TITLES[entity.kind],
        aliases=list(entity.other_spellings),
        description=prose.html(entity.description), wikidata=entity.wikidata,
        dossier_count=xref.dossier_count(entity.id), mention_count=xref.mention_count(entity.id),
        groups=groups, events=events,
        together=together,
    )


def _dossier_view(doc: Annotated, dref: DossierRef, refs, events: list[EventView], position: dict[str, int],
                  prose: Prose) -> DossierView:
    counts: dict[str, int] = {}
    for _, span in doc.spans("mention"):
        counts[span.target] = counts.get(span.target, 0) + 1
    entities: dict[str, list[Counted]] = {}
    for entity_id, n in sorted(counts.items(), key=lambda p: (-p[1], refs[p[0]].name)):
        entities.setdefault(KIND_TITLES[refs[entity_id].kind], []).append(Counted(refs[entity_id], n))
    cited = sorted({c.event for c in doc.dossier.citations if c.event in position}, key=position.get)
    return DossierView(
        ref=doc.dossier, link=dref, markdown_url=url("dossier_md", slug=dref.slug),
        entities={title: entities[title] for title in KIND_TITLES.values() if title in entities},
        events=[events[position[i]] for i in cited],
        notes=[(n, prose.inline(note.text)) for n, note in enumerate(doc.dossier.notes, 1)],
        annotated=doc, words=sum(len(b.text.split()) for b in doc.blocks), article=article(doc, dref),
    )


def article(doc: Annotated, dref: DossierRef) -> Article:
    d = doc.dossier
    return Article(d.slug, d.headline, d.outlet, d.author, d.published, d.seed, dref.url,
                   "\n\n".join(b.text for b in doc.blocks))
