"""The relationship pictures, as static SVG: entities connected by the events they take part in
(the overview and each entity's connections), and entities named together in the same dossiers.

Computed at build time, so a reader needs no JavaScript to see it. The layout is circular and
fully deterministic (sorted input, no randomness), and the number of nodes is capped, so the
cost does not grow with the size of the investigation. Every node is a link to its entity page;
every piece of text is escaped.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from threadline.inputs.model import KINDS

if TYPE_CHECKING:  # views builds the networks, so graph must not import it at run time
    from threadline.site.views import EntityRef, EventView
    from threadline.text.crossref import CrossRef

WHOLE_LIMIT = 40  # nodes in the whole network: the most widely named entities
EGO_LIMIT = 14  # neighbours around one entity
OVERVIEW_NODES = 8  # the key entities of the overview
OVERVIEW_LINKS = 10  # the strongest connections among them
KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Node:
    ref: EntityRef
    dossiers: int  # dossiers that name it
    x: float
    y: float
    angle: float  # radians, 0 = east, for placing the label outside the circle


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    weight: int  # dossiers that name both


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    center: str | None = None  # the entity an ego network is drawn around
    hidden: int = 0  # entities left out by the cap
    radial: bool = False  # labels turned along the radius, so that many names never overlap

    def neighbours(self, entity_id: str) -> list[tuple[EntityRef, int]]:
        """The entity's neighbours in this picture, heaviest link first."""
        refs = {n.ref.id: n.ref for n in self.nodes}
        pairs = [(e.b if e.a == entity_id else e.a, e.weight) for e in self.edges if entity_id in (e.a, e.b)]
        return [(refs[i], w) for i, w in sorted(pairs, key=lambda p: (-p[1], refs[p[0]].name))]


def whole_network(xref: CrossRef, refs: dict[str, EntityRef], limit: int = WHOLE_LIMIT) -> Network:
    """The most widely named entities on one circle, grouped by kind, linked by shared dossiers."""
    named = [i for i in refs if xref.dossier_count(i) > 0]
    ranked = sorted(named, key=lambda i: (-xref.dossier_count(i), -xref.mention_count(i), refs[i].name, i))
    chosen = sorted(ranked[:limit], key=lambda i: (KIND_ORDER[refs[i].kind], -xref.dossier_count(i), refs[i].name, i))
    width, height, radius = 1000, 1000, 270
    nodes = [_on_circle(refs[i], xref.dossier_count(i), k, len(chosen), width / 2, height / 2, radius)
             for k, i in enumerate(chosen)]
    return Network(nodes, _edges(xref.together, set(chosen)), width, height, hidden=len(named) - len(chosen),
                   radial=len(chosen) > 16)


def ego_network(xref: CrossRef, refs: dict[str, EntityRef], center: str, limit: int = EGO_LIMIT) -> Network | None:
    """One entity in the middle, the entities most often named with it around it; None when alone."""
    together: Counter = xref.together.get(center, Counter())
    ranked = sorted((i for i in together if i in refs), key=lambda i: (-together[i], refs[i].name, i))
    if not ranked:
        return None
    chosen = ranked[:limit]
    width, height, radius = 640, 440, 150
    nodes = [Node(refs[center], xref.dossier_count(center), width / 2, height / 2, -math.pi / 2)]
    nodes += [_on_circle(refs[i], xref.dossier_count(i), k, len(chosen), width / 2, height / 2, radius)
              for k, i in enumerate(chosen)]
    edges = [Edge(center, i, together[i]) for i in chosen]
    return Network(nodes, edges, width, height, center=center, hidden=len(ranked) - len(chosen))


def _on_circle(ref: EntityRef, dossiers: int, k: int, n: int, cx: float, cy: float, radius: float) -> Node:
    angle = -math.pi / 2 + 2 * math.pi * k / max(n, 1)  # clockwise from the top
    return Node(ref, dossiers, round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1), angle)


def _edges(together: dict[str, Counter], chosen: set[str]) -> list[Edge]:
    edges = [Edge(a, b, n) for a in sorted(chosen) for b, n in sorted(together.get(a, Counter()).items())
             if b in chosen and a < b]
    return sorted(edges, key=lambda e: (e.weight, e.a, e.b))  # heaviest drawn last, on top


# --- SVG ------------------------------------------------------------------------------------

