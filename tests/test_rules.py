"""The ledger rules: worked examples derived by hand, properties, and a real Cox fit (lifelines)."""

from __future__ import annotations

import functools
import inspect
import math
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    import pandas as pd

from claimcheck import rules
from claimcheck.checks import VERDICTS, Check
from claimcheck.printed import round_half_up
from claimcheck.rules import (
    RULES,
    ComparedQuantity,
    appendix_table,
    binomial_ci_method,
    ci_excludes_null_iff_significant,
    ci_symmetric_on_log_scale,
    comparable_quantities,
    counts_sum_to_total,
    cox_row,
    estimate_inside_ci,
    fold_phrase_matches_hr,
    grim_denominators,
    effect_direction_agrees,
    hr_equals_exp_beta,
    landmarks_decrease,
    median_ci_symmetry,
    median_vs_cutoff_counts,
    median_vs_landmark,
    not_checkable,
    overall_median_between_subgroups,
    percent_of_n,
    percents_sum_to_100,
    pfs_not_exceeding_os,
    same_quantity_agrees,
    value_in_range,
    wald_p_from_ci,
    worked_example,
)


def _exact_half_up_percent(count: int, n: int, decimals: int) -> str:
    """100*count/n rounded half up in exact rational arithmetic (independent of the float code)."""
    scaled = Fraction(100 * count, n) * 10**decimals
    units = math.floor(scaled + Fraction(1, 2))
    return str(Decimal(units).scaleb(-decimals))


# --- percent_of_n --------------------------------------------------------------------------------

counts_and_ns = st.integers(min_value=1, max_value=500).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=200)
@given(cn=counts_and_ns, decimals=st.integers(min_value=0, max_value=2))
def test_percent_printed_from_the_counts_is_consistent(cn: tuple[int, int], decimals: int) -> None:
    count, n = cn
    assert percent_of_n(count, n, _exact_half_up_percent(count, n, decimals)).verdict == "consistent"


@settings(max_examples=200)
@given(
    cn=counts_and_ns,
    decimals=st.integers(min_value=0, max_value=2),
    shift=st.integers(min_value=1, max_value=5),
    down=st.booleans(),
)
def test_percent_off_by_a_printed_unit_or_more_is_inconsistent(
    cn: tuple[int, int], decimals: int, shift: int, down: bool
) -> None:
    count, n = cn
    correct = Decimal(_exact_half_up_percent(count, n, decimals))
    scaled = Fraction(100 * count, n) * 10**decimals
    # An exact tie (x.5 units) sits on the shared edge of two intervals, which Printed keeps for
    # both (half-down or half-even rounding would print the lower); only shift up past it.
    assume(not (down and scaled.denominator == 2))
    wrong = correct + (-shift if down else shift) * Decimal(1).scaleb(-decimals)
    assume(wrong >= 0)
    check = percent_of_n(count, n, str(wrong))
    assert check.verdict == "inconsistent"
    assert str(wrong) in check.explanation


def test_10_of_113_printed_as_8_9_is_inconsistent() -> None:
    # 10/113 = 0.0884956 -> 8.84956%, which rounds to 8.8 (8.9 needs 8.85 <= x < 8.95).
    check = percent_of_n(10, 113, "8.9")
    assert check.verdict == "inconsistent"
    assert check.recomputed.startswith("8.8496%")
    assert "8.8%" in check.explanation and "[8.85, 8.95)" in check.explanation
    # 10/112 = 8.9286% is the only denominator near 113 that prints as 8.9 (10/111 = 9.009%).
    assert "112" in check.explanation


def test_4_printed_as_1_9_percent_is_found_to_use_the_216_procedures() -> None:
    # 4/113 = 3.54% (not 1.9%); 4/216 = 1.852% -> 1.9; 4/51 = 7.84% -> no.
    check = percent_of_n(4, 113, "1.9", alternatives={"216 procedures": 216, "51 with therapy": 51})
    assert check.verdict == "inconsistent"
    assert "216 procedures" in check.explanation
    assert "51 with therapy" not in check.explanation


def test_42_of_113_is_37_2_percent() -> None:
    # 42/113 = 37.168% -> 37.2
    check = percent_of_n(42, 113, "37.2%")
    assert check.verdict == "consistent"
    assert check.recomputed == "37.1681% (42/113)"


def test_grim_denominators_by_hand() -> None:
    # 4/d in [1.85%, 1.95%] <=> d in [205.1, 216.2]: d = 206..216.
    assert grim_denominators(4, "1.9", 1, 400) == list(range(206, 217))


# --- sums ----------------------------------------------------------------------------------------


def test_counts_sum_to_total() -> None:
    assert counts_sum_to_total({"male": 68, "female": 45}, 113).verdict == "consistent"
    check = counts_sum_to_total({"G1": 5, "G2": 49, "G3": 58}, 113)
    assert check.verdict == "inconsistent"
    assert "112" in check.explanation


def test_percents_sum_to_100_within_rounding() -> None:
    # 33.6 + 29.2 + 20.4 + 9.7 + 7.1 = 100.0
    assert percents_sum_to_100({"a": "33.6", "b": "29.2", "c": "20.4", "d": "9.7", "e": "7.1"}).verdict == "consistent"
    # 33.3 * 3 = 99.9, and the upper ends give 33.35 * 3 = 100.05 >= 100: consistent.
    assert percents_sum_to_100({"a": "33.3", "b": "33.3", "c": "33.3"}).verdict == "consistent"
    # 60.2 + 40.8 = 101.0; the lower ends give 60.15 + 40.75 = 100.9 > 100.
    check = percents_sum_to_100({"male": "60.2", "female": "40.8"})
    assert check.verdict == "inconsistent"
    assert "100.9" in check.explanation


# --- binomial CIs --------------------------------------------------------------------------------


def test_binomial_ci_method_identifies_clopper_pearson() -> None:
    from scipy import stats as scipy_stats

    # The ORR 42/113 printed as 28.3%-46.8%; Clopper-Pearson by scipy's beta quantiles:
    lower = 100 * scipy_stats.beta.ppf(0.025, 42, 113 - 42 + 1)
    upper = 100 * scipy_stats.beta.ppf(0.975, 42 + 1, 113 - 42)
    assert (round(lower, 1), round(upper, 1)) == (28.3, 46.8)
    check = binomial_ci_method(42, 113, "28.3", "46.8", scale=100)
    assert check.verdict == "consistent"
    assert "beta" in check.recomputed
    # Wald gives 28.3-46.1, so it must not be listed.
    assert "normal" not in check.recomputed


def test_binomial_ci_method_on_the_proportion_scale() -> None:
    assert binomial_ci_method(42, 113, "0.283", "0.468").verdict == "consistent"


