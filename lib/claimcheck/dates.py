"""Dates as the papers print them, elapsed months between them, and the date rules.

A case report prints "Jun 2022" or "2020" as often as "Jun 13, 2022". Such a date stands for every
day it could be, so a `PartialDate` knows its earliest and latest possible day, and intervals between
two dates are ranges: a printed duration is only called inconsistent when no pair of possible days
reproduces it.

Months are counted two ways, and a printed duration is accepted under either reading:

- average months: elapsed days / 30.4375 (the mean Gregorian month, 365.25 / 12), rounded as printed;
- whole calendar months: completed calendar months (Jun 13 -> Jul 13 is one month), as a clinician
  counting on a calendar would print them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import pandas as pd

from .checks import Bounds, Check, ledger_rule
from .printed import Printed, parse_printed

__all__ = [
    "DAYS_PER_MONTH",
    "Precision",
    "PartialDate",
    "parse_date",
    "parse_date_list",
    "completed_calendar_months",
    "months_between",
    "months_from",
    "interval_matches_dates",
    "chronology",
    "age_range_at",
    "age_consistent",
    "count_of_dated_events",
    "interval_between_sessions",
    "elapsed_time_fits",
    "interval_without_end_date",
    "Labelled",
    "interval_from_candidate_origins",
    "interval_from_unstated_event",
    "same_date_agrees",
    "time_point_agrees",
    "followup_within_study_window",
    "median_followup_definition",
    "timeline",
]

DAYS_PER_MONTH = 30.4375
"""Mean Gregorian month length in days (365.25 / 12), used for "average month" arithmetic."""

Precision = Literal["year", "month", "day"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_MONTH_NAME = r"(?P<month>[A-Za-z]{3,9})\.?"
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?P<year>\d{4})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month_number>\d{1,2})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month_number>\d{1,2})-(?P<day>\d{1,2})$"),
    re.compile(rf"^{_MONTH_NAME},?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})$"),
)


@dataclass(frozen=True)
class PartialDate:
    """A date printed at year, month or day precision; `month`/`day` are None when not printed."""

    text: str
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError(f"a day without a month: {self.text!r}")
        try:
            dt.date(self.year, self.month or 1, self.day or 1)
        except ValueError as error:
            raise ValueError(f"impossible date {self.text!r}: {error}") from None

    @property
    def precision(self) -> Precision:
        """The finest part printed: "day", "month" or "year"."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def earliest(self) -> dt.date:
        """First day the printed date can stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """Last day the printed date can stand for (a month spans the whole month)."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def span_days(self) -> int:
        """Number of days the printed date can stand for (1 for a day-precise date)."""
        return (self.latest - self.earliest).days + 1

    @property
    def midpoint_ordinal(self) -> float:
        """Proleptic ordinal of the middle of the span (a half-day for even spans), for plotting."""
        return (self.earliest.toordinal() + self.latest.toordinal()) / 2

    def __str__(self) -> str:
        return self.text


def parse_date(text: str) -> PartialDate:
    """Parse a printed date: "2020", "Jun 2022", "June 2022", "Jun 13, 2022", "13 June 2022",
    "December 3, 2021", "2022-06-13", "2022-06".

    Raises ValueError naming the text when it is not a date, or is an impossible one (Feb 30).
    """
    cleaned = " ".join(str(text).strip().split())
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("month") is not None:
            month_key = parts["month"].lower()
            if month_key not in _MONTHS:
                raise ValueError(f"unknown month name in date {text!r}")
            month: int | None = _MONTHS[month_key]
        elif parts.get("month_number") is not None:
            month = int(parts["month_number"])
            if not 1 <= month <= 12:
                raise ValueError(f"impossible month in date {text!r}")
        else:
            month = None
        day = int(parts["day"]) if parts.get("day") is not None else None
        return PartialDate(text=cleaned, year=int(parts["year"]), month=month, day=day)
    raise ValueError(f"not a date this parser knows: {text!r}")


_LISTED_DAY = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?P<year>,?\s+\d{4})?")


def parse_date_list(text: str) -> list[PartialDate]:
    """Dates listed with a shared year, as papers print them: "April 13, August 24, December 16,
    2022, and March 23, 2023" -> Apr 13 2022, Aug 24 2022, Dec 16 2022, Mar 23 2023.

    A year applies to the days listed before it since the previous year. Raises ValueError naming
    the text when a listed day has no year after it, or is impossible.
    """
    dates: list[PartialDate] = []
    pending: list[tuple[str, str]] = []
    for match in _LISTED_DAY.finditer(str(text)):
        if match["month"].lower() not in _MONTHS:
            continue
        pending.append((match["month"], match["day"]))
        if match["year"]:
            year = match["year"].strip(", ")
            dates.extend(parse_date(f"{month} {day}, {year}") for month, day in pending)
            pending = []
    if pending or not dates:
        raise ValueError(f"listed dates without a year: {text!r}")
    return dates


