"""Preview images for social cards (Open Graph): a 1200×630 PNG per dossier, entity and timeline page.

Each card is drawn as SVG and rasterised at build time by resvg (the `resvg-py` package, which
ships it in its wheel): no clock, no randomness, so the same page gives the same bytes on the
same fonts. Text is escaped like everything else the site writes. A card takes tens of
milliseconds, so a very large investigation may turn them off in site.yaml (`preview_images: false`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from threadline.site.urls import url
from threadline.text.escaping import xml_text as escape

if TYPE_CHECKING:  # views reads nothing of cards: only their types are named here
    from threadline.site.timeline import TimelinePart
    from threadline.site.views import DossierView, EntityView, EventView, Views

WIDTH, HEIGHT = 1200, 630
TITLE_CHARS, TITLE_LINES = 30, 3  # DejaVu Serif Bold at 62 px: about 30 characters to a 1040 px line


@dataclass(frozen=True)
class Card:
    """What a card says: a kicker ("Dossier · Daily Ledger"), a title, one line of facts, the site."""

    kicker: str
    title: str
    facts: str
    site: str


def card_svg(card: Card) -> str:
    """The card as SVG; the title wrapped to three lines at most, the last cut with an ellipsis."""
    lines = textwrap.wrap(card.title, TITLE_CHARS) or [""]
    if len(lines) > TITLE_LINES:
        lines = [*lines[: TITLE_LINES - 1], textwrap.shorten(" ".join(lines[TITLE_LINES - 1:]), TITLE_CHARS, placeholder=" …")]
    title = "".join(f'<tspan x="80" dy="{0 if i == 0 else 76}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
            '<rect width="1200" height="630" fill="#fdfcf9"/><rect width="1200" height="16" fill="#8a1c1c"/>'
            f'<text x="80" y="130" font-family="DejaVu Sans" font-weight="bold" font-size="28" letter-spacing="2"'
            f' fill="#8a1c1c">{escape(card.kicker.upper())}</text>'
            f'<text x="80" y="225" font-family="DejaVu Serif" font-weight="bold" font-size="62" fill="#1d1d1b">{title}</text>'
            f'<text x="80" y="480" font-family="DejaVu Sans" font-size="30" fill="#5c5a55">{escape(card.facts)}</text>'
            '<rect x="80" y="518" width="1040" height="2" fill="#dedad2"/>'
            f'<text x="80" y="572" font-family="DejaVu Sans" font-weight="bold" font-size="28"'
            f' fill="#1d1d1b">{escape(card.site)}</text></svg>')


def card_png(card: Card) -> bytes:
    """The card rasterised to a 1200×630 PNG."""
    import resvg_py  # only builds that make cards load the renderer

    return bytes(resvg_py.svg_to_bytes(svg_string=card_svg(card), width=WIDTH, height=HEIGHT))


CARDED = ("dossier", "entity", "timeline")  # the kinds of page that get a preview image


def preview_cards(views: Views, site_title: str) -> Iterator[tuple[str, object, Callable[[], Card]]]:
    """Each dossier, entity and timeline page's card: its page's URL (no closing slash), its view, and how to make it."""
    for d in views.dossiers.values():
        yield d.link.url.rstrip("/"), d, partial(_dossier_card, d, site_title)
    for v in views.entities.values():
        yield v.ref.url.rstrip("/"), v, partial(_entity_card, v, site_title)
    yield url("timeline").rstrip("/"), views.events, partial(_timeline_card, views.events, site_title)
    for part in views.timeline_parts:
        yield part.url.rstrip("/"), part, partial(_part_card, part, site_title)


def _entity_card(v: EntityView, site_title: str) -> Card:
    facts = f"Named {v.mention_count} time{'s' if v.mention_count != 1 else ''} in {v.dossier_count} dossier" \
            f"{'s' if v.dossier_count != 1 else ''} · {len(v.events)} event{'s' if len(v.events) != 1 else ''}"
    return Card(v.kind_title, v.ref.name, facts, site_title)


def _timeline_card(events: list[EventView], site_title: str) -> Card:
    span = f"{events[0].date} to {events[-1].date}" if events else "no events yet"
    return Card("Timeline", site_title, f"{len(events)} events, {span}", site_title)


def _part_card(part: TimelinePart, site_title: str) -> Card:
    facts = f"{len(part.events)} events, {part.events[0].date} to {part.events[-1].date}"
    return Card("Timeline", f"{site_title}: {part.label}", facts, site_title)


def _dossier_card(d: DossierView, site_title: str) -> Card:
    events = len(d.events)
    facts = f"Published {d.link.published} · {events} event{'s' if events != 1 else ''} · {d.reading_minutes} min read"
    return Card(" · ".join(["Dossier", *([d.link.outlet] if d.link.outlet else [])]), d.ref.headline, facts, site_title)
