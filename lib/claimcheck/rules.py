"""The named ledger rules.

Each rule is a plain function whose name is the rule's name. It takes printed values (a
`Printed` or its text) and counts (int) and returns a `Check` whose `rule` is that name, or a
list of them for composite rules (`cox_row`). Every rule is rounding-aware: a claim is only
`inconsistent` when no true values inside the rounding intervals of the printed inputs yield
the printed result. `RULES` documents every rule for the book's appendix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from . import source_reader
from .checks import Bounds, Check, ledger_rule
from .dates import months_between
from .printed import Printed, PrintedLike, as_printed
from .stats import BINOMIAL_METHODS, KM_TRANSFORMS, binomial_intervals, km_uncensored_interval, wald_p, z_quantile

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Z975",
    "grim_denominators",
    "percent_of_n",
    "counts_sum_to_total",
    "percents_sum_to_100",
    "percents_of_parts_sum_to_total",
    "same_count_same_percent",
    "binomial_ci_method",
    "EstimateScale",
    "hr_equals_exp_beta",
    "effect_direction_agrees",
    "ci_symmetric_on_log_scale",
    "wald_p_range",
    "wald_p_from_ci",
    "ci_excludes_null_iff_significant",
    "estimate_inside_ci",
    "cox_row",
    "median_ci_symmetry",
    "km_landmark_ci_method",
    "landmarks_decrease",
    "pfs_not_exceeding_os",
    "overall_median_between_subgroups",
    "median_vs_landmark",
    "median_vs_cutoff_counts",
    "PrintedRange",
    "same_quantity_agrees",
    "value_in_range",
    "not_checkable",
    "fold_phrase_matches_hr",
    "ComparedQuantity",
    "Relation",
    "comparable_quantities",
    "group_labels_agree",
    "group_cutoff_agrees",
    "listed_factors_significant",
    "procedures_vs_cycles",
    "adult_label_vs_age_range",
    "SIR_MINOR_GRADES",
    "SIR_MAJOR_GRADES",
    "severity_label_vs_sir_grade",
    "grading_scale_agrees",
    "distinct_quantities_differ",
    "definition_stated",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "as_digits",
    "subset_within_total",
    "CTCAE_SEVERITY",
    "grade_matches_severity_word",
    "ajcc8_retroperitoneal_t",
    "ajcc8_retroperitoneal_group",
    "ajcc8_retroperitoneal_stage",
    "msts_enneking_group",
    "msts_stage_definition",
    "QuotedValue",
    "quoted_range_matches_quoted_series",
    "cited_reference_topic",
    "RuleInfo",
    "RULES",
    "appendix_table",
    "worked_example",
]

Z975 = z_quantile(0.05)
_TINY = 1e-12


# ---------------------------------------------------------------------------------------------
# small helpers


def _optional(value: PrintedLike | None) -> Printed | None:
    """None or empty text means "not printed"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_printed(value)


def _fmt(x: float, decimals: int = 2) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.{decimals}f}"


def _span(p: Printed, extra: int = 1) -> str:
    """The rounding interval of a printed number, for explanations."""
    if p.comparator:
        return f"{p.text}"
    d = p.decimals + extra
    return f"[{_fmt(p.lower, d)}, {_fmt(p.upper, d)})"


def _overlap(lo1: float, hi1: float, lo2: float, hi2: float, eps: float = 1e-9) -> bool:
    return lo1 <= hi2 + eps and lo2 <= hi1 + eps


def _pos(x: float) -> float:
    """Clamp a lower rounding bound of a positive quantity (HR "0.0" stands for (0, 0.05))."""
    return max(x, _TINY)


# ---------------------------------------------------------------------------------------------
# 1-3: counts and percentages


def grim_denominators(count: int, percent: PrintedLike, lowest: int, highest: int) -> list[int]:
    """Integer denominators d in [lowest, highest] for which 100*count/d prints as `percent`."""
    p = as_printed(percent)
    return [d for d in range(max(lowest, 1), highest + 1) if p.admits(100.0 * count / d)]


def _ranges(values: list[int]) -> str:
    """[95, 96, 97, 113] -> "95-97, 113"."""
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and runs[-1][1] == v - 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


@ledger_rule(roles={"denominator": "n"})
def percent_of_n(
    count: int,
    denominator: int,
    percent: PrintedLike,
    alternatives: Mapping[str, int] | None = None,
    *,
    stated_in: str = "",
    denominator_open: bool = False,
) -> Check:
    """count/denominator, as a percentage, against the printed percentage.

    `stated_in` says where the paper states this denominator (a table title "of the 113
    Patients", a sentence "in 7 patients (x%)", "Among those ... (n=51)"). When the percentage
    does not fit it, the claim is inconsistent with what the paper says, and the explanation names
    the `alternatives` (other denominators the paper prints, label -> value) that do reproduce it,
    and the integer denominators between `count` and 3x the stated one that would (GRIM-style).

    `denominator_open=True` is for a percentage whose denominator the paper really leaves open
    (no title, header or sentence names it): then an alternative that reproduces the percentage
    makes the claim ambiguous, because which denominator was used is a definition the paper does
    not give. The two options exclude each other.

    Parameters
    ----------
    count : int
        The printed count (the numerator).
    denominator : int
        The denominator the paper states for this percentage.
    percent : Printed or str
        The printed percentage, as printed ("15.0", "15.0%").
    alternatives : mapping of str to int, optional
        Other denominators the paper prints (label -> value), named when they reproduce it.
    stated_in : str, optional
        Where the paper states `denominator`.
    denominator_open : bool, default False
        The paper names no denominator for this percentage (excludes `stated_in`).

    Returns
    -------
    Check
        ``recomputed`` is count/denominator as a percentage; ``low`` = ``high`` = that value.

    Examples
    --------
    >>> percent_of_n(19, 80, "25.0").verdict
    'inconsistent'
    """
    if stated_in and denominator_open:
        raise ValueError("a denominator cannot be both stated and left open")
    p = as_printed(percent)
    value = 100.0 * count / denominator
    digits = max(2, p.decimals + 3)
    recomputed = f"{value:.{digits}f}% ({count}/{denominator})"
    exact: Bounds = {"low": value, "high": value}
    fitting = [(label, d) for label, d in (alternatives or {}).items() if p.admits(100.0 * count / d)]
    if p.admits(value):
        return Check(
            "percent_of_n",
            recomputed,
            "consistent",
            f"{count}/{denominator} = {value:.{digits}f}% prints as {p.format_like(value)}%",
            **exact,
        )
    if denominator_open and fitting:
        label, d = fitting[0]
        return Check(
            "percent_of_n",
            f"{100.0 * count / d:.2f}% ({count}/{d}, {label})",
            "ambiguous",
            f"{p.text}% is {count}/{d} ({label}), not {count}/{denominator} = {value:.2f}%; the paper "
            f"does not say which of the two denominators it used",
            **exact,
        )
    grim = grim_denominators(count, p, max(count, 1), 3 * denominator)
    stated = f" (the denominator the paper states: {stated_in})" if stated_in else ""
    why = (
        f"printed {p.text}% needs count/denominator in {_span(p)}%, but {count}/{denominator}{stated} = "
        f"{value:.{digits}f}% prints as {p.format_like(value)}%"
    )
    if fitting:
        why += "; " + "; ".join(
            f"{p.text}% is {count}/{d} = {100.0 * count / d:.2f}%, with {label}, another denominator the paper prints"
            for label, d in fitting
        )
    why += (
        f"; denominators reproducing {p.text}% with {count}: {_ranges(grim)}"
        if grim
        else f"; no denominator up to {3 * denominator} reproduces {p.text}% with {count}"
    )
    return Check("percent_of_n", recomputed, "inconsistent", why, **exact)


@ledger_rule(roles={"total": "n"})
def counts_sum_to_total(counts: Mapping[str, int], total: int) -> Check:
    """The counts of a partition (e.g. the rows of a baseline characteristic) add up to the total.

    Parameters
    ----------
    counts : mapping of str to int
        The count of each group of the partition (label -> count).
    total : int
        The printed total.

    Returns
    -------
    Check
        ``low`` = ``high`` = the sum of the counts; inconsistent when it is not the total.

    Examples
    --------
    >>> counts_sum_to_total({"male": 68, "female": 45}, 113).verdict
    'consistent'
    """
    total_found = sum(int(c) for c in counts.values())
    working = " + ".join(str(int(c)) for c in counts.values())
    recomputed = f"{total_found} = {working}"
    exact: Bounds = {"low": float(total_found), "high": float(total_found)}
    if total_found == total:
        return Check(
            "counts_sum_to_total",
            recomputed,
            "consistent",
            f"the {len(counts)} groups add up to the printed total {total}",
            **exact,
        )
    return Check(
        "counts_sum_to_total",
        recomputed,
        "inconsistent",
        f"the groups ({', '.join(counts)}) add up to {total_found}, not the printed total "
        f"{total} (difference {total_found - total}); counts are exact, so no rounding applies",
        **exact,
    )


@ledger_rule
def percents_sum_to_100(percents: Mapping[str, PrintedLike]) -> Check:
    """Percentages of a partition sum to 100 within their rounding: sum(lower) <= 100 <= sum(upper).

    Parameters
    ----------
    percents : mapping of str to Printed or str
        The printed percentage of each group of the partition (label -> percentage).

    Returns
    -------
    Check
        ``low``/``high``: the least and greatest sum the rounding intervals allow.

    Examples
    --------
    >>> percents_sum_to_100({"male": "60.2", "female": "39.8"}).verdict
    'consistent'
    """
    printed = {k: as_printed(v) for k, v in percents.items()}
    # Rounded to 9 places so float noise (99.85000000000001) stays out of the published text.
    total = round(sum(p.value for p in printed.values()), 9)
    low = round(sum(p.lower for p in printed.values()), 9)
    high = round(sum(p.upper for p in printed.values()), 9)
    recomputed = f"sum {total:g}% (admissible {low:g}-{high:g}%)"
    if low - 1e-9 <= 100.0 <= high + 1e-9:
        return Check(
            "percents_sum_to_100",
            recomputed,
            "consistent",
            f"the {len(printed)} printed percentages sum to {total:g}%; rounding admits {low:g}-{high:g}%",
            low=low,
            high=high,
        )
    return Check(
        "percents_sum_to_100",
        recomputed,
        "inconsistent",
        f"the printed percentages sum to {total:g}%; with each rounded value anywhere in its "
        f"interval the sum lies in [{low:g}, {high:g}], which excludes 100",
        low=low,
        high=high,
    )


def _sum_range(printed: Mapping[str, Printed]) -> tuple[float, float, float]:
    """(sum, lowest, highest) of printed values anywhere in their rounding; 9 places keep float
    noise (99.85000000000001) out of the published text.
    """
    return (
        round(sum(p.value for p in printed.values()), 9),
        round(sum(p.lower for p in printed.values()), 9),
        round(sum(p.upper for p in printed.values()), 9),
    )


@ledger_rule
def percents_of_parts_sum_to_total(
    parts: Mapping[str, PrintedLike], total: PrintedLike, total_label: str = "the total"
) -> Check:
    """The percentages printed for the parts of a row or column (the grades of one adverse event,
    the responses that make up a disease control rate) add up to the percentage printed for their
    total, within rounding.

    Parts that partition the total share its denominator, so their true percentages sum exactly to
    the total's: the rule asks whether some values inside the parts' rounding intervals sum into
    the total's rounding interval. A part printed without a percentage (a bare 0) is left out.

    Parameters
    ----------
    parts : mapping of str to Printed or str
        The printed percentage of each part (label -> percentage).
    total : Printed or str
        The printed percentage of their total.
    total_label : str, optional
        What the total is, for the explanation.

    Returns
    -------
    Check
        ``low``/``high``: the least and greatest sum of the parts within their rounding.
    """
    printed = {label: as_printed(value) for label, value in parts.items()}
    whole = as_printed(total)
    value, low, high = _sum_range(printed)
    shown = " + ".join(f"{p.text}" for p in printed.values())
    recomputed = f"{shown} = {value:g}% (admissible {low:g}-{high:g}%) vs {total_label} {whole.text}%"
    if _overlap(low, high, whole.lower, whole.upper, eps=1e-9):
        return Check(
            "percents_of_parts_sum_to_total",
            recomputed,
            "consistent",
            f"the {len(printed)} parts ({', '.join(printed)}) sum to {value:g}%; rounding admits "
            f"{low:g}-{high:g}%, which includes {total_label}'s {whole.text}%",
            low=low,
            high=high,
        )
    return Check(
        "percents_of_parts_sum_to_total",
        recomputed,
        "inconsistent",
        f"the parts ({', '.join(f'{k} {p.text}%' for k, p in printed.items())}) sum to {value:g}%, and to "
        f"{low:g}-{high:g}% with each anywhere in its rounding, but {total_label} is printed as {whole.text}% "
        f"{_span(whole)}; parts of one total share its denominator, so their percentages must add up",
        low=low,
        high=high,
    )


def _places(places: Sequence[str], shown: int = 2) -> str:
    """The first places of a list and how many more, for explanations that must stay one line."""
    listed = "; ".join(places[:shown])
    return listed + (f"; and {len(places) - shown} more" if len(places) > shown else "")


