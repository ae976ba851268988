"""Near misses: the single slips that would reconcile an inconsistent printed number.

A rule call is recorded on its check (`checks.RuleCall`), so an inconsistent number can be
checked again with one of its inputs changed. `slips` tries, systematically and for every rule,
the slips a careful auditor tries by hand (after statcheck's and scrutiny's diagnoses):

- the last digit of a printed input one higher or lower, or two adjacent digits swapped;
- a sample size or denominator one higher or lower ("n ± 1");
- another denominator the paper prints;
- a printed number truncated rather than rounded (one input, or all of them at once);
- a 90% or 99% interval where 95% is assumed;
- a one-sided P where a two-sided one is assumed;
- the two limits of an interval swapped;
- a neighbouring row's value (the audit says which values neighbour an input).

A slip reconciles the number when the rule, run again with it, no longer finds an
inconsistency. Which parameters are sample sizes, P values, interval levels or limits each rule
declares itself (`checks.ledger_rule(roles=...)`); every other printed input is found by walking
the call's arguments. Nothing here knows a particular row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .checks import Check, RuleCall
from .dates import PartialDate
from .printed import Printed, ReadAs, parse_printed, scaled, truncated

__all__ = [
    "SLIP_KINDS",
    "SHOWN_PER_KIND",
    "OTHER_LEVELS",
    "Context",
    "Slip",
    "Site",
    "sites",
    "slips",
    "describe",
    "diagnose",
]

#: The slips in the order the ledger reports them.
SLIP_KINDS = (
    "last digit",
    "digits swapped",
    "n ± 1",
    "another denominator",
    "truncation",
    "interval level",
    "one-sided P",
    "limits swapped",
    "neighbouring value",
)
#: How many reconciling slips of one kind the ledger spells out before it counts the rest.
SHOWN_PER_KIND = 3
#: Interval levels tried when a rule's interval is read as 95%.
OTHER_LEVELS = {0.10: "90%", 0.01: "99%"}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A text input is a printed value (number, bound, date, range or size), not a label or a sentence.
_PRINTED_TEXT = re.compile(r"^[<>≤≥~]?\s*[-−]?\d+(?:\.\d+)?(?:\s*[-–×x]\s*\d+(?:\.\d+)?)?\s*%?$")
_DATE_TEXT = re.compile(
    r"^(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:[A-Z][a-z]+\.?\s+)?\d{4}$|^\d{4}-\d{2}(?:-\d{2})?$"
)
_PARAMETER_WORDS = {
    "beta": "β",
    "hr": "HR",
    "p": "P",
    "ci_lower": "lower limit",
    "ci_upper": "upper limit",
    "lower": "lower limit",
    "upper": "upper limit",
    "beta_or_hr": "estimate",
    "hr_or_beta": "estimate",
    "percent": "percentage",
    "n": "n",
}


@dataclass(frozen=True)
class Context:
    """What a study's audit knows beyond a rule's own inputs.

    `alpha`: the paper's significance level. `denominators`: the denominators the paper prints
    (label -> value). `neighbours`: for a printed input (by its printed text), the values printed in
    the rows next to it (label -> printed text).
    """

    alpha: float = 0.05
    denominators: Mapping[str, int] = field(default_factory=dict)
    neighbours: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Slip:
    """One single slip that reconciles a number: its kind, what changes, and the verdict then."""

    kind: str
    detail: str
    verdict: str

    def __str__(self) -> str:
        return self.detail + (f" (then {self.verdict})" if self.verdict != "consistent" else "")


# ---------------------------------------------------------------------------------------------
# where the printed inputs of a call are


Path = tuple[Any, ...]


@dataclass(frozen=True)
class Site:
    """A printed input of a call: its path in the arguments, its value and a label for readers."""

    path: Path
    value: Any
    label: str


def _is_printed_text(value: Any) -> bool:
    if isinstance(value, (Printed, PartialDate)):
        return True
    if not isinstance(value, str) or not any(ch.isdigit() for ch in value):
        return False
    text = value.strip()
    return bool(_PRINTED_TEXT.match(text) or _DATE_TEXT.match(text))


def sites(call: RuleCall) -> Iterator[Site]:
    """Every printed input of a call: printed numbers and dates (text or `Printed`) and counts,
    at any depth of its mappings and sequences; labels, options and sentences are not inputs.
    """

    def walk(value: Any, path: Path, label: str) -> Iterator[Site]:
        if isinstance(value, bool) or value is None:
            return
        if _is_printed_text(value) or (isinstance(value, int) and value >= 0):
            yield Site(path, value, label)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk(item, path + (key,), str(key))
        elif isinstance(value, (list, tuple)):
            # A (label, value) pair, as in a list of dated events, is labelled by its first item.
            if len(value) == 2 and isinstance(value[0], str) and not _is_printed_text(value[0]):
                yield from walk(value[1], path + (1,), value[0])
                return
            for index, item in enumerate(value):
                yield from walk(item, path + (index,), label)

    for name, value in call.arguments.items():
        if name in call.roles and call.roles[name] == "alpha":
            continue
        yield from walk(value, (name,), _PARAMETER_WORDS.get(name, name.replace("_", " ")))


def _replaced(container: Any, path: Path, new: Any) -> Any:
    """A copy of `container` with the value at `path` replaced (mappings, lists and tuples)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(container, Mapping):
        copy = dict(container)
        copy[head] = _replaced(container[head], rest, new)
        return copy
    items = list(container)
    items[head] = _replaced(items[head], rest, new)
    return tuple(items) if isinstance(container, tuple) else items