def svg(network: Network, root: str, label: str) -> Markup:
    """The network as inline SVG; node links are relative to the page (`root` leads to the site root)."""
    at = {n.ref.id: n for n in network.nodes}
    top = max((e.weight for e in network.edges), default=1)
    parts = [f'<svg class="network-svg" viewBox="{_view_box(network)}" role="group" '
             f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">']
    parts += [_edge(e, at, top) for e in network.edges]
    parts += [_node(n, root, n.ref.id == network.center, network.radial) for n in network.nodes]
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _view_box(network: Network) -> str:
    """The drawing's bounds, labels included (their width estimated), so no name is cut off."""
    if not network.radial:
        return f"0 0 {network.width} {network.height}"
    xs, ys = [], []
    for node in network.nodes:
        reach = 20 + 8.5 * len(node.ref.name)
        xs += [node.x + reach * math.cos(node.angle), node.x - 20]
        ys += [node.y + reach * math.sin(node.angle), node.y - 20]
    left, top = math.floor(min(xs)), math.floor(min(ys))
    return f"{left} {top} {math.ceil(max(xs)) - left} {math.ceil(max(ys)) - top}"


def _edge(edge: Edge, at: dict[str, Node], top: int) -> str:
    a, b = at[edge.a], at[edge.b]
    width = 1 + 5 * (edge.weight - 1) / max(top - 1, 1)
    strong = " strong" if edge.weight > 1 else ""
    return (f'<line class="edge{strong}" x1="{a.x}" y1="{a.y}" x2="{b.x}" y2="{b.y}" stroke-width="{width:.1f}">'
            f"<title>{escape(a.ref.name)} and {escape(b.ref.name)}: {_dossiers(edge.weight)}</title></line>")


def _node(node: Node, root: str, central: bool, radial: bool) -> str:
    r = 11 if central else min(4 + 2 * node.dossiers, 12)
    title = f"{node.ref.name}: named in {_dossiers(node.dossiers)}"
    classes = f"node kind-{node.ref.kind}" + (" center" if central else "")
    return (f'<a href="{escape(root + node.ref.url)}" class="{escape(classes)}">'
            f"<title>{escape(title)}</title>"
            f'<circle cx="{node.x}" cy="{node.y}" r="{r}"/>{_label(node, r, central, radial)}</a>')


def _label(node: Node, r: float, central: bool, radial: bool) -> str:
    """The name outside the circle: to the right on the right half, to the left on the left half."""
    if central:
        y = node.y + r + 18
        return f'<text x="{node.x}" y="{y}" text-anchor="middle" class="center-label">{escape(node.ref.name)}</text>'
    if radial:
        return _radial_label(node, r)
    cos, sin = math.cos(node.angle), math.sin(node.angle)
    gap = r + 6
    x, y = round(node.x + gap * cos, 1), round(node.y + gap * sin + 4, 1)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    if abs(cos) < 0.2:
        y = round(node.y + (r + 16) * (1 if sin > 0 else -1) + (4 if sin > 0 else 0), 1)
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}">{escape(node.ref.name)}</text>'


def _radial_label(node: Node, r: float) -> str:
    """The name along the radius, read left to right on both halves of the circle."""
    cos, sin = math.cos(node.angle), math.sin(node.angle)
    x, y = round(node.x + (r + 5) * cos, 1), round(node.y + (r + 5) * sin, 1)
    degrees = math.degrees(node.angle)
    left = cos < -1e-9
    turn = round(degrees + 180 if left else degrees, 1)
    return (f'<text x="{x}" y="{y}" dy="0.35em" text-anchor="{"end" if left else "start"}" '
            f'transform="rotate({turn} {x} {y})">{escape(node.ref.name)}</text>')


def _dossiers(n: int) -> str:
    return f"{n} dossier{'s' if n != 1 else ''}"


# --- Connections: entities that take part in the same event ----------------------------------

@dataclass(frozen=True)
class Connection:
    """Another entity and the events both take part in (in date order): what connects them."""

    ref: EntityRef
    events: tuple[EventView, ...]


def connections(events: list[EventView]) -> dict[str, list[Connection]]:
    """Per entity id, the entities connected to it by an event, most events first."""
    shared: dict[str, dict[str, list[EventView]]] = {}
    refs: dict[str, EntityRef] = {}
    for event in events:
        for a in event.entities:
            refs[a.id] = a
            for b in event.entities:
                if b.id != a.id:
                    shared.setdefault(a.id, {}).setdefault(b.id, []).append(event)
    return {a: sorted((Connection(refs[b], tuple(evs)) for b, evs in others.items()),
                      key=lambda c: (-len(c.events), c.ref.name, c.ref.id))
            for a, others in shared.items()}


@dataclass(frozen=True)
class Overview:
    """The key entities (most connected first) and the strongest connections among them."""

    nodes: list[EntityRef]
    links: list[tuple[EntityRef, Connection]]  # strongest first


