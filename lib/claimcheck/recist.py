"""RECIST 1.1 arithmetic and categories (Eisenhauer et al., Eur J Cancer 2009;45:228-247).

RECIST 1.1 measures each target lesion once per scan: the longest diameter in the axial plane for
non-nodal lesions, the short axis for lymph nodes. The response is assigned ONCE per scan, to the sum
of those diameters:

- CR: all target lesions gone (any node below 10 mm short axis);
- PR: sum at least 30% below the baseline sum;
- PD: sum at least 20% above the nadir (smallest sum so far, baseline included) AND at least 5 mm
  above it in absolute terms, or any new lesion;
- SD: neither PR nor PD.

A case report that prints a bidimensional size ("43×31 mm") is read as longest diameter 43 mm
(non-nodal) or short axis 31 mm (node): RECIST 1.1 uses one dimension, and the larger of two
perpendicular axial diameters is the longest one printed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .checks import Check, ledger_rule
from .printed import parse_printed

__all__ = [
    "Category",
    "CATEGORIES",
    "PR_DECREASE",
    "PD_INCREASE",
    "PD_ABSOLUTE_MM",
    "MIN_NON_NODAL_MM",
    "MIN_NODE_SHORT_AXIS_MM",
    "NODE_NORMAL_SHORT_AXIS_MM",
    "MAX_TARGETS",
    "MAX_TARGETS_PER_ORGAN",
    "parse_size_mm",
    "Lesion",
    "sum_of_diameters",
    "all_targets_disappeared",
    "percent_change",
    "nadir",
    "percent_change_from_nadir",
    "response_category",
    "MeasurementText",
    "attainable_categories",
    "recist_category_matches",
    "recist_percent_change",
    "target_lesion_selection",
    "per_lesion_assessment_is_not_recist",
    "recist_definition_matches",
    "imaging_method",
    "recist_same_method",
    "RESPONSE_WORDS",
    "stable_wording_vs_recist",
]

Category = Literal["CR", "PR", "SD", "PD"]
CATEGORIES: tuple[Category, ...] = ("CR", "PR", "SD", "PD")

PR_DECREASE = 0.30
PD_INCREASE = 0.20
PD_ABSOLUTE_MM = 5.0
MIN_NON_NODAL_MM = 10.0
MIN_NODE_SHORT_AXIS_MM = 15.0
NODE_NORMAL_SHORT_AXIS_MM = 10.0
MAX_TARGETS = 5
MAX_TARGETS_PER_ORGAN = 2
# Exact thresholds (-30%, +20%) must count as met although 0.7 * 43 is not exact in binary.
_EPS = 1e-9

_SIZE = re.compile(r"^\s*(?P<dims>\d+(?:\.\d+)?(?:\s*[×xX*]\s*\d+(?:\.\d+)?)*)\s*(?P<unit>mm|cm)?\s*$")


def parse_size_mm(text: str) -> tuple[float, ...]:
    """Dimensions in mm from a printed size: "43×31 mm" -> (43.0, 31.0); "3.5 × 2.7 cm" -> (35.0, 27.0).

    A size without a unit is taken as mm. Raises ValueError naming the text otherwise.
    """
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a printed size: {text!r}")
    factor = 10.0 if match["unit"] == "cm" else 1.0
    return tuple(float(part) * factor for part in re.split(r"\s*[×xX*]\s*", match["dims"].strip()))


@dataclass(frozen=True)
class Lesion:
    """One target lesion at one scan; diameters in mm, None when the paper does not print them.

    For a node, `short_axis_mm` is the measurement RECIST uses; for other lesions
    `longest_diameter_mm`.
    """

    name: str
    organ: str | None
    longest_diameter_mm: float | None = None
    short_axis_mm: float | None = None
    is_lymph_node: bool = False

    @classmethod
    def from_printed_size(cls, name: str, organ: str | None, size: str, is_lymph_node: bool = False) -> Lesion:
        """A lesion from a printed bidimensional size: longest = largest, short axis = smallest."""
        dims = parse_size_mm(size)
        return cls(name, organ, longest_diameter_mm=max(dims), short_axis_mm=min(dims), is_lymph_node=is_lymph_node)

    @property
    def recist_diameter_mm(self) -> float | None:
        """The one diameter RECIST 1.1 sums: short axis for nodes, longest diameter otherwise."""
        return self.short_axis_mm if self.is_lymph_node else self.longest_diameter_mm


def sum_of_diameters(lesions: Sequence[Lesion]) -> float:
    """RECIST sum: longest diameters of non-nodal targets plus short axes of nodal targets.

    Raises ValueError naming the lesion whose needed diameter is missing.
    """
    total = 0.0
    for lesion in lesions:
        diameter = lesion.recist_diameter_mm
        if diameter is None:
            raise ValueError(f"lesion {lesion.name!r} lacks its RECIST diameter")
        total += diameter
    return total


def all_targets_disappeared(lesions: Sequence[Lesion]) -> bool:
    """RECIST CR for targets: non-nodal lesions at 0 mm, nodes below 10 mm short axis."""
    for lesion in lesions:
        diameter = lesion.recist_diameter_mm
        if diameter is None:
            raise ValueError(f"lesion {lesion.name!r} lacks its RECIST diameter")
        limit_met = diameter < NODE_NORMAL_SHORT_AXIS_MM if lesion.is_lymph_node else diameter == 0
        if not limit_met:
            return False
    return True


def percent_change(baseline_sum: float, current_sum: float) -> float:
    """Percent change of the current sum from the baseline sum (negative = shrinkage)."""
    if baseline_sum <= 0:
        raise ValueError(f"baseline sum must be positive, got {baseline_sum}")
    return 100.0 * (current_sum - baseline_sum) / baseline_sum


def nadir(sums: Sequence[float]) -> float:
    """Smallest sum so far, baseline (first element) included."""
    if not sums:
        raise ValueError("nadir of no sums")
    return min(sums)


def percent_change_from_nadir(previous_sums: Sequence[float], current_sum: float) -> float:
    """Percent change of the current sum from the nadir of `previous_sums` (baseline first)."""
    return percent_change(nadir(previous_sums), current_sum)


def response_category(
    baseline_sum: float,
    nadir_sum: float,
    current_sum: float,
    new_lesions: bool = False,
    all_disappeared: bool = False,
) -> Category:
    """RECIST 1.1 target response: PD (new lesions, or >= +20% and >= +5 mm from nadir) takes
    precedence, then CR (all targets gone), PR (>= 30% below baseline), else SD. Thresholds are
    inclusive, as the guideline words them ("at least").
    """
    increase = current_sum - nadir_sum
    if new_lesions or (increase >= PD_INCREASE * nadir_sum - _EPS and increase >= PD_ABSOLUTE_MM - _EPS):
        return "PD"
    if all_disappeared:
        return "CR"
    if baseline_sum - current_sum >= PR_DECREASE * baseline_sum - _EPS:
        return "PR"
    return "SD"


MeasurementText = str | Sequence[str]
"""One timepoint's printed diameters: a sum ("43") or the per-lesion diameters to add up."""


