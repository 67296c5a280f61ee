"""The writers of the page plan: pure functions from an entry's context to the bytes of one file.

HTML pages are rendered with Jinja2 templates (autoescaped); a dossier's text, as HTML and as
Markdown, is written straight from its annotation (emit.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from threadline.errors import BuildError
from threadline.inputs.model import KIND_TITLES, KINDS, STATUSES
from threadline.site.graph import fan_svg, overview_svg
from threadline.site.graph import svg as network_svg
from threadline.site.jsonld import dataset_ld, dossier_ld, entity_ld
from threadline.site.template_errors import render_problem
from threadline.site.urls import url
from threadline.text.emit import Links, article_html, dossier_markdown, title_html
from threadline.text.fragments import connection_list, event_items, mention_groups, status_badge, when


@dataclass(frozen=True)
class Output:
    """One file of the site: its path in the output folder and its bytes."""

    path: str
    content: bytes  # empty when a worker process has already put the file in the staging folder; zlib's when packed
    source: str  # what produced it, for the message when two pages claim one path
    on_disk: bool = False
    disk_size: int = 0  # with on_disk or packed, the length of the file's bytes
    packed: bool = False

    @property
    def size(self) -> int:
        return self.disk_size if self.on_disk or self.packed else len(self.content)

    @property
    def data(self) -> bytes:
        """The file's bytes (`content`, opened if packed)."""
        return zlib.decompress(self.content) if self.packed else self.content

    def packed_copy(self) -> Output:
        """The output with its bytes compressed: what the dev server keeps of each file (pages compress six-fold)."""
        if self.packed or self.on_disk:
            return self
        return replace(self, content=zlib.compress(self.content, 1), disk_size=len(self.content), packed=True)


def environment(templates: Path) -> jinja2.Environment:
    """Templates are compiled once per process and cached; autoescape is always on."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
    )
    env.globals.update(kind_titles=KIND_TITLES, kinds=KINDS, statuses=STATUSES, network_svg=network_svg,
                       dossier_ld=dossier_ld, entity_ld=entity_ld, dataset_ld=dataset_ld, event_items=event_items,
                       mention_groups=mention_groups, status_badge=status_badge, when=when, url=template_url,
                       overview_svg=overview_svg, fan_svg=fan_svg, connection_list=connection_list)
    return env


@dataclass(frozen=True)
class Template:
    """The writer of an HTML page: its template rendered with the entry's context.

    Whatever a template runs into is reported at its line (templates/<file>:<line>), never a traceback.
    """

    env: jinja2.Environment
    name: str

    @property
    def folder(self) -> Path:
        loader = self.env.loader
        return Path(loader.searchpath[0]) if isinstance(loader, jinja2.FileSystemLoader) else Path()

    def __call__(self, context: Mapping[str, Any]) -> bytes:
        try:
            html = self.env.get_template(self.name).render(**context)
        except Exception as exc:
            raise BuildError([render_problem(exc, self.folder, self.name, context["page"].path)]) from None
        return html.encode("utf-8")


@dataclass(frozen=True)
class DossierPage:
    """The writer of a dossier's page: its annotated text as HTML, then its template around it.

    The text's links are made from the dossier's view: the entities it names (with their kinds),
    the events it cites (with their titles, statuses and places on the timeline) and its [sic] marks.
    """

    template: Template

    def __call__(self, context: Mapping[str, Any]) -> bytes:
        view = context["dossier"]
        # Each cited event links to the timeline page that holds it (its view's url).
        links = Links(context["root"], named(view), {event.id: event for event in view.events},
                      {event.id: event.url for event in view.events}, view.ref.sics)
        title = title_html(view.annotated, links)
        body = article_html(view.annotated, links, [html for _, html in view.notes])
        return self.template({**context, "title_html": Markup(title) if title is not None else None,
                              "body_html": Markup(body)})


def named(view: Any) -> dict[str, Any]:
    """The entities a dossier's text names, by id: where its mentions link to."""
    return {counted.entity.id: counted.entity for group in view.entities.values() for counted in group}


def markdown_dossier(context: Mapping[str, Any]) -> bytes:
    """The downloadable Markdown dossier; its links go to the entities it names (`named`)."""
    links = Links(context["root"], context["named"], {})
    return dossier_markdown(context["annotated"], links).encode("utf-8")


@pass_context
def template_url(context: Context, pattern: str, /, **parts: str) -> str:
    """`url("timeline")` in a template: the page's URL from the one table (urls.py), relative to the page."""
    return context["root"] + url(pattern, **parts)
