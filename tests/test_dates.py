"""Fuzzy dates: shown at their own precision, sorted by their bounds, bad ones refused."""

import pytest
from edtf import parse_edtf
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from threadline.inputs.dates import SUBYEAR_MONTHS, DateError, parse_date


@pytest.mark.parametrize(("edtf", "shown"), [
    ("2021-05-21", "21 May 2021"),
    ("2021-02", "February 2021"),
    ("2019", "2019"),
    ("2023-12~", "December 2023 (approx.)"),
    ("2021?", "2021 (uncertain)"),
    ("2021-05%", "May 2021 (approx., uncertain)"),
    ("2022-07/2024", "July 2022 – 2024"),
    ("2022-41/2024", "second half of 2022 – 2024"),
    ("2023-36~", "October–December 2023 (approx.)"),
    ("2023-21", "spring 2023"),
    ("2022-07/..", "since July 2022"),
    ("../2024", "until 2024"),
])
def test_display_in_words(edtf: str, shown: str) -> None:
    assert parse_date(edtf).display() == shown


@pytest.mark.parametrize(("style", "shown"), [
    ("day-month-year", "21 May 2021"), ("month-day-year", "May 21, 2021"), ("iso", "2021-05-21"),
])
def test_date_styles(style: str, shown: str) -> None:
    assert parse_date("2021-05-21").display(style) == shown


def test_bounds_follow_precision() -> None:
    assert (parse_date("2021-02").lower, parse_date("2021-02").upper) == ((2021, 2, 1), (2021, 2, 28))
    assert parse_date("2022-41/2024").lower == (2022, 7, 1)


def test_month_sorts_before_a_day_late_in_that_month() -> None:
    """"May 2021" starts on 1 May: it must not be filed after 21 May, nor pretend to be 31 May."""
    dates = [parse_date(d) for d in ("2021-05-21", "2021-05", "2021", "2020-12~")]
    assert [d.edtf for d in sorted(dates, key=lambda d: d.sort_key)] == ["2020-12~", "2021", "2021-05", "2021-05-21"]


@pytest.mark.parametrize(("edtf", "message"), [
    ("2021-13", "'2021-13' is not a valid EDTF date"),
    ("2021-02-30", "'2021-02-30' is not a valid date: February 2021 has 28 days"),
    ("2024-04-31", "'2024-04-31' is not a valid date: April 2024 has 30 days"),
    ("May 2021", "'May 2021' is not a valid EDTF date"),
    ("2022-XX", "'2022-XX' is valid EDTF but cannot be shown in words"),
    ("2021-25", "'2021-25': 25 is neither a month nor a season, quarter or half we can show"),
    ("2024/2022", "'2024/2022': the interval ends before it starts"),
])
def test_bad_dates_are_refused(edtf: str, message: str) -> None:
    with pytest.raises(DateError) as error:
        parse_date(edtf)
    assert str(error.value).startswith(message)


@settings(max_examples=80, deadline=None)  # the edtf package takes ~10 ms a parse
@given(st.integers(1000, 2999), st.integers(0, 41), st.integers(0, 31), st.sampled_from(["", "~", "?", "%"]))
def test_bounds_agree_with_the_edtf_package(year: int, month: int, day: int, qualifier: str) -> None:
    """Our fast reading of the shown forms gives the edtf package's strict bounds, or refuses too."""
    assume(not (month > 12 and qualifier))  # qualified seasons: we accept them, the package does not
    text = f"{year}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "") + qualifier
    try:
        theirs = parse_edtf(text)
    except Exception:  # the package refuses it: so must we
        with pytest.raises(DateError):
            parse_date(text)
        return
    if month > 12 and month not in SUBYEAR_MONTHS:  # valid, but no way to say it in words
        with pytest.raises(DateError, match="neither a month nor a season"):
            parse_date(text)
        return
    ours = parse_date(text)
    assert (ours.lower, ours.upper) == (tuple(theirs.lower_strict()[:3]), tuple(theirs.upper_strict()[:3]))


def test_open_start_is_filed_under_its_end_year() -> None:
    until = parse_date("../2021-05-24")
    assert (until.year, until.display()) == (2021, "until 24 May 2021")
    dates = [parse_date(d) for d in ("2021-06", "../2021-05-24", "2020")]
    assert [d.edtf for d in sorted(dates, key=lambda d: d.sort_key)] == ["2020", "../2021-05-24", "2021-06"]