@ledger_rule
def same_count_same_percent(
    count: int,
    printings: Mapping[str, PrintedLike],
    denominator: int,
    denominators: Mapping[str, int] | None = None,
    denominator_label: str = "the stated denominator",
) -> Check:
    """One count over one stated denominator has one percentage, wherever the paper prints it.

    `printings` maps each place that prints `count` with a percentage of the same stated
    `denominator` (a table cell, a sentence of the text) to that percentage. The printings agree
    when some true value is admitted by all of them; a count that carries two percentages shows
    that the paper used two denominators, and the explanation names, for each percentage, the
    printed `denominators` (label -> value) that reproduce it. Whether the percentages also equal
    count/denominator is the separate question of `percent_of_n`.

    Parameters
    ----------
    count : int
        The count printed in every place.
    printings : mapping of str to Printed or str
        Each place (label) and the percentage it prints with the count.
    denominator : int
        The stated denominator all the printings share.
    denominators : mapping of str to int, optional
        The denominators the paper prints (label -> value), named for each percentage they reproduce.
    denominator_label : str, optional
        What the stated denominator is, for the explanation.

    Returns
    -------
    Check
        ``low``/``high``: the true percentages every printing admits, when some value is admitted by all.
    """
    printed = {place: as_printed(value) for place, value in printings.items()}
    value = 100.0 * count / denominator
    by_text: dict[str, list[str]] = {}
    for place, p in printed.items():
        by_text.setdefault(p.text, []).append(place)
    shown = ", ".join(
        f"{text}% ({len(places)} place{'s' if len(places) > 1 else ''})" for text, places in by_text.items()
    )
    recomputed = f"{count}/{denominator} = {value:.2f}%; printed {shown}"
    highest_lower = max(p.lower for p in printed.values())
    lowest_upper = min(p.upper for p in printed.values())
    if highest_lower < lowest_upper - 1e-12:
        return Check(
            "same_count_same_percent",
            recomputed,
            "consistent",
            f"the count {count} of {denominator_label} is printed with the same percentage ({shown}) in all "
            f"{len(printed)} places",
            low=value,
            high=value,
        )

    def fitting(text: str) -> str:
        p = as_printed(text)
        found = [f"{count}/{d} ({label})" for label, d in (denominators or {}).items() if p.admits(100.0 * count / d)]
        return f", which is {' or '.join(found)}" if found else ", which no printed denominator reproduces"

    versions = "; ".join(f"{text}% in {_places(places)}{fitting(text)}" for text, places in by_text.items())
    return Check(
        "same_count_same_percent",
        recomputed,
        "inconsistent",
        f"the count {count} of {denominator_label} is printed with {len(by_text)} different percentages: "
        f"{versions}; one count over one denominator has one percentage ({count}/{denominator} = {value:.2f}%), "
        f"so the paper used more than one denominator",
        low=value,
        high=value,
    )


@ledger_rule(roles={"n": "n", "lower": "lower", "upper": "upper", "alpha": "alpha"})
def binomial_ci_method(
    count: int,
    n: int,
    lower: PrintedLike,
    upper: PrintedLike,
    alpha: float = 0.05,
    scale: float = 1.0,
) -> Check:
    """Which standard binomial CI method reproduces both printed limits at their printed precision.

    `scale` is 100 when the limits are printed as percentages. Methods: statsmodels
    `proportion_confint` normal (Wald), agresti_coull, beta (Clopper-Pearson), wilson, jeffreys,
    binom_test.

    Parameters
    ----------
    count, n : int
        The number of events and the number of patients the proportion is count/n of.
    lower, upper : Printed or str
        The printed limits of the interval.
    alpha : float, default 0.05
        One minus the interval's level (0.05 for a 95% CI).
    scale : float, default 1.0
        100 when the limits are printed as percentages.

    Returns
    -------
    Check
        Consistent when some method gives both printed limits; the explanation names the methods.
        No single number is recomputed (``low``/``high`` are None).
    """
    lo, hi = as_printed(lower), as_printed(upper)
    table = binomial_intervals(count, n, alpha)
    d = max(lo.decimals, hi.decimals) + 1
    matching, described = [], []
    for row in table.itertuples():
        a, b = row.lower * scale, row.upper * scale
        described.append(f"{row.method} {_fmt(a, d)}-{_fmt(b, d)}")
        if lo.admits(a) and hi.admits(b):
            matching.append(row.method)
    level = f"{100 * (1 - alpha):g}%"
    if matching:
        names = ", ".join(f"{m} ({BINOMIAL_METHODS[m]})" for m in matching)
        return Check(
            "binomial_ci_method",
            f"{count}/{n}: " + ", ".join(matching),
            "consistent",
            f"the printed {level} CI {lo.text}-{hi.text} is reproduced by {names}",
        )
    closest = min(
        table.itertuples(), key=lambda r: max(abs(r.lower * scale - lo.value), abs(r.upper * scale - hi.value))
    )
    nearest = f"{closest.method} {_fmt(closest.lower * scale, d)}-{_fmt(closest.upper * scale, d)}"
    return Check(
        "binomial_ci_method",
        f"{count}/{n}: no method; closest {nearest}",
        "inconsistent",
        f"no standard {level} interval for {count}/{n} prints as {lo.text}-{hi.text} "
        f"(needs limits in {_span(lo)} and {_span(hi)}); methods give " + "; ".join(described),
    )


# ---------------------------------------------------------------------------------------------
# 5: Cox regression rows

EstimateScale = Literal["hr", "beta"]


def _log_range(estimate: Printed, estimate_scale: EstimateScale) -> tuple[float, float]:
    """The range of ln HR admitted by a printed HR or printed beta."""
    if estimate_scale == "beta":
        return estimate.lower, estimate.upper
    return math.log(_pos(estimate.lower)), math.log(_pos(estimate.upper))


@ledger_rule
def hr_equals_exp_beta(beta: PrintedLike, hr: PrintedLike) -> Check:
    """The printed hazard ratio equals exp(printed beta), both within their rounding.

    Parameters
    ----------
    beta : Printed or str
        The printed regression coefficient (ln HR).
    hr : Printed or str
        The printed hazard ratio.

    Returns
    -------
    Check
        ``low``/``high``: exp(beta) over the rounding interval of beta.

    Examples
    --------
    >>> hr_equals_exp_beta("0.531", "1.70").verdict
    'consistent'
    """
    b, h = as_printed(beta), as_printed(hr)
    lo, hi = math.exp(b.lower), math.exp(b.upper)
    exp_b = math.exp(b.value)
    recomputed = f"HR {h.format_like(exp_b)} = exp({b.text}) = {exp_b:.4f}"
    if _overlap(lo, hi, h.lower, h.upper):
        return Check(
            "hr_equals_exp_beta",
            recomputed,
            "consistent",
            f"exp({b.text}) = {exp_b:.4f} prints as HR {h.format_like(exp_b)}",
            low=lo,
            high=hi,
        )
    return Check(
        "hr_equals_exp_beta",
        recomputed,
        "inconsistent",
        f"printed HR {h.text} but exp(β) for β in {_span(b)} lies in [{lo:.4f}, {hi:.4f}], "
        f"outside the HR's rounding interval {_span(h)}",
        low=lo,
        high=hi,
    )


@ledger_rule
def effect_direction_agrees(beta: PrintedLike, hr: PrintedLike) -> Check:
    """β and the hazard ratio point the same way: β > 0 exactly when HR > 1.

    ``hr_equals_exp_beta`` asks whether the magnitudes agree; this asks only about direction,
    which is what a reader takes from the row (harmful or protective). A row can fail the first
    by a rounding slip and pass this one; failing this one means the row contradicts itself.

    Parameters
    ----------
    beta : Printed or str
        The printed regression coefficient.
    hr : Printed or str
        The printed hazard ratio.

    Returns
    -------
    Check
        Inconsistent when every value within rounding points the two ways.
    """
    b, h = as_printed(beta), as_printed(hr)
    log_lo, log_hi = math.log(_pos(h.lower)), math.log(_pos(h.upper))
    recomputed = f"β {b.text} and ln HR in [{log_lo:.4f}, {log_hi:.4f})"

    def side(lo: float, hi: float) -> str:
        return "above" if lo > 0 else "below" if hi <= 0 else "either"

    beta_side, hr_side = side(b.lower, b.upper), side(log_lo, log_hi)
    if "either" in (beta_side, hr_side) or beta_side == hr_side:
        return Check(
            "effect_direction_agrees",
            recomputed,
            "consistent",
            f"β {b.text} and HR {h.text} both admit the same direction of effect",
            low=log_lo,
            high=log_hi,
        )
    return Check(
        "effect_direction_agrees",
        recomputed,
        "inconsistent",
        low=log_lo,
        high=log_hi,
        explanation=(
            f"β {b.text} is {beta_side} 0 (HR {'>' if beta_side == 'above' else '<'} 1) but the printed "
            f"HR {h.text} is {'>' if hr_side == 'above' else '<'} 1: the row points both ways"
        ),
    )


@ledger_rule(roles={"ci_lower": "lower", "ci_upper": "upper"})
def ci_symmetric_on_log_scale(
    hr_or_beta: PrintedLike,
    ci_lower: PrintedLike,
    ci_upper: PrintedLike,
    estimate_scale: EstimateScale = "hr",
) -> Check:
    """A Wald CI of a hazard ratio is symmetric about ln HR: (ln L + ln U)/2 = ln HR within rounding.

    The CI is always on the HR scale; `estimate_scale="beta"` when the estimate given is ln HR.

    Parameters
    ----------
    hr_or_beta : Printed or str
        The printed estimate: the hazard ratio, or its logarithm with ``estimate_scale="beta"``.
    ci_lower, ci_upper : Printed or str
        The printed limits of the interval of the hazard ratio.
    estimate_scale : {"hr", "beta"}, default "hr"
        The scale the estimate is printed on.

    Returns
    -------
    Check
        ``low``/``high``: the interval's log-scale midpoint, exponentiated, over the limits' rounding.
    """
    est, lo, up = as_printed(hr_or_beta), as_printed(ci_lower), as_printed(ci_upper)
    mid_lo = (math.log(_pos(lo.lower)) + math.log(_pos(up.lower))) / 2
    mid_hi = (math.log(_pos(lo.upper)) + math.log(_pos(up.upper))) / 2
    e_lo, e_hi = _log_range(est, estimate_scale)
    mid = math.sqrt(lo.value * up.value) if lo.value > 0 else 0.0
    recomputed = f"geometric midpoint {mid:.3f} = √({lo.text}×{up.text})"
    label = f"β {est.text}" if estimate_scale == "beta" else f"HR {est.text}"
    centre: Bounds = {"low": math.exp(mid_lo), "high": math.exp(mid_hi)}
    if _overlap(mid_lo, mid_hi, e_lo, e_hi):
        return Check(
            "ci_symmetric_on_log_scale",
            recomputed,
            "consistent",
            f"the CI {lo.text}-{up.text} is centred (log scale) on {mid:.3f}, compatible with {label}",
            **centre,
        )
    return Check(
        "ci_symmetric_on_log_scale",
        recomputed,
        "inconsistent",
        f"{label} admits HR in [{math.exp(e_lo):.3f}, {math.exp(e_hi):.3f}] but the CI "
        f"{lo.text}-{up.text}, with its limits anywhere in their rounding, centres on "
        f"[{math.exp(mid_lo):.3f}, {math.exp(mid_hi):.3f}] (log scale)",
        **centre,
    )


def wald_p_range(
    log_lo: float, log_hi: float, ci_lower: Printed, ci_upper: Printed, alpha: float = 0.05
) -> tuple[float, float]:
    """The range of two-sided Wald p over the rounding box (ln HR in [log_lo, log_hi], CI limits).

    p falls with |ln HR| and rises with SE, so the extremes sit at the corners of the box.
    """
    z = z_quantile(alpha)
    abs_min = 0.0 if log_lo <= 0 <= log_hi else min(abs(log_lo), abs(log_hi))
    abs_max = max(abs(log_lo), abs(log_hi))
    se_min = max((math.log(_pos(ci_upper.lower)) - math.log(_pos(ci_lower.upper))) / (2 * z), 0.0)
    se_max = (math.log(_pos(ci_upper.upper)) - math.log(_pos(ci_lower.lower))) / (2 * z)
    p_min = wald_p(abs_max, se_min)
    p_max = wald_p(abs_min, se_max)
    return p_min, p_max


@ledger_rule(roles={"ci_lower": "lower", "ci_upper": "upper", "p": "p", "alpha": "alpha"})
def wald_p_from_ci(
    beta_or_hr: PrintedLike,
    ci_lower: PrintedLike,
    ci_upper: PrintedLike,
    p: PrintedLike,
    estimate_scale: EstimateScale = "hr",
    alpha: float = 0.05,
) -> Check:
    """The printed p agrees with the Wald test implied by the estimate and its (1 - alpha) CI.

    SE = (ln U - ln L)/(2 z_{1-alpha/2}), z = ln HR / SE, p two-sided normal; the range of p over
    the rounding box of the inputs is compared with the printed p (which may be a bound, "<0.001").
    `alpha` is the level of the printed interval (0.05 for a 95% CI), not a significance level.

    Parameters
    ----------
    beta_or_hr : Printed or str
        The printed estimate: the hazard ratio, or its logarithm with ``estimate_scale="beta"``.
    ci_lower, ci_upper : Printed or str
        The printed limits of the interval of the hazard ratio.
    p : Printed or str
        The printed two-sided P value (or a bound such as "<0.001").
    estimate_scale : {"hr", "beta"}, default "hr"
        The scale the estimate is printed on.
    alpha : float, default 0.05
        One minus the interval's level.

    Returns
    -------
    Check
        ``low``/``high``: the range of the Wald P over the rounding of the inputs.
    """
    est, lo, up, pv = (as_printed(x) for x in (beta_or_hr, ci_lower, ci_upper, p))
    e_lo, e_hi = _log_range(est, estimate_scale)
    p_min, p_max = wald_p_range(e_lo, e_hi, lo, up, alpha)
    log_est = est.value if estimate_scale == "beta" else math.log(_pos(est.value))
    se = (math.log(_pos(up.value)) - math.log(_pos(lo.value))) / (2 * z_quantile(alpha))
    p_point = wald_p(log_est, se)
    # Limits that print alike (0.2-0.2) leave no width at printed precision: z is unbounded there.
    z_text = f"{abs(log_est) / se:.2f}" if se > 0 else "∞"
    recomputed = f"p = {p_point:.3g} (z = {z_text}, SE {se:.3f}); rounding admits {p_min:.2g}-{p_max:.2g}"
    if _overlap(p_min, p_max, pv.lower, pv.upper, eps=1e-12):
        return Check(
            "wald_p_from_ci",
            recomputed,
            "consistent",
            f"Wald p from the printed estimate and CI lies in [{p_min:.3g}, {p_max:.3g}], "
            f"which admits the printed P {pv.text}",
            low=p_min,
            high=p_max,
        )
    return Check(
        "wald_p_from_ci",
        recomputed,
        "inconsistent",
        f"printed P {pv.text} (i.e. {_span(pv)}) but the Wald p implied by the estimate and "
        f"CI, over all rounding, lies in [{p_min:.3g}, {p_max:.3g}]",
        low=p_min,
        high=p_max,
    )


