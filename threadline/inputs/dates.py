"""Fuzzy dates: EDTF strings parsed by the `edtf` package, shown in words, sorted honestly."""

from __future__ import annotations

import contextlib
import io
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date as _date
from functools import cache

from edtf import parse_edtf

from threadline.errors import short

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# EDTF level 1 seasons and level 2 quarters and halves, as a reader would say them.
SUBYEARS = {
    21: "spring {y}", 22: "summer {y}", 23: "autumn {y}", 24: "winter {y}",
    33: "January–March {y}", 34: "April–June {y}", 35: "July–September {y}", 36: "October–December {y}",
    40: "first half of {y}", 41: "second half of {y}",
}
QUALIFIERS = {"": "", "~": " (approx.)", "?": " (uncertain)", "%": " (approx., uncertain)"}
# The forms we can say in words; edtf accepts more (sets, unspecified digits), which we refuse loudly.
# ASCII digits only: `\d` would take "٢٠١٨" too, and publish it as written.
_POINT = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%]?)")
MAX_LENGTH = 100  # longer text is no date; the edtf package is not asked about it
STYLES = ("day-month-year", "month-day-year", "iso")


class DateError(ValueError):
    """An EDTF string that is invalid, or valid but not one we can show in words."""


@dataclass(frozen=True)
class FuzzyDate:
    """An EDTF date or interval with its strict bounds as (year, month, day) tuples."""

    edtf: str
    lower: tuple[int, int, int]
    upper: tuple[int, int, int]

    @property
    def year(self) -> int:
        """The year a timeline files the date under: the year it starts, or ends if open at the start."""
        return self.upper[0] if self.edtf.startswith("../") else self.lower[0]

    @property
    def sort_key(self) -> tuple:
        # By year first, so "until May 2021" sits in 2021; then earlier start first, and of two
        # with the same start the more precise one first: "May 2021" never pretends to be 31 May.
        # A date open at the start has only its end to go by: "until May 2021" comes after 30 April
        # 2021, where its open start (year 1) put it before every date of 2021.
        start = self.upper if self.edtf.startswith("../") else self.lower
        return (self.year, start, self.upper, self.edtf)

    @property
    def iso_lower(self) -> str:
        y, m, d = self.lower
        return f"{y:04d}-{m:02d}-{d:02d}"

    def display(self, style: str = "day-month-year") -> str:
        """The date in words at its own precision: "February 2021", "July 2022 – 2024"."""
        if not self.edtf:  # UNDATED
            return "undated"
        parts = _parts(self.edtf)
        if parts[-1] == ".." and len(parts) == 2:
            return "since " + _say(parts[0], style)
        if parts[0] == "..":
            return "until " + _say(parts[1], style)
        return " – ".join(_say(part, style) for part in parts)


# A draft's `published: TODO`: never published (the TODO is an error), shown as "undated" in the preview.
UNDATED = FuzzyDate("", (1, 1, 1), (9999, 12, 31))


@cache
def parse_date(text: str) -> FuzzyDate:
    """Parse and check an EDTF date or interval; raise DateError with a message for an editor."""
    text = text.strip()
    parts = _parts(text)
    if len(parts) > 2 or parts == ["..", ".."]:
        raise DateError(f"{_shown(text)} is not a valid EDTF date ({_edtf_help()})")
    # Each end is parsed on its own: the edtf package refuses some valid intervals
    # (e.g. a half-year at one end), and bounds per end are all we need.
    bounds = [_point_bounds(part, text) for part in parts]
    lower, upper = bounds[0][0], bounds[-1][1]
    if lower > upper:
        raise DateError(f"{_shown(text)}: the interval ends before it starts")
    return FuzzyDate(text, lower, upper)


def _shown(text: str) -> str:
    """The text as messages quote it: in quotes, shortened when long."""
    return repr(short(text, 40))


def _edtf_help() -> str:
    return ("use e.g. 2021-05-21, 2021-02 (a month), 2019, 2023-12~ (about then), 2021? (not sure), "
            "2022-41 (second half of 2022), 2022-07/2024 (from July 2022 to 2024)")


def _parts(text: str) -> list[str]:
    return text.split("/")


# Month ranges of the sub-year codes, as the edtf package reads them (winter stays in its year).
SUBYEAR_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12), 33: (1, 3), 34: (4, 6), 35: (7, 9),
                  36: (10, 12), 40: (1, 6), 41: (7, 12)}


