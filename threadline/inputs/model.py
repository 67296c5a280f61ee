"""The investigation's data: what editors wrote, after loading and validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from threadline.errors import Where
from threadline.inputs.dates import FuzzyDate

KINDS = {"person": "people", "organisation": "organisations", "place": "places", "product": "products"}
KIND_TITLES = {"person": "People", "organisation": "Organisations", "place": "Places", "product": "Products and platforms"}
STATUSES = {
    "reported": "A source reports it as fact, on its own reporting or on the record.",
    "alleged": "A source attributes it to others without confirming it.",
    "denied": "The person concerned denies it.",
    "confirmed": "Confirmed on the record by a party to it, or by independent sources.",
    "disputed": "Sources disagree.",
}


@dataclass(frozen=True)
class Site:
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    publisher: str = ""
    license: str = ""
    date_style: str = "day-month-year"
    preview_images: bool = True  # a 1200×630 card per dossier, entity and timeline page (cards.py)


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    description: str
    wikidata: str | None
    where: Where
    aliases_where: tuple[Where, ...] = ()  # of each alias, in order

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical name and every alias, each once."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    @property
    def other_spellings(self) -> tuple[str, ...]:
        """Every alias but the canonical name, each once: what pages show as "Also written"."""
        return self.spellings[1:]


@dataclass(frozen=True)
class Event:
    id: str
    date: FuzzyDate
    date_basis: str
    title: str
    status: str
    entities: tuple[str, ...]
    note: str
    where: Where
    entities_where: tuple[Where, ...] = ()  # of each entity id listed, in order


@dataclass(frozen=True)
class Citation:
    """A dossier's evidence for an event: a verbatim quote from its seed."""

    event: str
    quote: str
    where: Where  # of the quote
    event_where: Where


@dataclass(frozen=True)
class Quote:
    """A direct quotation in a seed and who said it."""

    speaker: str
    text: str
    where: Where  # of the text
    speaker_where: Where


@dataclass(frozen=True)
class Note:
    """An editor's note anchored to a verbatim passage of the seed."""

    passage: str
    text: str
    where: Where  # of the passage


@dataclass(frozen=True)
class Sic:
    """A passage the source got wrong, kept as written and marked [sic]: what it means, if the editors say."""

    passage: str
    means: str
    where: Where  # of the passage


@dataclass(frozen=True)
class Boilerplate:
    """A seed line (or, with `prefix`, the start of one) that is not the article."""

    text: str
    prefix: bool
    where: Where


@dataclass(frozen=True)
class Dossier:
    slug: str
    source: str  # the sidecar's project-relative path
    seed: str
    sha256: str
    text: str  # the seed, decoded
    headline: str
    headline_by: str
    headline_where: Where
    outlet: str | None
    outlet_basis: str
    author: str | None
    author_basis: str
    author_entity: str | None  # the author's entity id, when the registry has them
    published: FuzzyDate
    published_basis: str
    boilerplate: tuple[Boilerplate, ...]
    subheadings: tuple[tuple[str, Where], ...]
    notes: tuple[Note, ...]
    quotes: tuple[Quote, ...]
    citations: tuple[Citation, ...]
    unlinked: tuple[str, ...]  # capitalised phrases that are deliberately not entities
    where: Where
    sics: tuple[Sic, ...] = ()  # the source's own errors, marked [sic] where they stand
    updated: FuzzyDate | None = None  # when the editors last revised the annotation, if they say
    author_entity_where: Where | None = None  # of `author_entity`, when given


@dataclass(frozen=True)
class Page:
    """A free page written by editors in Markdown."""

    slug: str
    title: str
    body: str
    source: str


@dataclass
class Project:
    root: Path
    site: Site
    entities: dict[str, Entity] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)  # "entities", "events", "dossiers" that failed to load