@ledger_rule(roles={"ci_lower": "lower", "ci_upper": "upper", "p": "p", "alpha": "alpha"})
def ci_excludes_null_iff_significant(
    ci_lower: PrintedLike, ci_upper: PrintedLike, p: PrintedLike, null: float = 1.0, alpha: float = 0.05
) -> Check:
    """A (1-alpha) Wald CI excludes the null value exactly when p < alpha (rounding-aware).

    `null` is 1 for ratios (HR, OR) and 0 for differences or coefficients.

    Parameters
    ----------
    ci_lower, ci_upper : Printed or str
        The printed limits of the interval.
    p : Printed or str
        The printed P value (or a bound).
    null : float, default 1.0
        The value of no effect.
    alpha : float, default 0.05
        One minus the interval's level, and the significance level it is compared with.

    Returns
    -------
    Check
        No single number is recomputed (``low``/``high`` are None).
    """
    lo, up, pv = as_printed(ci_lower), as_printed(ci_upper), as_printed(p)
    can_exclude = lo.upper > null or up.lower < null
    can_include = lo.lower <= null <= up.upper
    can_be_significant = pv.lower < alpha
    can_be_not_significant = pv.upper >= alpha
    recomputed = f"CI {lo.text}-{up.text} vs null {null:g}; P {pv.text} vs {alpha:g}"
    if (can_exclude and can_be_significant) or (can_include and can_be_not_significant):
        return Check(
            "ci_excludes_null_iff_significant",
            recomputed,
            "consistent",
            f"the CI {lo.text}-{up.text} and P {pv.text} agree about significance at {alpha:g}",
        )
    if can_be_significant:
        why = f"P {pv.text} < {alpha:g} but the CI {lo.text}-{up.text} contains {null:g} whatever the rounding"
    else:
        why = f"P {pv.text} ≥ {alpha:g} but the CI {lo.text}-{up.text} excludes {null:g} whatever the rounding"
    return Check(
        "ci_excludes_null_iff_significant",
        recomputed,
        "inconsistent",
        why + " (a Wald CI excludes the null exactly when the Wald P is below alpha)",
    )


def _inside(rule: str, what: str, value: PrintedLike, lower: PrintedLike, upper: PrintedLike) -> Check:
    v, lo, up = as_printed(value), as_printed(lower), as_printed(upper)
    recomputed = f"{lo.text} ≤ {v.text} ≤ {up.text}"
    if lo.lower > up.upper + 1e-12:
        return Check(rule, recomputed, "inconsistent", f"the lower limit {lo.text} exceeds the upper limit {up.text}")
    if v.upper + 1e-12 >= lo.lower and v.lower - 1e-12 <= up.upper:
        return Check(rule, recomputed, "consistent", f"{v.text} lies within the printed {what} {lo.text}-{up.text}")
    side = "below" if v.upper < lo.lower else "above"
    return Check(
        rule,
        f"{v.text} {side} {lo.text}-{up.text}",
        "inconsistent",
        f"{v.text} (at most {_fmt(v.upper, v.decimals + 1)}, at least {_fmt(v.lower, v.decimals + 1)}) "
        f"lies {side} the printed {what} {lo.text}-{up.text} even allowing for rounding",
    )


@ledger_rule(roles={"lower": "lower", "upper": "upper"})
def estimate_inside_ci(estimate: PrintedLike, lower: PrintedLike, upper: PrintedLike) -> Check:
    """The point estimate lies inside its printed confidence interval (within rounding).

    Parameters
    ----------
    estimate : Printed or str
        The printed point estimate.
    lower, upper : Printed or str
        The printed limits of its interval.

    Returns
    -------
    Check
        Inconsistent when the estimate lies outside the interval at every value rounding allows.
        No single number is recomputed (``low``/``high`` are None).

    Examples
    --------
    >>> estimate_inside_ci("14.2", "10.1", "18.6").verdict
    'consistent'
    """
    return _inside("estimate_inside_ci", "confidence interval", estimate, lower, upper)


@ledger_rule(roles={"alpha": "alpha"})
def cox_row(
    beta: PrintedLike | None = None,
    hr: PrintedLike | None = None,
    ci_lower: PrintedLike | None = None,
    ci_upper: PrintedLike | None = None,
    p: PrintedLike | None = None,
    alpha: float = 0.05,
) -> list[Check]:
    """All checks one Cox-table row allows; any argument may be None or "" (not printed).

    With beta and HR: HR = exp(beta) and the same direction of effect. With the CI: HR inside
    it, and the CI symmetric on the log scale about the estimate. With the CI and P: the Wald P
    recomputed from the CI, and the CI excluding HR 1 exactly when P < ``alpha`` (the level of
    the printed interval, 0.05 for a 95% CI). The symmetry and Wald-p checks use beta when printed
    (it carries more digits than HR).

    Parameters
    ----------
    beta, hr : Printed or str, optional
        The printed coefficient and hazard ratio.
    ci_lower, ci_upper : Printed or str, optional
        The printed limits of the interval of the hazard ratio.
    p : Printed or str, optional
        The printed P value.
    alpha : float, default 0.05
        The significance level that the printed interval corresponds to.

    Returns
    -------
    list of Check
        The checks of `hr_equals_exp_beta`, `effect_direction_agrees`, `estimate_inside_ci`,
        `ci_symmetric_on_log_scale`, `wald_p_from_ci` and `ci_excludes_null_iff_significant` that
        the printed values allow, each recording its own rule.
    """
    b, h, lo, up, pv = (_optional(x) for x in (beta, hr, ci_lower, ci_upper, p))
    checks: list[Check] = []
    if b is not None and h is not None:
        checks.append(hr_equals_exp_beta(b, h))
        checks.append(effect_direction_agrees(b, h))
    estimate = b if b is not None else h
    scale: EstimateScale = "beta" if b is not None else "hr"
    if lo is not None and up is not None:
        if h is not None:
            checks.append(estimate_inside_ci(h, lo, up))
        if estimate is not None:
            checks.append(ci_symmetric_on_log_scale(estimate, lo, up, estimate_scale=scale))
            if pv is not None:
                checks.append(wald_p_from_ci(estimate, lo, up, pv, estimate_scale=scale))
        if pv is not None:
            checks.append(ci_excludes_null_iff_significant(lo, up, pv, alpha=alpha))
    return checks


# ---------------------------------------------------------------------------------------------
# 6-11: survival summaries


@ledger_rule(roles={"lower": "lower", "upper": "upper"})
def median_ci_symmetry(median: PrintedLike, lower: PrintedLike, upper: PrintedLike) -> Check:
    """Median inside its CI, and whether the CI is median ± 1.96·SE (the form SPSS/Stata print).

    Symmetric within rounding -> consistent; clearly asymmetric -> ambiguous (the paper does not
    say how the CI of the median was computed; Brookmeyer-Crowley intervals are asymmetric).

    Parameters
    ----------
    median : Printed or str
        The printed median.
    lower, upper : Printed or str
        The printed limits of its interval.

    Returns
    -------
    Check
        ``low``/``high``: the midpoint of the interval over the limits' rounding.
    """
    m, lo, up = as_printed(median), as_printed(lower), as_printed(upper)
    inside = _inside("median_ci_symmetry", "confidence interval", m, lo, up)
    if inside.verdict == "inconsistent":
        return inside
    se = (up.value - lo.value) / (2 * Z975)
    gap_lo = up.lower + lo.lower - 2 * m.upper
    gap_hi = up.upper + lo.upper - 2 * m.lower
    asym = up.value + lo.value - 2 * m.value
    recomputed = f"SE {se:.2f} = ({up.text}-{lo.text})/(2×1.96); U+L-2·median = {asym:.2f}"
    asymmetry: Bounds = {"low": gap_lo, "high": gap_hi}
    if gap_lo - 1e-9 <= 0 <= gap_hi + 1e-9:
        return Check(
            "median_ci_symmetry",
            recomputed,
            "consistent",
            f"{lo.text}-{up.text} is symmetric about {m.text} within rounding: median ± 1.96×{se:.2f}, "
            f"the symmetric interval built from the median's standard error (as SPSS prints it)",
            **asymmetry,
        )
    return Check(
        "median_ci_symmetry",
        recomputed,
        "ambiguous",
        f"{lo.text}-{up.text} is not symmetric about {m.text} (U+L-2·median in [{gap_lo:.2f}, "
        f"{gap_hi:.2f}]), so it is not median ± z·SE but a test-based interval (Brookmeyer-Crowley: the "
        f"times where the survival curve's pointwise limits cross 50%, as R's survfit prints it); the paper "
        f"does not say how the CI of the median was computed",
        **asymmetry,
    )


def _km_transforms_matching(
    survivors: int, n: int, lower: Printed, upper: Printed, alpha: float, scale: float
) -> list[str]:
    """The Greenwood transforms whose CI for survivors/n prints as the two printed limits."""
    found = []
    for transform in KM_TRANSFORMS:
        low, high = km_uncensored_interval(survivors, n, transform, alpha)
        if lower.admits(low * scale) and upper.admits(high * scale):
            found.append(transform)
    return found


@ledger_rule(roles={"n": "n", "lower": "lower", "upper": "upper", "alpha": "alpha"})
def km_landmark_ci_method(
    rate: PrintedLike,
    lower: PrintedLike,
    upper: PrintedLike,
    n: int,
    landmark_months: float,
    last_entry: str,
    data_cutoff: str,
    complete_followup: str = "",
    alpha: float = 0.05,
    scale: float = 100.0,
) -> Check:
    """Which Greenwood transforms reproduce a Kaplan-Meier landmark rate's printed CI, given k/n.

    When no one can have been censored before the landmark, the Kaplan-Meier estimate there is
    k/n, the share of the n patients still event-free, and its Greenwood CI follows from k and n
    alone. That holds when every patient entered by `last_entry` could be followed to
    `data_cutoff` for longer than the landmark and none was lost (`complete_followup`: what the
    paper says about it, with its place); otherwise the rule says why it cannot check.

    Consistent when the printed rate is k/n for some k and a transform (plain, log, log-log, logit,
    arcsine-square-root) gives the printed limits from that k/n. Otherwise inconsistent, and the
    explanation traces the printed CI to the k/n it was computed from, if any. `scale` is 100 for
    rates and limits printed as percentages; `alpha` is the interval's level (0.05 for 95%).

    Parameters
    ----------
    rate : Printed or str
        The printed landmark survival rate.
    lower, upper : Printed or str
        The printed limits of its interval.
    n : int
        The number of patients at the start.
    landmark_months : float
        The landmark (24 for a 2-year rate).
    last_entry, data_cutoff : str
        The date of the last patient's entry and the data cut-off, as printed.
    complete_followup : str, optional
        What the paper says about loss to follow-up, with its place.
    alpha : float, default 0.05
        One minus the interval's level.
    scale : float, default 100.0
        100 when the rate and limits are percentages.

    Returns
    -------
    Check
        ``low``/``high``: the rate k/n the printed rate is read as, when one is found.
    """
    r, lo, up = as_printed(rate), as_printed(lower), as_printed(upper)
    shortest, _ = months_between(last_entry, data_cutoff)
    t = float(landmark_months)
    pct = "%" if scale == 100 else ""
    window = (
        f"the last patients entered in {last_entry} and the data cut-off was {data_cutoff}, so every patient "
        f"could be followed at least {shortest:.1f} months"
    )
    if not complete_followup:
        return Check(
            "km_landmark_ci_method",
            "—",
            "not-checkable",
            f"{window}, but the paper does not say that no patient was lost to follow-up, so censoring "
            f"before {t:g} months is possible and the Kaplan-Meier estimate need not be k/{n}",
        )
    if t >= shortest:
        return Check(
            "km_landmark_ci_method",
            "—",
            "not-checkable",
            f"{window}, which does not reach the {t:g}-month landmark: censoring before it is possible, so the "
            f"Kaplan-Meier estimate need not be k/{n}",
        )
    condition = (
        f"{window}, and {complete_followup}: no one can be censored before {t:g} months, so the "
        f"Kaplan-Meier estimate there is k/{n}"
    )
    level = f"{100 * (1 - alpha):g}%"
    fits_rate = [k for k in range(1, n + 1) if r.admits(scale * k / n)]
    traced = {k: found for k in range(1, n + 1) if (found := _km_transforms_matching(k, n, lo, up, alpha, scale))}

    def named(transforms: Sequence[str]) -> str:
        return ", ".join(KM_TRANSFORMS[x] for x in transforms)

    def share(k: int) -> str:
        return f"{k}/{n} = {scale * k / n:.2f}{'%' if scale == 100 else ''}"

    matching = [k for k in fits_rate if k in traced]
    if matching:
        k = matching[0]
        return Check(
            "km_landmark_ci_method",
            f"{share(k)}: {', '.join(traced[k])}",
            "consistent",
            f"{condition}; {r.text}{pct} is {share(k)}, and the printed {level} CI {lo.text}-{up.text} is "
            f"Greenwood's interval of {k}/{n} with the {named(traced[k])} transform",
            low=scale * k / n,
            high=scale * k / n,
        )
    if fits_rate:
        k = fits_rate[0]
        given = "; ".join(
            f"{x} {scale * a:.2f}-{scale * b:.2f}"
            for x in KM_TRANSFORMS
            for a, b in [km_uncensored_interval(k, n, x, alpha)]
        )
        why = (
            f"{r.text}{pct} is {share(k)}, but no Greenwood transform gives the printed {level} CI {lo.text}-{up.text} "
            f"from it (they give {given})"
        )
    else:
        below = max((k for k in range(0, n + 1) if scale * k / n < r.value), default=0)
        why = (
            f"{r.text}{pct} is not k/{n} for any k ({share(below)}, {share(below + 1)})"
            if 0 < below < n
            else f"{r.text}{pct} is not k/{n} for any k"
        )
    if traced:
        k = min(traced, key=lambda x: abs(scale * x / n - r.value))
        others = f" (also {', '.join(share(x) for x in traced if x != k)})" if len(traced) > 1 else ""
        return Check(
            "km_landmark_ci_method",
            f"CI {lo.text}-{up.text} = {', '.join(traced[k])} CI of {share(k)}",
            "inconsistent",
            f"{condition}; {why}; the printed CI is the {named(traced[k])} interval of {share(k)}{others}, so it "
            f"was computed from that estimate, not from the printed {r.text}{pct}",
            low=scale * k / n,
            high=scale * k / n,
        )
    return Check(
        "km_landmark_ci_method",
        "no k/n and transform give the printed CI",
        "inconsistent",
        f"{condition}; {why}; and no k/{n} gives the printed {level} CI {lo.text}-{up.text} by any Greenwood transform",
    )


