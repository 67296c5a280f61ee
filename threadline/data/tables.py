"""The published data as CSV tables for spreadsheets: UTF-8, one header row, columns in a fixed order.

COLUMNS is the data dictionary: the Data page and the tests read it, and README's "Published data"
says the same. Cells hold the text exactly as the investigation has it (a quote verbatim); a cell
that holds several values separates them with "; ".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from threadline.inputs.dates import FuzzyDate
from threadline.inputs.model import Project
from threadline.site.urls import absolute, url
from threadline.site.views import Views

SEPARATOR = "; "
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "events.csv": (
        ("id", "The event's id, as in events.json."),
        ("date", "The date in EDTF: 2021-02 a month, 2022-41 the second half of 2022, 2023-21 spring 2023, "
                 "2023-12~ about December 2023, 2021? uncertain, 2024-05% both, 2022-07/2024 a period, ../2024 until 2024."),
        ("display_date", "The date in words, at the precision the sources allow."),
        ("precision", "How much the date leaves open: day, month, part (of a year), year, span, or open (one end not given)."),
        ("earliest", "The first day the date can mean (YYYY-MM-DD), for sorting; empty when open at the start."),
        ("latest", "The last day the date can mean (YYYY-MM-DD); empty when open at the end."),
        ("title", "What happened, in one line."),
        ("status", "How firmly it is established: reported, alleged, denied, confirmed or disputed."),
        ("entities", "Ids of the people, organisations, places and products it involves, separated by \"; \"."),
        ("sources", "How many source passages support it (each is a row of sources.csv)."),
        ("date_basis", "How the date was worked out from the sources."),
        ("note", "The editors' note (Markdown); empty when there is none."),
        ("url", "The event on the site's timeline."),
    ),
    "entities.csv": (
        ("id", "The entity's id, as in entities.json."),
        ("kind", "person, organisation, place or product."),
        ("name", "The name the site uses."),
        ("aliases", "Every other spelling found in the sources, separated by \"; \" (entities.json has them as a list)."),
        ("description", "The editors' description (Markdown)."),
        ("wikidata", "Its Wikidata item (Q…), when the editors gave one."),
        ("dossiers", "How many dossiers name it."),
        ("mentions", "How many times the dossiers name it (each is a row of mentions.csv)."),
        ("events", "How many events involve it."),
        ("url", "Its page on the site."),
    ),
    "mentions.csv": (
        ("entity", "The id of the entity named."),
        ("dossier", "The slug of the dossier that names it."),
        ("as_written", "The words of the source that name it, as written there."),
        ("context", "Those words with up to 70 characters of the source on each side (… where cut)."),
        ("url", "The mention, highlighted in the dossier's text on the site."),
    ),
    "sources.csv": (
        ("event", "The id of the event."),
        ("dossier", "The slug of the dossier that reports it."),
        ("quote", "The dossier's words for it, verbatim."),
        ("url", "The quote, highlighted in the dossier's text on the site."),
    ),
}


def table(name: str, rows: Iterable[tuple]) -> bytes:
    """A CSV file of the table `name`: its header, then the rows (RFC 4180: quoted where needed, CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column for column, _ in COLUMNS[name]])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def events_csv(project: Project, views: Views) -> bytes:
    base = project.site.base_url
    return table("events.csv", (
        (e.id, e.edtf, e.date, e.precision, *_bounds(project.events[e.id].date), e.title, e.status,
         SEPARATOR.join(r.id for r in e.entities), len(e.sources), e.date_basis, project.events[e.id].note,
         absolute(base, f"{url('timeline')}#{e.id}"))
        for e in views.events))


def _bounds(fuzzy: FuzzyDate) -> tuple[str, str]:
    """The first and last day a date can mean; '' for an open end."""
    lower = fuzzy.iso_lower if fuzzy.lower[0] > 1 else ""
    y, m, d = fuzzy.upper
    return lower, f"{y:04d}-{m:02d}-{d:02d}" if y < 9999 else ""


def entities_csv(project: Project, views: Views) -> bytes:
    base = project.site.base_url
    return table("entities.csv", (
        (e.id, e.kind, e.name, SEPARATOR.join(e.other_spellings), e.description, e.wikidata or "",
         views.entities[e.id].dossier_count, views.entities[e.id].mention_count, len(views.entities[e.id].events),
         absolute(base, views.entities[e.id].ref.url))
        for e in sorted(project.entities.values(), key=lambda e: e.id)))


def mentions_csv(project: Project, views: Views) -> bytes:
    base = project.site.base_url
    return table("mentions.csv", (
        (entity_id, group.dossier.slug, m.text, m.before + m.text + m.after,
         absolute(base, f"{group.dossier.url}#{m.anchor}"))
        for entity_id in sorted(views.entities) for group in views.entities[entity_id].groups
        for m in group.mentions))


def sources_csv(project: Project, views: Views) -> bytes:
    base = project.site.base_url
    return table("sources.csv", (
        (e.id, s.dossier.slug, s.quote, absolute(base, s.url)) for e in views.events for s in e.sources))
