"""Tests of claimcheck.dates, cross-checked against python-dateutil and pandas."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.dates import (
    DAYS_PER_MONTH,
    PartialDate,
    age_consistent,
    age_range_at,
    chronology,
    completed_calendar_months,
    count_of_dated_events,
    followup_within_study_window,
    interval_between_sessions,
    interval_from_candidate_origins,
    interval_from_unstated_event,
    interval_matches_dates,
    median_followup_definition,
    months_between,
    months_from,
    parse_date,
    parse_date_list,
    same_date_agrees,
    time_point_agrees,
    timeline,
)

DAY = dt.timedelta(days=1)


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020", "year", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        ("Jun 2022", "month", dt.date(2022, 6, 1), dt.date(2022, 6, 30)),
        ("June 2022", "month", dt.date(2022, 6, 1), dt.date(2022, 6, 30)),
        ("Feb 2024", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("Feb 2023", "month", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("Jun 13, 2022", "day", dt.date(2022, 6, 13), dt.date(2022, 6, 13)),
        ("13 June 2022", "day", dt.date(2022, 6, 13), dt.date(2022, 6, 13)),
        ("December 3, 2021", "day", dt.date(2021, 12, 3), dt.date(2021, 12, 3)),
        ("5 October 2024", "day", dt.date(2024, 10, 5), dt.date(2024, 10, 5)),
        ("2022-06-13", "day", dt.date(2022, 6, 13), dt.date(2022, 6, 13)),
        ("2022-06", "month", dt.date(2022, 6, 1), dt.date(2022, 6, 30)),
        ("Sept 2011", "month", dt.date(2011, 9, 1), dt.date(2011, 9, 30)),
    ],
)
def test_parse_date_spans(text: str, precision: str, earliest: dt.date, latest: dt.date) -> None:
    parsed = parse_date(text)
    assert (parsed.precision, parsed.earliest, parsed.latest) == (precision, earliest, latest)


@pytest.mark.parametrize("text", ["Feb 30, 2022", "2022-02-30", "2023-02-29", "2022-13", "31 April 2022", "Foo 2022", "soon"])
def test_parse_date_rejects_impossible_dates_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_date(text)


@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       layout=st.sampled_from(["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y-%m-%d"]))
def test_parse_date_round_trips_strftime(day: dt.date, layout: str) -> None:
    parsed = parse_date(day.strftime(layout))
    assert parsed.earliest == parsed.latest == day


def test_parse_date_list_shares_the_following_year() -> None:
    # Case 002: "four DEB-TACEs were performed on April 13, August 24, December 16, 2022, and March 23, 2023".
    listed = parse_date_list("April 13, August 24, December 16, 2022, and March 23, 2023")
    assert [d.earliest for d in listed] == [dt.date(2022, 4, 13), dt.date(2022, 8, 24),
                                            dt.date(2022, 12, 16), dt.date(2023, 3, 23)]
    with pytest.raises(ValueError, match="April 13, August 24"):
        parse_date_list("April 13, August 24")


_PERIOD_FREQ = {"year": "Y", "month": "M", "day": "D"}


@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       precision=st.sampled_from(["year", "month", "day"]))
def test_partial_date_span_matches_pandas_period(day: dt.date, precision: str) -> None:
    partial = PartialDate(
        text="generated",
        year=day.year,
        month=day.month if precision != "year" else None,
        day=day.day if precision == "day" else None,
    )
    period = pd.Period(day, freq=_PERIOD_FREQ[precision])
    assert partial.earliest == period.start_time.date()
    assert partial.latest == period.end_time.date()
    assert partial.span_days == period.end_time.normalize().toordinal() - period.start_time.toordinal() + 1


# --- month arithmetic ------------------------------------------------------------------------

_day_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@given(first=_day_dates, second=_day_dates)
def test_completed_calendar_months_matches_relativedelta(first: dt.date, second: dt.date) -> None:
    start, end = min(first, second), max(first, second)
    delta = relativedelta(end, start)
    assert completed_calendar_months(start, end) == delta.years * 12 + delta.months
    assert completed_calendar_months(end, start) == -(delta.years * 12 + delta.months)


@given(first=_day_dates, second=_day_dates)
def test_months_between_day_dates_is_pandas_day_difference(first: dt.date, second: dt.date) -> None:
    low, high = months_between(PartialDate("a", first.year, first.month, first.day),
                               PartialDate("b", second.year, second.month, second.day))
    expected = (pd.Timestamp(second) - pd.Timestamp(first)).days / 30.4375
    assert low == pytest.approx(expected) and high == pytest.approx(expected)


def _partial(day: dt.date, precision: str) -> PartialDate:
    return PartialDate(
        text=day.isoformat(),
        year=day.year,
        month=day.month if precision != "year" else None,
        day=day.day if precision == "day" else None,
    )


@settings(max_examples=200)
@given(
    first=_day_dates,
    second=_day_dates,
    first_precision=st.sampled_from(["year", "month", "day"]),
    second_precision=st.sampled_from(["year", "month", "day"]),
    first_offset=st.floats(0, 1),
    second_offset=st.floats(0, 1),
)
def test_months_between_contains_every_day_precise_reading(
    first: dt.date, second: dt.date, first_precision: str, second_precision: str,
    first_offset: float, second_offset: float,
) -> None:
    start, end = _partial(first, first_precision), _partial(second, second_precision)
    # Any day inside each printed span is a possible truth; its exact value must lie in the range.
    true_start = start.earliest + int(first_offset * (start.span_days - 1)) * DAY
    true_end = end.earliest + int(second_offset * (end.span_days - 1)) * DAY
    low, high = months_between(start, end)
    exact = (pd.Timestamp(true_end) - pd.Timestamp(true_start)).days / 30.4375
    assert low <= exact + 1e-12 and exact <= high + 1e-12
    cal_low, cal_high = months_between(start, end, "calendar")
    if true_end >= true_start:
        delta = relativedelta(true_end, true_start)
        assert cal_low <= delta.years * 12 + delta.months <= cal_high
    assert cal_low <= cal_high


def test_months_between_month_precision_worked_example() -> None:
    # Jun 2022 -> Apr 2025: Jun 30 2022 -> Apr 1 2025 is 1006 days, Jun 1 2022 -> Apr 30 2025 is 1064.
    low, high = months_between("Jun 2022", "Apr 2025")
    assert low == pytest.approx(1006 / 30.4375)
    assert high == pytest.approx(1064 / 30.4375)
    assert months_between("Jun 2022", "Apr 2025", "calendar") == (33.0, 34.0)


def test_months_from_uses_span_midpoints() -> None:
    assert DAYS_PER_MONTH == 365.25 / 12
    assert months_from("2022-06-13", "2022-06-13") == 0.0
    # June 2022 spans 30 days; its midpoint is 14.5 days after June 1.
    assert months_from("2022-06-01", "Jun 2022") == pytest.approx(14.5 / 30.4375)
    days = (pd.Timestamp("2025-04-15") - pd.Timestamp("2022-06-13")).days
    assert months_from("Jun 13, 2022", "2025-04-15") == pytest.approx(days / 30.4375)


# --- interval_matches_dates ------------------------------------------------------------------


def test_interval_consistent_os_from_first_deb_tace_to_death() -> None:
    # Case 002: first DEB-TACE December 3, 2021; death 5 October 2024; printed OS 34 months.
    check = interval_matches_dates("34", "December 3, 2021", "5 October 2024")
    assert check.rule == "interval_matches_dates"
    assert check.verdict == "consistent"
    days = (pd.Timestamp("2024-10-05") - pd.Timestamp("2021-12-03")).days
    assert f"{days / 30.4375:.1f}" in check.recomputed


def test_interval_inconsistent_36_month_pfs_from_first_tace_to_april_2025() -> None:
    # Case 000: first TACE Jun 13, 2022; last follow-up Apr 2025 allows 33.6-34.6 months.
    check = interval_matches_dates("36", "Jun 13, 2022", "Apr 2025")
    assert check.verdict == "inconsistent"
    assert "36" in check.explanation and "34.6" in check.explanation
    assert "\n" not in check.explanation


def test_interval_accepts_completed_calendar_months_reading() -> None:
    # 1064 days is 34.96 average months (prints as 35), but relativedelta counts 34 whole months.
    assert relativedelta(dt.date(2022, 12, 30), dt.date(2020, 1, 31)).months == 10
    check = interval_matches_dates("34", "2020-01-31", "2022-12-30")
    assert check.verdict == "consistent"
    assert "calendar" in check.explanation


def test_interval_approximately_widens_the_reading() -> None:
    # 2020-01-01 -> 2022-09-10 is 983 days = 32.3 months, 32 completed months: not "30" ...
    assert interval_matches_dates("30", "2020-01-01", "2022-09-10").verdict == "inconsistent"
    # ... but "approximately 30 months" is read as 27-33.
    check = interval_matches_dates("30", "2020-01-01", "2022-09-10", approximate=True)
    assert check.verdict == "consistent"
    assert "approximately" in check.explanation


def test_interval_in_years_for_approximately_four_years() -> None:
    # Case 000: resection Feb 2018, recurrence June 2022, "approximately 4 years".
    assert interval_matches_dates("4", "Feb 2018", "June 2022", approximate=True, unit="years").verdict == "consistent"
    assert interval_matches_dates("2", "Feb 2018", "June 2022", approximate=True, unit="years").verdict == "inconsistent"


# --- chronology ------------------------------------------------------------------------------


def test_chronology_consistent_case_000_timeline() -> None:
    events = [
        ("initial diagnosis", "Jan 2018"),
        ("tumor resection", "Feb 2018"),
        ("recurrence confirmation", "Jun 2022"),
        ("first TACE", "Jun 13, 2022"),
        ("second TACE", "Jul 14, 2022"),
        ("final follow-up", "Apr 2025"),
    ]
    check = chronology(events)
    assert (check.rule, check.verdict) == ("chronology", "consistent")


def test_chronology_inconsistent_when_tace_precedes_the_resection_it_followed() -> None:
    # Case 003: neck mass resected December 2011, then staging and 5 chemotherapy cycles, then TACE "July 2011".
    check = chronology([("cervical resection", "December 2011"), ("first TACE", "July 2011"), ("RFA", "October 2011")])
    assert check.verdict == "inconsistent"
    assert "first TACE" in check.explanation and "cervical resection" in check.explanation


def test_chronology_overlapping_spans_can_be_in_order() -> None:
    assert chronology([("recurrence", "Jun 13, 2022"), ("biopsy", "Jun 2022")]).verdict == "consistent"
    assert chronology([("x", "2022")]).verdict == "not-checkable"


# --- ages ------------------------------------------------------------------------------------


def _brute_force_age_range(age: int, reference: PartialDate, other: dt.date) -> tuple[int, int]:
    ages = set()
    birth = reference.earliest - relativedelta(years=age + 1)
    while birth <= reference.latest - relativedelta(years=age):
        if any(relativedelta(reference.earliest + offset * DAY, birth).years == age
               for offset in range(reference.span_days)):
            ages.add(relativedelta(other, birth).years)
        birth += DAY
    return min(ages), max(ages)


@pytest.mark.parametrize(("reference", "other"), [("Jan 2018", dt.date(2025, 4, 15)), ("2020-02-29", dt.date(2021, 2, 28))])
def test_age_range_matches_brute_force_over_birthdays(reference: str, other: dt.date) -> None:
    expected = _brute_force_age_range(48, parse_date(reference), other)
    assert age_range_at("48", reference, other.isoformat()) == expected


def test_age_consistent_and_inconsistent() -> None:
    # Case 000: 48 years old in January 2018 -> 55 or 56 in April 2025.
    assert age_consistent("48", "January 2018", "56", "Apr 2025").verdict == "consistent"
    check = age_consistent("48", "January 2018", "58", "Apr 2025")
    assert (check.rule, check.verdict) == ("age_consistent", "inconsistent")
    assert "55-56" in check.explanation
    # The ages possible in April 2025 are the rule's number: 55 (birthday not yet reached) to 56.
    assert (check.low, check.high) == (55.0, 56.0)


# --- counts and spacing ----------------------------------------------------------------------

FOUR_DEB_TACES = ["April 13, 2022", "August 24, 2022", "December 16, 2022", "March 23, 2023"]
CASE_002_DATED_SESSIONS = ["December 3, 2021", *FOUR_DEB_TACES, "June 21, 2023"]


def test_count_consistent_four_deb_taces() -> None:
    check = count_of_dated_events("4", FOUR_DEB_TACES)
    assert (check.rule, check.verdict) == ("count_of_dated_events", "consistent")


def test_count_eight_sessions_needs_the_undated_ones() -> None:
    # Case 002 dates six sessions and mentions two more without dates (the second; the one after March 19, 2024).
    assert count_of_dated_events("8", CASE_002_DATED_SESSIONS, undated_mentions=2).verdict == "consistent"
    assert count_of_dated_events("8", CASE_002_DATED_SESSIONS).verdict == "ambiguous"
    # The number the rule computes is the sessions the paper describes: 6 dated + 2 undated.
    check = count_of_dated_events("8", CASE_002_DATED_SESSIONS, undated_mentions=2)
    assert (check.low, check.high) == (8.0, 8.0)
    assert (count_of_dated_events("8", CASE_002_DATED_SESSIONS).low) == 6.0


def test_count_inconsistent_when_more_events_are_dated_than_counted() -> None:
    check = count_of_dated_events("3", FOUR_DEB_TACES)
    assert check.verdict == "inconsistent"
    assert "3" in check.explanation and "4" in check.explanation


def test_interval_between_sessions() -> None:
    quarterly = ["2012-01-15", "2012-04-15", "2012-07-15"]
    check = interval_between_sessions("3", quarterly)
    assert (check.rule, check.verdict) == ("interval_between_sessions", "consistent")
    late = interval_between_sessions("3", ["2012-01-15", "2012-04-15", "2012-09-15"])
    assert late.verdict == "inconsistent"
    assert "2012-04-15" in late.explanation and "2012-09-15" in late.explanation
    # Case 003 prints "a 3-month interval between each" without dating the later sessions.
    assert interval_between_sessions("3", ["July 2011"]).verdict == "not-checkable"


def test_interval_between_sessions_approximately() -> None:
    # 2012-01-01 -> 2012-05-05 is 125 days = 4.1 months, 4 completed months: not "3",
    # but within "approximately 3" (read as 2-4).
    assert relativedelta(dt.date(2012, 5, 5), dt.date(2012, 1, 1)).months == 4
    assert interval_between_sessions("3", ["2012-01-01", "2012-05-05"]).verdict == "inconsistent"
    assert interval_between_sessions("3", ["2012-01-01", "2012-05-05"], approximate=True).verdict == "consistent"


# --- candidate origins (unstated start events) ---------------------------------------------


def test_unstated_event_consistent_when_every_candidate_fits() -> None:
    # Dec 3, 2021 -> Oct 5, 2024 = 1037 days = 34.07 months; Dec 6 -> Oct 5 = 1034 days = 33.97:
    # both print as 34. The former name keeps working and reports the merged rule.
    check = interval_from_unstated_event(
        "34", [("first DEB-TACE", "December 3, 2021"), ("start of anlotinib", "December 6, 2021")],
        [("death", "5 October 2024")], quantity="OS")
    assert (check.rule, check.verdict) == ("interval_from_candidate_origins", "consistent")


def test_unstated_event_ambiguous_names_the_missing_definition() -> None:
    # Case 002: PFS 29 months to May 2024. Dec 3, 2021 -> May 1-31, 2024: 880-910 days = 28.9-29.9
    # months, admits 29. Feb 2022 -> May 2024: Feb 28 -> May 1 = 793 days = 26.1 months up to
    # Feb 1 -> May 31 = 850 days = 27.9 months: never 29 (at most 27 completed calendar months).
    check = interval_from_unstated_event(
        "29", [("first DEB-TACE", "December 3, 2021"), ("second DEB-TACE", "Feb 2022")],
        [("progression", "May 2024")], quantity="PFS")
    assert check.verdict == "ambiguous"
    assert "does not say from which event PFS is counted" in check.explanation
    holds, fails = check.explanation.split(" but not from ")
    assert "first DEB-TACE" in holds and "second DEB-TACE" not in holds
    assert fails.startswith("second DEB-TACE") and "26.1-27.9 months" in fails


def test_unstated_event_inconsistent_when_no_candidate_fits() -> None:
    # Case 000: "36-month PFS" from recurrence or either TACE to the final visit in April 2025.
    starts = [("recurrence", "Jun 2022"), ("first TACE", "Jun 13, 2022"), ("second TACE", "Jul 14, 2022")]
    check = interval_from_unstated_event("36", starts, [("final follow-up", "Apr 2025")], quantity="PFS")
    assert check.verdict == "inconsistent"
    assert interval_from_unstated_event("36", [], [("final follow-up", "Apr 2025")]).verdict == "not-checkable"


def test_candidate_origins_with_a_single_end_date() -> None:
    end = "Jan 2023"
    # Jul 14, 2022 -> Jan 1, 2023 = 171 days = 5.62 months; -> Jan 31 = 201 days = 6.60: admits 6.
    # Feb 2018 -> Jan 2023: Feb 28, 2018 -> Jan 1, 2023 = 1768 days = 58.1 months at the least.
    second = {"second TACE": "Jul 14, 2022"}
    assert interval_from_candidate_origins("6", second, end).verdict == "consistent"
    with_resection = {"resection": "Feb 2018", **second}
    ambiguous = interval_from_candidate_origins("6", with_resection, end)
    assert (ambiguous.rule, ambiguous.verdict) == ("interval_from_candidate_origins", "ambiguous")
    assert "58.1-" in ambiguous.explanation
    # 12 months fits neither 5.6-6.6 nor 58.1 and more.
    assert interval_from_candidate_origins("12", with_resection, end).verdict == "inconsistent"


def test_candidate_origins_names_the_days_a_month_precise_end_would_need() -> None:
    # "35 months" from Jun 13, 2022 to some day of April 2025: 34.5 months = 1050.1 days, so Apr 29
    # (1051 days, 34.53) and Apr 30 (1052 days, 34.56) print 35; Apr 28 (1050 days, 34.497) prints 34.
    check = interval_from_candidate_origins("35", [("resection", "Feb 2018"), ("first TACE", "Jun 13, 2022")],
                                            "Apr 2025")
    assert check.verdict == "ambiguous"
    assert "2025-04-29 to 2025-04-30 (2 of its 30 days)" in check.explanation


def test_candidate_origins_accepts_candidate_ends() -> None:
    # From Jan 1, 2020: to Jan 1, 2021 = 366 days = 12.02 months (prints 12); to Jul 1, 2021 =
    # 547 days = 17.97 months (prints 18).
    check = interval_from_candidate_origins("12", {"surgery": "2020-01-01"},
                                            {"last visit": "2021-01-01", "death": "2021-07-01"})
    assert check.verdict == "ambiguous"
    assert "surgery to last visit but not from surgery to death" in check.explanation


# --- agreement of dates ----------------------------------------------------------------------


def test_same_date_agrees_when_the_spans_share_a_day() -> None:
    # "June 2022" spans Jun 1-30, 2022, which contains Jun 13.
    check = same_date_agrees("June 2022", "Jun 13, 2022")
    assert (check.rule, check.verdict) == ("same_date_agrees", "consistent")


def test_same_date_disagrees_when_the_spans_are_disjoint() -> None:
    # Jul 14, 2022 is before Aug 1, 2022, the first day "Aug 2022" can mean.
    assert same_date_agrees("Jul 14, 2022", "Aug 2022").verdict == "inconsistent"
    # Adjacent month-precision dates still share no day: Jul 31 < Aug 1.
    assert same_date_agrees("Jul 2022", "Aug 2022").verdict == "inconsistent"


def test_same_date_agrees_across_year_and_month_precision() -> None:
    # "2011" spans Jan 1-Dec 31, 2011, which contains November 2011; "2012" does not.
    assert same_date_agrees("2011", "November 2011").verdict == "consistent"
    assert same_date_agrees("2012", "November 2011").verdict == "inconsistent"


# Windows worked by hand for the AICE cohort's dates (enrolment November 2011-April 2020, cut-off Nov 15, 2023):
# Nov 1, 2011 -> Nov 1, 2023 is 12 years with 3 leap days (2012, 2016, 2020) = 4383 days, + 14 = 4397 days
# = 144.46 months of 30.4375 days. Apr 30, 2020 -> Apr 30, 2023 = 1095 days; -> Oct 31 = +184; -> Nov 15 = +15:
# 1294 days = 42.51 months.


def test_followup_within_study_window() -> None:
    check = followup_within_study_window("112.5", "November 2011", "November 15, 2023")
    assert (check.rule, check.verdict) == ("followup_within_study_window", "consistent")
    assert "144.5" in check.recomputed
    # 144.5 stands for [144.45, 144.55), which reaches 144.46; 144.6 ([144.55, 144.65)) does not.
    assert followup_within_study_window("144.5", "November 2011", "November 15, 2023").verdict == "consistent"
    assert followup_within_study_window("144.6", "November 2011", "November 15, 2023").verdict == "inconsistent"


def test_median_followup_definition() -> None:
    # 23.5 months ([23.45, 23.55)) is below the 42.51 months every survivor was followed.
    short = median_followup_definition("23.5", "April 2020", "November 15, 2023")
    assert (short.rule, short.verdict) == ("median_followup_definition", "ambiguous")
    assert "42.5" in short.recomputed
    # 42.5 stands for [42.45, 42.55), which reaches 42.51; 42.4 ([42.35, 42.45)) does not.
    assert median_followup_definition("42.5", "April 2020", "November 15, 2023").verdict == "consistent"
    assert median_followup_definition("42.4", "April 2020", "November 15, 2023").verdict == "ambiguous"
    # Longer than the whole window (at most 144.46 months) under any definition.
    too_long = median_followup_definition("150.0", "April 2020", "November 15, 2023", "November 2011")
    assert too_long.verdict == "inconsistent"
    # Without the first treatment date the window cannot be bounded, so only the definition is judged.
    assert median_followup_definition("150.0", "April 2020", "November 15, 2023").verdict == "consistent"


def test_time_point_agrees() -> None:
    same = time_point_agrees("MSTS 28/30", {"text": "Aug 2022", "table": "Aug 20, 2022", "figure": "2022"})
    assert (same.rule, same.verdict) == ("time_point_agrees", "consistent")
    # Table row Jul 14, 2022 vs the text's one-month visit in Aug 2022 (from Aug 1): no common day.
    apart = time_point_agrees("VAS 2/10", {"Table 2": "Jul 14, 2022", "text": "Aug 2022"})
    assert apart.verdict == "ambiguous"
    assert "2022-07-14" in apart.explanation and "2022-08-01" in apart.explanation
    assert time_point_agrees("VAS", {"text": "Aug 2022"}).verdict == "not-checkable"


def test_timeline_positions_match_pandas() -> None:
    frame = timeline([("first TACE", "Jun 13, 2022"), ("final follow-up", "Apr 2025")], origin="Jun 13, 2022")
    assert list(frame["event"]) == ["first TACE", "final follow-up"]
    april = pd.Period("2025-04", freq="M")
    origin = pd.Timestamp("2022-06-13")
    assert frame.loc[1, "month_start"] == pytest.approx((april.start_time - origin).days / 30.4375)
    assert frame.loc[1, "month_end"] == pytest.approx((april.end_time.normalize() - origin).days / 30.4375)
    assert frame.loc[1, "month_start"] < frame.loc[1, "month_mid"] < frame.loc[1, "month_end"]
    assert frame.loc[0, "month_mid"] == 0.0


# --- rules moved out of the LMS case audits ---------------------------------------------------

from claimcheck import dates as dates_module  # noqa: E402


def test_elapsed_time_fits_names_the_latest_start_that_would_fit():
    # Dec 1, 2011 + 84 days = Feb 23, 2012 (30 + 31 + 23), after July 31, 2011; the latest start that
    # fits is July 31 - 84 days = May 8, 2011.
    check = dates_module.elapsed_time_fits("resection", "December 2011", [("cycles", 84)], "TACE", "July 2011")
    assert check.verdict == "inconsistent"
    assert "2012-02-23" in check.explanation and "2011-05-08" in check.explanation
    # From December 1, 2010: Feb 22, 2011 <= July 31, 2011.
    assert dates_module.elapsed_time_fits("resection", "December 2010", [("cycles", 84)], "TACE",
                                          "July 2011").verdict == "consistent"


def test_interval_without_end_date_by_origin():
    # 18 calendar months after December 2011 is June 2013; after December 2010, June 2012.
    check = dates_module.interval_without_end_date("18", {"a": "December 2011", "b": "December 2010"})
    assert check.verdict == "ambiguous"
    assert "= June 2013" in check.recomputed and "= June 2012" in check.recomputed
    one = dates_module.interval_without_end_date("18", {"a": "Jan 31, 2020"})
    # Jan 31, 2020 + 18 months = Jul 31, 2021.
    assert one.verdict == "not-checkable" and "2021-07-31" in one.recomputed


def test_an_ordinal_is_the_count_of_sessions_up_to_it():
    # "fourth": 3 dated + 1 undated = 4; "fifth" would overcount (ambiguous), "third" undercount.
    dated = ["December 3, 2021", "April 13, 2022", "August 24, 2022"]
    assert dates_module.count_of_dated_events("4", dated, 1, counted="sessions up to this one").verdict == "consistent"
    assert dates_module.count_of_dated_events("5", dated, 1, counted="sessions up to this one").verdict == "ambiguous"
    check = dates_module.count_of_dated_events("3", dated, 1, counted="sessions up to this one")
    assert check.verdict == "inconsistent" and "sessions up to this one" in check.explanation


def test_spacing_of_undated_sessions_after_a_known_event():
    # July 31, 2011 -> January 1, 2012 = 154 days = 5.06 months > 3.5: "3 months between each" cannot
    # include the first gap.
    check = dates_module.interval_between_sessions("3", ["July 2011"], undated_sessions=2,
                                                   undated_after=("the PET/CT", "January 2012"))
    assert check.verdict == "ambiguous" and "5.1" in check.explanation
    # Aug 31 -> Oct 1, 2011 = 31 days: a 3-month spacing is still possible, and nothing else is dated.
    assert dates_module.interval_between_sessions("3", ["August 2011"], undated_sessions=2,
                                                  undated_after=("the CT", "October 2011")).verdict == "not-checkable"