def _interval_mm(measurement: MeasurementText) -> tuple[float, float, str]:
    """Rounding interval of a printed sum (or of the sum of printed per-lesion diameters)."""
    parts = [measurement] if isinstance(measurement, str) else list(measurement)
    printed = [parse_printed(part) for part in parts]
    label = "+".join(p.text for p in printed)
    return sum(p.lower for p in printed), sum(p.upper for p in printed), label


def _grid(low: float, high: float, points: int = 21) -> np.ndarray:
    return np.linspace(low, high, points)


def attainable_categories(
    baseline: MeasurementText,
    current: MeasurementText,
    previous: Sequence[MeasurementText] = (),
    new_lesions: bool = False,
    all_disappeared: bool = False,
) -> set[Category]:
    """Categories reachable from true diameters inside the printed values' rounding intervals.

    The nadir is the smallest of baseline and the previous sums. Searched on a grid (21 points per
    interval, edges included): category boundaries are linear, so the edges carry the extremes.
    """
    base_low, base_high, _ = _interval_mm(baseline)
    cur_low, cur_high, _ = _interval_mm(current)
    previous_intervals = [_interval_mm(item)[:2] for item in previous]
    found: set[Category] = set()
    for base, cur in itertools.product(_grid(base_low, base_high), _grid(cur_low, cur_high)):
        nadir_low = min([base] + [low for low, _ in previous_intervals])
        nadir_high = min([base] + [high for _, high in previous_intervals])
        for nadir_sum in _grid(nadir_low, nadir_high, 5):
            found.add(response_category(base, nadir_sum, cur, new_lesions, all_disappeared))
    return found


