"""The page plan: every file of the site as one entry, made from the URL table before anything renders.

An entry knows its output path, its writer (a template, or a function from context to bytes),
the context the writer reads, and so what it depends on: its key (keys.py) is a hash of exactly
that context, its template and the generator's code. Rendering an entry is pure: the same
context gives the same bytes, which is what lets a build render only the entries whose key changed.
A new kind of output is one more entry: a path, a writer and its context.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from threadline.data.exports import EXPORTS, DataPage
from threadline.data.tables import COLUMNS
from threadline.inputs.model import KIND_TITLES, KINDS, Project
from threadline.publish.files import feed_xml, sitemap_xml, static_files
from threadline.publish.write import refuse_bad_paths
from threadline.site.cards import CARDED, Card, card_png, preview_cards
from threadline.site.reads import views_read
from threadline.site.render import DossierPage, Output, Template, markdown_dossier, named
from threadline.site.urls import absolute, base_path, root_prefix, save_as, url_of
from threadline.site.views import DossierView, PageMeta, Views
from threadline.text.prose import Prose

Writer = Callable[[Mapping[str, Any]], bytes]


@dataclass(frozen=True)
class Entry:
    """One file of the site, before it is rendered."""

    path: str
    source: str  # what it is, for messages: "dossier page 'A headline'"
    writer: Writer
    context: Mapping[str, Any] = field(default_factory=dict)
    everything: bool = False  # made from the whole investigation: it changes with any input (keys.py)
    # Paths of entries whose sizes the writer reads as context["sizes"]: its key hashes theirs too
    # (the same keys, the same bytes, the same sizes), and it is rendered after them.
    needs: tuple[str, ...] = ()

    def render(self) -> Output:
        return Output(self.path, self.writer(self.context), self.source)


class Memo:
    """The entries of the last plan, each with the objects it was made from: a plan made again reuses them.

    An entry made from the very objects of the last plan is the last plan's entry itself; one made
    again is `fresh`. The dev server keeps one (preview_mode.Preview) and knows an entry it reuses unchanged
    without hashing it, which holds because its views stay the same objects while they are equal
    (delta.py). Anything else every page reads (the compiled templates, the site's settings, the
    free pages) is the memo's `basis`: when that changes, nothing is reused. A full build's memo is new
    each time, so it reuses nothing.
    """

    def __init__(self) -> None:
        self.basis: tuple = ()
        self.kept: dict[str, tuple[tuple, Entry]] = {}  # the last plan's entries, by path
        self.made: dict[str, tuple[tuple, Entry]] = {}  # this plan's
        self.kept_each: dict[str, dict[str, tuple[Any, str, Entry]]] = {}  # each(): by kind and key, (item, path, entry)
        self.made_each: dict[str, dict[str, tuple[Any, str, Entry]]] = {}
        self.fresh: set[str] = set()  # the paths of this plan's entries made again
        self.reads: dict[str, tuple[str, ...] | None] = {}  # template -> the fields of the views it reads
        self.paths: list[str] = []  # the paths of the last plan checked (refuse_bad_paths)

    def start(self, basis: tuple) -> None:
        if len(basis) != len(self.basis) or not all(a is b or a == b for a, b in zip(basis, self.basis, strict=True)):
            self.kept, self.kept_each, self.reads = {}, {}, {}
        self.basis, self.made, self.made_each, self.fresh = basis, {}, {}, set()

    def each(self, kind: str, items: Mapping[str, Any], path_of: Callable[[str, Any], str],
             make: Callable[[str, str, Any], Entry]) -> Iterator[Entry]:
        """An entry per item, at path_of(key, item), made by make(path, key, item): as `entry`, made from the item alone.

        The same as `entry` for each, in one loop that looks only at the items made again: at 10,000
        dossiers the plan has 30,000 such entries, of which an edit changes a handful.
        """
        kept, made, now = self.kept_each.get(kind, {}), self.made, {}
        for key, item in items.items():
            old = kept.get(key)
            if old is None or old[0] is not item:
                path = path_of(key, item)
                old = (item, path, self.entry(path, (item,), make, path, key, item))
            made[old[1]] = ((item,), old[2])
            now[key] = old
        self.made_each[kind] = now
        return (entry for _, _, entry in now.values())

    def entry(self, path: str, made_from: tuple, make: Callable[..., Entry], *args: Any, **context: Any) -> Entry:
        """The last plan's entry at `path` if made from the same objects or equal to `make(*args, **context)`, else that."""
        old = self.kept.get(path)
        if old is not None and len(old[0]) == len(made_from) and all(map(operator.is_, old[0], made_from)):
            entry = old[1]
        else:
            entry = make(*args, **context)
            if old is not None and old[1] == entry:  # made from new objects, but equal ones (a card's view changed)
                entry = old[1]
            else:
                self.fresh.add(path)
        self.made[path] = (made_from, entry)
        return entry

    def refuse_bad_paths(self, entries: list[Entry]) -> None:
        """write.refuse_bad_paths, unless the last plan checked these very paths: they passed then."""
        paths = [e.path for e in entries]
        if paths != self.paths:
            refuse_bad_paths(entries)
            self.paths = paths

    def finish(self) -> None:
        """This plan's entries were all built: the next plan is compared with them."""
        self.kept, self.kept_each = self.made, self.made_each