def test_binomial_ci_method_rejects_an_interval_no_method_gives() -> None:
    check = binomial_ci_method(42, 113, "30.0", "40.0", scale=100)
    assert check.verdict == "inconsistent"
    for method in ("normal", "agresti_coull", "beta", "wilson", "jeffreys", "binom_test"):
        assert method in check.explanation


# --- Cox rows ------------------------------------------------------------------------------------


def test_hr_equals_exp_beta_by_hand() -> None:
    # exp(0.551) = 1.7350 -> 1.7
    assert hr_equals_exp_beta("0.551", "1.7").verdict == "consistent"
    # exp(1.5125) = 4.538 > 4.45, so no beta printing as 1.513 gives an HR printing as 4.4.
    check = hr_equals_exp_beta("1.513", "4.4")
    assert check.verdict == "inconsistent"
    assert "4.54" in check.recomputed or "4.5403" in check.recomputed


@pytest.mark.parametrize("beta, hr, verdict", [
    ("1.513", "4.4", "consistent"),     # magnitudes disagree (see above), directions agree
    ("-1.513", "4.4", "inconsistent"),  # a sign lost or added: harmful and protective at once
    ("0.661", "0.5", "inconsistent"),
    ("-0.379", "0.68", "consistent"),   # Rossi, fin
    ("0.0", "0.9", "consistent"),       # β in [-0.05, 0.05) may be negative
    ("0.02", "1.0", "consistent"),      # HR in [0.95, 1.05) may be above 1
])
def test_effect_direction_agrees_by_hand(beta, hr, verdict) -> None:
    assert effect_direction_agrees(beta, hr).verdict == verdict


@given(st.floats(min_value=-3, max_value=3, allow_nan=False))
def test_effect_direction_agrees_with_any_correctly_rounded_row(beta: float) -> None:
    # A row printed from one fitted β: exp and Python's own rounding to 3 and 2 decimals.
    assert effect_direction_agrees(f"{beta:.3f}", f"{math.exp(beta):.2f}").verdict == "consistent"


def test_ci_symmetric_on_log_scale() -> None:
    # sqrt(1.1 * 2.7) = 1.723, exp(0.551) = 1.735: inside the rounding box of the limits.
    assert ci_symmetric_on_log_scale("0.551", "1.1", "2.7", estimate_scale="beta").verdict == "consistent"
    assert ci_symmetric_on_log_scale("1.7", "1.1", "2.7").verdict == "consistent"
    # sqrt(1.05 * 2.75) = 1.70 at most is far below HR 3.0.
    assert ci_symmetric_on_log_scale("3.0", "1.1", "2.7").verdict == "inconsistent"


def test_wald_p_from_ci_by_hand() -> None:
    # Stage IV vs III: beta 0.73, CI 1.3-3.2. SE = ln(3.2/1.3)/3.92 = 0.2298; z = 0.73/0.2298 = 3.18;
    # p = 0.0015. The widest box (beta 0.7249, CI 1.25-3.25) gives SE 0.2438, z 2.97, p 0.0029 < 0.0045.
    check = wald_p_from_ci("0.73", "1.3", "3.2", "0.005", estimate_scale="beta")
    assert check.verdict == "inconsistent"
    assert "0.00149" in check.recomputed or "0.0015" in check.recomputed
    # Tumour size: beta 0.551, CI 1.1-2.7, p 0.014: SE 0.229, z 2.41, p 0.016, well inside the box.
    assert wald_p_from_ci("0.551", "1.1", "2.7", "0.014", estimate_scale="beta").verdict == "consistent"
    # A printed bound: HR 4.4 (2.3-8.7) gives p ~ 1e-5, compatible with "<0.001".
    assert wald_p_from_ci("4.4", "2.3", "8.7", "<0.001").verdict == "consistent"
    assert wald_p_from_ci("4.4", "2.3", "8.7", ">0.05").verdict == "inconsistent"


def test_ci_excludes_null_iff_significant() -> None:
    # HR 1.6 (1.0-2.6), P 0.043: "1.0" admits 1.04 > 1, so the CI may exclude 1.
    assert ci_excludes_null_iff_significant("1.0", "2.6", "0.043").verdict == "consistent"
    assert ci_excludes_null_iff_significant("0.28", "1.05", "0.07").verdict == "consistent"
    # 1.2-2.5 excludes 1 whatever the rounding, yet P 0.20 is not significant.
    check = ci_excludes_null_iff_significant("1.2", "2.5", "0.20")
    assert check.verdict == "inconsistent" and "excludes 1" in check.explanation
    # 0.6-2.8 contains 1, yet P <0.001.
    assert ci_excludes_null_iff_significant("0.6", "2.8", "<0.001").verdict == "inconsistent"
    # On a difference scale the null is 0.
    assert ci_excludes_null_iff_significant("0.1", "0.9", "0.02", null=0.0).verdict == "consistent"


def test_estimate_inside_ci() -> None:
    assert estimate_inside_ci("1.3", "0.6", "2.8").verdict == "consistent"
    check = estimate_inside_ci("11.0", "13.7", "20.3")
    assert check.verdict == "inconsistent"
    assert "below" in check.explanation


@functools.cache
def _rossi_summary() -> "pd.DataFrame":
    from lifelines import CoxPHFitter
    from lifelines.datasets import load_rossi

    return CoxPHFitter().fit(load_rossi(), duration_col="week", event_col="arrest").summary


def _rossi_rows() -> list[dict[str, str]]:
    """Each Cox row of the Rossi fit printed as a paper would: beta 3, HR and CI 2, P 3 decimals."""
    summary = _rossi_summary()
    rows = []
    for _, row in summary.iterrows():
        p = row["p"]
        rows.append({
            "beta": f"{row['coef']:.3f}",
            "hr": f"{row['exp(coef)']:.2f}",
            "ci_lower": f"{row['exp(coef) lower 95%']:.2f}",
            "ci_upper": f"{row['exp(coef) upper 95%']:.2f}",
            "p": "<0.001" if p < 0.001 else f"{p:.3f}",
        })
    return rows


def test_cox_rows_printed_from_a_real_fit_are_consistent() -> None:
    rows = _rossi_rows()
    assert len(rows) == 7
    for row in rows:
        checks = cox_row(**row)
        assert {c.rule for c in checks} == {
            "hr_equals_exp_beta", "effect_direction_agrees", "estimate_inside_ci", "ci_symmetric_on_log_scale",
            "wald_p_from_ci", "ci_excludes_null_iff_significant"}
        assert all(c.verdict == "consistent" for c in checks), (row, checks)
        without_beta = cox_row(beta=None, **{k: v for k, v in row.items() if k != "beta"})
        assert all(c.verdict == "consistent" for c in without_beta), (row, without_beta)
        assert wald_p_from_ci(row["hr"], row["ci_lower"], row["ci_upper"], row["p"]).verdict == "consistent"