def _as_date(value: PartialDate | str) -> PartialDate:
    return value if isinstance(value, PartialDate) else parse_date(value)


def completed_calendar_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (negative when `end` precedes `start`).

    A month is complete when the end day-of-month reaches the start's (Jan 31 -> Feb 28 is 0
    months, as in dateutil's relativedelta).
    """
    if end < start:
        return -completed_calendar_months(end, start)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def months_between(
    start: PartialDate | str,
    end: PartialDate | str,
    method: Literal["average", "calendar"] = "average",
) -> tuple[float, float]:
    """Range (low, high) of elapsed months compatible with both dates' precision.

    `method="average"`: days / 30.4375 (mean Gregorian month), low from the start's latest day to
    the end's earliest day, high from the start's earliest to the end's latest. `method="calendar"`:
    whole completed calendar months over the same extreme pairs. Negative when the end may precede
    the start.
    """
    first, second = _as_date(start), _as_date(end)
    if method == "calendar":
        return (
            float(completed_calendar_months(first.latest, second.earliest)),
            float(completed_calendar_months(first.earliest, second.latest)),
        )
    if method != "average":
        raise ValueError(f"unknown month-counting method {method!r}")
    low_days = (second.earliest - first.latest).days
    high_days = (second.latest - first.earliest).days
    return low_days / DAYS_PER_MONTH, high_days / DAYS_PER_MONTH


def months_from(origin: PartialDate | str, date: PartialDate | str) -> float:
    """Months (days / 30.4375) from the midpoint of `origin`'s span to the midpoint of `date`'s.

    For swimmer/Gantt charts: a month-precision date is drawn at the middle of its month.
    """
    return (_as_date(date).midpoint_ordinal - _as_date(origin).midpoint_ordinal) / DAYS_PER_MONTH


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _tolerance_interval(printed: Printed, approximate: bool) -> tuple[float, float]:
    """The values a printed duration can stand for; "approximately" widens the rounding interval
    to max(one printed unit, 10% of the value) either side, a deliberately generous reading.
    """
    if not approximate:
        return printed.lower, printed.upper
    radius = max(2 * printed.half_unit, 0.1 * abs(printed.value))
    return printed.value - radius, printed.value + radius


@ledger_rule
def interval_matches_dates(
    printed_months: str,
    start: PartialDate | str,
    end: PartialDate | str,
    approximate: bool = False,
    unit: Literal["months", "years"] = "months",
) -> Check:
    """A printed duration ("36" months PFS, "approximately 4" years) vs the dates it should span.

    Consistent when the printed value's rounding interval overlaps the range of average months
    the dates allow, or its whole number equals a possible count of completed calendar months.
    `approximate=True` reads "approximately N" as N ± max(one printed unit, 10%). `unit="years"`
    compares in years (months / 12).

    Parameters
    ----------
    printed_months : str
        The printed duration.
    start, end : PartialDate or str
        The printed dates it should span.
    approximate : bool, default False
        The paper prints "approximately".
    unit : {"months", "years"}, default "months"
        The unit of the printed duration.

    Returns
    -------
    Check
        ``low``/``high``: the least and greatest elapsed time the dates allow, in `unit`.

    Examples
    --------
    >>> interval_matches_dates("34", "Jun 13, 2022", "Apr 2025").verdict
    'consistent'
    """
    rule = "interval_matches_dates"
    printed = parse_printed(printed_months)
    first, second = _as_date(start), _as_date(end)
    scale = 12.0 if unit == "years" else 1.0
    low, high = (value / scale for value in months_between(first, second, "average"))
    cal_low, cal_high = months_between(first, second, "calendar")
    lower, upper = _tolerance_interval(printed, approximate)
    unit_word = "years" if unit == "years" else "months"
    working = (
        f"{first} to {second}: {_fmt(low)}-{_fmt(high)} {unit_word} "
        f"(days/{DAYS_PER_MONTH}), {cal_low:g}-{cal_high:g} completed calendar months"
    )
    reading = f"approximately (read as {lower:g}-{upper:g}) " if approximate else ""
    if lower <= high and low <= upper:
        return Check(
            rule,
            working,
            "consistent",
            f"printed {reading}{printed.text} {unit_word} is compatible with the {_fmt(low)}-{_fmt(high)} "
            f"{unit_word} the dates' precision allows",
            low=low,
            high=high,
        )
    # Completed calendar units are whole numbers; years complete every 12 completed months.
    whole_low, whole_high = int(cal_low // scale), int(cal_high // scale)
    if any(lower <= whole <= upper for whole in range(whole_low, whole_high + 1)):
        return Check(
            rule,
            working,
            "consistent",
            f"printed {reading}{printed.text} {unit_word} matches a count of completed calendar "
            f"{unit_word} ({whole_low}-{whole_high}), though not the rounded average-month span",
            low=low,
            high=high,
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"printed {reading}{printed.text} {unit_word} but {first} to {second} spans only "
        f"{_fmt(low)}-{_fmt(high)} {unit_word} even taking the earliest and latest possible days "
        f"({cal_low:g}-{cal_high:g} completed calendar months)",
        low=low,
        high=high,
    )


@ledger_rule
def chronology(events: Sequence[tuple[str, PartialDate | str]]) -> Check:
    """Events that must happen in the listed order (a cause before its effect).

    Inconsistent when a later-listed event's latest possible day precedes an earlier-listed event's
    earliest possible day; the explanation names the first such pair. Events whose spans overlap
    (e.g. "Jun 2022" and "Jun 13, 2022") can be in order, so they pass.

    Parameters
    ----------
    events : sequence of (str, PartialDate or str)
        Each event and its printed date, in the order they must happen.

    Returns
    -------
    Check
        Inconsistent when an event is dated wholly before one listed earlier.
    """
    rule = "chronology"
    dated = [(label, _as_date(value)) for label, value in events]
    if len(dated) < 2:
        return Check(rule, f"{len(dated)} dated event(s)", "not-checkable", "an order needs at least two dated events")
    working = " -> ".join(f"{label} ({date})" for label, date in dated)
    for later_index, (later_label, later_date) in enumerate(dated):
        for earlier_label, earlier_date in dated[:later_index]:
            if later_date.latest < earlier_date.earliest:
                return Check(
                    rule,
                    working,
                    "inconsistent",
                    f"{later_label} ({later_date}) must follow {earlier_label} ({earlier_date}) "
                    f"but ends by {later_date.latest.isoformat()}, before "
                    f"{earlier_date.earliest.isoformat()}, at any reading of the dates' precision",
                )
    return Check(
        rule, working, "consistent", f"the {len(dated)} events can occur in the stated order at the printed precision"
    )


def age_range_at(age_printed: str, reference_date: PartialDate | str, other_date: PartialDate | str) -> tuple[int, int]:
    """Ages in completed years possible at `other_date` for someone aged `age_printed` at
    `reference_date` (birthdays anywhere in the year that age allows, dates at their precision).
    """
    age = int(parse_printed(age_printed).value)
    reference, other = _as_date(reference_date), _as_date(other_date)
    # Aged `age` on day d means born in (d - (age + 1) years, d - age years].
    earliest_birth = _shift_years(reference.earliest, -(age + 1)) + dt.timedelta(days=1)
    latest_birth = _shift_years(reference.latest, -age)
    youngest = _completed_years(latest_birth, other.earliest)
    oldest = _completed_years(earliest_birth, other.latest)
    return youngest, oldest


def _shift_years(day: dt.date, years: int) -> dt.date:
    """Same calendar day `years` later (Feb 29 -> Feb 28 in a common year)."""
    target = day.year + years
    return dt.date(target, day.month, min(day.day, calendar.monthrange(target, day.month)[1]))


def _completed_years(birth: dt.date, on: dt.date) -> int:
    """Completed years; a Feb 29 birthday falls on Feb 28 in common years (as dateutil counts)."""
    years = on.year - birth.year
    return years - 1 if on < _shift_years(birth, years) else years


@ledger_rule
def age_consistent(
    age_printed: str,
    reference_date: PartialDate | str,
    other_age_printed: str,
    other_date: PartialDate | str,
) -> Check:
    """Two printed ages (completed years) at two dates: can one person have both?

    E.g. "48-year-old" in January 2018 and some age printed at a later visit.

    Parameters
    ----------
    age_printed : str
        The first printed age, in completed years.
    reference_date : PartialDate or str
        The date of the first age.
    other_age_printed : str
        The second printed age.
    other_date : PartialDate or str
        The date of the second age.

    Returns
    -------
    Check
        Inconsistent when no birthday gives both ages.

    Examples
    --------
    >>> age_consistent("48", "January 2018", "52", "June 2022").verdict
    'consistent'
    """
    rule = "age_consistent"
    youngest, oldest = age_range_at(age_printed, reference_date, other_date)
    other_age = parse_printed(other_age_printed).value
    working = f"aged {age_printed} at {reference_date} -> {youngest}-{oldest} at {other_date}"
    # The ages possible at the second date are the number this rule computes.
    span: Bounds = {"low": float(youngest), "high": float(oldest)}
    if youngest <= other_age <= oldest:
        return Check(
            rule,
            working,
            "consistent",
            f"age {other_age_printed} at {other_date} is possible for someone aged {age_printed} at {reference_date}",
            **span,
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"printed age {other_age_printed} at {other_date} but aged {age_printed} at {reference_date} "
        f"allows only {youngest}-{oldest} for any birthday and any day the printed dates can mean",
        **span,
    )


@ledger_rule
def count_of_dated_events(
    printed_count: str, dates: Sequence[PartialDate | str], undated_mentions: int = 0, *, counted: str = "events"
) -> Check:
    """A printed count ("eight TACE sessions") vs the sessions the paper dates, plus any it mentions
    without a date (`undated_mentions`, e.g. "we performed a second DEB-TACE").

    Consistent when the count equals dated + undated events; inconsistent when the paper dates
    more events than it counts; ambiguous when it counts more than it describes.

    An ordinal ("the fourth TACE, August 24, 2022") is the count of the sessions narrated up to and
    including the one it names: pass those, the ordinal as digits, and `counted` to say so.

    Parameters
    ----------
    printed_count : str
        The printed count (digits; an ordinal as its number).
    dates : sequence of PartialDate or str
        The dates of the sessions the paper narrates.
    undated_mentions : int, default 0
        Sessions the paper mentions without a date.
    counted : str, default "events"
        What the count counts, for the explanation.

    Returns
    -------
    Check
        As described above.
    """
    rule = "count_of_dated_events"
    count = parse_printed(printed_count).value
    dated = [_as_date(value) for value in dates]
    described = len(dated) + undated_mentions
    exact: Bounds = {"low": float(described), "high": float(described)}
    working = f"{len(dated)} dated ({', '.join(map(str, dated))}) + {undated_mentions} undated = {described}"
    if count == described:
        return Check(
            rule,
            working,
            "consistent",
            f"printed {printed_count} {counted} and the paper describes {described}",
            **exact,
        )
    if count < described:
        return Check(
            rule,
            working,
            "inconsistent",
            f"printed {printed_count} {counted} but the paper describes {described} distinct ones; "
            f"a count admits no rounding",
            **exact,
        )
    return Check(
        rule,
        working,
        "ambiguous",
        f"printed {printed_count} {counted} but the paper describes only {described}; "
        f"the paper does not say when the other {count - described:g} took place",
        **exact,
    )


@ledger_rule
def interval_between_sessions(
    printed_months: str,
    dates: Sequence[PartialDate | str],
    approximate: bool = False,
    *,
    undated_sessions: int = 0,
    undated_after: tuple[str, PartialDate | str] | None = None,
) -> Check:
    """A printed spacing ("a 3-month interval between each") vs consecutive dated sessions.

    Each consecutive gap must be compatible with the printed value (average-month rounding or
    completed calendar months, as in `interval_matches_dates`).

    `undated_sessions` follow the dated ones without a date of their own, but after the event
    `undated_after` (label, date), e.g. "two more TACE were recommended after the January 2012
    PET/CT". When even the shortest gap that allows, from the last dated session to that event,
    is longer than the printed spacing, "between each" cannot include that gap; the spacing may
    still describe the undated sessions among themselves, which nothing dates: ambiguous.

    Parameters
    ----------
    printed_months : str
        The printed spacing, in months.
    dates : sequence of PartialDate or str
        The dated sessions, in order.
    approximate : bool, default False
        The paper prints "approximately".
    undated_sessions : int, default 0
        Sessions after the dated ones without a date.
    undated_after : (str, PartialDate or str), optional
        The event the undated sessions follow, and its date.

    Returns
    -------
    Check
        As described above.
    """
    rule = "interval_between_sessions"
    dated = [_as_date(value) for value in dates]
    if undated_sessions and undated_after is not None and dated:
        label, after_printed = undated_after
        after = _as_date(after_printed)
        shortest, longest = months_between(dated[-1], after)
        shortest_calendar, _ = months_between(dated[-1], after, "calendar")
        _, printed_upper = _tolerance_interval(parse_printed(printed_months), approximate)
        working = (
            f"{dated[-1]} to {label} ({after}), which preceded the next session: {_fmt(shortest)}-{_fmt(longest)} "
            f"months; {undated_sessions} later session(s) undated"
        )
        if shortest > printed_upper and shortest_calendar > printed_upper:
            return Check(
                rule,
                working,
                "ambiguous",
                f"'a {printed_months}-month interval between each' cannot include the session of {dated[-1]}, "
                f"which preceded the next one by more than {_fmt(shortest)} months (the next came after "
                f"{label}); read as the spacing of the {undated_sessions} later sessions it cannot be "
                "checked, since they are undated",
            )
    if len(dated) < 2:
        return Check(
            rule,
            f"{len(dated)} dated session(s)",
            "not-checkable",
            "the paper does not date the sessions, so the spacing cannot be recomputed",
        )
    gaps = [interval_matches_dates(printed_months, first, second, approximate) for first, second in pairwise(dated)]
    ranges = []
    for first, second in pairwise(dated):
        low, high = months_between(first, second)
        ranges.append(f"{first}->{second}: {_fmt(low)}-{_fmt(high)}")
    working = "; ".join(ranges) + " months"
    failing = [pair for pair, gap in zip(pairwise(dated), gaps, strict=True) if gap.verdict != "consistent"]
    if not failing:
        return Check(
            rule,
            working,
            "consistent",
            f"every gap between the {len(dated)} sessions is compatible with {printed_months} months",
        )
    first, second = failing[0]
    low, high = months_between(first, second)
    return Check(
        rule,
        working,
        "inconsistent",
        f"printed {printed_months}-month interval but {first} to {second} spans {_fmt(low)}-{_fmt(high)} "
        f"months at any reading of the dates' precision",
    )


@ledger_rule
def elapsed_time_fits(
    start_label: str,
    start: PartialDate | str,
    steps: Sequence[tuple[str, int]],
    end_label: str,
    end: PartialDate | str,
) -> Check:
    """Whether the minimum time a printed sequence needs fits between two printed dates.

    `steps` are (what, minimum days) for the events the paper narrates between `start` and `end`,
    e.g. ("5 cycles every 3 weeks", 84). Inconsistent when even the earliest day `start` can mean
    plus every minimum exceeds the latest day `end` can mean; the explanation names the latest
    start date that would fit.

    Parameters
    ----------
    start_label : str
        The first event.
    start : PartialDate or str
        Its printed date.
    steps : sequence of (str, int)
        Each narrated step between the two events and its minimum days.
    end_label : str
        The second event.
    end : PartialDate or str
        Its printed date.

    Returns
    -------
    Check
        As described above.
    """
    rule = "elapsed_time_fits"
    first, last = _as_date(start), _as_date(end)
    minimum_days = sum(days for _, days in steps)
    earliest_finish = first.earliest + dt.timedelta(days=minimum_days)
    latest_start = last.latest - dt.timedelta(days=minimum_days)
    working = (
        f"{start_label} ({first}) earliest {first.earliest.isoformat()} + "
        + " + ".join(f"{what} ≥{days} d" for what, days in steps)
        + f" = {earliest_finish.isoformat()}; {end_label} ({last}) by {last.latest.isoformat()}"
    )
    if earliest_finish <= last.latest:
        return Check(
            rule,
            working,
            "consistent",
            f"the narrated steps need at least {minimum_days} days, which fit between {start_label} "
            f"({first}) and {end_label} ({last})",
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"{start_label} is printed as {first}, but the steps narrated before {end_label} need at "
        f"least {minimum_days} days, so {end_label} could come no earlier than "
        f"{earliest_finish.isoformat()}, after the printed {last}; {start_label} would have to fall on or "
        f"before {latest_start.isoformat()} for the printed dates to fit",
    )


def _shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (Jan 31 + 1 month -> Feb 28 or 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _span_text(first: dt.date, last: dt.date) -> str:
    """A span of days as a reader would name it: "June 2013" for a whole month, else ISO days."""
    whole_month = (
        first.day == 1
        and (first.year, first.month) == (last.year, last.month)
        and last.day == calendar.monthrange(last.year, last.month)[1]
    )
    if whole_month:
        return f"{calendar.month_name[first.month]} {first.year}"
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


@ledger_rule
def interval_without_end_date(printed_months: str, origins: Labelled, quantity: str = "the interval") -> Check:
    """A printed duration whose end the paper does not date ("18 months from the diagnoses", at the
    time of writing), counted from each candidate origin (label -> date).

    Without an end date nothing contradicts the duration, so it is never inconsistent: with one
    origin it is not-checkable (the working gives the month it would end in); with several that
    end in different months it is ambiguous, since the paper does not say from which it counts.
    Months are the printed whole number of calendar months.

    Parameters
    ----------
    printed_months : str
        The printed duration, in whole months.
    origins : mapping of str to PartialDate or str
        The candidate origins (label -> date), or (label, date) pairs.
    quantity : str, optional
        What the duration is, for the explanation.

    Returns
    -------
    Check
        Not-checkable or ambiguous, never inconsistent (see above).
    """
    rule = "interval_without_end_date"
    months = int(parse_printed(printed_months).value)
    starts = _labelled(origins)
    if not starts:
        raise ValueError("interval_without_end_date needs at least one candidate origin")
    ends = {
        label: _span_text(_shift_months(date.earliest, months), _shift_months(date.latest, months))
        for label, date in starts.items()
    }
    working = "; ".join(f"{months} months after {label} ({starts[label]}) = {end}" for label, end in ends.items())
    working += "; the end date is not printed"
    if len(set(ends.values())) <= 1:
        return Check(
            rule,
            working,
            "not-checkable",
            f"{quantity} ends in {next(iter(ends.values()))} by the paper's count, a date it does not print, "
            "so nothing can be compared with it",
        )
    return Check(
        rule,
        working,
        "ambiguous",
        f"{quantity} has no printed end date and the paper does not say from which event it counts; "
        + ", ".join(f"from {label} ({starts[label]}) it ends in {end}" for label, end in ends.items()),
    )


Labelled = Mapping[str, PartialDate | str] | Sequence[tuple[str, PartialDate | str]]
"""Candidate events: label -> printed date, or (label, printed date) pairs in the paper's order."""


