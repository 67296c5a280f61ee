"""Every file of the published data, registered in one table: EXPORTS.

Each export is a pure function of the loaded project and the views the pages are made from,
returning the file's bytes: the same input gives the same bytes. It says which parts of them it
reads (`reads`) and is given only those, the others empty: so its key, which hashes what it is
given (keys.py), changes only when what it reads does, and one dossier's edit does not make the
timeline's files again. The page plan (plan.py) makes
each an entry under `data/`, and the Data page (DataPage) lists each with its format, size and how
to use it. To publish a new format, write its function and add one line to EXPORTS (and its format
to FORMATS if it is new).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
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
    # The parts of the project ("entities", "events", "dossiers", "pages") and of the views
    # ("views.events", ...) that `make` reads; site.yaml's settings are always given.
    reads: tuple[str, ...] = ()

    def given(self, project: Project, views: Views) -> tuple[Project, Views]:
        """The project and views as this export is given them: only the parts it reads, the others empty."""
        parts = {name: getattr(project, name) for name in PROJECT_PARTS if name in self.reads}
        seen = {f.name: getattr(views, f.name) for f in fields(Views) if f"views.{f.name}" in self.reads}
        return Project(project.root, project.site, **parts), Views(**seen)

    @property
    def path(self) -> str:
        return save_as("download", name=self.name)

    def download(self, size: int) -> Download:
        """The file as the Data page lists it."""
        form = FORMATS[self.format]
        return Download(self.name, url_of(self.path), form.name, form.media_type, size, self.contents, form.howto)


PROJECT_PARTS = ("entities", "events", "dossiers", "pages")

EXPORTS: tuple[Export, ...] = (
    Export("events.json", "json", "Every event: date, status, who takes part, and each source's quote.", events_json,
           ("views.events",)),
    Export("entities.json", "json", "Every person, organisation, place and product, with the dossiers that name it.",
           entities_json, ("entities", "views.entities")),
    Export("dossiers.json", "json", "Every dossier's metadata and its annotated Markdown.", dossiers_json,
           ("dossiers",)),
    Export("events.csv", "csv", "Every event, a row each.", events_csv, ("events", "views.events")),
    Export("entities.csv", "csv", "Every entity, a row each.", entities_csv, ("entities", "views.entities")),
    Export("mentions.csv", "csv", "Every mention of an entity in a dossier, with the words around it.", mentions_csv,
           ("views.entities",)),
    Export("sources.csv", "csv", "Every quote that supports an event, with its place in its dossier.", sources_csv,
           ("views.events",)),
    Export("timelinejs.json", "timelinejs", "The timeline, for TimelineJS.", timelinejs, ("events", "views.events")),
    Export("entities.ftm.json", "ftm", "Entities, dossiers, events and the links between them, as FollowTheMoney.",
           ftm_entities, ("entities", "events", "views.entities", "views.articles", "views.events")),
    Export("connections.gexf", "gexf", "Who takes part in the same events, as a weighted network.", connections_gexf,
           ("views.links", "views.entities", "views.events")),
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