def _substituted(call: RuleCall, path: Path, new: Any) -> dict[str, Any]:
    """The one changed top-level argument of `call`, ready for `RuleCall.rerun`."""
    name = path[0]
    return {name: _replaced(call.arguments[name], path[1:], new)}


# ---------------------------------------------------------------------------------------------
# the slips, each a generator of (kind, detail, changed arguments)


def _text_of(value: Any) -> str:
    return value.text if isinstance(value, Printed) else str(value)


def _is_date(value: Any) -> bool:
    return isinstance(value, PartialDate) or (isinstance(value, str) and bool(_DATE_TEXT.match(value.strip())))


def _digit_variants(text: str, swaps: bool = True) -> Iterator[tuple[str, str]]:
    """(kind, new text) for each number in `text`: last digit ± 1, then (if `swaps`) adjacent
    digits swapped. A date's day or year is tried one off, never with its digits swapped.
    """
    for match in _NUMBER.finditer(text):
        number = match.group()
        decimals = len(number.split(".")[1]) if "." in number else 0
        unit = 10**-decimals
        for step in (1, -1):
            value = round(float(number) + step * unit, decimals)
            if value < 0:
                continue
            shifted = f"{value:.{decimals}f}"
            yield "last digit", text[: match.start()] + shifted + text[match.end() :]
        digits = number.replace(".", "") if swaps else ""
        for i in range(len(digits) - 1):
            if digits[i] == digits[i + 1]:
                continue
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if decimals:
                swapped = swapped[:-decimals] + "." + swapped[-decimals:]
            if len(swapped) > 1 and swapped[0] == "0" and not swapped.startswith("0."):
                continue  # "0211" is no printing of a number
            yield "digits swapped", text[: match.start()] + swapped + text[match.end() :]


def _typed(call: RuleCall, context: Context) -> Iterator[tuple[str, str, dict[str, Any]]]:
    roles = call.roles
    for site in sites(call):
        value, label = site.value, site.label
        role = roles.get(site.path[0]) if len(site.path) == 1 else None
        if isinstance(value, int):
            if role == "n":
                for step in (1, -1):
                    if value + step > 0:
                        yield (
                            "n ± 1",
                            f"{label} {value} → {value + step} (n {'+' if step > 0 else '−'} 1)",
                            _substituted(call, site.path, value + step),
                        )
                for name, other in context.denominators.items():
                    if other != value:
                        yield (
                            "another denominator",
                            f"{other} ({name}) instead of {value}",
                            _substituted(call, site.path, other),
                        )
            else:
                for kind, text in _digit_variants(str(value)):
                    yield kind, f"{label} {value} → {text}", _substituted(call, site.path, int(text))
            continue
        text = _text_of(value)
        for kind, new in _digit_variants(text, swaps=not _is_date(value)):
            yield kind, f"{label} {text} → {new}", _substituted(call, site.path, new)
        for neighbour, printed_there in context.neighbours.get(text.strip(), {}).items():
            yield (
                "neighbouring value",
                f"{label} {text} → {printed_there}, the value of {neighbour}",
                _substituted(call, site.path, printed_there),
            )
        if role == "p":
            doubled = scaled(value, 2.0, "one-sided")
            two_sided = f"{doubled.comparator or ''}{doubled.value:.{doubled.decimals}f}"
            yield (
                "one-sided P",
                f"P {text} one-sided, i.e. two-sided P {two_sided}",
                _substituted(call, site.path, doubled),
            )


