"""Who takes part in the same events, as a GEXF network for Gephi, written with networkx.

A node per entity (its kind, page and counts as attributes); an edge between two entities for
every pair that take part in one event, weighted by the number of events they share, with those
events' ids and statuses. networkx stamps its files with the day they were written: that stamp is
the latest publication date of the dossiers instead, so two builds of the same data are identical.
"""

from __future__ import annotations

from itertools import combinations
from xml.etree.ElementTree import tostring

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from threadline.inputs.model import Project
from threadline.site.urls import absolute
from threadline.site.views import EventView, Views

SEPARATOR = "; "
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def connections_gexf(project: Project, views: Views) -> bytes:
    """data/connections.gexf: the network of entities that take part in the same events."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(connections(project, views))
    meta = writer.xml.find("meta")
    meta.find("creator").text = f"{project.site.publisher or project.site.title}, with NetworkX {nx.__version__}"
    published = sorted(link.published_iso for link in views.links.values())
    if published:
        meta.set("lastmodifieddate", published[-1])
    else:
        del meta.attrib["lastmodifieddate"]
    writer.indent(writer.xml)  # as networkx's own write() does, without its file object: a third of the time
    return (DECLARATION + tostring(writer.xml, encoding="unicode") + "\n").encode("utf-8")


def connections(project: Project, views: Views) -> nx.Graph:
    """The network itself: every entity a node, every pair that share an event an edge."""
    graph = nx.Graph(name=f"{project.site.title}: who takes part in the same events")
    for entity_id in sorted(views.entities):
        view = views.entities[entity_id]
        graph.add_node(entity_id, label=view.ref.name, kind=view.ref.kind, url=absolute(project.site.base_url, view.ref.url),
                       events=len(view.events), dossiers=view.dossier_count)
    for (a, b), events in sorted(_shared(views.events).items()):
        graph.add_edge(a, b, weight=len(events), events=SEPARATOR.join(e.id for e in events),
                       statuses=SEPARATOR.join(sorted({e.status for e in events})),
                       kinds=SEPARATOR.join(sorted({graph.nodes[a]["kind"], graph.nodes[b]["kind"]})))
    return graph


def _shared(events: list[EventView]) -> dict[tuple[str, str], list[EventView]]:
    """Each pair of entities (in id order) and the events, in date order, that they both take part in."""
    pairs: dict[tuple[str, str], list[EventView]] = {}
    for event in events:
        for pair in combinations(sorted({r.id for r in event.entities}), 2):
            pairs.setdefault(pair, []).append(event)
    return pairs