@dataclass
class Parts:
    """What the plan is made from: the loaded investigation, its views and the compiled templates."""

    project: Project
    views: Views
    env: jinja2.Environment
    prose: Prose
    templates: Path
    memo: Memo = field(default_factory=Memo)

    def __post_init__(self) -> None:
        self.free_pages = [(p.title.split(":")[0], url_of(save_as("page", slug=p.slug)))
                           for p in self.project.pages.values()]
        self.memo.start((self.env, self.project.site, self.free_pages, self.prose, self.templates))
        self.reads = self.memo.reads  # template -> the fields of the views it reads
        self.given: dict[tuple[str, ...], Views] = {}  # the views with only these fields, one object for each

    def views_for(self, template: str) -> dict[str, Any]:
        """What a page made from the views is given: only the fields its template reads (reads.py), or all of them.

        Given all of them it is made from everything (keyed by every input); given some, it is keyed by them.
        Pages given the same fields share one object, so its hash is computed once (keys.SHARED).
        """
        if template not in self.reads:
            self.reads[template] = views_read(self.env, template)
        read = self.reads[template]
        if read is None:
            return {"views": self.views, "everything": True}
        if read not in self.given:
            self.given[read] = Views(**{name: getattr(self.views, name) for name in read})
        return {"views": self.given[read], "everything": False}

    def made_from(self, template: str) -> tuple:
        """What a page given views_for(template) is made from: the fields its template reads, or all."""
        read = self.reads[template] or tuple(f.name for f in dataclasses.fields(Views))
        return tuple(getattr(self.views, name) for name in read)


def make_plan(parts: Parts) -> list[Entry]:
    """Every file of the site, in a stable order (the long lists first, for workers to start early).

    Two entries that would write one path, or a name too long to save, stop the build here,
    before anything is rendered.
    """
    entries = [*overview_pages(parts), *timeline_parts(parts), *kind_pages(parts), *free_pages(parts),
               *dossier_pages(parts), *entity_pages(parts), *markdown_dossiers(parts), *data_entries(parts),
               *preview_images(parts), *static_entries(parts)]
    entries.append(sitemap_entry(parts, entries))
    parts.memo.refuse_bad_paths(entries)
    return entries


def page(parts: Parts, template: str, path: str, title: str, kind: str, writer: Writer | None = None,
         everything: bool = False, needs: tuple[str, ...] = (), **context: Any) -> Entry:
    """An HTML page: `site`, `root`, `page` and `free_pages`, and its own objects, for its template."""
    site = parts.project.site
    # GitHub Pages serves 404.html at any depth, so its links must be absolute.
    root = base_path(site.base_url) if kind == "not_found" else root_prefix(path)
    image = absolute(site.base_url, save_as("card", page=url_of(path).rstrip("/"))) \
        if kind in CARDED and site.preview_images else ""
    meta = PageMeta(title, path, url_of(path), absolute(site.base_url, url_of(path)), site.description, kind, image)
    variables = dict(site=site, root=root, page=meta, free_pages=parts.free_pages, **context)
    return Entry(path, f"{kind} page {title!r}", writer or Template(parts.env, template), variables, everything, needs)


OVERVIEWS = {"home": "home.html", "dossiers": "dossiers.html", "timeline": "timeline.html",
             "search": "search.html", "data": "data.html", "not_found": "404.html"}
TITLES = {"dossiers": "Dossiers", "timeline": "Timeline", "search": "Search", "data": "Data",
          "not_found": "Page not found"}


def overview_pages(parts: Parts) -> Iterator[Entry]:
    """Timeline, home, dossier list (they list everything, so get the views their templates read), search, data, 404."""
    for name in ("timeline", "home", "dossiers", "search", "data", "not_found"):
        title = TITLES.get(name, parts.project.site.title)
        if name in ("timeline", "home", "dossiers"):
            yield views_page(parts, OVERVIEWS[name], save_as(name), title, name, **timeline_context(parts, name))
        elif name == "data":
            yield data_page(parts, title)
        else:
            yield page(parts, OVERVIEWS[name], save_as(name), title, name)


def views_page(parts: Parts, template: str, path: str, title: str, kind: str, **context: Any) -> Entry:
    """A page made from the views (views_for): reused while the fields its template reads, and its own objects, are."""
    given = parts.views_for(template)
    return parts.memo.entry(path, (*parts.made_from(template), *context.values()), page,
                            parts, template, path, title, kind, **context, **given)


def timeline_context(parts: Parts, name: str) -> dict[str, Any]:
    """The timeline's own objects: its events when it is one page, none when it is the index of its pages."""
    if name != "timeline":
        return {}
    return {"part": None, "events": [] if parts.views.timeline_parts else parts.views.events}


