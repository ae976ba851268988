"""Rounding intervals of printed numbers, checked against half-up rounding done by Decimal."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.printed import Printed, as_printed, parse_printed, round_half_up

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
places = st.integers(min_value=0, max_value=4)


@given(x=finite, d=places)
def test_the_printing_of_a_value_admits_it(x: float, d: int) -> None:
    assert parse_printed(round_half_up(x, d)).admits(x)


@given(x=finite, d=places)
def test_values_beyond_the_rounding_interval_are_not_admitted(x: float, d: int) -> None:
    printed = parse_printed(round_half_up(x, d))
    step = 10.0 ** (-d)
    # A tenth of a unit beyond either edge is well clear of the few-ulp tolerance.
    assert not printed.admits(printed.upper + 0.1 * step)
    assert not printed.admits(printed.lower - 0.1 * step)


@given(x=finite, d=places)
def test_rounding_interval_has_the_width_of_one_printed_unit(x: float, d: int) -> None:
    printed = parse_printed(round_half_up(x, d))
    assert printed.upper - printed.lower == pytest.approx(10.0 ** (-d))


def test_half_up_rounds_ties_away_from_zero_as_papers_do() -> None:
    # Python's round() gives round(2.5) == 2 (banker's rounding); papers print 3.
    assert round_half_up(2.5, 0) == "3"
    assert round_half_up(8.85, 1) == "8.9"
    assert round_half_up(-1.25, 1) == "-1.3"


@pytest.mark.parametrize(
    ("text", "value", "decimals", "lower", "upper"),
    [
        ("8.9", 8.9, 1, 8.85, 8.95),
        ("45.1%", 45.1, 1, 45.05, 45.15),
        ("0.560", 0.56, 3, 0.5595, 0.5605),
        ("113", 113.0, 0, 112.5, 113.5),
        ("<0.001", 0.001, 3, -math.inf, 0.001),
        (">5", 5.0, 0, 5.0, math.inf),
        ("−0.5", -0.5, 1, -0.55, -0.45),
    ],
)
def test_parse_printed_reads_value_precision_and_interval(
    text: str, value: float, decimals: int, lower: float, upper: float
) -> None:
    printed = parse_printed(text)
    assert printed.value == pytest.approx(value)
    assert printed.decimals == decimals
    assert printed.lower == pytest.approx(lower)
    assert printed.upper == pytest.approx(upper)


def test_bounds_admit_by_their_comparator() -> None:
    assert parse_printed("<0.001").admits(0.0002)
    assert not parse_printed("<0.001").admits(0.001)
    assert parse_printed("≤0.05").admits(0.05)
    assert not parse_printed(">10").admits(10)


def test_as_printed_accepts_text_numbers_and_printed_alike() -> None:
    printed = parse_printed("19.0")
    assert as_printed(printed) is printed
    assert as_printed("19.0") == printed
    assert as_printed(113) == parse_printed("113")


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "12-15"])
def test_parse_printed_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not a printed number"):
        parse_printed(text)


def test_format_like_matches_round_half_up() -> None:
    printed: Printed = parse_printed("4.4")
    assert printed.format_like(4.5403) == round_half_up(4.5403, 1) == "4.5"


def test_numpy_floats_are_rounded_like_python_floats() -> None:
    import numpy as np

    # repr(np.float64(1.0)) is "np.float64(1.0)", which Decimal cannot read.
    assert round_half_up(np.float64(0.0455), 3) == "0.046"
    assert parse_printed("0.05").format_like(np.float64(0.0455)) == "0.05"
