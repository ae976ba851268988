"""Does an inconsistency change a conclusion? The `decision` of every inconsistent ledger row.

statcheck separates an inconsistency from a *decision error*, one that changes what the paper
concludes. The ledger does the same for every inconsistent row, with one of three judgements:

- ``changes-conclusion``: with the recomputed value, a conclusion no longer holds: significance
  at the paper's alpha, a CI that includes or excludes the null, an estimate inside its own CI,
  a RECIST category, or a claim in the prose ("independent prognostic factor") that the numbers
  no longer support;
- ``no-change``: the conclusion the number carries survives the correction;
- ``not-applicable``: the number carries no such conclusion (a descriptive count, percentage or
  median that no test, interval or category is computed from).

Wherever a rule can tell, the judgement is derived from the rule and its recorded inputs
(`DECIDERS`, keyed by rule name). Judgements no rule can make (a prose claim, a case report's
narrative) are left to whoever builds the ledger: `decide` returns None for them (the review
takes them from each study's ``conclusions.csv``, each with its reason and the paper's words,
and refuses a judgement of a row that its rule already judges).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .checks import Check
from .printed import as_printed

__all__ = [
    "DecisionValue",
    "DECISIONS",
    "Decision",
    "Decider",
    "DECIDERS",
    "decides",
    "FIXED_DECISIONS",
    "decide",
]

DecisionValue = Literal["changes-conclusion", "no-change", "not-applicable"]
DECISIONS: tuple[DecisionValue, ...] = ("changes-conclusion", "no-change", "not-applicable")


@dataclass(frozen=True)
class Decision:
    """Whether an inconsistent number changes a conclusion of the paper, and why."""

    decision: DecisionValue
    reason: str

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"unknown decision {self.decision!r}; expected one of {DECISIONS}")
        if not self.reason.strip() or "\n" in self.reason:
            raise ValueError("a decision needs a one-line reason")


Decider = Callable[[Check, float], Decision]
DECIDERS: dict[str, Decider] = {}


def decides(*rules: str) -> Callable[[Decider], Decider]:
    """Register a function that judges the inconsistent checks of these rules."""

    def register(function: Decider) -> Decider:
        for rule in rules:
            DECIDERS[rule] = function
        return function

    return register


def _sides(low: float, high: float, null: float) -> set[str]:
    """Which sides of the null an interval of values reaches ("above", "below")."""
    sides = set()
    if high > null:
        sides.add("above")
    if low < null:
        sides.add("below")
    return sides or {"at"}


def _recomputed_range(check: Check) -> tuple[float, float]:
    """The recomputed range of a check whose rule always computes one (the rules judged below)."""
    if check.low is None or check.high is None:
        raise ValueError(f"{check.rule}: no recomputed range to judge the decision by")
    return check.low, check.high


@decides("wald_p_from_ci")
def _significance(check: Check, alpha: float) -> Decision:
    printed = as_printed(check.call.arguments["p"])  # type: ignore[union-attr]
    low, high = _recomputed_range(check)
    printed_significant = printed.upper <= alpha + 1e-12
    recomputed = f"the recomputed Wald p ({low:.2g}-{high:.2g})"
    if printed_significant and high < alpha:
        return Decision("no-change", f"P {printed.text} and {recomputed} are both below the paper's alpha {alpha:g}")
    if printed.lower >= alpha and low >= alpha:
        return Decision(
            "no-change", f"P {printed.text} and {recomputed} are both at or above the paper's alpha {alpha:g}"
        )
    if low < alpha <= high:
        return Decision(
            "changes-conclusion",
            f"{recomputed} straddles the paper's alpha {alpha:g}, so the printed "
            f"P {printed.text} does not settle significance",
        )
    return Decision(
        "changes-conclusion",
        f"P {printed.text} and {recomputed} fall on opposite sides of the paper's alpha {alpha:g}: significance flips",
    )


@decides("hr_equals_exp_beta")
def _hr_direction(check: Check, alpha: float) -> Decision:
    hr = as_printed(check.call.arguments["hr"])  # type: ignore[union-attr]
    printed, recomputed = _sides(hr.lower, hr.upper, 1.0), _sides(*_recomputed_range(check), 1.0)
    if printed == recomputed and len(printed) == 1:
        side = "above" if printed == {"above"} else "below"
        return Decision(
            "no-change",
            f"the printed HR {hr.text} and exp(β) {check.low:.3f}-{check.high:.3f} are both "
            f"{side} 1: the direction of the effect is the same",
        )
    return Decision(
        "changes-conclusion",
        f"the printed HR {hr.text} and exp(β) {check.low:.3f}-{check.high:.3f} lie on different sides of 1",
    )


@decides("ci_symmetric_on_log_scale")
def _recentred_ci(check: Check, alpha: float) -> Decision:
    arguments = check.call.arguments  # type: ignore[union-attr]
    estimate = as_printed(arguments["hr_or_beta"])
    lower, upper = as_printed(arguments["ci_lower"]), as_printed(arguments["ci_upper"])
    centre = estimate.value if arguments["estimate_scale"] == "beta" else math.log(estimate.value)
    half = (math.log(upper.value) - math.log(lower.value)) / 2
    low, high = math.exp(centre - half), math.exp(centre + half)
    printed_excludes = lower.value > 1 or upper.value < 1
    recentred_excludes = low > 1 or high < 1
    shown = f"the CI re-centred on the estimate ({low:.2f}-{high:.2f})"
    if printed_excludes == recentred_excludes:
        verb = "excludes" if printed_excludes else "includes"
        return Decision("no-change", f"{shown} {verb} 1, as the printed {lower.text}-{upper.text} does")
    return Decision(
        "changes-conclusion",
        f"{shown} and the printed {lower.text}-{upper.text} disagree about whether the CI includes 1",
    )


@decides("km_landmark_ci_method")
def _rate_against_ci(check: Check, alpha: float) -> Decision:
    arguments = check.call.arguments  # type: ignore[union-attr]
    rate, lower, upper = (as_printed(arguments[name]) for name in ("rate", "lower", "upper"))
    if rate.upper < lower.lower or rate.lower > upper.upper:
        implied = f" (the CI belongs to {check.low:.1f}%)" if check.low is not None else ""
        return Decision(
            "changes-conclusion",
            f"the printed rate {rate.text}% lies outside its own CI "
            f"{lower.text}-{upper.text}{implied}, so the rate and the interval "
            f"cannot both be right",
        )
    return Decision(
        "no-change",
        f"the printed rate {rate.text}% lies inside its CI {lower.text}-{upper.text}, whichever of the two holds",
    )


# Rules whose inconsistency always means the same for the conclusions, whatever the inputs.
FIXED_DECISIONS: dict[tuple[str, ...], Decision] = {
    ("ci_excludes_null_iff_significant",): Decision(
        "changes-conclusion",
        "the CI and the P disagree about significance, so one of the two conclusions the row prints is wrong",
    ),
    ("effect_direction_agrees",): Decision(
        "changes-conclusion",
        "β and the HR point opposite ways, so the row does not say whether the factor raises or lowers the hazard",
    ),
    ("estimate_inside_ci", "median_ci_symmetry"): Decision(
        "changes-conclusion",
        "the printed estimate lies outside its own CI, so the estimate and the interval cannot both be right",
    ),
    ("listed_factors_significant",): Decision(
        "changes-conclusion",
        "a factor the paper calls significant has a P value that is not below the threshold it states",
    ),
    ("recist_category_matches",): Decision(
        "changes-conclusion", "the printed diameters give another RECIST 1.1 category than the one printed"
    ),
    ("binomial_ci_method",): Decision(
        "not-applicable", "the paper tests no value against this interval; it only describes the precision of the rate"
    ),
    (
        "percent_of_n",
        "percents_sum_to_100",
        "counts_sum_to_total",
        "percents_of_parts_sum_to_total",
        "same_count_same_percent",
        "median_vs_cutoff_counts",
    ): Decision("not-applicable", "a descriptive figure: no test, interval or category is computed from it"),
}


def _always(decision: Decision) -> Decider:
    """A decider that gives `decision` whatever the check (the rules of `FIXED_DECISIONS`)."""

    def decide_always(check: Check, alpha: float) -> Decision:
        return decision

    return decide_always


for _rules, _decision in FIXED_DECISIONS.items():
    decides(*_rules)(_always(_decision))


def decide(check: Check, alpha: float = 0.05) -> Decision | None:
    """The decision of an inconsistent check, where its rule can tell.

    Parameters
    ----------
    check : Check
        A check made by a rule (its `call` recorded by `ledger_rule`).
    alpha : float, default 0.05
        The paper's significance level, for the rules whose decision is about significance.

    Returns
    -------
    Decision or None
        ``changes-conclusion``, ``no-change`` or ``not-applicable`` with its reason; None for a
        check that is not inconsistent, or whose rule cannot judge (then whoever builds the
        ledger must, as the review does with each study's conclusions table).

    Examples
    --------
    >>> from claimcheck.rules import percent_of_n
    >>> decide(percent_of_n(19, 80, "25.0")).decision
    'not-applicable'
    >>> decide(percent_of_n(42, 80, "52.5")) is None
    True
    """
    if check.verdict != "inconsistent" or check.call is None:
        return None
    decider = DECIDERS.get(check.rule)
    return decider(check, alpha) if decider is not None else None