def test_a_corrupted_cox_row_turns_inconsistent() -> None:
    row = _rossi_rows()[0]  # fin: beta -0.379, HR 0.68 (0.47-1.00), p 0.047
    corrupted = {**row, "hr": "1.20", "beta": ""}
    verdicts = {c.rule: c.verdict for c in cox_row(**corrupted)}
    assert verdicts["ci_symmetric_on_log_scale"] == "inconsistent"
    assert verdicts["wald_p_from_ci"] == "inconsistent"
    assert verdicts["estimate_inside_ci"] == "inconsistent"
    wrong_p = {**row, "p": "0.470"}
    assert {c.rule: c.verdict for c in cox_row(**wrong_p)}["wald_p_from_ci"] == "inconsistent"


def test_cox_row_skips_what_is_not_printed() -> None:
    assert cox_row(hr="1.7") == []
    assert [c.rule for c in cox_row(beta="0.551", hr="1.7")] == ["hr_equals_exp_beta", "effect_direction_agrees"]
    # A CI and P without an estimate still say whether they agree about significance.
    assert [c.rule for c in cox_row(ci_lower="1.1", ci_upper="2.7", p="0.014")] == ["ci_excludes_null_iff_significant"]


def test_cox_row_checks_significance_at_the_level_of_its_interval() -> None:
    # A CI excluding 1 agrees with P 0.014 at alpha 0.05, not with P 0.20; at alpha 0.01 it
    # contradicts P 0.014, while a CI containing 1 agrees with P 0.20.
    def verdict(**row):
        return {c.rule: c.verdict for c in cox_row(**row)}["ci_excludes_null_iff_significant"]

    assert verdict(hr="1.7", ci_lower="1.1", ci_upper="2.7", p="0.014") == "consistent"
    assert verdict(hr="1.7", ci_lower="1.1", ci_upper="2.7", p="0.20") == "inconsistent"
    assert verdict(hr="1.7", ci_lower="1.1", ci_upper="2.7", p="0.014", alpha=0.01) == "inconsistent"
    assert verdict(hr="1.7", ci_lower="0.9", ci_upper="2.7", p="0.20", alpha=0.01) == "consistent"


# --- survival summaries --------------------------------------------------------------------------


def test_median_ci_symmetry() -> None:
    # 12.8 + 25.3 - 2*19.0 = 0.1, and the rounding box spans [0.0, 0.2]: symmetric.
    check = median_ci_symmetry("19.0", "12.8", "25.3")
    assert check.verdict == "consistent"
    assert "3.19" in check.recomputed  # SE = 12.5 / 3.92 = 3.189
    # 13.7 + 18.7 - 2*16.0 = 0.4, box [0.3, 0.5]: asymmetric, the method is not stated.
    assert median_ci_symmetry("16.0", "13.7", "18.7").verdict == "ambiguous"
    # PFS 11.0 printed with 95% CI 13.7-20.3: the median lies outside its own interval.
    assert median_ci_symmetry("11.0", "13.7", "20.3").verdict == "inconsistent"


def test_landmarks_decrease() -> None:
    assert landmarks_decrease([(36, "41.7"), (24, "45.1"), (12, "60.0")]).verdict == "consistent"
    # Equal after rounding is allowed: 45.1 at 12 and 24 months.
    assert landmarks_decrease([(12, "45.1"), (24, "45.1")]).verdict == "consistent"
    check = landmarks_decrease([(12, "45.1"), (24, "47.0"), (36, "30.0")])
    assert check.verdict == "inconsistent"
    assert "24 months" in check.explanation and "12 months" in check.explanation


def test_pfs_not_exceeding_os() -> None:
    assert pfs_not_exceeding_os("11.0", "19.0").verdict == "consistent"
    assert pfs_not_exceeding_os("25.7", "45.1", quantity="rate").verdict == "consistent"
    check = pfs_not_exceeding_os("50.2", "45.1", quantity="rate")
    assert check.verdict == "inconsistent"
    assert "rate" in check.explanation


def test_overall_median_between_subgroups() -> None:
    assert overall_median_between_subgroups("19.0", {"<10 cm": "27.0", ">=10 cm": "15.0"}).verdict == "consistent"
    # PFS: overall 11.0 equals the upper subgroup (11.0 vs 7.0): allowed at the edge.
    assert overall_median_between_subgroups("11.0", {">=2": "11.0", "0-1": "7.0"}).verdict == "consistent"
    assert overall_median_between_subgroups("40.0", {"M1": "16.0", "M0": "NR"}).verdict == "consistent"
    check = overall_median_between_subgroups("30.0", {"<10 cm": "27.0", ">=10 cm": "15.0"})
    assert check.verdict == "inconsistent"
    assert "27.05" in check.explanation


def test_median_vs_landmark() -> None:
    # 24 months is after the median 19.0: S(24) = 45.1% <= 50%.
    assert median_vs_landmark("19.0", 24, "45.1").verdict == "consistent"
    # 12 months is before the median 19.0: S(12) must be >= 50%; 40.0% is not.
    assert median_vs_landmark("19.0", 12, "40.0").verdict == "inconsistent"
    # 36 months after the median: 55.0% is too high.
    assert median_vs_landmark("19.0", 36, "55.0").verdict == "inconsistent"
    # A landmark within the median's rounding is not decided: 19 vs 19.0.
    assert median_vs_landmark("19", 19, "30.0").verdict == "consistent"


def test_median_age_35_with_37_of_113_at_or_below_35_is_inconsistent() -> None:
    # n = 37 + 76 = 113 (odd): the median is the 57th smallest age. Only 37 ages are <= 35, so the
    # 57th is > 35, i.e. >= 36 in whole years; "35" stands for [34.5, 35.5), which excludes 36.
    check = median_vs_cutoff_counts("35", 35, 37, 76)
    assert check.verdict == "inconsistent"
    assert "57th" in check.explanation and "at least 36" in check.explanation
    # If ages were continuous, 35.2 could be the median and print as 35.
    assert median_vs_cutoff_counts("35", 35, 37, 76, whole_numbers=False).verdict == "consistent"


def test_median_vs_cutoff_counts_other_cases() -> None:
    # 60 of 113 <= 35: the 57th value is <= 35, so median 35 is possible, median 40 is not.
    assert median_vs_cutoff_counts("35", 35, 60, 53).verdict == "consistent"
    assert median_vs_cutoff_counts("40", 35, 60, 53).verdict == "inconsistent"
    # n = 100 even, 50 below: the 50th and 51st values straddle the cut-off; any median is possible.
    assert median_vs_cutoff_counts("80", 35, 50, 50).verdict == "consistent"
    # Strict cut-off "<60" vs ">=60": 30 below and 70 at or above, so the 50th/51st are >= 60.
    assert median_vs_cutoff_counts("60", 60, 30, 70, below_inclusive=False).verdict == "consistent"
    assert median_vs_cutoff_counts("59", 60, 30, 70, below_inclusive=False).verdict == "inconsistent"


