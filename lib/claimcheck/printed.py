"""Numbers as a paper prints them, with the precision the printing implies.

A printed "8.9" stands for any true value in [8.85, 8.95): the rules reason about these
rounding intervals, so a claim is only called inconsistent when no value inside them
reproduces it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Printed",
    "parse_printed",
    "PrintedLike",
    "as_printed",
    "round_half_up",
    "ReadAs",
    "truncated",
    "scaled",
]

_NUMBER = re.compile(r"^\s*(?P<cmp>[<>]=?|≤|≥)?\s*(?P<num>[-+−]?\d+(?:\.\d+)?)\s*(?P<pct>%)?\s*$")


@dataclass(frozen=True)
class Printed:
    """A number exactly as printed.

    `comparator` is set for bounds such as "<0.001"; then `value` is the bound itself.
    """

    text: str
    value: float
    decimals: int
    comparator: str | None = None

    @property
    def half_unit(self) -> float:
        """Half of the last printed digit's place value: the rounding radius."""
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def lower(self) -> float:
        """Smallest true value that prints as this text (bounds: the range the bound allows)."""
        if self.comparator in ("<", "<="):
            return -math.inf
        if self.comparator in (">", ">="):
            return self.value
        return self.value - self.half_unit

    @property
    def upper(self) -> float:
        """Largest true value that prints as this text (the interval is half-open above)."""
        if self.comparator in ("<", "<="):
            return self.value
        if self.comparator in (">", ">="):
            return math.inf
        return self.value + self.half_unit

    def admits(self, true_value: float) -> bool:
        """Whether `true_value` would be printed as this text (half-up rounding, both edges kept)."""
        if self.comparator == "<":
            return true_value < self.value
        if self.comparator == "<=":
            return true_value <= self.value
        if self.comparator == ">":
            return true_value > self.value
        if self.comparator == ">=":
            return true_value >= self.value
        # Tolerance of some thousand ulps so that 0.5-boundaries computed in floating point are
        # kept; relative 1e-9 was wider than the rounding radius of "10000.0000".
        eps = 1e-12 * max(1.0, abs(true_value))
        return self.lower - eps <= true_value <= self.upper + eps

    def format_like(self, true_value: float) -> str:
        """`true_value` printed to this number's decimals (half-up, as papers round)."""
        quantum = Decimal(1).scaleb(-self.decimals)
        return str(Decimal(repr(float(true_value))).quantize(quantum, rounding="ROUND_HALF_UP"))

    def __str__(self) -> str:
        return self.text


def parse_printed(text: str) -> Printed:
    """Parse a printed number such as "19.0", "45.1%", "<0.001" or "−0.5".

    Parameters
    ----------
    text : str
        One number as printed: digits with an optional sign (``-``, ``+`` or ``−``), decimals,
        a percent sign and a comparator before it (``<``, ``>``, ``<=``, ``>=``, ``≤``, ``≥``).

    Returns
    -------
    Printed
        The text, its value, its number of decimals (the printed precision) and its comparator.

    Raises
    ------
    ValueError
        Naming the text, when it is not a single printed number.

    Examples
    --------
    >>> p = parse_printed("19.0")
    >>> (p.value, p.decimals, p.lower, p.upper)
    (19.0, 1, 18.95, 19.05)
    >>> parse_printed("<0.001").comparator
    '<'
    """
    match = _NUMBER.match(str(text))
    if not match:
        raise ValueError(f"not a printed number: {text!r}")
    number = match["num"].replace("−", "-")
    decimals = len(number.split(".")[1]) if "." in number else 0
    comparator = {"≤": "<=", "≥": ">="}.get(match["cmp"], match["cmp"])
    return Printed(text=str(text).strip(), value=float(number), decimals=decimals, comparator=comparator)


PrintedLike = Printed | str | int | float


def as_printed(value: PrintedLike) -> Printed:
    """Accept a `Printed` or anything whose text is a printed number ("8.9", 113, "<0.001").

    Floats are read through `repr`, so pass text when trailing zeros matter ("19.0").
    """
    if isinstance(value, Printed):
        return value
    return parse_printed(str(value))


def round_half_up(value: float, decimals: int) -> str:
    """`value` printed to `decimals` places the way papers round (half away from zero on ties)."""
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding="ROUND_HALF_UP"))


@dataclass(frozen=True)
class ReadAs(Printed):
    """A printed number read with another interval than its rounding: truncated rather than
    rounded ("0.8" for any value in [0.8, 0.9)), or a one-sided P read as the two-sided P it
    stands for. `reading` says which, for explanations; the slips of `diagnosis` use it.
    """

    bound_lower: float = math.nan
    bound_upper: float = math.nan
    reading: str = ""

    @property
    def lower(self) -> float:
        """The lower end of the interval this reading gives the number."""
        return self.bound_lower

    @property
    def upper(self) -> float:
        """The upper end of the interval this reading gives the number."""
        return self.bound_upper

    def admits(self, true_value: float) -> bool:
        """Whether `true_value` lies in this reading's closed interval."""
        eps = 1e-12 * max(1.0, abs(true_value))
        return self.bound_lower - eps <= true_value <= self.bound_upper + eps


def truncated(value: PrintedLike) -> ReadAs:
    """`value` read as truncated, not rounded: "8.9" stands for [8.9, 9.0) (negative: (-9.0, -8.9])."""
    p = as_printed(value)
    if p.comparator:
        raise ValueError(f"a bound ({p.text}) is not rounded, so it cannot be truncated either")
    unit = 10.0 ** (-p.decimals)
    low, high = (p.value, p.value + unit) if p.value >= 0 else (p.value - unit, p.value)
    return ReadAs(
        text=p.text,
        value=p.value,
        decimals=p.decimals,
        comparator=None,
        bound_lower=low,
        bound_upper=high,
        reading=f"{p.text} truncated",
    )


def scaled(value: PrintedLike, factor: float, reading: str) -> ReadAs:
    """`value` multiplied by `factor`, rounding interval included ("0.005" × 2 = [0.009, 0.011))."""
    p = as_printed(value)
    low, high = p.lower * factor, p.upper * factor
    return ReadAs(
        text=p.text,
        value=p.value * factor,
        decimals=p.decimals,
        comparator=p.comparator,
        bound_lower=min(low, high),
        bound_upper=max(low, high),
        reading=reading,
    )
