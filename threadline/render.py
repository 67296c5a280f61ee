"""Render every page of the site from the views with Jinja2 templates (autoescaped)."""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

import jinja2
from markupsafe import Markup

from .annotate import Annotated
from .cards import Card, card_png
from .emit import Links, article_html, dossier_markdown, title_html
from .errors import BuildError, Problem
from .fragments import connection_list, event_items, mention_groups, status_badge, when
from .graph import fan_svg, overview_svg
from .graph import svg as network_svg
from .jsonld import dossier_ld, entity_ld
from .model import KIND_TITLES, KINDS, STATUSES, Project
from .parallel import parallel_map
from .prose import Prose
from .template_errors import render_problem
from .urls import absolute, base_path, root_prefix, save_as, url_of
from .views import CARDED, PageMeta, Views, preview_cards, template_url

T = TypeVar("T")


@dataclass(frozen=True)
class Output:
    """One file of the site: its path in the output folder and its bytes."""

    path: str
    content: bytes  # empty when a worker process has already put the file in the staging folder
    source: str  # what produced it, for the message when two pages claim one path
    on_disk: bool = False


def environment(templates: Path) -> jinja2.Environment:
    """Templates are compiled once per process and cached; autoescape is always on."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
    )
    env.globals.update(kind_titles=KIND_TITLES, kinds=KINDS, statuses=STATUSES, network_svg=network_svg,
                       dossier_ld=dossier_ld, entity_ld=entity_ld, event_items=event_items,
                       mention_groups=mention_groups, status_badge=status_badge, when=when, url=template_url,
                       overview_svg=overview_svg, fan_svg=fan_svg, connection_list=connection_list)
    return env


class Renderer:
    """Renders pages; each page gets `site`, `root`, `page`, `free_pages` and its own objects.

    With a memo (a session keeps one per compiled environment), a page whose template variables
    are the same as last time is not rendered again: its variables are pickled and hashed, which
    costs a fraction of rendering, and equal variables give equal pages. A dossier's text, as
    HTML and as Markdown, is kept the same way, keyed by what it is made from (`text_inputs`).
    """

    def __init__(self, project: Project, views: Views, env: jinja2.Environment, prose: Prose,
                 memo: dict[str, tuple[bytes, Any]] | None = None):
        self.project, self.views, self.env, self.prose, self.memo = project, views, env, prose, memo
        self.site = project.site
        self.templates = Path(env.loader.searchpath[0]) if isinstance(env.loader, jinja2.FileSystemLoader) else Path()
        self.digests: dict[str, bytes] = {}  # slug -> digest of its annotated text, for the memo's keys
        # How the memo's keys pickle an annotated dossier: by that digest (see `digest`).
        self.reducers = {**copyreg.dispatch_table, Annotated: lambda doc: (bytes, (self._text_digest(doc),))}
        self.free_pages = [(p.title.split(":")[0], url_of(save_as("page", slug=p.slug))) for p in project.pages.values()]

    def page(self, template: str, path: str, title: str, kind: str, description: str = "", **context) -> Output:
        # GitHub Pages serves 404.html at any depth, so its links must be absolute.
        root = base_path(self.site.base_url) if kind == "not_found" else root_prefix(path)
        image = absolute(self.site.base_url, save_as("card", page=url_of(path).rstrip("/"))) \
            if kind in CARDED and self.site.preview_images else ""
        meta = PageMeta(title, path, url_of(path), absolute(self.site.base_url, url_of(path)),
                        description or self.site.description, kind, image)
        variables = dict(site=self.site, root=root, page=meta, free_pages=self.free_pages, **context)

        def render() -> Output:
            try:
                html = self.env.get_template(template).render(**variables)
            except Exception as exc:  # whatever a template runs into is reported at its line, never a traceback
                raise BuildError([render_problem(exc, self.templates, template, path)]) from None
            return Output(path, html.encode("utf-8"), f"{kind} page {title!r}")

        # Pages given all the views change with any edit: rendering them beats hashing everything.
        return render() if "views" in context else self.kept(path, lambda: (template, variables), render)

    def kept(self, name: str, inputs: Callable[[], object], make: Callable[[], T]) -> T:
        """make(), or with a memo the value it made last time if inputs() pickle the same as then.

        Equal pickles mean equal inputs, so a kept value is never stale; equal inputs that share
        objects differently pickle differently, which costs a needless make(), nothing more.
        """
        if self.memo is None:
            return make()
        key = self.digest(inputs())
        last = self.memo.get(name)
        if last and last[0] == key:
            return last[1]
        value = make()
        self.memo[name] = (key, value)
        return value

    def digest(self, value: object) -> bytes:
        """A hash of the pickled value; an annotated dossier in it counts by the digest of its text.

        A dossier's page, its HTML text and its Markdown all depend on its annotated text, the
        largest thing they hold: it is pickled once per build, not once for each of them.
        """
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self.reducers
        pickler.dump(value)
        return hashlib.blake2b(buffer.getbuffer()).digest()

    def _text_digest(self, doc: Annotated) -> bytes:
        slug = doc.dossier.slug
        if slug not in self.digests:
            self.digests[slug] = hashlib.blake2b(pickle.dumps((doc.dossier, doc.blocks), protocol=5)).digest()
        return self.digests[slug]

    def text_inputs(self, doc: Annotated, root: str) -> tuple:
        """All that the dossier's text as HTML or Markdown depends on, besides the code."""
        mentioned = {s.target for b in doc.blocks for s in b.spans if s.kind == "mention"}
        cited = {s.target for b in doc.blocks for s in b.spans if s.kind == "evidence"}
        kinds = sorted((i, self.project.entities[i].kind) for i in mentioned)
        places = self.views.event_urls
        events = sorted((i, self.project.events[i].status, self.project.events[i].title, places.get(i)) for i in cited)
        return doc, root, kinds, events

    def all_pages(self, workers: int = 1, progress: Progress | None = None, stage: Sink | None = None) -> list[Output]:
        """Every HTML page, on `workers` processes for a large site; the long lists first, to start early.

        With a staging folder, each page is written there as soon as it is rendered.
        """
        jobs = [("overview", name) for name in ("timeline", "home", "dossiers", "search", "not_found")]
        jobs += [("timeline_part", part.key) for part in self.views.timeline_parts]
        jobs += [("kind", kind) for kind in KINDS] + [("page", slug) for slug in self.project.pages]
        jobs += [("dossier", slug) for slug in self.views.dossiers] + [("entity", i) for i in self.views.entities]
        jobs += [("markdown", slug) for slug in self.views.dossiers]
        jobs += [("card", page) for page in (self.cards if self.site.preview_images else {})]
        return render_bulk(self, jobs, workers, progress, stage)

    def job(self, job: tuple[str, str]) -> Output:
        """Render one page: ("overview", name), ("kind", kind), ("page", slug), ("dossier", slug), ("entity", id)."""
        kind, ident = job
        return {"overview": self.overview, "timeline_part": self.timeline_part, "kind": self.kind_index, "page": self.free_page,
                "dossier": self.dossier, "entity": self.entity, "markdown": self.markdown,
                "card": self.card}[kind](ident)

    def overview(self, name: str) -> Output:
        """Home, dossier list, timeline (the pages that list everything get all the views), search, 404."""
        template, title = {"home": ("home.html", self.site.title), "dossiers": ("dossiers.html", "Dossiers"),
                           "timeline": ("timeline.html", "Timeline"), "search": ("search.html", "Search"),
                           "not_found": ("404.html", "Page not found")}[name]
        context = {"views": self.views} if name in ("home", "dossiers", "timeline") else {}
        if name == "timeline":
            context["part"] = None
        return self.page(template, save_as(name), title, name, **context)

    def timeline_part(self, key: str) -> Output:
        """One page of a timeline too long for one (views.timeline_parts)."""
        part = next(p for p in self.views.timeline_parts if p.key == key)
        return self.page("timeline.html", save_as("timeline_part", part=key), f"Timeline: {part.label}", "timeline",
                         views=self.views, part=part)

    def kind_index(self, kind: str) -> Output:
        return self.page("kind_index.html", save_as("kind_index", kind=kind), KIND_TITLES[kind], "kind_index",
                         entities=self.views.by_kind[kind], entity_kind=kind)

    def free_page(self, slug: str) -> Output:
        page = self.project.pages[slug]
        return self.page("page.html", save_as("page", slug=slug), page.title, "page", body=self.prose.html(page.body))

    def dossier(self, slug: str) -> Output:
        view = self.views.dossiers[slug]
        path = save_as("dossier", slug=slug)
        links = Links(root_prefix(path), self.project.entities, self.project.events, self.views.event_urls, view.ref.sics)
        title, body = self.kept(f"{path}#text", lambda: self.text_inputs(view.annotated, links.root),
                                lambda: (title_html(view.annotated, links),
                                         article_html(view.annotated, links, [html for _, html in view.notes])))
        return self.page("dossier.html", path, view.ref.headline, "dossier", dossier=view,
                         title_html=Markup(title) if title is not None else None, body_html=Markup(body))

    def markdown(self, slug: str) -> Output:
        """The downloadable Markdown dossier."""
        path = save_as("dossier_md", slug=slug)
        links = Links(root_prefix(path), self.project.entities, self.project.events)
        doc = self.views.dossiers[slug].annotated
        return self.kept(path, lambda: self.text_inputs(doc, links.root),
                         lambda: Output(path, dossier_markdown(doc, links).encode("utf-8"), f"Markdown dossier {slug!r}"))

    @cached_property
    def cards(self) -> dict[str, Card]:
        return preview_cards(self.views, self.site.title)

    def card(self, page: str) -> Output:
        """The preview image of the page at `page`/ (cards.py)."""
        path = save_as("card", page=page)
        return self.kept(path, lambda: self.cards[page],
                         lambda: Output(path, card_png(self.cards[page]), f"preview image of {page}/"))

    def entity(self, entity_id: str) -> Output:
        view = self.views.entities[entity_id]
        path = save_as("entity", kind=view.ref.kind, id=entity_id)
        return self.page("entity.html", path, view.ref.name, "entity", entity=view)