# --- agreement, ranges, phrases ------------------------------------------------------------------


def test_same_quantity_agrees() -> None:
    assert same_quantity_agrees({"Abstract": "19.0", "Results": "19.0", "Table": "19"}).verdict == "consistent"
    check = same_quantity_agrees({"Abstract": "19.0", "Results": "19.0", "Discussion": "18.0"})
    assert check.verdict == "inconsistent"
    assert check.explanation.startswith("Discussion 18.0")


def test_value_in_range() -> None:
    assert value_in_range("10.7", "1.5", "25.3").verdict == "consistent"
    assert value_in_range("23.5", "1.0", "112.5").verdict == "consistent"
    check = value_in_range("30.0", "1.5", "25.3")
    assert check.verdict == "inconsistent"
    assert "above" in check.explanation


def test_not_checkable() -> None:
    check = not_checkable("quoted from reference 12")
    assert check == Check("not_checkable", "—", "not-checkable", "quoted from reference 12")


def test_fold_phrase_matches_hr() -> None:
    assert fold_phrase_matches_hr("4.4", "4.4").verdict == "consistent"
    assert fold_phrase_matches_hr("twofold", "2.1").verdict == "consistent"
    assert fold_phrase_matches_hr(2, "2.1").verdict == "consistent"
    # "3-fold" stands for [2.5, 3.5); HR 4.4 is outside, and so is 1 + 3 = 4 ([3.5, 4.5) does overlap!).
    assert fold_phrase_matches_hr("3", "4.4").verdict == "ambiguous"
    assert fold_phrase_matches_hr("twofold", "4.4").verdict == "inconsistent"


# --- rules moved out of the AICE audit -------------------------------------------------------------


def test_percent_of_n_with_an_open_denominator() -> None:
    # 4/113 = 3.54% does not print as 1.9; 4/216 = 1.852% does ([1.85, 1.95)).
    reading = rules.percent_of_n(4, 113, "1.9", {"216 procedures": 216}, denominator_open=True)
    assert (reading.rule, reading.verdict) == ("percent_of_n", "ambiguous")
    assert "4/216" in reading.recomputed and "4/113 = 3.54%" in reading.explanation
    assert "does not say which" in reading.explanation
    # Without the flag the same alternative only explains an inconsistency.
    assert rules.percent_of_n(4, 113, "1.9", {"216 procedures": 216}).verdict == "inconsistent"
    # 5/113 = 4.42% and 5/216 = 2.31%: neither prints as 2.7, so the flag changes nothing.
    assert rules.percent_of_n(5, 113, "2.7", {"216 procedures": 216},
                              denominator_open=True).verdict == "inconsistent"
    # 4/113 = 3.540% prints as 3.5 with the stated denominator.
    assert rules.percent_of_n(4, 113, "3.5", {"216 procedures": 216}, denominator_open=True).verdict == "consistent"


def test_percent_of_a_stated_denominator_names_the_printed_denominator_that_fits() -> None:
    # Table 5 of source 001 is titled "of the 113 Patients"; its 4 (1.9) is 4/216, the procedures.
    title = "Table 5, title, 'Safety Profile of the 113 Patients'"
    check = rules.percent_of_n(4, 113, "1.9", {"the 216 AICE procedures": 216, "the 51 treated later": 51},
                               stated_in=title)
    assert check.verdict == "inconsistent"
    assert title in check.explanation
    assert "1.9% is 4/216 = 1.85%, with the 216 AICE procedures" in check.explanation
    assert "4/51" not in check.explanation          # 7.84% does not print as 1.9
    assert (check.low, check.high) == (pytest.approx(100 * 4 / 113),) * 2
    # Stated and consistent: 23/113 = 20.35% prints as 20.4.
    assert rules.percent_of_n(23, 113, "20.4", stated_in=title).verdict == "consistent"
    # A denominator cannot be both stated and left open.
    with pytest.raises(ValueError, match="both stated and left open"):
        rules.percent_of_n(4, 113, "1.9", stated_in=title, denominator_open=True)


def test_value_in_range_with_one_sided_bounds() -> None:
    # Youngest patient 3 vs inclusion age >= 3: [2.5, 3.5) reaches [2.5, 3.5).
    assert value_in_range("3", lower="3").verdict == "consistent"
    # Worst ECOG 3 vs maximum 3; vs maximum 1, [2.5, 3.5) lies wholly above [0.5, 1.5). (Against a maximum of
    # 2 the intervals touch at 2.5, which the rules, like `_inside`, count as agreement.)
    assert value_in_range("3", upper="3").verdict == "consistent"
    above = value_in_range("3", upper="1")
    assert above.verdict == "inconsistent" and "above" in above.explanation
    # Age 3 vs an adult minimum of 18: 3.5 < 17.5.
    below = value_in_range("3", "18", "")
    assert below.verdict == "inconsistent" and "below" in below.explanation
    with pytest.raises(ValueError, match="lower or an upper"):
        value_in_range("3")


def test_group_labels_agree() -> None:
    # "≥ 10" and ">=10" are the same group; spelling differs only.
    same = rules.group_labels_agree({"Table 1": ["<10", "≥10"], "text": ["< 10", ">= 10"]}, "10 cm")
    assert (same.rule, same.verdict) == ("group_labels_agree", "consistent")
    assert rules.group_labels_agree({"a": "≥10", "b": "greater than or equal to 10"}, "10 cm").verdict == "consistent"
    # <10/≥10 puts a 10 cm tumour in the upper group, ≤10/>10 in the lower one.
    split = rules.group_labels_agree({"Table 1": ["<10", "≥10"], "Table 3": ["≤ 10", ">10"]}, "10 cm")
    assert split.verdict == "ambiguous" and "exactly 10 cm" in split.explanation


def test_group_cutoff_agrees() -> None:
    assert rules.group_cutoff_agrees("modalities", {"Tables 3-4": 2, "Results": 2}).verdict == "consistent"
    check = rules.group_cutoff_agrees("modalities", {"Tables 3-4": 2, "Discussion": 3})
    assert check.verdict == "inconsistent" and "≥2" in check.explanation and "≥3" in check.explanation