def _labelled(candidates: Labelled) -> dict[str, PartialDate]:
    pairs = candidates.items() if isinstance(candidates, Mapping) else candidates
    return {label: _as_date(value) for label, value in pairs}


def _days_reproducing(
    printed: str, origin: PartialDate, end: PartialDate, approximate: bool, unit: Literal["months", "years"], label: str
) -> str:
    """When only some days of a partial end date reproduce a duration counted from a day-precise
    origin, say which: it tells the reader which day the paper must have meant.
    """
    if origin.precision != "day" or end.precision == "day":
        return ""
    days = [end.earliest + dt.timedelta(days=offset) for offset in range(end.span_days)]
    good = [
        day
        for day in days
        if interval_matches_dates(
            printed,
            origin,
            PartialDate(day.isoformat(), day.year, day.month, day.day),
            approximate=approximate,
            unit=unit,
        ).verdict
        == "consistent"
    ]
    if not good or len(good) == len(days):
        return ""
    return (
        f"from {label} only if the {end} date was {good[0].isoformat()} to {good[-1].isoformat()} "
        f"({len(good)} of its {len(days)} days)"
    )


@ledger_rule
def interval_from_candidate_origins(
    printed_months: str,
    origins: Labelled,
    end: PartialDate | str | Labelled,
    *,
    quantity: str = "the duration",
    approximate: bool = False,
    unit: Literal["months", "years"] = "months",
) -> Check:
    """A printed duration whose origin (or end) the paper does not define, e.g. a PFS that may run
    from the recurrence, the first or the second TACE.

    `origins` are the candidate start events (label -> date, or (label, date) pairs); `end` is one
    date or candidate end events likewise. Each (origin, end) pair is checked with
    `interval_matches_dates`. Consistent when every pair reproduces the printed value, inconsistent
    when none does, ambiguous when the verdict depends on the event chosen: the explanation names the
    pairs that fit, the spans of those that do not and, for a partial end date, the days it would
    have to mean.

    Parameters
    ----------
    printed_months : str
        The printed duration.
    origins : mapping of str to PartialDate or str
        The candidate start events (label -> date), or (label, date) pairs.
    end : PartialDate or str, or a mapping of them
        The end date, or candidate end events likewise.
    quantity : str, optional
        What the duration is, for the explanation.
    approximate : bool, default False
        The paper prints "approximately".
    unit : {"months", "years"}, default "months"
        The unit of the printed duration.

    Returns
    -------
    Check
        ``low``/``high``: the elapsed times the candidate pairs allow.
    """
    rule = "interval_from_candidate_origins"
    starts = _labelled(origins)
    single_end = isinstance(end, (PartialDate, str))
    ends = {"": _as_date(end)} if single_end else _labelled(end)  # type: ignore[arg-type]
    if not starts or not ends:
        return Check(
            rule,
            "no candidate events",
            "not-checkable",
            f"the paper dates no event from which {quantity} could be counted",
        )
    scale = 12.0 if unit == "years" else 1.0
    unit_word = "years" if unit == "years" else "months"
    pairs = {}
    for start_label, start in starts.items():
        for end_label, finish in ends.items():
            label = start_label if single_end else f"{start_label} to {end_label}"
            pairs[label] = (start, finish, interval_matches_dates(printed_months, start, finish, approximate, unit))
    recomputed = " | ".join(f"from {label}: {check.recomputed}" for label, (_, _, check) in pairs.items())
    holds = [label for label, (_, _, check) in pairs.items() if check.verdict == "consistent"]
    fails = [label for label in pairs if label not in holds]
    shown = f"{'approximately ' if approximate else ''}{printed_months} {unit_word}"
    # The recomputed range: every duration any candidate pair of events allows.
    ranges = [months_between(start, finish) for start, finish, _ in pairs.values()]
    span: Bounds = {"low": min(low for low, _ in ranges) / scale, "high": max(high for _, high in ranges) / scale}

    def spans(labels: Sequence[str]) -> str:
        parts = []
        for label in labels:
            start, finish, _ = pairs[label]
            low, high = months_between(start, finish)
            cal_low, cal_high = months_between(start, finish, "calendar")
            parts.append(
                f"{_fmt(low / scale)}-{_fmt(high / scale)} {unit_word} ({cal_low:g}-{cal_high:g} "
                f"completed calendar months) from {label}"
            )
        return "; ".join(parts)

    if not fails:
        return Check(
            rule,
            recomputed,
            "consistent",
            f"printed {shown} fits {quantity} from every candidate event ({', '.join(holds)})",
            **span,
        )
    if not holds:
        return Check(
            rule,
            recomputed,
            "inconsistent",
            f"printed {shown}, but the dates allow only {spans(fails)}, even at the extreme days the "
            f"dates' precision allows",
            **span,
        )
    windows = [
        window
        for label in holds
        if (window := _days_reproducing(printed_months, pairs[label][0], pairs[label][1], approximate, unit, label))
    ]
    narrowed = f", and {'; '.join(windows)}" if windows else ""
    # With one origin and several ends, what the paper leaves open is the event that ends the duration.
    unstated = (
        f"at which event {quantity} ends"
        if len(starts) == 1 and not single_end
        else f"from which event {quantity} is counted"
    )
    return Check(
        rule,
        recomputed,
        "ambiguous",
        f"printed {shown} holds from {', '.join(holds)} but not from {', '.join(fails)} "
        f"({spans(fails)}){narrowed}; the paper does not say {unstated}",
        **span,
    )


