"""The near-miss diagnosis: each slip reconciles a number it should, and only when it should.

Every case is a rule call on literal values; a slip is found by running the recorded call again
with one input changed, so these tests also hold the call records (`checks.RuleCall`) to the
calls that were made.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from claimcheck import dates, rules
from claimcheck.checks import RULE_FUNCTIONS, Check, ledger_rule
from claimcheck.diagnosis import Context, diagnose, sites, slips

AICE_DENOMINATORS = {"the 113 patients": 113, "the 216 AICE procedures": 216}


def kinds(check: Check, context: Context | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for slip in slips(check, context):
        found.setdefault(slip.kind, []).append(slip.detail)
    return found


def test_a_rule_call_is_recorded_and_runs_again_to_the_same_check() -> None:
    check = rules.percent_of_n(17, 113, "15.1")
    assert check.call is not None and check.call.rule == "percent_of_n"
    assert check.call.arguments["count"] == 17 and check.call.arguments["denominator"] == 113
    assert check.call.rerun() == check
    assert check.call.rerun(percent="15.0").verdict == "consistent"
    with pytest.raises(TypeError, match="no parameter"):
        check.call.rerun(n=5)


def test_a_composite_rule_keeps_the_calls_of_the_rules_it_applies() -> None:
    checks = rules.cox_row("1.513", "4.4", "2.3", "8.7", "<0.001")
    assert {c.call.rule for c in checks} == {c.rule for c in checks}
    assert all(c.call.rule in RULE_FUNCTIONS for c in checks)


def test_roles_must_name_parameters_of_the_rule() -> None:
    with pytest.raises(TypeError, match="no parameter"):
        @ledger_rule(roles={"m": "n"})
        def made_up_rule(n: int) -> Check:  # pragma: no cover - never called
            raise AssertionError
    with pytest.raises(ValueError, match="unknown role"):
        @ledger_rule(roles={"n": "sample"})
        def another_made_up_rule(n: int) -> Check:  # pragma: no cover - never called
            raise AssertionError


def test_the_printed_inputs_of_a_call_are_found_at_any_depth_and_labels_are_not() -> None:
    check = rules.same_quantity_agrees({"Table 3, row metastasis": "4.4", "Discussion, paragraph 4": "3"})
    found = {site.label: site.value for site in sites(check.call)}
    assert found == {"Table 3, row metastasis": "4.4", "Discussion, paragraph 4": "3"}
    check = rules.percent_of_n(4, 113, "1.9", stated_in="Table 5, title, 'the 113 Patients'")
    assert "Table 5, title, 'the 113 Patients'" not in [site.value for site in sites(check.call)]


def test_last_digit() -> None:
    # 17/113 = 15.04% prints as 15.0, so a printed 15.1 is one in its last digit.
    assert kinds(rules.percent_of_n(17, 113, "15.1"))["last digit"] == ["percentage 15.1 → 15.0"]


def test_digits_swapped() -> None:
    # 3-year OS 41.7% outside its own CI 19.6-35.9; an upper limit of 53.9 would hold it.
    check = rules.estimate_inside_ci("41.7", "19.6", "35.9")
    assert "upper limit 35.9 → 53.9" in kinds(check)["digits swapped"]


def test_n_plus_or_minus_one() -> None:
    # 10/113 = 8.85% prints as 8.8 (just), 10/112 = 8.93% as 8.9.
    assert kinds(rules.percent_of_n(10, 113, "8.9"))["n ± 1"] == ["denominator 113 → 112 (n − 1)"]
    assert "n ± 1" not in kinds(rules.percent_of_n(4, 113, "1.9"))


def test_another_denominator_the_paper_prints() -> None:
    check = rules.percent_of_n(4, 113, "1.9")
    assert "another denominator" not in kinds(check)          # nothing printed to try
    found = kinds(check, Context(denominators=AICE_DENOMINATORS))
    assert found["another denominator"] == ["216 (the 216 AICE procedures) instead of 113"]


def test_truncation_instead_of_rounding() -> None:
    # Clopper-Pearson 67.17-83.63 for 86/113, printed 67.1-83.6: truncated, not rounded.
    found = kinds(rules.binomial_ci_method(86, 113, "67.1", "83.6", scale=100.0))
    assert "lower limit 67.1 truncated, not rounded ([67.1, 67.2))" in found["truncation"]
    # 1/113 = 0.885% truncated is 0.8.
    assert kinds(rules.percent_of_n(1, 113, "0.8"))["truncation"][0].startswith("percentage 0.8 truncated")
    # 5/113 = 4.42%: truncation gives 4.4, never the printed 2.7.
    assert "truncation" not in kinds(rules.percent_of_n(5, 113, "2.7"))


def test_a_90_percent_interval_instead_of_95() -> None:
    # Table 3's stage row: beta 0.73, CI 1.3-3.2, P 0.005; Wald p is 0.0015 from a 95% CI and 0.0077
    # from a 90% one (z 1.645 gives a wider SE).
    check = rules.wald_p_from_ci("0.73", "1.3", "3.2", "0.005", estimate_scale="beta")
    assert kinds(check)["interval level"] == ["a 90% interval instead of 95%"]
    se = (math.log(3.2) - math.log(1.3)) / (2 * scipy_stats.norm.ppf(0.95))
    assert 0.0045 < 2 * scipy_stats.norm.sf(0.73 / se) < 0.0115


def test_a_one_sided_p() -> None:
    # A row whose two-sided Wald p is 0.020, printed with its one-sided P 0.010.
    beta, z_two_sided = 0.405, scipy_stats.norm.isf(0.010)
    se = beta / z_two_sided
    lower, upper = (f"{math.exp(beta + sign * 1.959964 * se):.2f}" for sign in (-1, 1))
    check = rules.wald_p_from_ci(f"{beta}", lower, upper, "0.010", estimate_scale="beta")
    assert check.verdict == "inconsistent"
    assert "P 0.010 one-sided, i.e. two-sided P 0.020" in kinds(check)["one-sided P"]
    # The same row printed with its two-sided P is consistent: nothing to diagnose.
    assert rules.wald_p_from_ci(f"{beta}", lower, upper, "0.020", estimate_scale="beta").verdict == "consistent"


def test_limits_swapped() -> None:
    check = rules.estimate_inside_ci("4.4", "8.7", "2.3")
    assert kinds(check)["limits swapped"] == ["limits 8.7 and 2.3 swapped"]


def test_a_neighbouring_rows_value() -> None:
    # The Discussion's "HR ~ 3" for OS against Table 3's 4.4; Table 4 (PFS) prints 3.1 for that row.
    check = rules.same_quantity_agrees({"Table 3": "4.4", "Discussion": "3"})
    assert "neighbouring value" not in kinds(check)
    found = kinds(check, Context(neighbours={"4.4": {"Table 4, same row": "3.1", "Table 3, row above": "1.7"}}))
    assert found["neighbouring value"] == ["Table 3 4.4 → 3.1, the value of Table 4, same row"]


def test_a_date_is_tried_one_year_or_day_off_but_never_with_its_digits_swapped() -> None:
    check = dates.chronology([("resection", "December 2011"), ("first TACE", "July 2011")])
    found = kinds(check)
    assert "resection December 2011 → December 2010" in found["last digit"]
    assert "digits swapped" not in found


def test_no_single_slip_and_no_inconsistency_give_no_diagnosis() -> None:
    # Grade C 5 patients (2.7%) of source 001: 5/113 = 4.42%, 5/216 = 2.31%; nothing single fits.
    assert diagnose(rules.percent_of_n(5, 113, "2.7"), Context(denominators=AICE_DENOMINATORS)) == ""
    assert diagnose(rules.percent_of_n(17, 113, "15.0")) == ""
    assert diagnose(Check("made_up", "—", "inconsistent", "1 ≠ 2")) == ""       # no call recorded


def test_the_diagnosis_groups_slips_by_kind_and_counts_the_rest() -> None:
    # A total one off: any of the counts one lower, or the total one higher.
    check = rules.counts_sum_to_total({f"group {i}": 10 + i for i in range(6)}, 74)
    text = diagnose(check)
    assert text.startswith("last digit: group 0 10 → 9, group 1 11 → 10, group 2 12 → 11 (and 3 more)")
    assert "n ± 1: total 74 → 75 (n + 1)" in text