@ledger_rule
def recist_category_matches(
    printed_category: str,
    baseline: MeasurementText,
    current: MeasurementText,
    previous: Sequence[MeasurementText] = (),
    new_lesions: bool = False,
    all_disappeared: bool = False,
) -> Check:
    """A printed RECIST category ("SD", "PR") vs the category recomputed from printed diameters.

    `baseline`, `current` and each of `previous` (scans between them, for the nadir) are printed
    sums or lists of per-lesion printed diameters (longest diameter; short axis for nodes).
    Consistent when some diameters within the printed rounding give the printed category.

    Parameters
    ----------
    printed_category : str
        The printed category (CR, PR, SD or PD).
    baseline, current : str or sequence of str
        The printed sum of diameters, or each lesion's printed diameter (mm).
    previous : sequence of (str or sequence of str), optional
        The scans between them, for the nadir.
    new_lesions : bool, default False
        The paper reports new lesions.
    all_disappeared : bool, default False
        The paper reports that every target lesion disappeared.

    Returns
    -------
    Check
        As described above.

    Examples
    --------
    >>> recist_category_matches("SD", "43", "39").verdict
    'consistent'
    """
    rule = "recist_category_matches"
    category = printed_category.strip().upper()
    if category not in CATEGORIES:
        raise ValueError(f"not a RECIST 1.1 category: {printed_category!r}")
    base_low, base_high, base_label = _interval_mm(baseline)
    cur_low, cur_high, cur_label = _interval_mm(current)
    centre_base = (base_low + base_high) / 2
    centre_cur = (cur_low + cur_high) / 2
    centre_nadir = min([centre_base] + [sum(_interval_mm(item)[:2]) / 2 for item in previous])
    centre = response_category(centre_base, centre_nadir, centre_cur, new_lesions, all_disappeared)
    attainable = attainable_categories(baseline, current, previous, new_lesions, all_disappeared)
    working = (
        f"baseline {base_label} mm, current {cur_label} mm, nadir {centre_nadir:g} mm: "
        f"{percent_change(centre_base, centre_cur):+.1f}% from baseline -> {centre}"
    )
    if category in attainable:
        return Check(
            rule,
            working,
            "consistent",
            f"printed {category}; the printed diameters give {'/'.join(sorted(attainable))} under RECIST 1.1",
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"printed {category} but the printed diameters give {'/'.join(sorted(attainable))} "
        f"under RECIST 1.1 for any values within their rounding",
    )


@ledger_rule
def recist_percent_change(
    printed_percent: str,
    baseline: MeasurementText,
    current: MeasurementText,
    as_reduction: bool = False,
) -> Check:
    """A printed percent change in the sum of diameters vs the printed diameters.

    `as_reduction=True` when the paper prints shrinkage as a positive number ("48% reduction").
    Consistent when the printed percent's rounding interval overlaps the range the diameters'
    rounding allows (the change rises with the current sum and falls with the baseline).

    Parameters
    ----------
    printed_percent : str
        The printed change, in percent.
    baseline, current : str or sequence of str
        The printed sum of diameters, or each lesion's diameter (mm).
    as_reduction : bool, default False
        The paper prints a shrinkage as a positive number.

    Returns
    -------
    Check
        ``low``/``high``: the change the diameters' rounding allows, in percent.
    """
    rule = "recist_percent_change"
    printed = parse_printed(printed_percent)
    base_low, base_high, base_label = _interval_mm(baseline)
    cur_low, cur_high, cur_label = _interval_mm(current)
    change_low = percent_change(base_high, cur_low)
    change_high = percent_change(base_low, cur_high)
    if as_reduction:
        change_low, change_high = -change_high, -change_low
    centre = percent_change((base_low + base_high) / 2, (cur_low + cur_high) / 2)
    shown = -centre if as_reduction else centre
    word = "reduction" if as_reduction else "change"
    working = (
        f"({cur_label} - {base_label}) / {base_label} = {shown:.1f}% {word} "
        f"(range {change_low:.1f} to {change_high:.1f})"
    )
    if printed.lower <= change_high + _EPS and change_low - _EPS <= printed.upper:
        return Check(
            rule,
            working,
            "consistent",
            f"printed {printed.text}% {word} lies within {change_low:.1f}-{change_high:.1f}% "
            "from the printed diameters",
            low=change_low,
            high=change_high,
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"printed {printed.text}% {word} but the printed diameters give {change_low:.1f} to "
        f"{change_high:.1f}% for any values within their rounding",
        low=change_low,
        high=change_high,
    )


