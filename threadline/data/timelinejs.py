"""The timeline in the JSON format of Knight Lab's TimelineJS 3, to embed it on another site.

Dates keep their precision: a month is given as year and month, a season or half-year as its first
and last month, a year as a year; `display_date` is the date in words as the site shows it, so
"(approx.)", "(uncertain)", "until" and "since" are said where TimelineJS would show a bare date.
TimelineJS shows text as HTML: every piece of it is escaped here, and links are absolute.
"""

from __future__ import annotations

from threadline.inputs.dates import Prefix, prefix_bounds
from threadline.inputs.model import STATUSES, Project
from threadline.site.urls import absolute, url
from threadline.site.views import EventView, SourceView, Views
from threadline.text.escaping import escape
from threadline.text.jsontext import json_line

TITLE_ID = "_title"  # no event's id: ids are slugs, which never start with "_"


def timelinejs(project: Project, views: Views) -> bytes:
    """data/timelinejs.json: a title slide, then one slide per event in date order."""
    site = project.site
    title = {"text": {"headline": escape(site.title), "text": f"<p>{escape(site.description)}</p>"},
             "unique_id": TITLE_ID}
    # A slide a line, written by the C encoder (indent= is pure Python, four times slower).
    slides = ",\n".join(json_line(_slide(e, project)) for e in views.events)
    text = f'{{"events": [\n{slides}\n],\n"title": {json_line(title)}}}\n'
    return text.encode("utf-8")


def _slide(event: EventView, project: Project) -> dict:
    start, end = prefix_bounds(project.events[event.id].date)
    slide = {
        "unique_id": event.id, "start_date": _date(start or end), "display_date": event.date, "group": event.status,
        "text": {"headline": escape(event.title), "text": _text(event, project.site.base_url)},
    }
    if start and end and end != start:
        slide["end_date"] = _date(end)
    return slide


def _date(prefix: Prefix | None) -> dict:
    return dict(zip(("year", "month", "day"), prefix or (), strict=False))


def _text(event: EventView, base: str) -> str:
    """The slide's body: status, who is involved, every quote linked to its passage, note, date basis."""
    named = ", ".join(f'<a href="{escape(absolute(base, r.url))}">{escape(r.name)}</a>' for r in event.entities)
    parts = [f"<p><strong>{escape(event.status.capitalize())}</strong>: {escape(STATUSES[event.status])}</p>"]
    if named:
        parts.append(f"<p>Involves {named}.</p>")
    parts += [_source(s, base) for s in event.sources]
    if event.note:
        parts.append(f"<p>Editors’ note: {escape(event.note.striptags())}</p>")
    parts.append(f"<p>How the date is known: {escape(event.date_basis)}</p>")
    on_site = absolute(base, f"{url('timeline')}#{event.id}")
    parts.append(f'<p><a href="{escape(on_site)}">This event on the site’s timeline</a></p>')
    return "\n".join(parts)


def _source(source: SourceView, base: str) -> str:
    d = source.dossier
    outlet = f", {escape(d.outlet)}" if d.outlet else ""
    return (f'<blockquote><a href="{escape(absolute(base, source.url))}">“{escape(source.quote)}”</a></blockquote>\n'
            f'<p>— <a href="{escape(absolute(base, d.url))}">{escape(d.headline)}</a>{outlet}, {escape(d.published)}</p>')