Progress = Callable[[int, int], None]  # (pages done, pages in all)


class Sink(Protocol):
    """Where rendered pages go as they are made: a staging folder, or nowhere (`check`)."""

    def put(self, output: Output) -> None: ...


@dataclass(frozen=True)
class Failed:
    """A page that could not be rendered: its problems, sent back from a worker like a page."""

    problems: list[Problem]


def render_bulk(renderer: Renderer, jobs: list[tuple[str, str]], workers: int, progress: Progress | None,
                stage: Sink | None = None) -> list[Output]:
    """Render the jobs in order; on worker processes for large sites (never with a session's memo).

    A page that fails does not stop the others: every template problem is reported in one run.
    """
    workers = 1 if renderer.memo is not None else workers
    task = (Renderer.job, renderer) if stage is None else (_render_into, (renderer, stage))
    results = parallel_map(_guarded, task, jobs, workers, progress)
    problems = [p for r in results if isinstance(r, Failed) for p in r.problems]
    if problems:
        raise BuildError(_unique(problems))
    return results


def _guarded(task: tuple[Callable[[Any, tuple[str, str]], Output], Any], job: tuple[str, str]) -> Output | Failed:
    function, context = task
    try:
        return function(context, job)
    except BuildError as error:
        return Failed(error.problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    """One problem per place and message: a broken template breaks every page that uses it alike."""
    first: dict[tuple, Problem] = {}
    for problem in problems:
        first.setdefault((problem.path, problem.line, problem.message), problem)
    return sorted(first.values())


def _render_into(context: tuple[Renderer, Sink], job: tuple[str, str]) -> Output:
    """Render a page and put it in the staging folder; only its path goes back to the parent."""
    renderer, stage = context
    output = renderer.job(job)
    stage.put(output)
    return Output(output.path, b"", output.source, on_disk=True)