def test_listed_factors_significant() -> None:
    # P 0.049 stands for [0.0485, 0.0495), below 0.05; "<0.001" is below too.
    listed = {"efficacy": "0.049", "metastasis": "<0.001"}
    ok = rules.listed_factors_significant("<0.05", listed, {"stage": "0.005", "cycles": "0.560"})
    assert (ok.rule, ok.verdict) == ("listed_factors_significant", "consistent")
    # Stage (0.005) is significant but unlisted and is named; cycles (0.560) is not significant and is not.
    assert "stage (P 0.005)" in ok.explanation and "cycles" not in ok.explanation
    # P 0.050 stands for [0.0495, 0.0505): it may lie below 0.05, so the list is not contradicted.
    assert rules.listed_factors_significant("<0.05", {"x": "0.050"}).verdict == "consistent"
    # P 0.051 stands for [0.0505, 0.0515): never below 0.05.
    bad = rules.listed_factors_significant("<0.05", {"efficacy": "0.049", "cycles": "0.051"})
    assert bad.verdict == "inconsistent" and "cycles P 0.051" in bad.explanation and "efficacy" not in bad.explanation


def test_procedures_vs_cycles() -> None:
    # 62 x 1 + 51 x at least 2 = at least 164 procedures; 216 leaves (216 - 62)/51 = 3.02 for the 51.
    enough = rules.procedures_vs_cycles(216, {1: 62, 2: 51}, open_ended=(2,))
    assert (enough.rule, enough.verdict) == ("procedures_vs_cycles", "consistent")
    assert "164" in enough.recomputed and "3.02" in enough.explanation
    assert rules.procedures_vs_cycles(164, {1: 62, 2: 51}, open_ended=(2,)).verdict == "consistent"
    assert rules.procedures_vs_cycles(163, {1: 62, 2: 51}, open_ended=(2,)).verdict == "inconsistent"
    # Exact groups: 62 x 1 + 51 x 2 = 164 exactly, so 216 is too many.
    assert rules.procedures_vs_cycles(164, {1: 62, 2: 51}).verdict == "consistent"
    assert rules.procedures_vs_cycles(216, {1: 62, 2: 51}).verdict == "inconsistent"
    # With exact groups the total is a number: 164, whatever the printed total.
    for printed in (164, 216):
        exact = rules.procedures_vs_cycles(printed, {1: 62, 2: 51})
        assert (exact.low, exact.high) == (164.0, 164.0)
    # With an open-ended group only a least total is known: no single number.
    assert (enough.low, enough.high) == (None, None)


def test_adult_label_vs_age_range() -> None:
    # Youngest 3 years ([2.5, 3.5)) is below 18.
    child = rules.adult_label_vs_age_range("3", 18, inclusion_minimum="3")
    assert (child.rule, child.verdict) == ("adult_label_vs_age_range", "inconsistent")
    assert "age ≥ 3" in child.explanation
    assert rules.adult_label_vs_age_range("18").verdict == "consistent"
    # "17.6" stands for [17.55, 17.65): under 18 at any rounding.
    assert rules.adult_label_vs_age_range("17.6").verdict == "inconsistent"
    # A different age of majority is an argument, not a constant of the rule.
    assert rules.adult_label_vs_age_range("16", adult_from_years=16).verdict == "consistent"


def test_severity_label_vs_sir_grade() -> None:
    major = {"A": 40, "B": 10, "C": 5, "D": 2}
    unclear = rules.severity_label_vs_sir_grade("no severe adverse reactions", major)
    assert (unclear.rule, unclear.verdict) == ("severity_label_vs_sir_grade", "ambiguous")
    assert "5 grade C and 2 grade D" in unclear.explanation
    assert rules.severity_label_vs_sir_grade("no severe adverse reactions", major,
                                             severe_defined_as_major=True).verdict == "inconsistent"
    # Minor events only (A-B), or zero major events, contradict nothing.
    assert rules.severity_label_vs_sir_grade("no severe", {"A": 40, "B": 10, "c": 0}).verdict == "consistent"


def test_grading_scale_agrees() -> None:
    sir = list("ABCDEF")
    other = rules.grading_scale_agrees("SIR", sir, ["1", "2"])
    assert (other.rule, other.verdict) == ("grading_scale_agrees", "ambiguous")
    assert rules.grading_scale_agrees("SIR", sir, ["a", "B"]).verdict == "consistent"
    assert rules.grading_scale_agrees("CTCAE", ["1", "2", "3", "4", "5"], ["1", "2"]).verdict == "consistent"


def test_distinct_quantities_differ() -> None:
    # 1-year PFS and 2-year OS both print 45.1% (35.8-54.0).
    same = rules.distinct_quantities_differ("1-year PFS", "2-year OS", ("45.1%", "35.8", "54.0"),
                                            ("45.1%", "35.8", "54.0"))
    assert (same.rule, same.verdict) == ("distinct_quantities_differ", "ambiguous")
    # Only the CI differs: the printings are not copies of each other.
    assert rules.distinct_quantities_differ("a", "b", ("45.1", "35.8", "54.0"),
                                            ("45.1", "35.8", "54.1")).verdict == "consistent"
    # 45.1 and 45.10 are different printings (different precision), so not a copy either.
    assert rules.distinct_quantities_differ("a", "b", ("45.1",), ("45.10",)).verdict == "consistent"


def test_definition_stated() -> None:
    readings = {"split over the two days": "50-70 mg/m² per cycle", "given on each day": "100-140 mg/m² per cycle"}
    open_ = rules.definition_stated("the epirubicin dose", readings)
    assert (open_.rule, open_.verdict) == ("definition_stated", "ambiguous")
    assert "100-140" in open_.explanation and "50-70" in open_.explanation
    stated = rules.definition_stated("the epirubicin dose", readings, stated="given on each day")
    assert stated.verdict == "consistent" and "100-140" in stated.recomputed
    assert rules.definition_stated("x", {"a": "5 mg", "b": "5 mg"}).verdict == "consistent"
    with pytest.raises(ValueError, match="not one of"):
        rules.definition_stated("x", readings, stated="per week")


# --- registry ------------------------------------------------------------------------------------


def test_comparable_quantities() -> None:
    pfs = "progression-free time (months)"
    one_patient = ComparedQuantity("one patient", pfs, 32.6, 35.0)
    # 32.6 > 21 (the largest quoted median): the stated order holds.
    exceeds = comparable_quantities("far exceeds", one_patient, ComparedQuantity("medians", pfs, 6.3, 21), "exceeds")
    assert (exceeds.rule, exceeds.verdict) == ("comparable_quantities", "consistent")
    # 32.6-35.0 and 30-40 share values, so "exceeds" is contradicted; "overlaps" holds.
    wider = ComparedQuantity("medians", pfs, 30, 40)
    assert comparable_quantities("exceeds", one_patient, wider, "exceeds").verdict == "inconsistent"
    assert comparable_quantities("aligns", one_patient, wider, "overlaps").verdict == "consistent"
    # 32.6 is not below 6.3.
    assert comparable_quantities("below", one_patient, ComparedQuantity("m", pfs, 6.3, 21),
                                 "falls below").verdict == "inconsistent"
    # Necrotic tissue in one tumour vs responding patients: different measures, whatever the overlap.
    necrosis = ComparedQuantity("60-70% necrosis", "necrotic fraction of one tumour (%)", 60, 70)
    orr = ComparedQuantity("30-70% responders", "fraction of patients responding (%)", 30, 70)
    assert comparable_quantities("aligns", necrosis, orr, "overlaps").verdict == "ambiguous"
    with pytest.raises(ValueError, match="low and high"):
        comparable_quantities("exceeds", ComparedQuantity("a", pfs), ComparedQuantity("b", pfs), "exceeds")