def interval_from_unstated_event(
    printed_months: str,
    starts: Sequence[tuple[str, PartialDate | str]],
    ends: Sequence[tuple[str, PartialDate | str]],
    quantity: str = "the interval",
    approximate: bool = False,
    unit: Literal["months", "years"] = "months",
) -> Check:
    """The former name and signature of `interval_from_candidate_origins`, kept for callers; its
    checks carry the rule name `interval_from_candidate_origins`.
    """
    return interval_from_candidate_origins(
        printed_months, starts, ends, quantity=quantity, approximate=approximate, unit=unit
    )


@ledger_rule
def same_date_agrees(printed: PartialDate | str, reference: PartialDate | str) -> Check:
    """Two printings of one event's date ("June 2022" and "Jun 13, 2022", "November 2011" and "2011")
    can stand for the same day.

    Each date stands for every day its precision allows; they agree when the spans share a day.

    Parameters
    ----------
    printed, reference : PartialDate or str
        The two printings of the date.

    Returns
    -------
    Check
        Inconsistent when the two spans share no day.

    Examples
    --------
    >>> same_date_agrees("June 2022", "Jun 13, 2022").verdict
    'consistent'
    """
    rule = "same_date_agrees"
    first, second = _as_date(printed), _as_date(reference)
    working = (
        f"{first} = {first.earliest.isoformat()}..{first.latest.isoformat()}; "
        f"{second} = {second.earliest.isoformat()}..{second.latest.isoformat()}"
    )
    if first.earliest <= second.latest and second.earliest <= first.latest:
        return Check(
            rule, working, "consistent", f"{first} and {second} can be the same day at their printed precision"
        )
    return Check(
        rule, working, "inconsistent", f"{first} and {second} share no day, so they cannot date the same event"
    )