@ledger_rule
def landmarks_decrease(points: Sequence[tuple[float, PrintedLike]]) -> Check:
    """Survival landmark rates do not increase with time (rounding-aware).

    Parameters
    ----------
    points : sequence of (float, Printed or str)
        The landmarks (months) and the rate printed at each.

    Returns
    -------
    Check
        Inconsistent when a later rate exceeds an earlier one at every value rounding allows.
    """
    ordered = sorted(((float(t), as_printed(r)) for t, r in points), key=lambda x: x[0])
    recomputed = ", ".join(f"{t:g} mo: {r.text}" for t, r in ordered)
    ceiling, ceiling_at = math.inf, ordered[0]
    for t, r in ordered:
        if r.lower > ceiling + 1e-9:
            return Check(
                "landmarks_decrease",
                recomputed,
                "inconsistent",
                f"the rate at {t:g} months ({r.text}, at least {_fmt(r.lower, r.decimals + 1)}) "
                f"exceeds the rate at {ceiling_at[0]:g} months ({ceiling_at[1].text}, at most "
                f"{_fmt(ceiling, r.decimals + 1)}); survival cannot rise with time",
            )
        if r.upper < ceiling:
            ceiling, ceiling_at = r.upper, (t, r)
    return Check(
        "landmarks_decrease", recomputed, "consistent", f"the {len(ordered)} landmark rates do not increase with time"
    )


@ledger_rule
def pfs_not_exceeding_os(pfs: PrintedLike, os: PrintedLike, quantity: Literal["median", "rate"] = "median") -> Check:
    """PFS cannot exceed OS: medians, or landmark rates at the same time (PFS rate <= OS rate).

    Progression-free survival counts death as an event, so S_PFS(t) <= S_OS(t) for every t.

    Parameters
    ----------
    pfs, os : Printed or str
        The printed PFS and OS (medians, or rates at the same landmark).
    quantity : {"median", "rate"}, default "median"
        What the two numbers are.

    Returns
    -------
    Check
        Inconsistent when the PFS exceeds the OS at every value rounding allows.

    Examples
    --------
    >>> pfs_not_exceeding_os("11.0", "19.0").verdict
    'consistent'
    """
    f, o = as_printed(pfs), as_printed(os)
    recomputed = f"PFS {f.text} vs OS {o.text}"
    if f.lower <= o.upper + 1e-9:
        return Check(
            "pfs_not_exceeding_os", recomputed, "consistent", f"PFS {quantity} {f.text} ≤ OS {quantity} {o.text}"
        )
    return Check(
        "pfs_not_exceeding_os",
        recomputed,
        "inconsistent",
        f"PFS {quantity} {f.text} (at least {_fmt(f.lower, f.decimals + 1)}) exceeds OS {quantity} "
        f"{o.text} (at most {_fmt(o.upper, o.decimals + 1)}); PFS events include deaths",
    )


_NOT_REACHED = {"nr", "not reached", "n.r.", "ne", "not estimable"}


@ledger_rule
def overall_median_between_subgroups(overall: PrintedLike, subgroup_medians: Mapping[str, PrintedLike | None]) -> Check:
    """For a partition of the cohort, the overall median lies between the subgroup medians.

    S(t) = Σ w_i S_i(t): below every subgroup median each S_i > 0.5, so S > 0.5; above all of
    them S < 0.5. "NR" (not reached) is read as an unknown value above the others.

    Parameters
    ----------
    overall : Printed or str
        The printed median of the whole cohort.
    subgroup_medians : mapping of str to Printed or str
        The printed median of each subgroup of a partition ("NR" or None: not reached).

    Returns
    -------
    Check
        ``low``/``high``: the least and greatest subgroup medians, when all are reached.
    """
    o = as_printed(overall)
    lows, highs, shown = [], [], []
    for label, value in subgroup_medians.items():
        if value is None or str(value).strip().lower() in _NOT_REACHED:
            lows.append(0.0)
            highs.append(math.inf)
            shown.append(f"{label}: NR")
            continue
        s = as_printed(value)
        lows.append(s.lower)
        highs.append(s.upper)
        shown.append(f"{label}: {s.text}")
    smallest, largest = min(lows), max(highs)
    recomputed = f"overall {o.text}; subgroups " + ", ".join(shown)
    admissible: Bounds = {"low": smallest, "high": largest} if math.isfinite(largest) else {}
    if o.upper + 1e-9 >= smallest and o.lower - 1e-9 <= largest:
        return Check(
            "overall_median_between_subgroups",
            recomputed,
            "consistent",
            f"the overall median {o.text} lies between the subgroup medians",
            **admissible,
        )
    return Check(
        "overall_median_between_subgroups",
        recomputed,
        "inconsistent",
        **admissible,
        explanation=(
            f"the overall median {o.text} must lie in [{_fmt(smallest, 3)}, {_fmt(largest, 3)}] "
            f"(between the smallest and largest subgroup medians, allowing rounding), as S(t) is a "
            f"weighted mean of the subgroup curves"
        ),
    )


@ledger_rule
def median_vs_landmark(median_months: PrintedLike, landmark_months: float, rate_percent: PrintedLike) -> Check:
    """A survival rate at a landmark before the median is >= 50%; after the median it is <= 50%.

    Parameters
    ----------
    median_months : Printed or str
        The printed median survival.
    landmark_months : float
        The landmark of the rate.
    rate_percent : Printed or str
        The printed survival rate at the landmark, in percent.

    Returns
    -------
    Check
        Inconsistent when the rate is on the wrong side of 50% for the median.
    """
    m, r = as_printed(median_months), as_printed(rate_percent)
    t = float(landmark_months)
    recomputed = f"S({t:g}) = {r.text}% vs median {m.text}"
    if t < m.lower:
        ok, need = r.upper >= 50 - 1e-9, "≥ 50%"
        relation = "before"
    elif t > m.upper:
        ok, need = r.lower <= 50 + 1e-9, "≤ 50%"
        relation = "after"
    else:
        return Check(
            "median_vs_landmark",
            recomputed,
            "consistent",
            f"the landmark {t:g} months falls within the rounding of the median {m.text}",
        )
    if ok:
        return Check(
            "median_vs_landmark",
            recomputed,
            "consistent",
            f"{t:g} months is {relation} the median {m.text}, and {r.text}% is {need}",
        )
    return Check(
        "median_vs_landmark",
        recomputed,
        "inconsistent",
        f"{t:g} months is {relation} the median {m.text} months, so survival there must be {need}, "
        f"but {r.text}% (rounding {_span(r)}) is not",
    )