def test_every_registered_rule_is_a_function_of_that_name_with_a_runnable_example() -> None:
    for name, info in RULES.items():
        assert info.name == name
        assert inspect.isfunction(getattr(rules, name))
        assert info.summary and "\n" not in info.summary
        assert info.method
        checks = worked_example(name)
        assert checks and all(c.rule == name or name == "cox_row" for c in checks)
        assert all(c.verdict in VERDICTS for c in checks)


def test_the_required_rules_are_registered() -> None:
    required = {
        "percent_of_n", "counts_sum_to_total", "percents_sum_to_100", "binomial_ci_method",
        "hr_equals_exp_beta", "effect_direction_agrees", "ci_symmetric_on_log_scale", "wald_p_from_ci",
        "estimate_inside_ci",
        "cox_row", "median_ci_symmetry", "landmarks_decrease", "pfs_not_exceeding_os",
        "overall_median_between_subgroups", "median_vs_landmark", "median_vs_cutoff_counts",
        "same_quantity_agrees", "value_in_range", "not_checkable", "fold_phrase_matches_hr",
        "ci_excludes_null_iff_significant", "comparable_quantities", "group_labels_agree",
        "group_cutoff_agrees", "listed_factors_significant", "procedures_vs_cycles", "adult_label_vs_age_range",
        "severity_label_vs_sir_grade", "grading_scale_agrees", "distinct_quantities_differ", "definition_stated",
    }
    assert required <= set(RULES)


def test_appendix_table_has_a_row_per_example_check() -> None:
    table = appendix_table()
    assert set(table["rule"]) == set(RULES)
    assert len(table) == sum(len(worked_example(name)) for name in RULES)
    assert table["example_verdict"].isin(VERDICTS).all()


@pytest.mark.parametrize("blank", [None, ""])
def test_blank_cox_arguments_count_as_not_printed(blank: str | None) -> None:
    assert [c.rule for c in cox_row(beta=blank, hr="1.7", ci_lower="1.1", ci_upper="2.7", p=blank)] == [
        "estimate_inside_ci", "ci_symmetric_on_log_scale"]


# --- properties: whatever a correct computation prints, the rules accept -------------------------


@settings(max_examples=150, deadline=None)
@given(
    beta=st.floats(min_value=-2.5, max_value=2.5),
    se=st.floats(min_value=0.03, max_value=1.2),
    hr_decimals=st.integers(min_value=1, max_value=3),
)
def test_any_correctly_printed_wald_row_is_consistent(beta: float, se: float, hr_decimals: int) -> None:
    from scipy import stats as scipy_stats

    z = scipy_stats.norm.ppf(0.975)
    lower, upper = math.exp(beta - z * se), math.exp(beta + z * se)
    p = 2 * scipy_stats.norm.sf(abs(beta) / se)
    assume(lower >= 10.0 ** (-hr_decimals))  # a limit printed as 0.00 carries no information
    row = {
        "beta": round_half_up(beta, 3),
        "hr": round_half_up(math.exp(beta), hr_decimals),
        "ci_lower": round_half_up(lower, hr_decimals),
        "ci_upper": round_half_up(upper, hr_decimals),
        "p": "<0.001" if p < 0.001 else round_half_up(p, 3),
    }
    checks = cox_row(**row)
    assert len(checks) == 6
    assert all(c.verdict == "consistent" for c in checks), (row, checks)
    assert ci_excludes_null_iff_significant(row["ci_lower"], row["ci_upper"], row["p"]).verdict == "consistent"


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(min_value=3, max_value=90), min_size=1, max_size=150),
    cutoff=st.integers(min_value=3, max_value=90),
    inclusive=st.booleans(),
)
def test_median_of_real_whole_number_data_agrees_with_its_cutoff_counts(
    values: list[int], cutoff: int, inclusive: bool
) -> None:
    import statistics

    below = sum(v <= cutoff if inclusive else v < cutoff for v in values)
    printed_median = round_half_up(statistics.median(values), 0)
    check = median_vs_cutoff_counts(printed_median, cutoff, below, len(values) - below, below_inclusive=inclusive)
    assert check.verdict == "consistent", (values, cutoff, check)


@settings(max_examples=100, deadline=None)
@given(
    hazards=st.lists(st.floats(min_value=0.005, max_value=0.3), min_size=1, max_size=4),
    times=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=4, unique=True),
)
def test_landmarks_of_a_real_survival_curve_decrease(hazards: list[float], times: list[int]) -> None:
    # A mixture of exponentials is a genuine survival curve; its landmarks, printed, must pass.
    def survival(t: float) -> float:
        return sum(math.exp(-h * t) for h in hazards) / len(hazards)

    points = [(t, round_half_up(100 * survival(t), 1)) for t in times]
    assert landmarks_decrease(points).verdict == "consistent"


@settings(max_examples=100, deadline=None)
@given(
    hazards=st.lists(st.floats(min_value=0.01, max_value=0.3), min_size=2, max_size=4),
    weights=st.lists(st.integers(min_value=1, max_value=50), min_size=4, max_size=4),
)
def test_overall_median_of_a_real_mixture_lies_between_the_subgroups(
    hazards: list[float], weights: list[int]
) -> None:
    from scipy.optimize import brentq

    w = weights[: len(hazards)]

    def overall(t: float) -> float:
        return sum(wi * math.exp(-h * t) for wi, h in zip(w, hazards)) / sum(w)

    overall_median = brentq(lambda t: overall(t) - 0.5, 0.0, 1e4)
    subgroups = {f"group {i}": round_half_up(math.log(2) / h, 1) for i, h in enumerate(hazards)}
    check = overall_median_between_subgroups(round_half_up(overall_median, 1), subgroups)
    assert check.verdict == "consistent"


@given(x=st.floats(min_value=0.0, max_value=200.0), decimals=st.lists(st.integers(0, 3), min_size=2, max_size=4))
def test_one_value_printed_at_several_precisions_agrees(x: float, decimals: list[int]) -> None:
    printings = {f"place {i}": round_half_up(x, d) for i, d in enumerate(decimals)}
    assert same_quantity_agrees(printings).verdict == "consistent"