def _point_bounds(part: str, whole: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Strict bounds of one end of a date.

    The forms we show in words are read here directly: the edtf package's parser costs about
    10 ms a date, which at tens of thousands of events would dominate the build. A test checks
    these bounds against the package's. Anything else goes to the package for its verdict.
    """
    if part == "..":
        return (1, 1, 1), (9999, 12, 31)
    match = _POINT.fullmatch(part)
    if not match:
        _refuse(part, whole)
    year, month, day = int(match["y"]), int(match["m"] or -1), int(match["d"] or -1)
    if month == 0 or day == 0:  # "2018-00" is no month, "2018-05-00" no day
        raise DateError(f"{_shown(whole)} is not a valid EDTF date: there is no {'month' if month == 0 else 'day'} 00")
    if month > 20 and month not in SUBYEAR_MONTHS:
        raise DateError(f"{_shown(whole)}: {match['m']} is neither a month nor a season, quarter or half we can show")
    try:
        if day > 0:
            return (year, month, day), (year, month, _checked_day(year, month, day))
        if month in SUBYEAR_MONTHS:
            first, last = SUBYEAR_MONTHS[month]
            return (year, first, 1), (year, last, monthrange(year, last)[1])
        if month > 0:
            return (year, month, 1), (year, month, monthrange(year, month)[1])
    except ValueError as exc:  # month 0 or 13, day 30 February
        if 1 <= month <= 12 and day > 0:
            raise DateError(f"{_shown(whole)} is not a valid date: {MONTHS[month - 1]} {year} has "
                            f"{monthrange(year, month)[1]} days") from exc
        raise DateError(f"{_shown(whole)} is not a valid EDTF date ({_edtf_help()})") from exc
    return (year, 1, 1), (year, 12, 31)


def _checked_day(year: int, month: int, day: int) -> int:
    _date(year, month, day)  # raises ValueError for 30 February
    return day


def _refuse(part: str, whole: str) -> None:
    """Raise the right error for a form we do not show: valid EDTF or not, per the edtf package."""
    if len(part) > MAX_LENGTH or not part.isascii():
        raise DateError(f"{_shown(whole)} is not a valid EDTF date ({_edtf_help()})")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the package prints its own failures
            parse_edtf(part)
    except Exception as exc:  # its verdict on any text, whatever it raises, is "not valid"
        raise DateError(f"{_shown(whole)} is not a valid EDTF date ({_edtf_help()})") from exc
    raise DateError(f"{_shown(whole)} is valid EDTF but cannot be shown in words ({_edtf_help()})")


def _say(part: str, style: str) -> str:
    match = _POINT.fullmatch(part)
    y, m, d, q = match["y"], match["m"], match["d"], match["q"]
    return _say_point(int(y), int(m) if m else None, int(d) if d else None, style) + QUALIFIERS[q]


def _say_point(y: int, m: int | None, d: int | None, style: str) -> str:
    if m is None:
        return str(y)
    if m > 12:
        return SUBYEARS[m].format(y=y)
    if d is None:
        return f"{MONTHS[m - 1]} {y}"
    if style == "iso":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if style == "month-day-year":
        return f"{MONTHS[m - 1]} {d}, {y}"
    return f"{d} {MONTHS[m - 1]} {y}"


Prefix = tuple[int, ...]  # (year,), (year, month) or (year, month, day): a date at its own precision


def prefix_bounds(fuzzy: FuzzyDate) -> tuple[Prefix | None, Prefix | None]:
    """The first and last year, month or day a date may mean, each at its own precision; None for an open end.

    "2023-21" (spring) is ((2023, 3), (2023, 5)); "2022-07/2024" is ((2022, 7), (2024,)); "../2024" is
    (None, (2024,)). Qualifiers (~ ? %) are not bounds: `display` says them.
    """
    if not fuzzy.edtf:
        return None, None
    parts = [_point_prefixes(part) for part in _parts(fuzzy.edtf)]
    return parts[0][0], parts[-1][1]


def _point_prefixes(part: str) -> tuple[Prefix | None, Prefix | None]:
    if part == "..":
        return None, None
    match = _POINT.fullmatch(part)
    year, month, day = int(match["y"]), match["m"], match["d"]
    if month is None:
        return (year,), (year,)
    if int(month) in SUBYEAR_MONTHS:
        first, last = SUBYEAR_MONTHS[int(month)]
        return (year, first), (year, last)
    point = (year, int(month)) if day is None else (year, int(month), int(day))
    return point, point


def prefix_text(prefix: Prefix) -> str:
    """A prefix as an ISO 8601 date at its precision: "2022", "2022-07", "2022-07-14"."""
    return "-".join([f"{prefix[0]:04d}", *(f"{n:02d}" for n in prefix[1:])])


_HTML_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?[~?%]?")


def html_datetime(edtf: str) -> str | None:
    """The EDTF date as a valid HTML `datetime` value at the precision it has, or None for a span.

    "2021-05-21?" is "2021-05-21" (the text says "uncertain"); a season or a quarter is its year.
    """
    match = _HTML_DATE.fullmatch(edtf)
    if not match:
        return None
    year, month, day = match.groups()
    if month is None or int(month) > 12:
        return year
    return f"{year}-{month}" if day is None else f"{year}-{month}-{day}"


def precision(fuzzy: FuzzyDate) -> str:
    """How much a date leaves open, from its bounds: a timeline sets a year with no closer date apart.

    "open" when one end is not given ("until 18 March 2024", "since 2022"): the timeline places it
    in order at the end it has, where "some time in 2024" would be untrue of it.
    """
    if fuzzy.upper[0] >= 9999 or fuzzy.lower[0] <= 1:
        return "open"
    days = (_date(*fuzzy.upper) - _date(*fuzzy.lower)).days
    for name, most in (("day", 0), ("month", 30), ("part", 183)):
        if days <= most:
            return name
    if fuzzy.lower[1:] == (1, 1) and fuzzy.upper[1:] == (12, 31) and fuzzy.lower[0] == fuzzy.upper[0]:
        return "year"  # a year, and no closer date: "some time in 2023"
    # Seven months of one year ("April 2022 – 27 October 2022") or across two are a period, placed at its start.
    return "part" if fuzzy.lower[0] == fuzzy.upper[0] else "span"