@ledger_rule
def median_vs_cutoff_counts(
    median: PrintedLike,
    cutoff: float,
    n_at_or_below: int,
    n_above: int,
    below_inclusive: bool = True,
    whole_numbers: bool = True,
) -> Check:
    """A printed median against the counts on either side of a cut-off (e.g. age ≤35 vs >35).

    The sample median is the middle order statistic (odd n) or the mean of the two middle ones
    (even n). `below_inclusive` says the lower group is "≤ cutoff" (else "< cutoff"). With
    `whole_numbers` (ages in completed years, counts) the upper group starts at the next whole
    number, so a median from that group cannot print as the cut-off itself.

    Parameters
    ----------
    median : Printed or str
        The printed median.
    cutoff : float
        The cut-off between the two groups.
    n_at_or_below, n_above : int
        The counts of the two groups.
    below_inclusive : bool, default True
        The lower group is "≤ cutoff" (else "< cutoff").
    whole_numbers : bool, default True
        The values are whole numbers (ages in completed years).

    Returns
    -------
    Check
        Inconsistent when the middle value lies in a group the printed median cannot.
    """
    m = as_printed(median)
    n = n_at_or_below + n_above
    below_sign, above_sign = ("≤", ">") if below_inclusive else ("<", "≥")
    below_max: float
    above_min: float
    if whole_numbers:
        below_max = math.floor(cutoff) if below_inclusive else math.ceil(cutoff) - 1
        above_min = math.floor(cutoff) + 1 if below_inclusive else math.ceil(cutoff)
    else:
        below_max = above_min = float(cutoff)
    middle = [(n + 1) // 2] if n % 2 else [n // 2, n // 2 + 1]
    in_below = [k <= n_at_or_below for k in middle]
    order = " and ".join(f"{k}th" for k in middle)
    side = "at or below" if below_inclusive else "below"
    where = f"{side} the cut-off" if all(in_below) else "above it" if not any(in_below) else "on both sides of it"
    recomputed = (
        f"{n_at_or_below} {below_sign}{cutoff:g}, {n_above} {above_sign}{cutoff:g}: "
        f"middle value ({order} of {n}) {where}"
    )
    if all(in_below):
        ok, bound = m.lower <= below_max + 1e-9, f"at most {below_max:g}"
    elif not any(in_below):
        ok, bound = m.upper >= above_min - 1e-9, f"at least {above_min:g}"
    else:
        return Check(
            "median_vs_cutoff_counts",
            recomputed,
            "consistent",
            f"the two middle values straddle the cut-off {cutoff:g}, so any median near it is possible",
        )
    if ok:
        return Check(
            "median_vs_cutoff_counts",
            recomputed,
            "consistent",
            f"the median must be {bound}, and the printed {m.text} allows that",
        )
    return Check(
        "median_vs_cutoff_counts",
        recomputed,
        "inconsistent",
        f"with {n_at_or_below} of {n} values {below_sign}{cutoff:g} the median (the {order} value) must be "
        f"{bound}, but the printed {m.text} stands for {_span(m)}",
    )


# ---------------------------------------------------------------------------------------------
# 12-15: agreement, ranges, phrases


PrintedRange = tuple[PrintedLike, PrintedLike]
"""A range as printed, by its two ends: ("100", "300") for "100–300 µm"."""


@ledger_rule
def same_quantity_agrees(printings: Mapping[str, PrintedLike] | Mapping[str, PrintedRange]) -> Check:
    """The same quantity printed in several places: some true value is admitted by every printing.

    A printed range (low, high) is one quantity with two ends: the printings agree when both their
    lower ends and their upper ends agree.

    Rounding intervals are half-open, [v - h, v + h): two printings that only touch, such as 112
    and 113, or 25.6 and 25.7, share no value under any one rounding convention (112.5 prints as
    113 when rounding half up, as 112 when rounding half to even, never as both), so they disagree.

    Parameters
    ----------
    printings : mapping of str to Printed or str, or of str to a (low, high) pair
        Each place (label) and the value, or range, it prints.

    Returns
    -------
    Check
        Consistent when one true value (or pair of ends) is admitted by every printing.

    Examples
    --------
    >>> same_quantity_agrees({"Abstract": "19.0", "Results": "19.0", "Discussion": "18.0"}).verdict
    'inconsistent'
    """
    values = list(printings.values())
    if values and all(isinstance(v, tuple) for v in values):
        return _same_range_agrees(printings)  # type: ignore[arg-type]
    # Ranges and single values are not mixed: these are single values.
    printed = {place: as_printed(cast(PrintedLike, v)) for place, v in printings.items()}
    recomputed = "; ".join(f"{place}: {p.text}" for place, p in printed.items())
    high_place = max(printed, key=lambda k: printed[k].lower)
    low_place = min(printed, key=lambda k: printed[k].upper)
    hi_p, lo_p = printed[high_place], printed[low_place]
    tolerance = 1e-12 * max(1.0, abs(lo_p.upper)) if math.isfinite(lo_p.upper) else 0.0
    if hi_p.lower < lo_p.upper - tolerance:
        return Check(
            "same_quantity_agrees", recomputed, "consistent", f"all {len(printed)} printings admit a common value"
        )
    candidates = [x for p in printed.values() for x in (p.lower, p.upper, p.value) if math.isfinite(x)]
    consensus = max(candidates, key=lambda x: sum(p.admits(x) for p in printed.values()))
    agreeing = [place for place, p in printed.items() if p.admits(consensus)]
    disagreeing = [place for place in printed if place not in agreeing]

    def shown(places: list[str]) -> str:
        return ", ".join(f"{k} {printed[k].text} {_span(printed[k])}" for k in places)

    return Check(
        "same_quantity_agrees",
        recomputed,
        "inconsistent",
        f"{shown(disagreeing)} admits no value in common with {shown(agreeing)}; "
        f"no single true value prints as all of them",
    )


def _same_range_agrees(printings: Mapping[str, PrintedRange]) -> Check:
    lower = same_quantity_agrees({place: ends[0] for place, ends in printings.items()})
    upper = same_quantity_agrees({place: ends[1] for place, ends in printings.items()})
    working = "; ".join(
        f"{place} {as_printed(low).text}-{as_printed(high).text}" for place, (low, high) in printings.items()
    )
    if lower.verdict == upper.verdict == "consistent":
        return Check(
            "same_quantity_agrees",
            working,
            "consistent",
            f"the {len(printings)} printings of the range agree at both ends",
        )
    differing = [
        f"{end} ends: {check.explanation}"
        for end, check in (("lower", lower), ("upper", upper))
        if check.verdict != "consistent"
    ]
    return Check(
        "same_quantity_agrees", working, "inconsistent", "the printings of the range differ: " + "; ".join(differing)
    )


@ledger_rule(roles={"lower": "lower", "upper": "upper"})
def value_in_range(value: PrintedLike, lower: PrintedLike | None = None, upper: PrintedLike | None = None) -> Check:
    """A value lies inside a printed range (a median inside its range, a cut-off inside the range).

    Either end may be None (or "") for a one-sided bound, e.g. the youngest patient against the
    minimum age for inclusion (`lower` only) or the worst ECOG score against the maximum allowed
    (`upper` only).

    Parameters
    ----------
    value : Printed or str
        The printed value.
    lower, upper : Printed or str, optional
        The printed ends of the range; either may be None or "" for a one-sided bound.

    Returns
    -------
    Check
        Inconsistent when the value lies outside the range at every value rounding allows.
    """
    lo, up = _optional(lower), _optional(upper)
    if lo is not None and up is not None:
        return _inside("value_in_range", "range", value, lo, up)
    if lo is None and up is None:
        raise ValueError("value_in_range needs a lower or an upper bound")
    v = as_printed(value)
    if lo is not None:
        ok, sign, bound, word = v.upper + 1e-12 >= lo.lower, "≥", lo, "below"
    elif up is not None:
        ok, sign, bound, word = v.lower - 1e-12 <= up.upper, "≤", up, "above"
    if ok:
        return Check(
            "value_in_range",
            f"{v.text} {sign} {bound.text}",
            "consistent",
            f"{v.text} respects the printed bound {sign} {bound.text}",
        )
    return Check(
        "value_in_range",
        f"{v.text} {word} {sign} {bound.text}",
        "inconsistent",
        f"{v.text} {_span(v)} lies {word} the printed bound {sign} {bound.text} {_span(bound)} even "
        f"allowing for rounding",
    )


@ledger_rule
def not_checkable(reason: str, recomputed: str = "—") -> Check:
    """A printed number with nothing to recompute it from (e.g. quoted from another publication).

    Parameters
    ----------
    reason : str
        Why nothing can be recomputed (the explanation).
    recomputed : str, default "—"
        What is shown as recomputed.

    Returns
    -------
    Check
        Verdict not-checkable.
    """
    return Check("not_checkable", recomputed, "not-checkable", reason)


_FOLD_WORDS = {
    "twofold": "2",
    "two-fold": "2",
    "threefold": "3",
    "three-fold": "3",
    "fourfold": "4",
    "four-fold": "4",
    "fivefold": "5",
    "five-fold": "5",
    "tenfold": "10",
    "ten-fold": "10",
    "double": "2",
    "doubled": "2",
    "triple": "3",
}


@ledger_rule
def fold_phrase_matches_hr(fold_text_value: PrintedLike, hr: PrintedLike) -> Check:
    """A phrase such as "4.4-fold higher risk" or "twofold increase" agrees with the printed HR.

    The fold is read as the ratio itself (HR = fold). If only HR = 1 + fold fits ("x-fold
    higher" as an increase of x times the baseline), the verdict is ambiguous.

    Parameters
    ----------
    fold_text_value : Printed or str
        The fold the phrase states (4.4 for "4.4-fold", 2 for "twofold").
    hr : Printed or str
        The printed hazard ratio.

    Returns
    -------
    Check
        Consistent when HR = fold within rounding; ambiguous when only HR = 1 + fold fits.
    """
    key = str(fold_text_value).strip().lower()
    f = as_printed(_FOLD_WORDS.get(key, fold_text_value))
    h = as_printed(hr)
    recomputed = f"fold {f.text} vs HR {h.text}"
    if _overlap(f.lower, f.upper, h.lower, h.upper):
        return Check(
            "fold_phrase_matches_hr",
            recomputed,
            "consistent",
            f"a {f.text}-fold risk matches HR {h.text} within rounding",
        )
    if _overlap(f.lower + 1, f.upper + 1, h.lower, h.upper):
        return Check(
            "fold_phrase_matches_hr",
            recomputed,
            "ambiguous",
            f"HR {h.text} matches 1 + {f.text}, not {f.text}: the text does not define whether "
            f"'{f.text}-fold higher' means the ratio or the increase",
        )
    return Check(
        "fold_phrase_matches_hr",
        recomputed,
        "inconsistent",
        f"the phrase implies HR {_span(f)} but the printed HR is {h.text} {_span(h)}",
    )


@dataclass(frozen=True)
class ComparedQuantity:
    """One side of a comparison a paper draws: what it is, what is measured, and its values.

    `measure` names what is measured and in what unit ("progression-free time (months)"); two
    sides are comparable when their measures are the same. `low`/`high` bound the values when the
    comparison claims an order.
    """

    label: str
    measure: str
    low: float | None = None
    high: float | None = None


Relation = Literal["exceeds", "falls below", "overlaps"]
_NEGATED: dict[str, str] = {
    "exceeds": "does not exceed",
    "falls below": "does not fall below",
    "overlaps": "does not overlap",
}


@ledger_rule
def comparable_quantities(
    claim: str,
    this: ComparedQuantity,
    other: ComparedQuantity,
    relation: Relation | None = None,
    caveat: str = "",
) -> Check:
    """A comparison the paper draws ("our necrosis rate aligns with their response rates"): are the
    two sides the same measure, and, when the claim states an order, do the values bear it out?

    Ambiguous when the measures differ (the overlap or order has no meaning the paper defines);
    inconsistent when they match but the values contradict the stated relation; consistent
    otherwise. `caveat` adds what the comparison leaves out (population, estimator).

    Parameters
    ----------
    claim : str
        The comparison as the paper draws it.
    this, other : ComparedQuantity
        The two sides: each one's measure and value(s), as printed.
    relation : {"exceeds", "falls below", "overlaps"}, optional
        The order the claim states, if any.
    caveat : str, optional
        What the comparison leaves out.

    Returns
    -------
    Check
        As described above.
    """
    rule = "comparable_quantities"
    working = f"{this.label} vs {other.label}"
    note = f"; {caveat}" if caveat else ""
    if this.measure != other.measure:
        return Check(
            rule,
            working,
            "ambiguous",
            f"{claim}: {this.measure} and {other.measure} are different quantities, so the comparison "
            f"has no meaning the paper defines{note}",
        )
    if relation is None:
        return Check(rule, working, "consistent", f"{claim}: both sides are {this.measure}{note}")
    if this.low is None or this.high is None or other.low is None or other.high is None:
        raise ValueError("a stated relation needs low and high values on both sides")
    holds = {
        "exceeds": this.low > other.high,
        "falls below": this.high < other.low,
        "overlaps": _overlap(this.low, this.high, other.low, other.high),
    }[relation]
    # One decimal is what the ranges are printed or recomputed to; more would be false precision.
    this_range = f"{round(this.low, 1):g}-{round(this.high, 1):g}"
    other_range = f"{round(other.low, 1):g}-{round(other.high, 1):g}"
    if holds:
        return Check(
            rule,
            working,
            "consistent",
            f"{claim}: both are {this.measure}, and {this_range} {relation} {other_range}{note}",
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"{claim}: both are {this.measure}, but {this_range} {_NEGATED[relation]} {other_range}{note}",
    )


# ---------------------------------------------------------------------------------------------
# 16-23: definitions, labels and groupings


def _normalise_group_label(label: str) -> str:
    """Normalise "≥ 10", ">=10", "greater than 10" to "≥10": labels compare by meaning, not spelling."""
    text = str(label).strip().lower()
    for words, sign in (
        ("greater than or equal to ", "≥"),
        ("less than or equal to ", "≤"),
        ("greater than ", ">"),
        ("less than ", "<"),
        (">=", "≥"),
        ("<=", "≤"),
    ):
        text = text.replace(words, sign)
    return text.replace(" ", "")


@ledger_rule
def group_labels_agree(labels: Mapping[str, str | Sequence[str]], boundary: str) -> Check:
    """The same groups are labelled alike wherever printed (place -> group label, or the labels of
    the groups in order). Labels are compared by meaning ("≥ 10" = ">=10"); when they differ, a value
    at the `boundary` (exactly 10 cm) falls in different groups in different places, a definition
    the paper leaves open: ambiguous, not inconsistent, since either split may be the one used.

    Parameters
    ----------
    labels : mapping of str to str or sequence of str
        Each place (label) and the group label, or the groups' labels in order, it prints.
    boundary : str
        The value at the boundary between the groups, for the explanation.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    shown = {
        place: " / ".join(_normalise_group_label(x) for x in ([value] if isinstance(value, str) else value))
        for place, value in labels.items()
    }
    distinct = list(dict.fromkeys(shown.values()))
    recomputed = "; ".join(f"{place}: {label}" for place, label in shown.items())
    if len(distinct) == 1:
        return Check(
            "group_labels_agree",
            recomputed,
            "consistent",
            f"every place splits the groups the same way ({distinct[0]})",
        )
    return Check(
        "group_labels_agree",
        recomputed,
        "ambiguous",
        f"the groups are labelled {' and '.join(repr(d) for d in sorted(distinct))} in different places; "
        f"the paper does not define to which group a value of exactly {boundary} belongs",
    )


@ledger_rule
def group_cutoff_agrees(what: str, cutoffs: Mapping[str, int], sign: str = "≥") -> Check:
    """A whole-number cut-off ("≥ 2 modalities") is the same wherever the same grouping is described.

    Unlike a measured value, a cut-off on counts has no rounding interval: 2 and 3 differ.

    Parameters
    ----------
    what : str
        What is counted.
    cutoffs : mapping of str to int
        Each place (label) and the cut-off it prints.
    sign : str, default "≥"
        The comparison of the cut-off.

    Returns
    -------
    Check
        Inconsistent when the places print different cut-offs.
    """
    recomputed = "; ".join(f"{place}: {sign}{value}" for place, value in cutoffs.items())
    if len(set(cutoffs.values())) == 1:
        return Check("group_cutoff_agrees", recomputed, "consistent", f"the same cut-off for {what} everywhere")
    return Check(
        "group_cutoff_agrees",
        recomputed,
        "inconsistent",
        f"the cut-off for {what} differs: " + " vs ".join(f"{sign}{v} ({k})" for k, v in cutoffs.items()),
    )


@ledger_rule
def listed_factors_significant(
    threshold: PrintedLike, listed: Mapping[str, PrintedLike], not_listed: Mapping[str, PrintedLike] | None = None
) -> Check:
    """Factors a paper lists as significant ("independent factors (P < 0.05)") have, in its table,
    P values that can lie below the threshold.

    Inconsistent when some listed P, anywhere in its rounding, is at or above the threshold.
    `not_listed` are the table's other factors: those that are also significant are named, since
    the list leaves them out, but an incomplete list does not contradict the ones it gives.

    Parameters
    ----------
    threshold : Printed or str
        The printed significance threshold (0.05).
    listed : mapping of str to Printed or str
        The factors listed as significant and their printed P values.
    not_listed : mapping of str to Printed or str, optional
        The table's other factors and their P values.

    Returns
    -------
    Check
        As described above.
    """
    bound = as_printed(threshold)
    limit = bound.value
    ps = {label: as_printed(value) for label, value in listed.items()}
    shown = ", ".join(f"{label} P {p.text}" for label, p in ps.items())
    failing = [label for label, p in ps.items() if p.lower >= limit - 1e-12]
    omitted = [
        f"{label} (P {as_printed(value).text})"
        for label, value in (not_listed or {}).items()
        if as_printed(value).upper <= limit + 1e-12
    ]
    left_out = (
        (
            f"; {', '.join(omitted)} {'is' if len(omitted) == 1 else 'are'} also below {limit:g} in the table "
            f"but not listed"
        )
        if omitted
        else ""
    )
    if not failing:
        return Check(
            "listed_factors_significant",
            shown,
            "consistent",
            f"the table prints, for the factors listed: {shown} (all below {limit:g}: yes){left_out}",
        )
    return Check(
        "listed_factors_significant",
        shown,
        "inconsistent",
        f"the factors are listed as P {bound.text}, but the table prints "
        + ", ".join(f"{label} P {ps[label].text} {_span(ps[label])}" for label in failing)
        + f", not below {limit:g} at any rounding{left_out}",
    )


@ledger_rule
def procedures_vs_cycles(
    procedures: int, patients_by_minimum_cycles: Mapping[int, int], open_ended: Sequence[int] = ()
) -> Check:
    """A printed total of procedures against the patients grouped by number of treatment cycles.

    `patients_by_minimum_cycles` maps cycles -> patients (e.g. {1: 62, 2: 51}); the groups whose
    cycles are in `open_ended` received at least that many ("≥2"), the others exactly that many.
    With one procedure per cycle, the total is at least Σ cycles × patients and, when no group is
    open-ended, exactly that. The explanation gives the mean the open-ended groups must have had.

    Parameters
    ----------
    procedures : int
        The printed total of procedures.
    patients_by_minimum_cycles : mapping of int to int
        Cycles -> patients.
    open_ended : sequence of int, optional
        The cycle groups printed as "at least".

    Returns
    -------
    Check
        Inconsistent when the total is below the least the groups need (or, with no open-ended
        group, differs from it).
    """
    minimum = sum(c * n for c, n in patients_by_minimum_cycles.items())
    working = " + ".join(f"{n}×{c}" for c, n in patients_by_minimum_cycles.items())
    exact_only = not open_ended
    # With no open-ended group the total is a number the rule computes; otherwise only its least value.
    exact: Bounds = {"low": float(minimum), "high": float(minimum)} if exact_only else {}
    recomputed = f"{'exactly' if exact_only else 'at least'} {minimum} = {working}"
    groups = " and ".join(
        f"{n} with {'≥' if c in open_ended else ''}{c} cycle{'s' if c != 1 else ''}"
        for c, n in patients_by_minimum_cycles.items()
    )
    assumption = "one procedure per cycle assumed; the paper does not say"
    if procedures < minimum or (exact_only and procedures != minimum):
        return Check(
            "procedures_vs_cycles",
            recomputed,
            "inconsistent",
            f"{groups} need {'exactly' if exact_only else 'at least'} {minimum} procedures, but {procedures} "
            f"are printed ({assumption})",
            **exact,
        )
    if exact_only:
        return Check(
            "procedures_vs_cycles",
            recomputed,
            "consistent",
            f"{groups} make exactly {minimum} procedures, as printed ({assumption})",
            **exact,
        )
    fixed = sum(c * n for c, n in patients_by_minimum_cycles.items() if c not in open_ended)
    open_patients = sum(n for c, n in patients_by_minimum_cycles.items() if c in open_ended)
    mean = (procedures - fixed) / open_patients
    return Check(
        "procedures_vs_cycles",
        recomputed,
        "consistent",
        f"{groups} need at least {minimum} procedures; {procedures} printed means the {open_patients} "
        f"averaged {mean:.2f} procedures each ({assumption})",
    )


@ledger_rule
def adult_label_vs_age_range(
    youngest: PrintedLike, adult_from_years: float = 18, inclusion_minimum: PrintedLike | None = None
) -> Check:
    """A cohort the paper calls adult has no patient younger than the age of adulthood.

    `youngest` is the lower end of the printed age range; `inclusion_minimum`, when printed, is
    quoted because a minimum below adulthood shows the children were admitted by design.

    Parameters
    ----------
    youngest : Printed or str
        The lower end of the printed age range, in years.
    adult_from_years : float, default 18
        The age of adulthood.
    inclusion_minimum : Printed or str, optional
        The minimum age the inclusion criteria print.

    Returns
    -------
    Check
        Inconsistent when the youngest patient is younger than `adult_from_years`.
    """
    y = as_printed(youngest)
    recomputed = f"youngest patient {y.text} years vs adult ≥{adult_from_years:g}"
    inclusion = f" (inclusion: age ≥ {as_printed(inclusion_minimum).text} years)" if inclusion_minimum else ""
    if y.upper > adult_from_years - 1e-12:
        return Check(
            "adult_label_vs_age_range",
            recomputed,
            "consistent",
            f"the printed age range starts at {y.text} years{inclusion}, an adult age",
        )
    return Check(
        "adult_label_vs_age_range",
        recomputed,
        "inconsistent",
        f"a cohort called adult, but the printed age range starts at {y.text} years{inclusion}, "
        f"below {adult_from_years:g}, the usual threshold of adulthood",
    )


SIR_MINOR_GRADES = ("A", "B")
SIR_MAJOR_GRADES = ("C", "D", "E", "F")
"""Society of Interventional Radiology complication classes: A-B minor, C-F major."""


@ledger_rule
def severity_label_vs_sir_grade(
    label: str, counts_by_grade: Mapping[str, int], severe_defined_as_major: bool = False
) -> Check:
    """A claim of "no severe" (or "no serious") events against the events printed by SIR grade.

    Without major (C-F) events the claim holds. With them it is ambiguous, since the paper may mean
    something narrower by "severe", unless the paper defines severe as SIR major
    (`severe_defined_as_major`), when it is inconsistent.

    Parameters
    ----------
    label : str
        The claim, as printed ("no severe complications").
    counts_by_grade : mapping of str to int
        The printed events by SIR grade (A-F).
    severe_defined_as_major : bool, default False
        The paper defines severe as SIR major (C-F).

    Returns
    -------
    Check
        As described above.
    """
    counts = {str(g).upper(): int(n) for g, n in counts_by_grade.items()}
    recomputed = ", ".join(f"grade {g}: {n}" for g, n in counts.items())
    major = {g: n for g, n in counts.items() if g in SIR_MAJOR_GRADES and n > 0}
    if not major:
        return Check(
            "severity_label_vs_sir_grade",
            recomputed,
            "consistent",
            f"'{label}' and no SIR major (C-F) events are printed",
        )
    listed = " and ".join(f"{n} grade {g}" for g, n in major.items())
    if severe_defined_as_major:
        return Check(
            "severity_label_vs_sir_grade",
            recomputed,
            "inconsistent",
            f"'{label}', yet {listed} events are printed, and the paper defines severe as SIR major (C-F)",
        )
    return Check(
        "severity_label_vs_sir_grade",
        recomputed,
        "ambiguous",
        f"'{label}', while {listed} events are printed, which the SIR classification counts as major "
        f"complications; the paper does not define 'severe'",
    )


@ledger_rule
def grading_scale_agrees(scale: str, scale_grades: Sequence[str], printed_grades: Sequence[str]) -> Check:
    """Grades printed somewhere ("Grade 1–2") belong to the grading scale the paper says it uses
    (SIR letters A-F). Grades from another scale are ambiguous: they may map onto the paper's scale,
    but the paper does not give the mapping.

    Parameters
    ----------
    scale : str
        The grading scale the paper names.
    scale_grades : sequence of str
        The grades of that scale.
    printed_grades : sequence of str
        The grades the paper prints.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    grades = [str(g).strip() for g in scale_grades]
    printed = [str(g).strip() for g in printed_grades]
    span = f"{grades[0]}-{grades[-1]}" if len(grades) > 2 else ", ".join(grades)
    recomputed = f"{scale} grades {span} vs printed grades {', '.join(printed)}"
    foreign = [g for g in printed if g.upper() not in {x.upper() for x in grades}]
    if not foreign:
        return Check(
            "grading_scale_agrees",
            recomputed,
            "consistent",
            f"the printed grades {', '.join(printed)} belong to the {scale} scale",
        )
    return Check(
        "grading_scale_agrees",
        recomputed,
        "ambiguous",
        f"grade{'s' if len(foreign) > 1 else ''} {', '.join(foreign)} {'are' if len(foreign) > 1 else 'is'} not "
        f"on the {scale} scale ({span}) the paper uses, and the paper gives no mapping between the scales",
    )


@ledger_rule
def distinct_quantities_differ(
    first: str, second: str, first_printed: Sequence[PrintedLike], second_printed: Sequence[PrintedLike]
) -> Check:
    """Two different quantities (1-year PFS, 2-year OS) printed with the same estimate and CI.

    Identical printings are possible but deserve a reader's attention: a copying error cannot be
    excluded without the underlying data, so they are ambiguous; any difference is consistent.

    Parameters
    ----------
    first, second : str
        What the two quantities are.
    first_printed, second_printed : sequence of Printed or str
        Their printed estimate and limits.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    one = [as_printed(x).text for x in first_printed]
    two = [as_printed(x).text for x in second_printed]

    def shown(values: list[str]) -> str:
        return values[0] + (f" ({'–'.join(values[1:])})" if len(values) > 1 else "")

    if one == two:
        return Check(
            "distinct_quantities_differ",
            f"{first} = {second} = {shown(one)}",
            "ambiguous",
            f"{first} and {second} print the same {'estimate and CI' if len(one) > 1 else 'value'} "
            f"({shown(one)}); possible, but a copying error cannot be excluded without the underlying "
            f"data (life tables, patient-level values), which the paper does not print",
        )
    return Check(
        "distinct_quantities_differ",
        f"{first} {shown(one)}; {second} {shown(two)}",
        "consistent",
        f"{first} and {second} print different values, as different quantities usually do",
    )


@ledger_rule
def definition_stated(quantity: str, readings: Mapping[str, str], stated: str | None = None) -> Check:
    """A number whose meaning depends on a definition: which of the candidate `readings`
    (reading -> what the number then means) holds, e.g. a dose per day or per cycle.

    Consistent when the paper states the reading (`stated`, one of the readings) or when every
    reading means the same; otherwise ambiguous, listing what each reading gives.

    Parameters
    ----------
    quantity : str
        What the number is.
    readings : mapping of str to str
        Each candidate reading and what the number then means.
    stated : str, optional
        The reading the paper states (one of `readings`).

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    if stated is not None and stated not in readings:
        raise ValueError(f"stated reading {stated!r} is not one of {list(readings)}")
    listed = "; ".join(f"{reading}: {meaning}" for reading, meaning in readings.items())
    if stated is not None:
        return Check(
            "definition_stated",
            f"{stated}: {readings[stated]}",
            "consistent",
            f"the paper states that {quantity} is {stated}, so it means {readings[stated]}",
        )
    if len(set(readings.values())) <= 1:
        return Check("definition_stated", listed, "consistent", f"every reading of {quantity} gives the same value")
    return Check(
        "definition_stated",
        listed,
        "ambiguous",
        f"the paper does not say whether {quantity} is " + " or ".join(readings) + f"; the readings give {listed}",
    )


# ---------------------------------------------------------------------------------------------
# 24-30: counts in words, subsets, severity words, staging, quoted figures and their sources

# Counts in words are read as the source reader reads them, so that a word means one number everywhere.
NUMBER_WORDS = source_reader.NUMBER_WORDS
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
"""Case reports print small counts and ordinals as words ("Two cycles", "the seventh session")."""


def as_digits(printed: str) -> str:
    """A count or ordinal printed as a word ("Two", "eight", "seventh") as digits; digits pass."""
    word = printed.strip().lower()
    if word in NUMBER_WORDS:
        return str(NUMBER_WORDS[word])
    if word in ORDINAL_WORDS:
        return str(ORDINAL_WORDS[word])
    return printed.strip()


@ledger_rule
def subset_within_total(subset: int, total: int, of_what: str = "patients") -> Check:
    """A subgroup count ("11 had leiomyosarcoma") cannot exceed the total it is drawn from.

    Counts are exact, so no rounding applies: 0 <= subset <= total or the pair is impossible.

    Parameters
    ----------
    subset, total : int
        The printed subgroup count and the total it is drawn from.
    of_what : str, default "patients"
        What is counted, for the explanation.

    Returns
    -------
    Check
        Inconsistent when the subgroup is larger than the total.

    Examples
    --------
    >>> subset_within_total(11, 28).verdict
    'consistent'
    """
    working = f"{subset} of {total} ({100 * subset / total:.1f}%)" if total else f"{subset} of {total}"
    if 0 <= subset <= total:
        return Check(
            "subset_within_total", working, "consistent", f"{subset} is a possible subgroup of {total} {of_what}"
        )
    return Check(
        "subset_within_total",
        working,
        "inconsistent",
        f"a subgroup of {subset} cannot be drawn from {total} {of_what}; counts admit no rounding",
    )


CTCAE_SEVERITY = {1: "mild", 2: "moderate", 3: "severe", 4: "life-threatening", 5: "death"}
"""The word CTCAE (v4 and v5) attaches to each grade of an adverse event."""


@ledger_rule
def grade_matches_severity_word(
    printed_grade: PrintedLike,
    severity_words: Sequence[str],
    scale: Mapping[int, str] = CTCAE_SEVERITY,
    scale_name: str = "CTCAE",
) -> Check:
    """A printed toxicity grade ("grade 2") against the severity words the paper uses for it
    ("mild to moderate"): the grade's own word on the scale must be one of them.

    Parameters
    ----------
    printed_grade : Printed or str
        The printed grade.
    severity_words : sequence of str
        The words the paper uses for it ("mild", "moderate").
    scale : mapping of int to str, optional
        Grade -> word on the grading scale (CTCAE by default).
    scale_name : str, default "CTCAE"
        The scale's name, for the explanation.

    Returns
    -------
    Check
        Inconsistent when the grade's word is not among the printed words.
    """
    grade = int(as_printed(printed_grade).value)
    if grade not in scale:
        raise ValueError(f"grade {grade} is not on the {scale_name} scale {sorted(scale)}")
    word = scale[grade]
    words = [w.strip().lower() for w in severity_words]
    described = " to ".join(words) if len(words) == 2 else ", ".join(words)
    recomputed = f"{scale_name} grade {grade} = {word}"
    if word in words:
        return Check(
            "grade_matches_severity_word",
            recomputed,
            "consistent",
            f"grade {grade} is what the {scale_name} calls {word}, within the paper's '{described}'",
        )
    return Check(
        "grade_matches_severity_word",
        recomputed,
        "inconsistent",
        f"grade {grade} is what the {scale_name} calls {word}, outside the paper's '{described}'",
    )


def ajcc8_retroperitoneal_t(greatest_dimension_cm: float) -> str:
    """AJCC 8th edition T category of a retroperitoneal sarcoma from its greatest dimension."""
    if greatest_dimension_cm <= 5:
        return "T1"
    if greatest_dimension_cm <= 10:
        return "T2"
    if greatest_dimension_cm <= 15:
        return "T3"
    return "T4"


def ajcc8_retroperitoneal_group(t: str, n: str, m: str, grade: str) -> str:
    """AJCC 8th edition stage group for retroperitoneal sarcoma (grade "G1" counts with GX)."""
    if m == "M1":
        return "IV"
    if n == "N1":
        return "IIIB"
    low_grade = grade in ("G1", "GX")
    if t == "T1":
        return "IA" if low_grade else "II"
    if low_grade:
        return "IB"
    return "IIIA" if t == "T2" else "IIIB"


def _staging_verdict(
    rule: str,
    system: str,
    printed: str,
    stages: Mapping[tuple[str, str, str], str] | Mapping[tuple[str, str, str, str], str],
    factor_names: Sequence[str],
    known: str,
    caveat: str = "",
) -> Check:
    """Shared verdict of the staging rules: `stages` maps every combination of the factors the
    paper leaves open to the stage it gives.
    """
    attainable = sorted(set(stages.values()))
    note = f"; {caveat}" if caveat else ""
    recomputed = f"{known} -> {'/'.join(attainable)} ({system})"
    if printed not in attainable:
        return Check(
            rule,
            recomputed,
            "inconsistent",
            f"stage {printed} is not reachable under {system} from {known}, whatever the unprinted "
            f"factors; only {'/'.join(attainable)} can result{note}",
        )
    needed = [combo for combo, stage in stages.items() if stage == printed]
    if len(needed) == len(stages) and not caveat:
        return Check(rule, recomputed, "consistent", f"{known} gives stage {printed} under {system}")
    # A factor the printed stage needs is one that takes a single value over every combination giving it.
    required = ", ".join(
        f"{name} {values.pop()}"
        for index, name in enumerate(factor_names)
        if len(values := {combo[index] for combo in needed}) == 1 and "" not in values
    )
    return Check(
        rule,
        recomputed,
        "ambiguous",
        f"stage {printed} under {system} with {known} requires {required or 'facts the paper gives'}, "
        "which the paper does not report; "
        f"other values give {'/'.join(s for s in attainable if s != printed) or printed}"
        f"{note}",
    )


@ledger_rule
def ajcc8_retroperitoneal_stage(
    printed_stage: str,
    greatest_dimension_cm: PrintedLike,
    nodes: str | None = None,
    metastasis: str | None = None,
    grade: str | None = None,
    caveat: str = "",
) -> Check:
    """A printed AJCC 8th edition stage of a retroperitoneal sarcoma against the size, nodes (N0/N1),
    metastasis (M0/M1) and grade (G1-G3) the paper prints; None for a factor it does not print.

    The T category is read from the size within its rounding. Consistent when every value of the
    unprinted factors gives the printed stage; ambiguous when only some do (naming them);
    inconsistent when none does.

    Parameters
    ----------
    printed_stage : str
        The printed stage (IA to IV).
    greatest_dimension_cm : Printed or str
        The printed greatest dimension of the tumour, in cm.
    nodes, metastasis, grade : str, optional
        N0/N1, M0/M1 and G1-G3 as printed; None when not printed.
    caveat : str, optional
        Added to the explanation.

    Returns
    -------
    Check
        As described above.
    """
    size = as_printed(greatest_dimension_cm)
    t_categories = sorted(
        {ajcc8_retroperitoneal_t(x) for x in (size.lower, size.value, max(size.upper - 1e-9, size.lower))}
    )
    ns = [nodes] if nodes else ["N0", "N1"]
    ms = [metastasis] if metastasis else ["M0", "M1"]
    gs = [grade] if grade else ["G1", "G2", "G3"]
    stages = {
        (
            t if len(t_categories) > 1 else "",
            n if not nodes else "",
            m if not metastasis else "",
            g if not grade else "",
        ): ajcc8_retroperitoneal_group(t, n, m, g)
        for t in t_categories
        for n in ns
        for m in ms
        for g in gs
    }
    known = f"{size.text} cm ({'/'.join(t_categories)})" + "".join(f" {x}" for x in (nodes, metastasis, grade) if x)
    return _staging_verdict(
        "ajcc8_retroperitoneal_stage",
        "AJCC 8th edition, retroperitoneum",
        printed_stage.strip().upper(),
        stages,
        ("T", "nodes", "metastasis", "grade"),
        known,
        caveat,
    )


def msts_enneking_group(grade: str, extent: str, metastasis: str) -> str:
    """MSTS (Enneking) stage: I low grade, II high grade, III metastatic (any grade); A inside one
    anatomical compartment (T1), B beyond it (T2).
    """
    suffix = "A" if extent == "T1" else "B"
    if metastasis == "M1":
        return "III" + suffix
    return ("I" if grade == "low" else "II") + suffix


@ledger_rule
def msts_stage_definition(
    printed_stage: str,
    grade: Literal["low", "high"] | None = None,
    extent: Literal["T1", "T2"] | None = None,
    metastasis: str | None = None,
    musculoskeletal: bool = True,
) -> Check:
    """A printed MSTS (Enneking) stage against the grade, compartmental extent (T1 intra-, T2
    extracompartmental) and metastasis at staging (M0/M1) the paper reports; None when not reported.

    Verdicts as for the AJCC stage. The system is defined for musculoskeletal tumours: applied to
    another site (`musculoskeletal=False`) a reachable stage is at best ambiguous, since the paper
    must say how compartments were read there.

    Parameters
    ----------
    printed_stage : str
        The printed MSTS stage.
    grade : {"low", "high"}, optional
        The reported grade.
    extent : {"T1", "T2"}, optional
        The reported compartmental extent.
    metastasis : str, optional
        M0 or M1 as reported.
    musculoskeletal : bool, default True
        The tumour is musculoskeletal (the system's domain).

    Returns
    -------
    Check
        As described above.
    """
    gs = [grade] if grade else ["low", "high"]
    ts = [extent] if extent else ["T1", "T2"]
    ms = [metastasis] if metastasis else ["M0", "M1"]
    stages = {
        (g if not grade else "", t if not extent else "", m if not metastasis else ""): msts_enneking_group(g, t, m)
        for g in gs
        for t in ts
        for m in ms
    }
    facts = [f"{grade} grade" if grade else "", extent or "", metastasis or ""]
    known = ", ".join(f for f in facts if f) or "no grade, extent or metastasis status"
    caveat = (
        ("the system is defined for musculoskeletal tumours and the paper does not say how it was applied to this site")
        if not musculoskeletal
        else ""
    )
    return _staging_verdict(
        "msts_stage_definition",
        "MSTS (Enneking)",
        printed_stage.strip().upper(),
        stages,
        ("grade", "extent", "metastasis"),
        known,
        caveat,
    )


@dataclass(frozen=True)
class QuotedValue:
    """A figure another paper is quoted as printing: whose, which measure, and the printed value."""

    label: str
    measure: str
    printed: str


@ledger_rule
def quoted_range_matches_quoted_series(
    printed_low: PrintedLike, printed_high: PrintedLike, measure: str, quoted: Sequence[QuotedValue]
) -> Check:
    """A range the paper attributes to earlier series ("PFS 6.3–21 months") against the figures of
    those series quoted in the corpus: each end should be a value of the named `measure`.

    Consistent when both ends match a quoted value of that measure within rounding. Ambiguous
    otherwise: an end that matches only another measure may have been taken from it, and an end
    that matches nothing may come from a series the corpus does not quote, so neither proves an error.

    Parameters
    ----------
    printed_low, printed_high : Printed or str
        The ends of the printed range.
    measure : str
        The measure the paper names.
    quoted : sequence of QuotedValue
        The figures of the earlier series as quoted in the corpus.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    ends = [as_printed(printed_low), as_printed(printed_high)]
    matches = {end.text: [value for value in quoted if end.admits(as_printed(value.printed).value)] for end in ends}
    working = "; ".join(
        f"{end}: {', '.join(f'{v.label} {v.measure} {v.printed}' for v in found) or 'no quoted value'}"
        for end, found in matches.items()
    )
    same = {end: [v for v in found if v.measure == measure] for end, found in matches.items()}
    unmatched = [end for end, found in same.items() if not found]
    if not unmatched:
        return Check(
            "quoted_range_matches_quoted_series",
            working,
            "consistent",
            f"both ends of {ends[0].text}-{ends[1].text} match {measure} values quoted in the corpus",
        )
    of_measure = ", ".join(f"{v.label} {v.printed}" for v in quoted if v.measure == measure) or "none"
    other = [f"{v.label} {v.measure} {v.printed}" for end in unmatched for v in matches[end]]
    return Check(
        "quoted_range_matches_quoted_series",
        working,
        "ambiguous",
        f"among the quoted {measure} values ({of_measure}) none rounds to {' or '.join(unmatched)}"
        + (
            f", but {', '.join(other)} does, so that end may be another measure"
            if other
            else ", so the source of that end cannot be traced"
        ),
    )


@ledger_rule
def cited_reference_topic(reference: str, cited_for: Mapping[str, str], listed_as: Mapping[str, str]) -> Check:
    """A figure attributed to a reference against what the reference list says that reference is:
    `cited_for` and `listed_as` map aspects (disease, treatment, ...) to what the citing sentence
    and the listed title say about each.

    Consistent when every aspect both give agrees (compared case-insensitively). Ambiguous when
    some differ: the reference list may be misnumbered, or the paper may cover more than its title,
    so the source of the figure cannot be confirmed, but nothing is shown to be wrong.

    Parameters
    ----------
    reference : str
        The reference's number or key.
    cited_for : mapping of str to str
        Aspect -> what the citing sentence says.
    listed_as : mapping of str to str
        Aspect -> what the reference list says.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    shared = [aspect for aspect in cited_for if aspect in listed_as]
    if not shared:
        raise ValueError("cited_for and listed_as share no aspect to compare")
    differing = [a for a in shared if cited_for[a].strip().lower() != listed_as[a].strip().lower()]
    working = f"{reference} as listed: " + ", ".join(f"{a} {listed_as[a]}" for a in shared)
    if not differing:
        return Check(
            "cited_reference_topic",
            working,
            "consistent",
            f"{reference} is listed with the {', '.join(shared)} the citing sentence attributes to it",
        )
    return Check(
        "cited_reference_topic",
        working,
        "ambiguous",
        f"the figures are attributed to {reference} for "
        + ", ".join(f"{a} {cited_for[a]}" for a in differing)
        + ", but its listed title concerns "
        + ", ".join(f"{a} {listed_as[a]}" for a in differing)
        + "; the reference list may be misnumbered, so the source of the figures cannot be confirmed",
    )


# ---------------------------------------------------------------------------------------------
# registry


@dataclass(frozen=True)
class RuleInfo:
    """What the catalogue says about a rule: what it checks, how, and a worked example."""

    name: str
    summary: str
    method: str
    example: Callable[[], Check | list[Check]]

    def worked_example(self) -> list[Check]:
        """The checks of the worked example, as a list (one or several)."""
        result = self.example()
        return result if isinstance(result, list) else [result]


def _info(
    function: Callable[..., object], summary: str, method: str, example: Callable[[], Check | list[Check]]
) -> RuleInfo:
    return RuleInfo(function.__name__, summary, method, example)


RULES: dict[str, RuleInfo] = {
    info.name: info
    for info in [
        _info(
            percent_of_n,
            "A printed percentage equals count over the denominator the paper states for it.",
            "Divides the count by the denominator the paper states (a table title such as 'of the 113 Patients', "
            "a column header 'Total (N=113)', a sentence 'Among those who received subsequent treatment (n=51)') "
            "and asks whether the result rounds to the printed percentage. When it does not, the percentage is "
            "inconsistent with what the paper says, and the explanation names the other denominators the paper "
            "prints that reproduce it (the likely slip, not an excuse) and every integer denominator that would "
            "(GRIM-style). Only a percentage whose denominator the paper really leaves open (no title, header or "
            "sentence names one) is ambiguous when another printed denominator reproduces it.",
            lambda: [
                percent_of_n(
                    4,
                    113,
                    "1.9",
                    {"the 216 AICE procedures": 216, "the 51 patients who received subsequent treatment": 51},
                    stated_in="Table 5, title, 'Table 5 Safety Profile of the 113 Patients with "
                    "Recurrent/Metastatic STS Underwent AICE Treatment'",
                ),
                percent_of_n(
                    10,
                    113,
                    "8.9",
                    {"the 216 AICE procedures": 216},
                    stated_in="Table 2, title, 'Table 2 Pathological Subtypes of the 113 Patients with "
                    "Recurrent/Metastatic Soft Tissue Sarcoma'",
                ),
                percent_of_n(4, 113, "1.9", {"216 procedures": 216}, denominator_open=True),
            ],
        ),
        _info(
            counts_sum_to_total,
            "The counts of a partition add up to the printed total.",
            "Adds the group counts and compares with the total exactly: counts are not rounded.",
            lambda: counts_sum_to_total({"male": 68, "female": 45}, 113),
        ),
        _info(
            percents_sum_to_100,
            "The percentages of a partition sum to 100 within rounding.",
            "Each printed percentage stands for an interval; the rule is satisfied when 100 lies between the "
            "sum of the lower ends and the sum of the upper ends.",
            lambda: percents_sum_to_100({"G1": "4.4", "G2": "43.4", "G3": "52.2"}),
        ),
        _info(
            binomial_ci_method,
            "A printed binomial confidence interval is reproduced by a standard method.",
            "Computes the interval of count/n by Wald, Agresti-Coull, Clopper-Pearson, Wilson, Jeffreys and the "
            "inverted binomial test (statsmodels) and reports which methods round to both printed limits.",
            lambda: binomial_ci_method(42, 113, "28.3", "46.8", scale=100),
        ),
        _info(
            hr_equals_exp_beta,
            "A Cox row's hazard ratio equals exp(β).",
            "Exponentiates both ends of β's rounding interval and asks whether the result overlaps the "
            "printed HR's rounding interval.",
            lambda: hr_equals_exp_beta("1.513", "4.4"),
        ),
        _info(
            effect_direction_agrees,
            "A Cox row's β and hazard ratio point the same way.",
            "Takes the rounding intervals of β and of ln HR and asks whether both admit the same sign "
            "(β > 0 with HR > 1, β < 0 with HR < 1); an interval that straddles 0 admits either.",
            lambda: effect_direction_agrees("1.513", "4.4"),
        ),
        _info(
            ci_symmetric_on_log_scale,
            "A Wald CI of a hazard ratio is centred on ln HR.",
            "Computes the log-scale midpoint (ln L + ln U)/2 over the rounding intervals of the limits and "
            "compares its range with the range of ln HR (or β).",
            lambda: ci_symmetric_on_log_scale("1.513", "2.3", "8.7", estimate_scale="beta"),
        ),
        _info(
            wald_p_from_ci,
            "A Cox row's P value agrees with its estimate and CI.",
            "Recovers SE = (ln U − ln L)/(2·1.96) and z = ln HR/SE, and computes the two-sided normal p. "
            "Because p is monotone in |ln HR| and SE, its range over the rounding box comes from the box's "
            "corners; the printed P (or bound such as <0.001) must overlap that range.",
            lambda: wald_p_from_ci("0.551", "1.1", "2.7", "0.014", estimate_scale="beta"),
        ),
        _info(
            ci_excludes_null_iff_significant,
            "A CI excludes the null value exactly when P < 0.05.",
            "A Wald interval and a Wald test share their standard error, so the 95% CI excludes 1 (HR) or 0 "
            "exactly when the two-sided P is below 0.05; each printed limit and P is allowed its rounding.",
            lambda: ci_excludes_null_iff_significant("1.0", "2.6", "0.043"),
        ),
        _info(
            estimate_inside_ci,
            "A point estimate lies inside its confidence interval.",
            "Compares the rounding intervals of the estimate and the two limits.",
            lambda: estimate_inside_ci("4.4", "2.3", "8.7"),
        ),
        _info(
            cox_row,
            "All the checks a Cox table row allows.",
            "Applies hr_equals_exp_beta, effect_direction_agrees, estimate_inside_ci, ci_symmetric_on_log_scale, "
            "wald_p_from_ci and ci_excludes_null_iff_significant (at the level of the printed interval) to "
            "whatever the row prints, using β for the symmetry and the Wald P when printed since it carries more "
            "digits.",
            lambda: cox_row("0.23", "1.3", "0.6", "2.8", "0.560"),
        ),
        _info(
            median_ci_symmetry,
            "A median lies inside its CI, and which kind of interval the CI is.",
            "Checks the median is inside the interval, then whether U + L − 2·median can be zero within "
            "rounding: a symmetric interval is median ± z·SE, the form SPSS prints; an asymmetric one is a "
            "test-based (Brookmeyer-Crowley) interval, read where the survival curve's pointwise limits cross 50% "
            "(as R's survfit prints it). The asymmetric case is ambiguous, since the paper does not say how the "
            "CI of the median was computed. The recomputed range is that of U + L − 2·median.",
            lambda: [median_ci_symmetry("19.0", "12.8", "25.3"), median_ci_symmetry("16.0", "13.7", "18.7")],
        ),
        _info(
            landmarks_decrease,
            "Survival landmark rates do not rise with time.",
            "Sorts the landmarks by time and looks for a non-increasing sequence of true values inside the "
            "rounding intervals of the printed rates.",
            lambda: landmarks_decrease([(24, "45.1"), (36, "41.7")]),
        ),
        _info(
            pfs_not_exceeding_os,
            "Progression-free survival does not exceed overall survival.",
            "Because death is a PFS event, S_PFS(t) ≤ S_OS(t) at every t, so PFS medians and landmark rates "
            "cannot exceed the OS ones; compared within rounding.",
            lambda: pfs_not_exceeding_os("11.0", "19.0"),
        ),
        _info(
            overall_median_between_subgroups,
            "The overall median lies between the medians of a partition.",
            "The overall survival curve is a weighted mean of the subgroup curves, so it crosses 50% between "
            "the first and last subgroup crossing; compared within rounding.",
            lambda: overall_median_between_subgroups("19.0", {"<10 cm": "27.0", "≥10 cm": "15.0"}),
        ),
        _info(
            median_vs_landmark,
            "A landmark rate sits on the right side of 50% given the median.",
            "Before the median survival is at least 50%, after it at most 50%; landmarks within the median's "
            "rounding interval are not tested.",
            lambda: median_vs_landmark("19.0", 24, "45.1"),
        ),
        _info(
            median_vs_cutoff_counts,
            "A printed median agrees with the counts on either side of a cut-off.",
            "Locates the middle order statistic(s) of the sample relative to the cut-off from the group counts; "
            "when both lie on one side, the median must lie on that side (for whole-number data, at least the "
            "next whole number above an inclusive cut-off).",
            lambda: median_vs_cutoff_counts("35", 35, 37, 76),
        ),
        _info(
            same_quantity_agrees,
            "The same quantity printed in several places agrees.",
            "Intersects the rounding intervals of every printing; the printings agree when the intersection is "
            "not empty. A range printed in several places agrees when its lower ends and its upper ends do.",
            lambda: [
                same_quantity_agrees({"Abstract": "19.0", "Results": "19.0", "Discussion": "18.0"}),
                same_quantity_agrees({"first DEB-TACE": ("100", "300"), "later sessions": ("100", "300")}),
            ],
        ),
        _info(
            value_in_range,
            "A value lies inside a printed range, or respects a one-sided bound.",
            "Compares the rounding intervals of the value and the range's ends; either end may be missing, "
            "e.g. the youngest patient against the minimum age for inclusion.",
            lambda: [value_in_range("10.7", "1.5", "25.3"), value_in_range("3", lower="18")],
        ),
        _info(
            not_checkable,
            "A number with nothing in the paper to recompute it from.",
            "Records the number with the reason it cannot be checked, e.g. a figure quoted from another study.",
            lambda: not_checkable("quoted from another publication (reference 12)"),
        ),
        _info(
            fold_phrase_matches_hr,
            "A 'k-fold' phrase agrees with the printed hazard ratio.",
            "Reads the fold (words such as twofold as numbers) as a printed number and compares its rounding "
            "interval with the HR's; a match only with 1 + fold is ambiguous.",
            lambda: fold_phrase_matches_hr("twofold", "2.1"),
        ),
        _info(
            group_labels_agree,
            "The same groups are labelled alike wherever the paper prints them.",
            'Normalises each group label ("≥ 10" = ">=10") and compares them place by place; different '
            "labels put a value on the boundary in different groups, a definition the paper leaves open, so "
            "the verdict is ambiguous.",
            lambda: [
                group_labels_agree({"Table 1": ["<10", "≥10"], "Results text": ["< 10", "≥ 10"]}, "10 cm"),
                group_labels_agree({"Table 1": ["<10", "≥10"], "Table 3": ["≤ 10", ">10"]}, "10 cm"),
            ],
        ),
        _info(
            group_cutoff_agrees,
            "A whole-number cut-off is the same wherever the same grouping is described.",
            "Compares the cut-offs exactly: a cut-off on counts (treatment modalities, cycles) has no rounding.",
            lambda: group_cutoff_agrees("treatment modalities", {"Tables 3-4 (0–1 vs ≥ 2)": 2, "Discussion": 3}),
        ),
        _info(
            listed_factors_significant,
            "Factors listed as significant have P values below the threshold in the table.",
            "Each listed factor's printed P must admit a value below the stated threshold (P 0.049 stands for "
            "[0.0485, 0.0495)); the table's other factors that are also below it are named, since the list "
            "leaves them out.",
            lambda: [
                listed_factors_significant(
                    "<0.05",
                    {"distant metastasis": "<0.001", "grade G3 vs G1+G2": "0.043"},
                    {"stage IV vs III": "0.005"},
                ),
                listed_factors_significant("<0.05", {"treatment cycles 1 vs ≥2": "0.560"}),
            ],
        ),
        _info(
            procedures_vs_cycles,
            "A printed number of procedures agrees with the patients grouped by cycles.",
            "With one procedure per cycle, patients with exactly k cycles make k procedures each and patients "
            "with at least k make at least k; the printed total must reach the sum (and equal it when no group "
            "is open-ended). The mean number of procedures the open-ended group must have had is reported.",
            lambda: [
                procedures_vs_cycles(216, {1: 62, 2: 51}, open_ended=(2,)),
                procedures_vs_cycles(150, {1: 62, 2: 51}, open_ended=(2,)),
            ],
        ),
        _info(
            adult_label_vs_age_range,
            "A cohort called adult has no patient younger than the age of adulthood.",
            "Compares the lower end of the printed age range, within its rounding, with the age of adulthood "
            "(18 years unless given).",
            lambda: [adult_label_vs_age_range("3", 18, inclusion_minimum="3"), adult_label_vs_age_range("18")],
        ),
        _info(
            severity_label_vs_sir_grade,
            "A claim of no severe events agrees with the events printed by SIR grade.",
            "The SIR classification counts grades A-B as minor and C-F as major complications. Without major "
            "events the claim holds; with them it is ambiguous unless the paper defines severe as major, when it "
            "is inconsistent.",
            lambda: [
                severity_label_vs_sir_grade("no severe adverse reactions", {"C": 5, "D": 2}),
                severity_label_vs_sir_grade("no severe adverse reactions", {"A": 40, "B": 10, "C": 0}),
            ],
        ),
        _info(
            grading_scale_agrees,
            "Printed grades belong to the grading scale the paper says it uses.",
            "Looks up each printed grade on the declared scale (SIR letters A-F, CTCAE 1-5); grades from another "
            "scale are ambiguous, because the paper gives no mapping between the scales.",
            lambda: [
                grading_scale_agrees("SIR", list("ABCDEF"), ["1", "2"]),
                grading_scale_agrees("SIR", list("ABCDEF"), ["A", "B"]),
            ],
        ),
        _info(
            distinct_quantities_differ,
            "Two different quantities do not print the same estimate and CI.",
            "Compares the printed texts: identical estimates and intervals for different quantities (1-year PFS "
            "and 2-year OS) are possible but may be a copying error, which the summaries cannot exclude, so the "
            "verdict is ambiguous.",
            lambda: [
                distinct_quantities_differ(
                    "the 1-year PFS rate", "the 2-year OS rate", ("45.1%", "35.8", "54.0"), ("45.1%", "35.8", "54.0")
                ),
                distinct_quantities_differ(
                    "the 2-year PFS rate", "the 2-year OS rate", ("25.7%", "18.0", "34.0"), ("45.1%", "35.8", "54.0")
                ),
            ],
        ),
        _info(
            definition_stated,
            "A number whose meaning depends on a definition the paper may not give.",
            "Lists what the number means under each candidate reading (a dose per day or split over the days; a "
            "percentage of events or of sessions). Consistent when the paper states the reading or every reading "
            "gives the same; otherwise ambiguous, naming the readings.",
            lambda: [
                definition_stated(
                    "the epirubicin dose of 50–70 mg/m² on days 3 and 4",
                    {
                        "split over the two days": "50-70 mg/m² per cycle",
                        "given on each day": "100-140 mg/m² per cycle",
                    },
                ),
                definition_stated(
                    "the epirubicin dose of 50–70 mg/m² on days 3 and 4",
                    {
                        "split over the two days": "50-70 mg/m² per cycle",
                        "given on each day": "100-140 mg/m² per cycle",
                    },
                    stated="given on each day",
                ),
            ],
        ),
        _info(
            subset_within_total,
            "A subgroup count does not exceed the total it is drawn from.",
            "Compares the two counts exactly (counts are not rounded): 0 ≤ subgroup ≤ total.",
            lambda: [subset_within_total(11, 28), subset_within_total(31, 30)],
        ),
        _info(
            grade_matches_severity_word,
            "A printed toxicity grade agrees with the severity words the paper uses.",
            "Looks up the word the grading scale attaches to the grade (CTCAE: 1 mild, 2 moderate, 3 severe, "
            "4 life-threatening, 5 death) and asks whether it is one of the paper's words ('mild to moderate').",
            lambda: [
                grade_matches_severity_word("2", ["mild", "moderate"]),
                grade_matches_severity_word("3", ["mild", "moderate"]),
            ],
        ),
        _info(
            ajcc8_retroperitoneal_stage,
            "A printed AJCC 8th edition stage of a retroperitoneal sarcoma agrees with its size, nodes, "
            "metastasis and grade.",
            "Reads the T category from the greatest dimension within its rounding (T1 ≤5, T2 ≤10, T3 ≤15, T4 >15 cm) "
            "and applies the stage groups (IA T1 G1; IB T2-4 G1; II T1 G2-3; IIIA T2 G2-3; IIIB T3-4 G2-3 or N1; "
            "IV M1) to every value of the factors the paper does not print: consistent when all give the printed "
            "stage, ambiguous when only some do (naming what it needs), inconsistent when none does.",
            lambda: [
                ajcc8_retroperitoneal_stage("IIIB", "9", metastasis="M0"),
                ajcc8_retroperitoneal_stage("IIIA", "9", nodes="N0", metastasis="M0", grade="G2"),
                ajcc8_retroperitoneal_stage("IA", "9"),
            ],
        ),
        _info(
            msts_stage_definition,
            "A printed MSTS (Enneking) stage agrees with the grade, extent and metastasis reported.",
            "Applies the Enneking stages (I low grade, II high grade, III metastatic; A intracompartmental, B "
            "extracompartmental) to every value of the factors the paper does not report, with verdicts as for the "
            "AJCC stage; applied outside the musculoskeletal system a reachable stage is at best ambiguous.",
            lambda: [
                msts_stage_definition("IIIB", musculoskeletal=False),
                msts_stage_definition("IIB", grade="high", extent="T2", metastasis="M0"),
                msts_stage_definition("IIIB", grade="high", extent="T2", metastasis="M0"),
            ],
        ),
        _info(
            quoted_range_matches_quoted_series,
            "The ends of a range attributed to earlier series match figures those series are quoted with.",
            "Each end of the printed range is compared, within its rounding, with the quoted figures of the named "
            "measure; an end that matches only another measure, or nothing quoted, is ambiguous, since the corpus may "
            "not quote the series it came from.",
            lambda: [
                quoted_range_matches_quoted_series(
                    "6.3",
                    "21",
                    "pfs.median",
                    [
                        QuotedValue("chapiro2015", "pfs.median", "6.3"),
                        QuotedValue("chapiro2015", "os.median", "21.2"),
                        QuotedValue("pierce2018", "pfs.median", "14.2"),
                    ],
                ),
                quoted_range_matches_quoted_series(
                    "6.3",
                    "14",
                    "pfs.median",
                    [QuotedValue("chapiro2015", "pfs.median", "6.3"), QuotedValue("pierce2018", "pfs.median", "14.2")],
                ),
            ],
        ),
        _info(
            cited_reference_topic,
            "A cited reference is about what the citing sentence attributes to it.",
            "Compares, aspect by aspect (disease, treatment), what the citing sentence says with what the reference "
            "list's title says; any difference is ambiguous, as the list may be misnumbered or the paper broader "
            "than its title.",
            lambda: [
                cited_reference_topic(
                    "reference 25",
                    {"disease": "soft-tissue sarcoma", "treatment": "first-line doxorubicin"},
                    {"disease": "osteosarcoma", "treatment": "intra-arterial chemotherapy"},
                ),
                cited_reference_topic("reference 12", {"disease": "leiomyosarcoma"}, {"disease": "Leiomyosarcoma"}),
            ],
        ),
        _info(
            comparable_quantities,
            "A comparison the paper draws is between the same kind of quantity.",
            "Compares what each side measures (and in what unit): different measures make the comparison "
            "ambiguous, whatever the numbers. When the measures match and the claim states an order "
            "(exceeds, falls below, overlaps, e.g. 'another larger study' of 30 vs 28 patients), the ranges of "
            "the two sides must bear it out.",
            lambda: [
                comparable_quantities(
                    "'36-month progression-free survival far exceeds their reported medians of 6.3-21 months'",
                    ComparedQuantity("36 months in one patient", "progression-free time (months)", 36, 36),
                    ComparedQuantity("cohort medians 6.3-21 months", "progression-free time (months)", 6.3, 21),
                    relation="exceeds",
                ),
                comparable_quantities(
                    "'our 60-70% necrosis rate aligns with the 30-70% objective responses'",
                    ComparedQuantity("60-70% necrotic tissue", "the necrotic fraction of one tumour (%)", 60, 70),
                    ComparedQuantity("30-70% responders", "the fraction of patients responding (%)", 30, 70),
                    relation="overlaps",
                ),
            ],
        ),
    ]
}


def appendix_table() -> pd.DataFrame:
    """One row per rule for the appendix: rule, summary, method, and its worked example run now."""
    import pandas as pd

    rows = []
    for info in RULES.values():
        for check in info.worked_example():
            rows.append(
                {
                    "rule": info.name,
                    "summary": info.summary,
                    "method": info.method,
                    "example_rule": check.rule,
                    "example_recomputed": check.recomputed,
                    "example_verdict": check.verdict,
                    "example_explanation": check.explanation,
                }
            )
    return pd.DataFrame(rows)


def worked_example(name: str) -> list[Check]:
    """The rule's documented example, computed now by calling the rule on literal inputs."""
    return RULES[name].worked_example()