# --- rules moved out of the LMS and comparator audits -----------------------------------------

def test_words_for_counts_and_ordinals_become_digits():
    assert [rules.as_digits(w) for w in ("Two", "eight", "seventh", " 12 ")] == ["2", "8", "7", "12"]


def test_subset_within_total_is_exact():
    # 28 of 28 is the whole group, still possible; 29 of 28 is not, whatever the rounding.
    assert rules.subset_within_total(28, 28).verdict == "consistent"
    check = rules.subset_within_total(29, 28)
    assert check.verdict == "inconsistent" and check.recomputed == "29 of 28 (103.6%)"  # 100 * 29 / 28 = 103.57


def test_grade_matches_severity_word_reads_the_ctcae_word():
    # CTCAE: grade 1 mild, 2 moderate, 3 severe.
    assert rules.grade_matches_severity_word("1", ["mild", "moderate"]).verdict == "consistent"
    assert rules.grade_matches_severity_word("3", ["Mild", "moderate"]).verdict == "inconsistent"
    with pytest.raises(ValueError, match="grade 6"):
        rules.grade_matches_severity_word("6", ["mild"])


@pytest.mark.parametrize(("size", "expected"), [("5", "T1"), ("5.1", "T2"), ("10", "T2"), ("10.5", "T3"),
                                                ("15", "T3"), ("16", "T4")])
def test_ajcc8_retroperitoneal_t_boundaries(size, expected):
    # AJCC 8th edition retroperitoneum: T1 <=5, T2 >5-<=10, T3 >10-<=15, T4 >15 cm.
    assert rules.ajcc8_retroperitoneal_t(float(size)) == expected


def test_ajcc8_stage_depends_on_the_factors_printed():
    # 12 cm = T3; T3 N0 M0 G3 = IIIB, with every factor printed.
    assert rules.ajcc8_retroperitoneal_stage("IIIB", "12", "N0", "M0", "G3").verdict == "consistent"
    # Same tumour printed as IIIA: IIIA is T2 only.
    assert rules.ajcc8_retroperitoneal_stage("IIIA", "12", "N0", "M0", "G3").verdict == "inconsistent"
    # 9 cm (T2) M0 with nodes and grade unprinted: IIIB only with N1.
    check = rules.ajcc8_retroperitoneal_stage("IIIB", "9", metastasis="M0")
    assert check.verdict == "ambiguous" and "requires nodes N1" in check.explanation
    # Any metastasis is IV, whatever else is open.
    assert rules.ajcc8_retroperitoneal_stage("IV", "3", metastasis="M1").verdict == "consistent"


def test_ajcc8_stage_allows_both_t_categories_a_rounded_size_spans():
    # "10" cm stands for [9.5, 10.5): T2 or T3; with N0 M0 G3 that is IIIA or IIIB.
    check = rules.ajcc8_retroperitoneal_stage("IIIB", "10", "N0", "M0", "G3")
    assert "T2/T3" in check.recomputed and check.verdict == "ambiguous"


def test_msts_stage_against_reported_factors():
    # Enneking: high grade, extracompartmental, no metastasis = IIB.
    assert rules.msts_stage_definition("IIB", "high", "T2", "M0").verdict == "consistent"
    assert rules.msts_stage_definition("IIIB", "high", "T2", "M0").verdict == "inconsistent"
    # The same consistent facts outside the musculoskeletal system are at best ambiguous.
    assert rules.msts_stage_definition("IIB", "high", "T2", "M0", musculoskeletal=False).verdict == "ambiguous"


def test_quoted_range_matches_quoted_series():
    quoted = [rules.QuotedValue("A", "pfs.median", "6.3"), rules.QuotedValue("B", "pfs.median", "14.2"),
              rules.QuotedValue("A", "os.median", "21.2")]
    # 6.3 = A's PFS; 14 stands for [13.5, 14.5), which holds B's 14.2.
    assert rules.quoted_range_matches_quoted_series("6.3", "14", "pfs.median", quoted).verdict == "consistent"
    # 21 stands for [20.5, 21.5): only A's OS 21.2 falls inside.
    check = rules.quoted_range_matches_quoted_series("6.3", "21", "pfs.median", quoted)
    assert check.verdict == "ambiguous" and "A os.median 21.2" in check.explanation
    # 30 matches nothing quoted.
    check = rules.quoted_range_matches_quoted_series("6.3", "30", "pfs.median", quoted)
    assert check.verdict == "ambiguous" and "cannot be traced" in check.explanation


def test_cited_reference_topic_compares_the_aspects_both_give():
    same = rules.cited_reference_topic("reference 3", {"disease": "leiomyosarcoma", "year": "2019"},
                                       {"disease": "Leiomyosarcoma "})
    assert same.verdict == "consistent"
    other = rules.cited_reference_topic("reference 25", {"disease": "soft-tissue sarcoma"}, {"disease": "osteosarcoma"})
    assert other.verdict == "ambiguous" and "osteosarcoma" in other.explanation
    with pytest.raises(ValueError):
        rules.cited_reference_topic("reference 1", {"disease": "x"}, {"year": "2011"})


def test_a_range_printed_twice_agrees_only_when_both_ends_do():
    assert rules.same_quantity_agrees({"a": ("100", "300"), "b": ("100", "300")}).verdict == "consistent"
    # 300 stands for [299.5, 300.5), 350 for [349.5, 350.5): the upper ends share no value.
    check = rules.same_quantity_agrees({"a": ("100", "300"), "b": ("100", "350")})
    assert check.verdict == "inconsistent" and "upper ends" in check.explanation and "lower ends" not in check.explanation


def test_printings_that_only_touch_disagree():
    # "112" stands for [111.5, 112.5) and "113" for [112.5, 113.5): 112.5 prints as 113 when
    # rounding half up and as 112 when rounding half to even, never as both, so no single true
    # value prints as both. The same holds for 25.6 [25.55, 25.65) and 25.7 [25.65, 25.75).
    assert rules.same_quantity_agrees({"Abstract": "112", "Results": "113"}).verdict == "inconsistent"
    assert rules.same_quantity_agrees({"Table": "25.6", "Text": "25.7"}).verdict == "inconsistent"
    # Overlaps of positive width still agree: "19" [18.5, 19.5) contains all of "19.0" [18.95, 19.05).
    assert rules.same_quantity_agrees({"Abstract": "19", "Results": "19.0"}).verdict == "consistent"
    # Two identical bounds (>120, i.e. (120, inf)) agree; the infinite end must not break the test.
    assert rules.same_quantity_agrees({"Text": ">120", "Table 2": ">120"}).verdict == "consistent"


# --- parts in percent, one count with one percentage, Kaplan-Meier landmark intervals --------------