@ledger_rule
def target_lesion_selection(lesions: Sequence[Lesion], slice_thickness_mm: float | None = None) -> Check:
    """The RECIST 1.1 rule-book limits on the chosen target lesions.

    At most 5 targets in total and 2 per organ; each measurable at baseline: non-nodal longest
    diameter >= 10 mm (or twice the CT slice thickness when slices exceed 5 mm), node short axis
    >= 15 mm. Ambiguous when the paper does not give an organ or a diameter needed to check.

    Parameters
    ----------
    lesions : sequence of Lesion
        The target lesions, each with its organ and, when printed, its diameter.
    slice_thickness_mm : float, optional
        The CT slice thickness, when the paper gives it.

    Returns
    -------
    Check
        As described above.
    """
    rule = "target_lesion_selection"
    per_organ = Counter(lesion.organ for lesion in lesions if lesion.organ is not None)
    working = f"{len(lesions)} target(s); per organ: " + ", ".join(f"{organ} {n}" for organ, n in per_organ.items())
    if len(lesions) > MAX_TARGETS:
        return Check(
            rule,
            working,
            "inconsistent",
            f"{len(lesions)} target lesions chosen but RECIST 1.1 allows at most {MAX_TARGETS}",
        )
    crowded = [organ for organ, n in per_organ.items() if n > MAX_TARGETS_PER_ORGAN]
    if crowded:
        return Check(
            rule,
            working,
            "inconsistent",
            f"{per_organ[crowded[0]]} target lesions in {crowded[0]} but RECIST 1.1 allows at most "
            f"{MAX_TARGETS_PER_ORGAN} per organ",
        )
    minimum_non_nodal = MIN_NON_NODAL_MM
    if slice_thickness_mm is not None and slice_thickness_mm > 5:
        minimum_non_nodal = 2 * slice_thickness_mm
    for lesion in lesions:
        diameter = lesion.recist_diameter_mm
        if diameter is None:
            continue
        minimum = MIN_NODE_SHORT_AXIS_MM if lesion.is_lymph_node else minimum_non_nodal
        if diameter < minimum:
            axis = "short axis" if lesion.is_lymph_node else "longest diameter"
            return Check(
                rule,
                working,
                "inconsistent",
                f"target {lesion.name} has {axis} {diameter:g} mm, below the {minimum:g} mm RECIST 1.1 "
                f"requires of a measurable target",
            )
    missing = [lesion.name for lesion in lesions if lesion.recist_diameter_mm is None]
    if missing:
        return Check(
            rule,
            working,
            "ambiguous",
            f"the paper does not give the baseline diameters of {', '.join(missing)}, "
            "so measurability cannot be checked",
        )
    if any(lesion.organ is None for lesion in lesions):
        return Check(
            rule,
            working,
            "ambiguous",
            "the paper does not say in which organ every target lies, so the 2-per-organ limit cannot be checked",
        )
    return Check(
        rule,
        working,
        "consistent",
        f"{len(lesions)} measurable target(s), within {MAX_TARGETS} in total and {MAX_TARGETS_PER_ORGAN} per organ",
    )