@ledger_rule
def time_point_agrees(observation: str, printings: Labelled) -> Check:
    """One observation (a score, a finding) printed in several places, each attaching it to a date:
    can every printing refer to the same time?

    Consistent when the dates' spans share a day. Otherwise ambiguous, not inconsistent: the value
    may truly have held at each date, but the paper places one observation at different times and
    does not say which is meant.

    Parameters
    ----------
    observation : str
        The observation, as printed.
    printings : mapping of str to PartialDate or str
        Each place (label) and the date it attaches the observation to.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    rule = "time_point_agrees"
    dated = _labelled(printings)
    working = "; ".join(f"{label}: {date}" for label, date in dated.items())
    if len(dated) < 2:
        return Check(
            rule, working or "no dated printing", "not-checkable", f"{observation} is dated in fewer than two places"
        )
    latest_start = max(dated, key=lambda label: dated[label].earliest)
    earliest_end = min(dated, key=lambda label: dated[label].latest)
    if dated[latest_start].earliest <= dated[earliest_end].latest:
        return Check(rule, working, "consistent", f"{observation}: every printing can refer to the same day")
    return Check(
        rule,
        working,
        "ambiguous",
        f"{observation}: {earliest_end} ({dated[earliest_end]}) ends by "
        f"{dated[earliest_end].latest.isoformat()}, before {latest_start} ({dated[latest_start]}) "
        f"begins on {dated[latest_start].earliest.isoformat()}; the paper does not say which time it means",
    )


@ledger_rule
def followup_within_study_window(
    longest_months: str, first_treatment: PartialDate | str, data_cutoff: PartialDate | str
) -> Check:
    """The longest printed follow-up fits between the first treatment and the data cut-off.

    No patient can be followed longer than the window from the earliest possible day of the first
    treatment to the latest possible day of the cut-off (average months, within rounding).

    Parameters
    ----------
    longest_months : str
        The printed longest follow-up, in months.
    first_treatment, data_cutoff : PartialDate or str
        The printed dates of the first treatment and of the data cut-off.

    Returns
    -------
    Check
        Inconsistent when the printed follow-up exceeds the window at every value rounding allows.
    """
    rule = "followup_within_study_window"
    longest = parse_printed(longest_months)
    start, cutoff = _as_date(first_treatment), _as_date(data_cutoff)
    _, window = months_between(start, cutoff)
    working = f"{start} to {cutoff}: at most {_fmt(window)} months"
    if longest.lower <= window + 1e-9:
        return Check(
            rule,
            working,
            "consistent",
            f"the longest follow-up ({longest.text} months) fits between the first possible treatment "
            f"({start}) and the cut-off ({cutoff}), at most {_fmt(window)} months",
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"the longest follow-up ({longest.text} months) exceeds the {_fmt(window)} months between the first "
        f"possible treatment ({start}) and the cut-off ({cutoff}), at any reading of the dates' precision",
    )


@ledger_rule
def median_followup_definition(
    median_months: str,
    last_treatment: PartialDate | str,
    data_cutoff: PartialDate | str,
    first_treatment: PartialDate | str | None = None,
) -> Check:
    """A printed median follow-up against the two usual definitions, which the paper may not name.

    Every patient alive at the cut-off was treated by `last_treatment`, so was followed at least
    the months from then to `data_cutoff`; the reverse Kaplan-Meier median (follow-up of the
    survivors) is therefore at least that. A printed median below it fits only the median
    observation time of all patients, deaths included: ambiguous. A median longer than the whole
    window (from `first_treatment`, when given) is inconsistent under either definition.

    Parameters
    ----------
    median_months : str
        The printed median follow-up, in months.
    last_treatment, data_cutoff : PartialDate or str
        The end of enrolment (the last treatment) and the data cut-off.
    first_treatment : PartialDate or str, optional
        The first treatment, for the longest possible follow-up.

    Returns
    -------
    Check
        As described above.
    """
    rule = "median_followup_definition"
    median = parse_printed(median_months)
    last, cutoff = _as_date(last_treatment), _as_date(data_cutoff)
    shortest_survivor, _ = months_between(last, cutoff)
    working = f"survivors followed ≥ {_fmt(shortest_survivor)} months"
    if first_treatment is not None:
        _, window = months_between(_as_date(first_treatment), cutoff)
        if median.lower > window + 1e-9:
            return Check(
                rule,
                f"{working}; window at most {_fmt(window)} months",
                "inconsistent",
                f"a median follow-up of {median.text} months exceeds the {_fmt(window)} months from the first "
                f"treatment ({first_treatment}) to the cut-off ({cutoff}), under any definition",
            )
    if median.upper >= shortest_survivor - 1e-9:
        return Check(
            rule,
            working,
            "consistent",
            f"a median follow-up of {median.text} months is possible both as the reverse Kaplan-Meier median "
            f"(survivors followed at least {_fmt(shortest_survivor)} months) and as the median observation time",
        )
    return Check(
        rule,
        working,
        "ambiguous",
        f"the paper does not say how the median follow-up of {median.text} months was computed: patients "
        f"treated by {last} and alive at the cut-off ({cutoff}) were followed at least "
        f"{_fmt(shortest_survivor)} months, so the reverse Kaplan-Meier median would be at least that; "
        f"{median.text} is only possible as the median observation time of all patients, deaths included",
    )


def timeline(events: Sequence[tuple[str, PartialDate | str]], origin: PartialDate | str) -> pd.DataFrame:
    """One row per event for swimmer/Gantt charts: months from `origin`'s midpoint to the event's
    earliest day, midpoint and latest day (so a month-precision event can be drawn as a bar).
    """
    reference = _as_date(origin)
    rows = []
    for label, value in events:
        date = _as_date(value)
        rows.append(
            {
                "event": label,
                "printed": date.text,
                "precision": date.precision,
                "earliest": date.earliest,
                "latest": date.latest,
                "month_start": (date.earliest.toordinal() - reference.midpoint_ordinal) / DAYS_PER_MONTH,
                "month_mid": months_from(reference, date),
                "month_end": (date.latest.toordinal() - reference.midpoint_ordinal) / DAYS_PER_MONTH,
            }
        )
    return pd.DataFrame(
        rows, columns=["event", "printed", "precision", "earliest", "latest", "month_start", "month_mid", "month_end"]
    )