def _truncations(call: RuleCall) -> Iterator[tuple[str, str, dict[str, Any]]]:
    numbers = []
    for site in sites(call):
        if isinstance(site.value, int) or isinstance(site.value, ReadAs):
            continue
        try:
            printed = parse_printed(_text_of(site.value))
        except ValueError:
            continue
        if printed.comparator is None:
            numbers.append((site, truncated(printed)))
    for site, cut in numbers:
        yield (
            "truncation",
            f"{site.label} {cut.text} truncated, not rounded ([{cut.lower:g}, {cut.upper:g}))",
            _substituted(call, site.path, cut),
        )
    if len(numbers) > 1:
        changes: dict[str, Any] = {}
        for site, cut in numbers:
            name = site.path[0]
            changes[name] = _replaced(changes.get(name, call.arguments[name]), site.path[1:], cut)
        yield "truncation", "every printed input truncated, not rounded", changes


def _levels_and_limits(call: RuleCall) -> Iterator[tuple[str, str, dict[str, Any]]]:
    roles = call.roles
    for name, role in roles.items():
        if role == "alpha":
            for alpha, level in OTHER_LEVELS.items():
                yield "interval level", f"a {level} interval instead of 95%", {name: alpha}
    lower = [name for name, role in roles.items() if role == "lower"]
    upper = [name for name, role in roles.items() if role == "upper"]
    if lower and upper:
        low, high = call.arguments[lower[0]], call.arguments[upper[0]]
        if low not in (None, "") and high not in (None, ""):
            yield (
                "limits swapped",
                f"limits {_text_of(low)} and {_text_of(high)} swapped",
                {lower[0]: high, upper[0]: low},
            )


def _reconciles(result: Check | list[Check], rule: str) -> str | None:
    """The verdict after a slip, if it no longer is an inconsistency."""
    checks = result if isinstance(result, list) else [result]
    verdicts = [check.verdict for check in checks if check.rule == rule]
    if not verdicts or "inconsistent" in verdicts or "not-checkable" in verdicts:
        return None
    return "consistent" if all(v == "consistent" for v in verdicts) else "ambiguous"


def slips(check: Check, context: Context | None = None) -> list[Slip]:
    """Every single slip that reconciles an inconsistent check, in `SLIP_KINDS` order.

    Empty for a check that is not inconsistent, or whose call was not recorded.
    """
    if check.verdict != "inconsistent" or check.call is None:
        return []
    call, context = check.call, context or Context()
    found: dict[tuple[str, str], Slip] = {}
    for kind, detail, changes in [*_typed(call, context), *_truncations(call), *_levels_and_limits(call)]:
        try:
            verdict = _reconciles(call.rerun(**changes), call.rule)
        except (ValueError, ArithmeticError, KeyError, IndexError, TypeError):
            continue  # the slip makes an input impossible ("Feb 30", a negative count)
        if verdict is not None:
            found.setdefault((kind, detail), Slip(kind, detail, verdict))
    return sorted(found.values(), key=lambda slip: SLIP_KINDS.index(slip.kind))


def describe(found: Sequence[Slip]) -> str:
    """The diagnosis column: each kind of slip with the changes that reconcile, "" when none does."""
    parts = []
    for kind in SLIP_KINDS:
        of_kind = [str(slip) for slip in found if slip.kind == kind]
        if not of_kind:
            continue
        shown = ", ".join(of_kind[:SHOWN_PER_KIND])
        more = f" (and {len(of_kind) - SHOWN_PER_KIND} more)" if len(of_kind) > SHOWN_PER_KIND else ""
        parts.append(f"{kind}: {shown}{more}")
    return "; ".join(parts)


def diagnose(check: Check, context: Context | None = None) -> str:
    """The near-miss diagnosis of a check, as published in the ledger's `diagnosis` column.

    Parameters
    ----------
    check : Check
        A check made by a rule (its `call` recorded by `ledger_rule`).
    context : Context, optional
        What the caller knows beyond the rule's inputs: the paper's alpha, the other
        denominators it prints, the values printed next to an input.

    Returns
    -------
    str
        The single slips (a digit, n ± 1, another printed denominator, truncation, another
        interval level, a one-sided P, swapped limits, a neighbouring value) that would make the
        check consistent, described in words; empty when none does, and for a check that is not
        inconsistent.

    Examples
    --------
    >>> from claimcheck.rules import percent_of_n
    >>> diagnose(percent_of_n(19, 80, "25.0"))
    'last digit: count 19 → 20'
    """
    return describe(slips(check, context))