@ledger_rule
def per_lesion_assessment_is_not_recist(per_lesion_categories: Mapping[str, str]) -> Check:
    """A paper that grades each target lesion separately ("target lesion 3 showed PD, whereas 1 and
    2 were SD"): RECIST 1.1 assigns ONE response to the sum of targets, so with two or more targets a
    per-lesion reading is undefined and the overall category cannot be recovered without diameters.

    Consistent only with a single target (its category is the sum's); ambiguous otherwise.

    Parameters
    ----------
    per_lesion_categories : mapping of str to str
        Each target lesion (label) and the category the paper gives it.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    rule = "per_lesion_assessment_is_not_recist"
    working = ", ".join(f"{name}: {category}" for name, category in per_lesion_categories.items())
    if len(per_lesion_categories) == 1:
        return Check(
            rule, working, "consistent", "a single target lesion: its category is the RECIST 1.1 response of the sum"
        )
    return Check(
        rule,
        working,
        "ambiguous",
        f"per-lesion categories ({working}) are a reading RECIST 1.1 does not define: it grades the "
        "sum of target diameters once per scan, and the paper does not print the diameters to do so",
    )


# A 100 mm baseline keeps the 5 mm absolute PD condition from binding, so a definition printed as a
# percentage is compared with RECIST's percentages alone.
_DEFINITION_BASELINE_MM = 100.0
# Changes from baseline tried when comparing a printed definition with RECIST 1.1: every half
# percent from -100% (all gone) to +100%, plus the thresholds themselves. -100% is CR, which RECIST
# defines by disappearance rather than by a percentage, so it is only tried for a CR definition.
_DEFINITION_CHANGES = sorted({step / 2 for step in range(-200, 201)} | {-100 * PR_DECREASE, 100 * PD_INCREASE})
_ALL_GONE = -100.0


@ledger_rule
def recist_definition_matches(
    printed_threshold: str,
    category: str,
    measured_as: Literal["reduction", "increase"] = "reduction",
) -> Check:
    """A paper's own definition of a RECIST category ("SD = <30% reduction", "PR = ≥30% reduction")
    vs RECIST 1.1.

    `printed_threshold` is the printed bound on the percent reduction (or increase) of the sum of
    diameters from baseline. Every change from -100% to +100% is classified by the printed
    definition and by `response_category` (nadir = baseline, no new lesions); the first change on
    which they disagree is the witness. Consistent when they never disagree.

    Parameters
    ----------
    printed_threshold : str
        The printed bound, such as "<30" or "≥30" (percent).
    category : str
        The category it defines (CR, PR, SD or PD).
    measured_as : {"reduction", "increase"}, default "reduction"
        Whether the threshold bounds a reduction or an increase.

    Returns
    -------
    Check
        Inconsistent when the definition classifies some change otherwise than RECIST 1.1; the
        explanation names the range where they differ.
    """
    rule = "recist_definition_matches"
    wanted = category.strip().upper()
    if wanted not in CATEGORIES:
        raise ValueError(f"not a RECIST 1.1 category: {category!r}")
    threshold = parse_printed(printed_threshold)
    base = _DEFINITION_BASELINE_MM
    disagreements = []
    for change in _DEFINITION_CHANGES:
        if change == _ALL_GONE and wanted != "CR":
            continue
        amount = -change if measured_as == "reduction" else change
        by_printed = threshold.admits(amount)
        current = base * (1 + change / 100)
        by_recist = response_category(base, base, current, all_disappeared=current <= 0)
        if by_printed != (by_recist == wanted):
            disagreements.append((change, by_recist))
    definition = f"{wanted} = {printed_threshold}% {measured_as}"
    if not disagreements:
        return Check(
            rule,
            f"'{definition}' classifies every change from -100% to +100% as RECIST 1.1 does",
            "consistent",
            f"the printed definition '{definition}' agrees with RECIST 1.1",
        )
    change, by_recist = min(disagreements, key=lambda item: abs(item[0]))
    by_definition = wanted if by_recist != wanted else f"not {wanted}"
    low, high = min(c for c, _ in disagreements), max(c for c, _ in disagreements)
    return Check(
        rule,
        f"a sum {change:+g}% from baseline and nadir: '{definition}' -> {by_definition}; RECIST 1.1 -> {by_recist}",
        "inconsistent",
        f"the printed definition '{definition}' and RECIST 1.1 classify the changes from {low:+g}% to "
        f"{high:+g}% (of those tried, -100% to +100%) differently "
        f"(e.g. {change:+g}%: {by_definition} by the paper, {by_recist} by RECIST 1.1, "
        f"which needs PR <= -{100 * PR_DECREASE:g}% and PD >= +{100 * PD_INCREASE:g}% and "
        f"+{PD_ABSOLUTE_MM:g} mm from the nadir)",
    )


def imaging_method(modality: str) -> str:
    """The imaging method a printed modality belongs to: "T2WI MRI" -> MRI, "Contrast CT" -> CT."""
    upper = modality.upper()
    if "PET" in upper:
        return "PET/CT"
    if "MR" in upper:
        return "MRI"
    if "CT" in upper:
        return "CT"
    if "ULTRASOUND" in upper or re.search(r"\bUS\b", upper):
        return "ultrasound"
    return modality.strip()


def _article(word: str) -> str:
    """'an' before a sound starting with a vowel: "an MRI", "a CT", "an ultrasound", "a contrast CT"."""
    spelled_vowel = word[:1].upper() in "AEFHILMNORSX" and word.split()[0].isupper()
    return "an" if spelled_vowel or word[:1].lower() in "aeiou" else "a"


@ledger_rule
def recist_same_method(baseline_modality: str, modality: str, printed_category: str = "") -> Check:
    """RECIST 1.1 requires the same imaging method at baseline and every follow-up scan.

    Ambiguous when the methods differ: the paper's category may then partly reflect the change of
    method, which it does not quantify.

    Parameters
    ----------
    baseline_modality, modality : str
        The imaging methods of the baseline and of the scan, as printed.
    printed_category : str, optional
        The category printed for the scan.

    Returns
    -------
    Check
        Consistent or ambiguous (see above).
    """
    rule = "recist_same_method"
    working = (
        f"baseline {baseline_modality} ({imaging_method(baseline_modality)}); this scan {modality} "
        f"({imaging_method(modality)})"
    )
    if imaging_method(baseline_modality) == imaging_method(modality):
        return Check(rule, working, "consistent", f"measured by {modality}, the same method as at baseline")
    category = f"printed {printed_category} " if printed_category else "the response "
    return Check(
        rule,
        working,
        "ambiguous",
        f"{category}compares {_article(modality)} {modality} diameter with "
        f"{_article(baseline_modality)} {baseline_modality} baseline; RECIST 1.1 requires the same "
        "method throughout, so part of the change may be the method's",
    )


# What a descriptive word means under RECIST 1.1, and the categories its everyday sense allows.
RESPONSE_WORDS: dict[str, tuple[Category, frozenset[Category]]] = {
    "stable": ("SD", frozenset({"CR", "PR", "SD"})),  # everyday: not progressing
    "progression": ("PD", frozenset({"PD"})),
    "progressive": ("PD", frozenset({"PD"})),
    "partial response": ("PR", frozenset({"PR"})),
    "regression": ("PR", frozenset({"CR", "PR"})),  # everyday: shrinking
    "shrinkage": ("PR", frozenset({"CR", "PR"})),
    "complete response": ("CR", frozenset({"CR"})),
    "disappearance": ("CR", frozenset({"CR"})),
}


@ledger_rule
def stable_wording_vs_recist(
    printed_word: str,
    printed_category: str,
    baseline: MeasurementText,
    current: MeasurementText,
    previous: MeasurementText | None = None,
) -> Check:
    """A word the paper uses for a scan ("stable tumor") vs the RECIST category it prints for it.

    Consistent when the word is the category's RECIST name (stable = SD); ambiguous when only the
    word's everyday sense fits (stable = not progressing, beside a printed PR); inconsistent when
    not even that fits (stable beside PD). The working gives the change in the sum of diameters from
    baseline and, when given, from the previous scan.

    Parameters
    ----------
    printed_word : str
        The word the paper uses ("stable", "progression", "regression").
    printed_category : str
        The RECIST category it prints for the scan.
    baseline, current : str or sequence of str
        The printed diameters (mm) at baseline and at the scan.
    previous : str or sequence of str, optional
        The diameters at the previous scan.

    Returns
    -------
    Check
        As described above.
    """
    rule = "stable_wording_vs_recist"
    word = printed_word.strip().lower()
    if word not in RESPONSE_WORDS:
        raise ValueError(f"no RECIST reading known for the word {printed_word!r}; known: {sorted(RESPONSE_WORDS)}")
    category = printed_category.strip().upper()
    if category not in CATEGORIES:
        raise ValueError(f"not a RECIST 1.1 category: {printed_category!r}")
    strict, everyday = RESPONSE_WORDS[word]

    def centre(measurement: MeasurementText) -> tuple[float, str]:
        low, high, label = _interval_mm(measurement)
        return (low + high) / 2, label

    base, base_label = centre(baseline)
    now, now_label = centre(current)
    working = f"{now_label} mm vs {base_label} mm at baseline: {percent_change(base, now):+.1f}%"
    since = f"{percent_change(base, now):+.1f}% since baseline"
    if previous is not None:
        before, before_label = centre(previous)
        working += f"; vs {before_label} mm at the previous scan: {percent_change(before, now):+.1f}%"
        since = f"{percent_change(before, now):+.1f}% since the previous scan and {since}"
    if strict == category:
        return Check(rule, working, "consistent", f"'{printed_word}' is RECIST 1.1's name for the printed {category}")
    if category in everyday:
        return Check(
            rule,
            working,
            "ambiguous",
            f"'{printed_word}' means {strict} under RECIST 1.1 but the printed category is {category} "
            f"(sum {since}); the word fits only in its everyday sense",
        )
    return Check(
        rule,
        working,
        "inconsistent",
        f"'{printed_word}' beside a printed {category} (sum {since}): neither its RECIST 1.1 meaning "
        f"({strict}) nor its everyday sense allows {category}",
    )