def test_percents_of_parts_sum_to_their_total() -> None:
    # Table 5, pain: A 15.0 + B 8.0 = 23.0 = Total.
    check = rules.percents_of_parts_sum_to_total({"A": "15.0", "B": "8.0"}, "23.0")
    assert check.verdict == "consistent" and (check.low, check.high) == (pytest.approx(22.9), pytest.approx(23.1))
    # Rounding is allowed: 20.4 + 11.5 + 8.0 + 5.3 = 45.2, admissible 45.0-45.4, meets 45.1.
    assert rules.percents_of_parts_sum_to_total({"a": "20.4", "b": "11.5", "c": "8.0", "d": "5.3"},
                                                "45.1").verdict == "consistent"
    # Myelosuppression: 8.0 + 1.8 + 1.9 + 1.8 = 13.5 (13.3-13.7) cannot be the Total's 15.0.
    check = rules.percents_of_parts_sum_to_total({"A": "8.0", "B": "1.8", "C": "1.9", "D": "1.8"}, "15.0",
                                                 "the Total column")
    assert check.verdict == "inconsistent" and "13.3-13.7%" in check.explanation
    # 8.0 + 5.7 admits 13.6-13.8, which meets 13.8's [13.75, 13.85); 8.0 + 5.6 (13.5-13.7) does not.
    assert rules.percents_of_parts_sum_to_total({"A": "8.0", "B": "5.7"}, "13.8").verdict == "consistent"
    assert rules.percents_of_parts_sum_to_total({"A": "8.0", "B": "5.6"}, "13.8").verdict == "inconsistent"


def test_one_count_of_one_denominator_has_one_percentage() -> None:
    same = rules.same_count_same_percent(68, {"Table 1": "60.2", "Results": "60.2"}, 113)
    assert same.verdict == "consistent" and same.low == same.high == pytest.approx(100 * 68 / 113)
    # 4 of the 113 patients printed as 3.5, 3.7 and 1.9 (source 001): 1.9 is 4/216, 3.7 fits no printed n.
    split = rules.same_count_same_percent(4, {"Table 2, PNET": "3.5", "Table 1, ECOG 0-1": "3.7",
                                              "Table 5, nausea": "1.9"}, 113,
                                          {"the 113 patients": 113, "the 216 procedures": 216}, "the 113 patients")
    assert split.verdict == "inconsistent"
    assert "3 different percentages" in split.explanation
    assert "1.9% in Table 5, nausea, which is 4/216 (the 216 procedures)" in split.explanation
    assert "3.7% in Table 1, ECOG 0-1, which no printed denominator reproduces" in split.explanation
    # Printings at different precisions of one value agree: 15 (14.5-15.5) and 15.0.
    assert rules.same_count_same_percent(17, {"a": "15", "b": "15.0"}, 113).verdict == "consistent"


AICE_FOLLOW_UP = ("April 2020", "November 15, 2023", "complete follow-up was an inclusion criterion")


def test_km_landmark_ci_identifies_the_transform_from_k_over_n() -> None:
    # 2-year OS of source 001: 45.1% = 51/113; the log-log Greenwood CI of 51/113 is 35.80-54.00.
    check = rules.km_landmark_ci_method("45.1", "35.8", "54.0", 113, 24, *AICE_FOLLOW_UP)
    assert check.verdict == "consistent" and check.recomputed == "51/113 = 45.13%: log-log"
    assert "at least 42.5 months" in check.explanation
    # The plain interval of 51/113 is 35.96-54.31: printed as 36.0-54.3 it is named plain, not log-log.
    plain = rules.km_landmark_ci_method("45.1", "36.0", "54.3", 113, 24, *AICE_FOLLOW_UP)
    assert plain.verdict == "consistent" and plain.recomputed == "51/113 = 45.13%: plain"


def test_km_landmark_rate_that_is_no_k_over_n_is_traced_to_the_k_of_its_ci() -> None:
    # 3-year OS 41.7% (19.6-35.9): 47/113 = 41.59%, 48/113 = 42.48%; the CI is the log-log one of 31/113.
    check = rules.km_landmark_ci_method("41.7", "19.6", "35.9", 113, 36, *AICE_FOLLOW_UP)
    assert check.verdict == "inconsistent"
    assert "41.7% is not k/113 for any k (47/113 = 41.59%, 48/113 = 42.48%)" in check.explanation
    assert "log-log (Stata's default) interval of 31/113 = 27.43%" in check.explanation
    assert check.low == check.high == pytest.approx(100 * 31 / 113)
    # A rate that is k/n but whose CI no transform gives from it.
    off = rules.km_landmark_ci_method("45.1", "30.0", "60.0", 113, 24, *AICE_FOLLOW_UP)
    assert off.verdict == "inconsistent" and "no Greenwood transform gives" in off.explanation


def test_km_landmark_is_not_checked_when_censoring_before_it_is_possible() -> None:
    # A landmark beyond the shortest possible follow-up (42.5 months), or no word on losses to follow-up.
    late = rules.km_landmark_ci_method("41.7", "19.6", "35.9", 113, 48, *AICE_FOLLOW_UP)
    assert late.verdict == "not-checkable" and "does not reach the 48-month landmark" in late.explanation
    silent = rules.km_landmark_ci_method("45.1", "35.8", "54.0", 113, 24, "April 2020", "November 15, 2023")
    assert silent.verdict == "not-checkable" and "lost to follow-up" in silent.explanation


@pytest.mark.parametrize("check, low, high", [
    (lambda: rules.hr_equals_exp_beta("1.513", "4.4"), math.exp(1.5125), math.exp(1.5135)),
    (lambda: rules.percents_sum_to_100({"a": "32.7", "b": "67.3"}), 99.9, 100.1),
    (lambda: rules.counts_sum_to_total({"a": 37, "b": 76}, 113), 113, 113),
    (lambda: rules.ci_symmetric_on_log_scale("4.4", "2.3", "8.7"), math.sqrt(2.25 * 8.65), math.sqrt(2.35 * 8.75)),
    (lambda: rules.median_ci_symmetry("19.0", "12.8", "25.3"), 12.75 + 25.25 - 2 * 19.05, 12.85 + 25.35 - 2 * 18.95),
])
def test_a_rule_that_computes_a_number_publishes_its_rounding_range(check, low, high) -> None:
    found = check()
    assert (found.low, found.high) == (pytest.approx(low), pytest.approx(high))


def test_a_rule_that_computes_no_number_publishes_no_range() -> None:
    for check in (rules.estimate_inside_ci("41.7", "19.6", "35.9"), rules.binomial_ci_method(42, 113, "28.3", "46.8", scale=100),
                  rules.same_quantity_agrees({"a": "19.0", "b": "18.0"})):
        assert check.low is None and check.high is None
