"""Every file of the published data, registered in one table: EXPORTS.

Each export is a pure function of the loaded project and the views the pages are made from,
returning the file's bytes: the same input gives the same bytes. The page plan (plan.py) makes
each an entry under `data/`, and the Data page (DataPage) lists each with its format, size and how
to use it. To publish a new format, write its function and add one line to EXPORTS (and its format
to FORMATS if it is new).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from threadline.data.ftm import ftm_entities
from threadline.data.gexf import connections_gexf
from threadline.data.tables import entities_csv, events_csv, mentions_csv, sources_csv
from threadline.data.timelinejs import timelinejs
from threadline.inputs.model import Project
from threadline.publish.files import dossiers_json, entities_json, events_json
from threadline.site.render import Template
from threadline.site.urls import save_as, url_of
from threadline.site.views import Download, Views


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    howto: tuple[str, str]  # two lines: how to open or use it


FORMATS = {
    "json": Format("JSON", "application/json", (
        "Read it with any JSON library: a list of records, one a line, in the site's own shape.",
        "Lists stay lists: each event carries its sources, each entity the dossiers that name it.")),
    "csv": Format("CSV", "text/csv", (
        "Open it in a spreadsheet (LibreOffice Calc, Excel, Google Sheets), as UTF-8 and comma-separated.",
        "Cells with several values separate them with “; ”; the data dictionary below says what each column holds.")),
    "timelinejs": Format("TimelineJS", "application/json", (
        "Embed the timeline with TimelineJS 3: host this file beside your page and load it with "
        "new TL.Timeline('timeline-embed', 'timelinejs.json').",
        "Each slide gives the date as precisely as the sources do, the claim's status and its quotes, linked here.")),
    "ftm": Format("FollowTheMoney", "application/json", (
        "Load it into Aleph or OpenAleph: alephclient write-entities -i entities.ftm.json -f <collection>.",
        "One entity a line: Person, Organization, Address, Asset, Article (dossiers), Event, Documentation.")),
    "gexf": Format("GEXF", "application/gexf+xml", (
        "Open it in Gephi (File › Open): entities are nodes, linked when they take part in the same event.",
        "Edge weight is the number of shared events; colour by the node attribute kind, filter by statuses.")),
}


@dataclass(frozen=True)
class Export:
    """One file of the published data: data/<name>, made by `make` from the project and the views."""

    name: str
    format: str  # a key of FORMATS
    contents: str  # what it holds, in one sentence
    make: Callable[[Project, Views], bytes]

    @property
    def path(self) -> str:
        return save_as("download", name=self.name)

    def download(self, size: int) -> Download:
        """The file as the Data page lists it."""
        form = FORMATS[self.format]
        return Download(self.name, url_of(self.path), form.name, form.media_type, size, self.contents, form.howto)


EXPORTS: tuple[Export, ...] = (
    Export("events.json", "json", "Every event: date, status, who takes part, and each source's quote.", events_json),
    Export("entities.json", "json", "Every person, organisation, place and product, with the dossiers that name it.",
           entities_json),
    Export("dossiers.json", "json", "Every dossier's metadata and its annotated Markdown.", dossiers_json),
    Export("events.csv", "csv", "Every event, a row each.", events_csv),
    Export("entities.csv", "csv", "Every entity, a row each.", entities_csv),
    Export("mentions.csv", "csv", "Every mention of an entity in a dossier, with the words around it.", mentions_csv),
    Export("sources.csv", "csv", "Every quote that supports an event, with its place in its dossier.", sources_csv),
    Export("timelinejs.json", "timelinejs", "The timeline, for TimelineJS.", timelinejs),
    Export("entities.ftm.json", "ftm", "Entities, dossiers, events and the links between them, as FollowTheMoney.",
           ftm_entities),
    Export("connections.gexf", "gexf", "Who takes part in the same events, as a weighted network.", connections_gexf),
)


@dataclass(frozen=True)
class DataPage:
    """The writer of the Data page: its template, with each export listed at the size this build made it.

    Its entry `needs` the exports' entries: the plan runs them first and gives their sizes as
    context["sizes"], so no file is made twice (modes.Mode.execute).
    """

    template: Template

    def __call__(self, context: Mapping[str, Any]) -> bytes:
        downloads = tuple(export.download(context["sizes"][export.path]) for export in EXPORTS)
        return self.template({**context, "downloads": downloads})