def timeline_parts(parts: Parts) -> Iterator[Entry]:
    """A page per year of a timeline too long for one (views.timeline_parts), given its own events only.

    Each lists the timeline's pages (views.timeline_index, without their events): an edit to one
    event renders its page again, not every page of the timeline.
    """
    for part in parts.views.timeline_parts:
        yield views_page(parts, OVERVIEWS["timeline"], save_as("timeline_part", part=part.key),
                         f"Timeline: {part.label}", "timeline", part=part)


def data_page(parts: Parts, title: str) -> Entry:
    """The Data page: every export with its size, so rendered after them; it changes whenever they do."""
    writer = DataPage(Template(parts.env, OVERVIEWS["data"]))
    return page(parts, OVERVIEWS["data"], save_as("data"), title, "data", writer,
                needs=tuple(export.path for export in EXPORTS), columns=COLUMNS)


def kind_pages(parts: Parts) -> Iterator[Entry]:
    for kind in KINDS:
        path, entities = save_as("kind_index", kind=kind), parts.views.roster[kind]
        yield parts.memo.entry(path, (entities,), page, parts, "kind_index.html", path, KIND_TITLES[kind],
                               "kind_index", entities=entities, entity_kind=kind)


def free_pages(parts: Parts) -> Iterator[Entry]:
    for slug, free in parts.project.pages.items():
        yield page(parts, "page.html", save_as("page", slug=slug), free.title, "page", body=parts.prose.html(free.body))


def dossier_pages(parts: Parts) -> Iterator[Entry]:
    writer = DossierPage(Template(parts.env, "dossier.html"))
    return parts.memo.each("dossier", parts.views.dossiers, lambda slug, view: save_as("dossier", slug=slug),
                           lambda path, slug, view: page(parts, "dossier.html", path, view.ref.headline, "dossier",
                                                         writer, dossier=view))


def entity_pages(parts: Parts) -> Iterator[Entry]:
    return parts.memo.each("entity", parts.views.entities, lambda id, view: save_as("entity", kind=view.ref.kind, id=id),
                           lambda path, id, view: page(parts, "entity.html", path, view.ref.name, "entity", entity=view))


def markdown_dossiers(parts: Parts) -> Iterator[Entry]:
    return parts.memo.each("dossier_md", parts.views.dossiers, lambda slug, view: save_as("dossier_md", slug=slug),
                           _markdown_entry)


def _markdown_entry(path: str, slug: str, view: DossierView) -> Entry:
    context = {"root": root_prefix(path), "annotated": view.annotated, "named": named(view)}
    return Entry(path, f"Markdown dossier {slug!r}", markdown_dossier, context)


def data_entries(parts: Parts) -> Iterator[Entry]:
    """Every file of the published data (exports.EXPORTS), given what each reads, and the Atom feed (of the dossiers' links)."""
    for export in EXPORTS:
        project, views = export.given(parts.project, parts.views)
        yield Entry(export.path, f"data file {export.name}", _export, {"export": export, "project": project, "views": views})
    path, links = save_as("feed"), parts.views.links
    yield parts.memo.entry(path, (links,), Entry, path, "feed", _feed, {"site": parts.project.site, "links": links})


def _export(context: Mapping[str, Any]) -> bytes:
    return context["export"].make(context["project"], context["views"])


def _feed(context: Mapping[str, Any]) -> bytes:
    return feed_xml(context["site"], context["links"].values())


def preview_images(parts: Parts) -> Iterator[Entry]:
    """The PNG preview card of each dossier, entity and timeline page, unless site.yaml turns them off."""
    if not parts.project.site.preview_images:
        return
    for page_url, made_from, card in preview_cards(parts.views, parts.project.site.title):
        path = save_as("card", page=page_url)
        yield parts.memo.entry(path, (made_from,), _card_entry, path, page_url, card)


def _card_entry(path: str, page_url: str, card: Callable[[], Card]) -> Entry:
    return Entry(path, f"preview image of {page_url}/", _card, {"card": card()})


def _card(context: Mapping[str, Any]) -> bytes:
    card: Card = context["card"]
    return card_png(card)


def static_entries(parts: Parts) -> Iterator[Entry]:
    """templates/static/ copied under assets/, and the GitHub Pages marker: their bytes are their context."""
    for path, content, source in static_files(parts.templates):
        yield Entry(path, source, _given, {"content": content})


def _given(context: Mapping[str, Any]) -> bytes:
    return context["content"]


def sitemap_entry(parts: Parts, entries: list[Entry]) -> Entry:
    listed = [e.path for e in entries if e.path.endswith(".html") and e.path != save_as("not_found")]
    return Entry(save_as("sitemap"), "sitemap", _sitemap, {"base_url": parts.project.site.base_url, "paths": listed})


def _sitemap(context: Mapping[str, Any]) -> bytes:
    return sitemap_xml(context["base_url"], context["paths"])
