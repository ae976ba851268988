"""Tests of claimcheck.recist against RECIST 1.1's published definitions
(Eisenhauer et al., Eur J Cancer 2009;45:228-247, section 4.4.1 and Appendix I)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from claimcheck.recist import (
    Lesion,
    all_targets_disappeared,
    imaging_method,
    nadir,
    parse_size_mm,
    per_lesion_assessment_is_not_recist,
    percent_change,
    percent_change_from_nadir,
    recist_category_matches,
    recist_definition_matches,
    recist_percent_change,
    recist_same_method,
    response_category,
    stable_wording_vs_recist,
    sum_of_diameters,
    target_lesion_selection,
)


def reference_category(baseline: Fraction, nadir_sum: Fraction, current: Fraction,
                       new_lesions: bool = False, all_disappeared: bool = False) -> str:
    """RECIST 1.1 section 4.4.1 transcribed in exact rational arithmetic, independent of the module."""
    if new_lesions:
        return "PD"
    if current - nadir_sum >= Fraction(1, 5) * nadir_sum and current - nadir_sum >= 5:
        return "PD"
    if all_disappeared:
        return "CR"
    if current <= Fraction(7, 10) * baseline:
        return "PR"
    return "SD"


# --- sizes and sums --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("43×31 mm", (43.0, 31.0)), ("65 × 52 mm", (65.0, 52.0)), ("3.5 × 2.7 cm", (35.0, 27.0)),
     ("5.1 x 4.7 cm", (51.0, 47.0)), ("22", (22.0,))],
)
def test_parse_size_mm(text: str, expected: tuple[float, ...]) -> None:
    assert parse_size_mm(text) == pytest.approx(expected)


def test_parse_size_rejects_non_sizes() -> None:
    with pytest.raises(ValueError, match="43 by 31"):
        parse_size_mm("43 by 31")


def test_bidimensional_size_uses_longest_for_tumours_and_short_axis_for_nodes() -> None:
    calf = Lesion.from_printed_size("calf", "calf", "43×31 mm")
    node = Lesion.from_printed_size("retroperitoneal node", "lymph node", "3.0 × 2.3 cm", is_lymph_node=True)
    assert calf.recist_diameter_mm == 43.0
    assert node.recist_diameter_mm == pytest.approx(23.0)


def test_sum_of_diameters_mixes_longest_diameters_and_node_short_axes() -> None:
    lesions = [
        Lesion("liver 1", "liver", longest_diameter_mm=30),
        Lesion("liver 2", "liver", longest_diameter_mm=12, short_axis_mm=8),
        Lesion("node", "lymph node", longest_diameter_mm=25, short_axis_mm=18, is_lymph_node=True),
    ]
    assert sum_of_diameters(lesions) == 30 + 12 + 18
    with pytest.raises(ValueError, match="liver 3"):
        sum_of_diameters([Lesion("liver 3", "liver")])


def test_complete_response_allows_nodes_below_10_mm() -> None:
    gone = [Lesion("liver", "liver", longest_diameter_mm=0),
            Lesion("node", "lymph node", short_axis_mm=9, is_lymph_node=True)]
    assert all_targets_disappeared(gone)
    node_still_10 = [Lesion("node", "lymph node", short_axis_mm=10, is_lymph_node=True)]
    assert not all_targets_disappeared(node_still_10)


def test_percent_change_and_nadir() -> None:
    assert percent_change(43, 22) == pytest.approx((22 - 43) / 43 * 100)
    assert nadir([43, 39, 22]) == 22
    assert percent_change_from_nadir([43, 39, 22], 30) == pytest.approx(8 / 22 * 100)
    with pytest.raises(ValueError):
        percent_change(0, 10)


# --- categories: worked boundary examples ------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "nadir_sum", "current", "expected"),
    [
        (100, 100, 70, "PR"),     # exactly 30% decrease: "at least a 30% decrease" -> PR
        (100, 100, 70.1, "SD"),   # 29.9% decrease
        (43, 43, 30.1, "PR"),     # 43 * 0.7 = 30.1 exactly, though not in binary floating point
        (50, 50, 60, "PD"),       # +20% and +10 mm from nadir
        (25, 25, 30, "PD"),       # exactly +20% and exactly +5 mm
        (25, 25, 29.9, "SD"),     # +19.6%, +4.9 mm
        (20, 20, 24, "SD"),       # +20% but only +4 mm: the absolute rule blocks PD
        (100, 60, 72, "PD"),      # 28% below baseline (not PR) and +20%/+12 mm from nadir
        (100, 50, 65, "PD"),      # 35% below baseline yet PD from nadir: PD takes precedence
    ],
)
def test_response_category_boundaries(baseline: float, nadir_sum: float, current: float, expected: str) -> None:
    assert response_category(baseline, nadir_sum, current) == expected
    assert reference_category(Fraction(str(baseline)), Fraction(str(nadir_sum)), Fraction(str(current))) == expected


def test_new_lesions_and_disappearance() -> None:
    assert response_category(100, 100, 40, new_lesions=True) == "PD"
    assert response_category(100, 100, 0, all_disappeared=True) == "CR"
    assert response_category(100, 100, 0, new_lesions=True, all_disappeared=True) == "PD"


_mm = st.integers(min_value=1, max_value=400)


@given(baseline=_mm, nadir_offset=st.integers(0, 399), current=st.integers(0, 600),
       new_lesions=st.booleans(), all_disappeared=st.booleans())
@example(baseline=10, nadir_offset=0, current=12, new_lesions=False, all_disappeared=False)  # +20%, +2 mm
@example(baseline=43, nadir_offset=0, current=30, new_lesions=False, all_disappeared=False)
def test_response_category_matches_exact_reference(
    baseline: int, nadir_offset: int, current: int, new_lesions: bool, all_disappeared: bool
) -> None:
    nadir_sum = max(baseline - nadir_offset, 1)
    assert response_category(baseline, nadir_sum, current, new_lesions, all_disappeared) == reference_category(
        Fraction(baseline), Fraction(nadir_sum), Fraction(current), new_lesions, all_disappeared
    )


@given(baseline=_mm, nadir_offset=st.integers(0, 399), current=st.integers(0, 600),
       scale=st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3), Fraction(10), Fraction(3, 2)]))
def test_category_is_invariant_to_scaling_when_the_5_mm_rule_does_not_bind(
    baseline: int, nadir_offset: int, current: int, scale: Fraction
) -> None:
    nadir_sum = max(baseline - nadir_offset, 1)
    increase = current - nadir_sum
    # The 5 mm floor is the only scale-dependent part of RECIST: skip cases where it decides.
    assume(increase < 0.2 * nadir_sum or (increase >= 5 and increase * scale >= 5))
    original = response_category(baseline, nadir_sum, current)
    scaled = response_category(float(baseline * scale), float(nadir_sum * scale), float(current * scale))
    assert original == scaled


# --- recist_category_matches -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "current", "previous"),
    [("SD", "39", []), ("PR", "22", ["39"]), ("PR", "20", ["39", "22"])],
)
def test_case_000_printed_categories_are_consistent(printed: str, current: str, previous: list[str]) -> None:
    # Case 000, Table 2: baseline 43×31 mm (Jun 2022) -> 39, 22, 20 mm longest diameter.
    check = recist_category_matches(printed, "43", current, previous)
    assert (check.rule, check.verdict) == ("recist_category_matches", "consistent")


def test_category_inconsistent_when_shrinkage_is_below_30_percent() -> None:
    # 43 -> 39 mm is -9.3%: no rounding of the diameters reaches -30%.
    check = recist_category_matches("PR", "43", "39")
    assert check.verdict == "inconsistent"
    assert "PR" in check.explanation and "SD" in check.explanation


def test_category_rounding_of_printed_diameters_is_respected() -> None:
    # 43 -> 30 mm is -30.2%, but 43.4 -> 30.4 is -29.95%: both PR and SD are reachable.
    assert recist_category_matches("SD", "43", "30").verdict == "consistent"
    assert recist_category_matches("PR", "43", "30").verdict == "consistent"
    # 43 -> 31 mm: at most (43.5 - 30.5) / 43.5 = 29.9% shrinkage, so only SD.
    assert recist_category_matches("PR", "43", "31").verdict == "inconsistent"


def test_category_uses_the_nadir_not_the_baseline_for_progression() -> None:
    # 43 -> 22 -> 30 mm: still 30% below baseline, but +8 mm / +36% from the 22 mm nadir is PD.
    assert recist_category_matches("PR", "43", "30", previous=["22"]).verdict == "inconsistent"
    assert recist_category_matches("PD", "43", "30", previous=["22"]).verdict == "consistent"


def test_category_from_per_lesion_diameters() -> None:
    # 20 + 15 = 35 mm -> 10 + 12 = 22 mm is -37%: PR.
    assert recist_category_matches("PR", ["20", "15"], ["10", "12"]).verdict == "consistent"
    assert recist_category_matches("SD", ["20", "15"], ["10", "12"]).verdict == "inconsistent"


# --- recist_percent_change -------------------------------------------------------------------


def test_percent_change_consistent_and_inconsistent() -> None:
    exact = (22 - 43) / 43 * 100
    check = recist_percent_change(f"{exact:.1f}", "43", "22")
    assert (check.rule, check.verdict) == ("recist_percent_change", "consistent")
    assert recist_percent_change(f"{-exact:.0f}", "43", "22", as_reduction=True).verdict == "consistent"
    wrong = recist_percent_change("-30", "43", "22")
    assert wrong.verdict == "inconsistent"
    assert "-30" in wrong.explanation


def test_percent_change_allows_for_rounded_diameters() -> None:
    # 10 -> 7 mm prints -30%, but 9.5..10.5 -> 6.5..7.5 allows -38.1% to -21.1%.
    assert recist_percent_change("-25", "10", "7").verdict == "consistent"
    assert recist_percent_change("-40", "10", "7").verdict == "inconsistent"


# --- target lesion selection -----------------------------------------------------------------


def test_selection_consistent_single_calf_tumour() -> None:
    check = target_lesion_selection([Lesion.from_printed_size("calf", "right calf", "43×31 mm")])
    assert (check.rule, check.verdict) == ("target_lesion_selection", "consistent")


def test_selection_rejects_three_targets_in_one_organ() -> None:
    # Case 002 follows three intrahepatic target lesions; RECIST 1.1 allows two per organ.
    liver = [Lesion(f"target lesion {i}", "liver", longest_diameter_mm=30) for i in (1, 2, 3)]
    check = target_lesion_selection(liver)
    assert check.verdict == "inconsistent"
    assert "liver" in check.explanation


def test_selection_rejects_more_than_five_targets() -> None:
    organs = ["liver", "lung", "kidney", "spleen", "bone", "adrenal"]
    assert target_lesion_selection([Lesion(o, o, longest_diameter_mm=20) for o in organs]).verdict == "inconsistent"


@pytest.mark.parametrize(
    ("lesion", "slice_mm"),
    [
        (Lesion("small liver", "liver", longest_diameter_mm=9), None),
        (Lesion("node", "lymph node", longest_diameter_mm=30, short_axis_mm=14, is_lymph_node=True), None),
        (Lesion("liver on thick slices", "liver", longest_diameter_mm=12), 8.0),
    ],
)
def test_selection_rejects_non_measurable_targets(lesion: Lesion, slice_mm: float | None) -> None:
    assert target_lesion_selection([lesion], slice_thickness_mm=slice_mm).verdict == "inconsistent"


def test_selection_boundaries_are_measurable() -> None:
    lesions = [Lesion("liver", "liver", longest_diameter_mm=10),
               Lesion("node", "lymph node", short_axis_mm=15, is_lymph_node=True)]
    assert target_lesion_selection(lesions).verdict == "consistent"


def test_selection_ambiguous_without_diameters() -> None:
    check = target_lesion_selection([Lesion("target lesion 1", "liver"), Lesion("target lesion 2", "liver")])
    assert check.verdict == "ambiguous"
    assert "diameters" in check.explanation


# --- per-lesion assessment -------------------------------------------------------------------


def test_per_lesion_assessment() -> None:
    # Case 002, January 19, 2022: "target lesion 3 showed PD, whereas target lesions 1 and 2 were SD".
    check = per_lesion_assessment_is_not_recist({"target lesion 1": "SD", "target lesion 2": "SD", "target lesion 3": "PD"})
    assert (check.rule, check.verdict) == ("per_lesion_assessment_is_not_recist", "ambiguous")
    assert "sum" in check.explanation
    assert per_lesion_assessment_is_not_recist({"calf": "PR"}).verdict == "consistent"


# --- a paper's own definitions, methods and wording ------------------------------------------


def test_sd_printed_as_under_30_percent_reduction_is_not_recist() -> None:
    # "<30% reduction" also covers growth. From a 100 mm baseline (= nadir), +20% is 120 mm:
    # 20 mm >= 20% and >= 5 mm, so RECIST 1.1 says PD while the printed definition says SD.
    assert reference_category(Fraction(100), Fraction(100), Fraction(120)) == "PD"
    check = recist_definition_matches("<30", "SD")
    assert (check.rule, check.verdict) == ("recist_definition_matches", "inconsistent")
    assert "+20%" in check.recomputed and "PD" in check.recomputed


def test_pr_printed_as_at_least_30_percent_reduction_is_recist() -> None:
    # PR: sum at least 30% below baseline, which is exactly "≥30% reduction" (CR, all gone, aside).
    assert recist_definition_matches("≥30", "PR").verdict == "consistent"
    assert recist_definition_matches(">=30", "PR").verdict == "consistent"


@pytest.mark.parametrize(("printed", "category", "measured_as", "expected"), [
    (">30", "PR", "reduction", "inconsistent"),  # exactly -30% is PR by RECIST, not by ">30"
    ("≥35", "PR", "reduction", "inconsistent"),  # -30% to -34.5% are PR by RECIST, not by the paper
    ("≥20", "PD", "increase", "consistent"),     # with a 100 mm sum the 5 mm rule never binds
    ("<20", "SD", "increase", "inconsistent"),   # "<20% increase" also covers any shrinkage, PR included
])
def test_definitions_worked_by_hand(printed: str, category: str, measured_as: str,
                                                       expected: str) -> None:
    assert recist_definition_matches(printed, category, measured_as).verdict == expected


def test_definition_rejects_unknown_categories() -> None:
    with pytest.raises(ValueError, match="RECIST 1.1 category"):
        recist_definition_matches("<30", "stable")


@pytest.mark.parametrize(("modality", "method"), [
    ("Contrast CT", "CT"), ("T2WI MRI", "MRI"), ("MR", "MRI"), ("18F-FDG PET/CT", "PET/CT"),
    ("Ultrasound", "ultrasound"), ("US", "ultrasound"), ("CT", "CT"),
])
def test_imaging_method(modality: str, method: str) -> None:
    assert imaging_method(modality) == method


def test_same_method_consistent_for_ct_after_contrast_ct() -> None:
    check = recist_same_method("Contrast CT", "CT", "PR")
    assert (check.rule, check.verdict) == ("recist_same_method", "consistent")


def test_different_method_is_ambiguous_and_reads_naturally() -> None:
    check = recist_same_method("Contrast CT", "MRI", "SD")
    assert check.verdict == "ambiguous"
    assert "an MRI diameter with a Contrast CT baseline" in check.explanation


def test_stable_beside_a_printed_pr_is_ambiguous() -> None:
    # Case 000, Jan 2023: 22 mm vs baseline 43 mm: -21/43 = -48.8%; vs 39 mm the scan before:
    # -17/39 = -43.6%. "Stable" is RECIST's SD; only its everyday sense (not progressing) fits PR.
    check = stable_wording_vs_recist("stable", "PR", "43", "22", previous="39")
    assert (check.rule, check.verdict) == ("stable_wording_vs_recist", "ambiguous")
    assert "-48.8%" in check.recomputed and "-43.6%" in check.recomputed


def test_stable_beside_sd_is_consistent_and_beside_pd_inconsistent() -> None:
    # 43 -> 39 mm is -9.3% (SD); 20 -> 30 mm is +50% and +10 mm (PD): "stable" cannot mean PD.
    assert stable_wording_vs_recist("stable", "SD", "43", "39").verdict == "consistent"
    assert stable_wording_vs_recist("Stable", "PD", "20", "30").verdict == "inconsistent"
    assert stable_wording_vs_recist("progression", "PR", "43", "22").verdict == "inconsistent"


def test_unknown_wording_is_refused() -> None:
    with pytest.raises(ValueError, match="no RECIST reading"):
        stable_wording_vs_recist("improved", "PR", "43", "22")