def overview(linked: dict[str, list[Connection]], refs: dict[str, EntityRef], most: int = OVERVIEW_NODES,
             strongest: int = OVERVIEW_LINKS) -> Overview:
    """The `most` entities with the most connecting events, and up to `strongest` links among them."""
    weight = {i: sum(len(c.events) for c in cs) for i, cs in linked.items()}
    chosen = sorted(weight, key=lambda i: (-weight[i], refs[i].name, i))[:most]
    keep = set(chosen)
    pairs = [(refs[a], c) for a in chosen for c in linked[a] if c.ref.id in keep and a < c.ref.id]
    pairs.sort(key=lambda p: (-len(p[1].events), p[0].name, p[1].ref.name))
    return Overview([refs[i] for i in chosen], pairs[:strongest])


ROW, LABEL, FONT = 56, 330, 22  # viewBox units: at 390 px the drawing is ~0.65 scale, the names ~14 px


def overview_svg(view: Overview, root: str, label: str) -> Markup:
    """An arc diagram: the names in a column, one arc per connection, thicker for more events."""
    y = {ref.id: 36 + k * ROW for k, ref in enumerate(view.nodes)}
    top = max((len(c.events) for _, c in view.links), default=1)
    span = max((abs(y[a.id] - y[c.ref.id]) for a, c in view.links), default=ROW)
    # The names end at `names_end`: wide enough for the longest, so that none is cut off at the left.
    names_end = max([LABEL] + [math.ceil(text_width(ref.name, FONT)) + 8 for ref in view.nodes])
    width, height = names_end + 24 + span // 2 + 12, 36 + len(view.nodes) * ROW - ROW // 2
    parts = [f'<svg class="connections-svg" viewBox="0 0 {width} {height}" role="group" aria-label="{escape(label)}" '
             'xmlns="http://www.w3.org/2000/svg">']
    for a, c in view.links:
        y1, y2 = sorted((y[a.id], y[c.ref.id]))
        x, r = names_end + 12, (y2 - y1) / 2
        stroke = 2 + 6 * (len(c.events) - 1) / max(top - 1, 1)
        parts.append(f'<path class="arc" d="M {x} {y1} A {r} {r} 0 0 1 {x} {y2}" '
                     f'stroke-width="{stroke:.1f}"><title>{escape(a.name)} and {escape(c.ref.name)}: '
                     f"{_events(len(c.events))}</title></path>")
    for ref in view.nodes:
        parts.append(f'<a href="{escape(root + ref.url)}" class="node kind-{escape(ref.kind)}">'
                     f'<circle cx="{names_end + 12}" cy="{y[ref.id]}" r="8"/>'
                     f'<text x="{names_end}" y="{y[ref.id]}" dy="0.35em" text-anchor="end">{escape(ref.name)}</text></a>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def fan_svg(center: EntityRef, linked: list[Connection], root: str, label: str, most: int = EGO_LIMIT) -> Markup:
    """One entity on the left, the entities it is connected to in a column on the right, a line to each."""
    shown = linked[:most]
    height = max(2, len(shown)) * 44 + 20
    width = max([560] + [math.ceil(264 + text_width(c.ref.name, FONT)) + 8 for c in shown])  # no name cut off
    top = max((len(c.events) for c in shown), default=1)
    parts = [f'<svg class="connections-svg fan" viewBox="0 0 {width} {height}" role="group" aria-label="{escape(label)}" '
             'xmlns="http://www.w3.org/2000/svg">']
    mid = height / 2
    for k, c in enumerate(shown):
        y = 32 + k * 44
        stroke = 2 + 5 * (len(c.events) - 1) / max(top - 1, 1)
        parts.append(f'<line class="arc" x1="24" y1="{mid}" x2="250" y2="{y}" stroke-width="{stroke:.1f}">'
                     f"<title>{escape(center.name)} and {escape(c.ref.name)}: {_events(len(c.events))}</title></line>")
        parts.append(f'<a href="{escape(root + c.ref.url)}" class="node kind-{escape(c.ref.kind)}">'
                     f'<circle cx="250" cy="{y}" r="7"/><text x="264" y="{y}" dy="0.35em">{escape(c.ref.name)}</text></a>')
    parts.append(f'<g class="node center kind-{escape(center.kind)}"><circle cx="24" cy="{mid}" r="11"/></g>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def text_width(text: str, font: float) -> float:
    """A generous estimate of a line of text's width in a sans-serif font of size `font` (no font is measured)."""
    return 0.6 * font * len(text)


def _events(n: int) -> str:
    return f"{n} event{'s' if n != 1 else ''} in common"
