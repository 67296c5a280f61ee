"""A timeline too long for one page, cut into pages: a year each, a long year in parts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from threadline.site.urls import url

if TYPE_CHECKING:  # views.py makes the parts, so imports this module
    from threadline.site.views import EventView

TIMELINE_PAGE_EVENTS = 400  # more events than this and the timeline is a page per year, a long year in parts


@dataclass(frozen=True)
class PartSummary:
    """One page of a timeline too long for one, as the list of its pages shows it: a year, or a part of a long year."""

    key: str  # "2021", or "2021-2" for the second part of 2021
    year: int
    number: int  # of the part within its year, from 1
    parts: int  # in its year
    count: int  # events on the page
    first: str  # the date of its first event, in words
    last: str  # and of its last

    @property
    def url(self) -> str:
        return url("timeline_part", part=self.key)

    @property
    def label(self) -> str:
        return str(self.year) if self.parts == 1 else f"{self.year} ({self.number} of {self.parts})"


@dataclass(frozen=True)
class TimelinePart(PartSummary):
    """One page of a timeline too long for one, with its events in date order."""

    events: list[EventView] = field(default_factory=list)

    @property
    def summary(self) -> PartSummary:
        """The page without its events (Views.timeline_index): what a page listing the pages reads, so
        that an edit to one event renders its own page again, not every page of the timeline."""
        return PartSummary(self.key, self.year, self.number, self.parts, self.count, self.first, self.last)


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
    return [TimelinePart(key, items[0].year, int(key.partition("-")[2] or 1), parts_of[items[0].year], len(items),
                         items[0].date, items[-1].date, items) for key, items in held.items()]
