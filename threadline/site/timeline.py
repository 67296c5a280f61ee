"""A timeline too long for one page, cut into pages: a year each, a long year in parts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadline.site.urls import url

if TYPE_CHECKING:  # views.py makes the parts, so imports this module
    from threadline.site.views import EventView

TIMELINE_PAGE_EVENTS = 400  # more events than this and the timeline is a page per year, a long year in parts


@dataclass(frozen=True)
class TimelinePart:
    """One page of a timeline too long for one: a year, or a part of a long year, in date order."""

    key: str  # "2021", or "2021-2" for the second part of 2021
    year: int
    number: int  # of the part within its year, from 1
    parts: int  # in its year
    events: list[EventView]

    @property
    def url(self) -> str:
        return url("timeline_part", part=self.key)

    @property
    def label(self) -> str:
        return str(self.year) if self.parts == 1 else f"{self.year} ({self.number} of {self.parts})"


def timeline_pages(events: list[tuple[str, int]], limit: int | None = None) -> dict[str, str]:
    """Each event's timeline page ("2021", "2021-2"), from (id, year) in date order; {} when one page holds them all."""
    limit = limit or TIMELINE_PAGE_EVENTS
    if len(events) <= limit:
        return {}
    pages, seen = {}, Counter()
    for ident, year in events:
        part = seen[year] // limit + 1
        seen[year] += 1
        pages[ident] = str(year) if part == 1 else f"{year}-{part}"
    return pages


def timeline_parts(events: list[EventView], pages: dict[str, str]) -> list[TimelinePart]:
    """The timeline's pages, each with its events in date order (none when one page holds them all)."""
    held: dict[str, list[EventView]] = {}
    for event in events:
        if event.id in pages:
            held.setdefault(pages[event.id], []).append(event)
    parts_of = Counter(items[0].year for items in held.values())
    return [TimelinePart(key, items[0].year, int(key.partition("-")[2] or 1), parts_of[items[0].year], items)
            for key, items in held.items()]
