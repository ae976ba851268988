"""The AICE cohort audit (Li et al., sources 001 and 004): findings derived by hand from the paper.

Every expected verdict below was worked out on paper from the printed numbers, with the arithmetic
in a comment, before the audit was run; none is copied from the audit's output.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sarcoma_review.audits import aice_cohort
from sarcoma_review.coverage import EXCLUSIONS_FILE
from sarcoma_review.datapackage import load_study
from sarcoma_review.ledger import CONCLUSIONS_TABLE, check_invariants


@pytest.fixture(scope="module")
def rows():
    return aice_cohort.ledger_rows()


@pytest.fixture(scope="module")
def by_id(rows):
    return {row.claim_id: row for row in rows}


def verdict(by_id, claim_id: str) -> str:
    assert claim_id in by_id, f"missing ledger row {claim_id}"
    return by_id[claim_id].verdict


# --- counts and percentages -----------------------------------------------------------------

def test_table2_subtypes_sum_to_114_not_113(by_id):
    # 17+14+10+9+8+8+7+5 = 78; five subtypes of 4 = 20 -> 98; three of 3 = 9 -> 107; + 2 + 5 = 114.
    row = by_id["aice.t2-all.counts_sum_to_total"]
    assert row.verdict == "inconsistent"
    assert "114" in row.recomputed and "113" in row.explanation


def test_malignant_fibrous_histiocytoma_percent_prints_8_8_not_8_9(by_id):
    # 10/113 = 0.088496 -> 8.8496% -> 8.8 (half-up); 8.9 needs [8.85, 8.95).
    for claim in ("aice.t2-mfh.percent_of_n", "aice.res-subtype-mfh-pct.percent_of_n"):
        assert verdict(by_id, claim) == "inconsistent"
        assert "8.8496" in by_id[claim].recomputed


def test_ecog_percentages_do_not_come_from_113(by_id):
    # 4/113 = 3.54% -> 3.5 (printed 3.7); 109/113 = 96.46% -> 96.5 (printed 96.3), in Table 1 and Discussion.
    for claim in ("aice.t1-ecog-0-1.percent_of_n", "aice.t1-ecog-2-3.percent_of_n",
                  "aice.disc-ecog-01-pct.percent_of_n", "aice.disc-ecog-23-pct.percent_of_n"):
        assert verdict(by_id, claim) == "inconsistent"


def test_patients_without_further_therapy_15_0_not_15_1(by_id):
    # 17/113 = 15.04% -> 15.0, printed 15.1.
    assert verdict(by_id, "aice.res-subsequent-none-pct.percent_of_n") == "inconsistent"


def test_subsequent_therapy_types_are_percent_of_113_not_of_the_51_the_paper_states(by_id):
    # "Among those who received subsequent treatment (n=51): 23 (20.4%)": the paper states n=51, and
    # 23/51 = 45.1%; 23/113 = 20.35% -> 20.4. Inconsistent with what the paper says; 113 is the near miss.
    row = by_id["aice.res-subsequent-chemo-pct.percent_of_n"]
    assert row.verdict == "inconsistent"
    assert "23/51" in row.recomputed and "(n=51)" in row.explanation
    assert "20.4% is 23/113 = 20.35%, with the 113 patients" in row.explanation
    assert row.diagnosis == "another denominator: 113 (the 113 patients) instead of 51"
    assert row.decision == "not-applicable"
    # The four types add up to the 45.1% of all 113 patients who received any: shares of the cohort.
    parts = by_id["aice.res-subsequent-received-pct.percents_of_parts_sum_to_total"]
    assert parts.verdict == "consistent" and "20.4 + 11.5 + 8.0 + 5.3 = 45.2%" in parts.recomputed


def test_adverse_event_percentages_mix_patients_and_procedures(by_id):
    # Nausea 4 (1.9): Table 5 is titled "of the 113 Patients"; 4/113 = 3.54%, while 4/216 = 1.85% -> 1.9,
    # the procedures: inconsistent with the stated denominator, the procedures the near miss.
    row = by_id["aice.t5-nausea-a.percent_of_n"]
    assert row.verdict == "inconsistent" and "Safety Profile of the 113 Patients" in row.explanation
    assert row.diagnosis == "another denominator: 216 (the 216 AICE procedures) instead of 113"
    # Pain 26 (23.0): 26/113 = 23.01% -> 23.0.
    assert verdict(by_id, "aice.t5-pain-total.percent_of_n") == "consistent"
    # Liver 1 (0.8): 1/113 = 0.885% -> 0.9 and 1/216 = 0.463% -> 0.5; neither prints 0.8.
    assert verdict(by_id, "aice.t5-liver-c.percent_of_n") == "inconsistent"
    # Grade C "5 patients (2.7%)": 5/113 = 4.42%, 5/216 = 2.31%; neither prints 2.7.
    assert verdict(by_id, "aice.res-ae-grade-c-pct.percent_of_n") == "inconsistent"
    # Grade D "2 patients (0.9%)": the sentence counts patients; 2/113 = 1.77%, 2/216 = 0.926% -> 0.9.
    assert verdict(by_id, "aice.res-ae-grade-d-pct.percent_of_n") == "inconsistent"
    # The same count 2 of the 113 patients prints as 1.8% (Table 2, Table 5, renal function) and 0.9%.
    row = by_id["aice.count-2-of-113.same_count_same_percent"]
    assert row.verdict == "inconsistent" and "0.9%" in row.recomputed and "1.8%" in row.recomputed
    # Myelosuppression grades A-D print 8.0 + 1.8 + 1.9 + 1.8 = 13.5%, its Total 15.0%.
    row = by_id["aice.t5-myelosuppression-total.row.percents_of_parts_sum_to_total"]
    assert row.verdict == "inconsistent" and (row.recomputed_low, row.recomputed_high) == ("13.3", "13.7")
    # The text's grade C 2.7% is the sum of its column's printed cells, 0.8 + 1.9, not 5/113 = 4.4%.
    assert verdict(by_id, "aice.res-ae-grade-c-pct.percents_of_parts_sum_to_total") == "consistent"


def test_sir_grade_counts_in_text_match_table5_columns(by_id):
    # Column C: liver 1 + myelosuppression 4 = 5 = text; column D: myelosuppression 2 = text.
    assert verdict(by_id, "aice.res-ae-grade-c-n.counts_sum_to_total") == "consistent"
    assert verdict(by_id, "aice.res-ae-grade-d-n.counts_sum_to_total") == "consistent"
    # Myelosuppression row: 9 + 2 + 4 + 2 = 17 = Total.
    assert verdict(by_id, "aice.t5-myelosuppression-total.row.counts_sum_to_total") == "consistent"


def test_response_counts_and_rates(by_id):
    # 0 + 42 + 44 + 27 = 113; ORR 42/113 = 37.17% -> 37.2; DCR 86/113 = 76.11% -> 76.1.
    assert verdict(by_id, "aice.res-cr-n.counts_sum_to_total") == "consistent"
    assert verdict(by_id, "aice.res-orr.percent_of_n") == "consistent"
    assert verdict(by_id, "aice.res-dcr.percent_of_n") == "consistent"


def test_orr_ci_is_clopper_pearson_and_dcr_ci_is_truncated(by_id):
    # Clopper-Pearson for 42/113 gives 28.30-46.78 -> "28.3-46.8".
    assert verdict(by_id, "aice.res-orr.binomial_ci_method") == "consistent"
    assert "beta" in by_id["aice.res-orr.binomial_ci_method"].recomputed
    # For 86/113 it gives 67.17-83.63, which rounds to 67.2-83.6 but truncates to the printed 67.1-83.6.
    row = by_id["aice.res-dcr.binomial_ci_method"]
    assert row.verdict == "inconsistent"
    assert "lower limit 67.1 truncated, not rounded" in row.diagnosis and row.decision == "not-applicable"


def test_procedures_cover_the_cycles(by_id):
    # 62 patients x 1 + 51 patients x at least 2 = 164 <= 216 printed procedures.
    row = by_id["aice.res-procedures.procedures_vs_cycles"]
    assert row.verdict == "consistent" and "164" in row.recomputed


# --- Cox models ----------------------------------------------------------------------------

def test_os_metastasis_hr_is_not_exp_beta(by_id):
    # exp(1.513) = 4.540 -> HR 4.5; printed 4.4 needs beta in [ln 4.35, ln 4.45) = [1.470, 1.493).
    row = by_id["aice.t3-metastasis.hr_equals_exp_beta"]
    assert row.verdict == "inconsistent" and "4.54" in row.recomputed


def test_pfs_stage_row_beta_gives_1_94_not_2_3(by_id):
    # exp(0.661) = 1.937; printed HR 2.3. The CI 1.7-3.2 centres on sqrt(1.7 x 3.2) = 2.33, i.e. on the HR,
    # and Wald P from beta: SE = (ln 3.2 - ln 1.7)/3.92 = 0.161, z = 4.10, P = 4e-5, far from 0.007.
    assert verdict(by_id, "aice.t4-stage.hr_equals_exp_beta") == "inconsistent"
    assert "1.93" in by_id["aice.t4-stage.hr_equals_exp_beta"].recomputed
    assert verdict(by_id, "aice.t4-stage.estimate_inside_ci") == "consistent"
    assert verdict(by_id, "aice.t4-stage.wald_p_from_ci") == "inconsistent"


def test_os_stage_p_is_too_large_for_its_ci(by_id):
    # SE = (ln 3.2 - ln 1.3)/3.92 = 0.230; z = 0.73/0.230 = 3.18; P = 0.0015, printed 0.005.
    assert verdict(by_id, "aice.t3-stage.wald_p_from_ci") == "inconsistent"


def test_cox_rows_that_agree(by_id):
    # Table 3 cycles: exp(0.23) = 1.26 -> 1.3; SE = (ln 2.8 - ln 0.6)/3.92 = 0.393, z = 0.585, P = 0.559 ~ 0.560.
    for rule in ("hr_equals_exp_beta", "estimate_inside_ci", "ci_symmetric_on_log_scale", "wald_p_from_ci"):
        assert verdict(by_id, f"aice.t3-cycles.{rule}") == "consistent"


def test_fold_phrases(by_id):
    # "4.4-fold" vs HR 4.4, "twofold" vs HR 2.1, "threefold" vs HR 3.1.
    for number in ("res-cox-os-metastasis-fold", "res-cox-os-stage-fold", "res-cox-pfs-metastasis-fold"):
        assert verdict(by_id, f"aice.{number}.fold_phrase_matches_hr") == "consistent"


def test_discussion_quotes_wrong_hr_and_cutoff(by_id):
    # "HR ~ 3 for OS" vs Table 3's 4.4 (3 is near the PFS HR 3.1); "≥ 3 treatment modalities" vs 0-1 vs ≥2.
    row = by_id["aice.disc-cox-os-metastasis-hr.same_quantity_agrees"]
    assert row.verdict == "inconsistent" and row.decision == "no-change"
    assert "4.4 → 3.1, the value of Table 4, row Distant metastasis Yes vs no" in row.diagnosis
    assert verdict(by_id, "aice.disc-modalities-cutoff.group_cutoff_agrees") == "inconsistent"


# --- survival ------------------------------------------------------------------------------

def test_three_year_os_outside_its_own_ci(by_id):
    # 41.7 > 35.9, the upper limit of its printed CI 19.6-35.9.
    assert verdict(by_id, "aice.res-os-36m.estimate_inside_ci") == "inconsistent"
    assert by_id["aice.res-os-36m.estimate_inside_ci"].decision == "changes-conclusion"


def test_landmark_cis_are_log_log_greenwood_intervals_of_k_over_113(by_id):
    # Enrolment ended April 2020, the cut-off was November 15, 2023: every patient could be followed
    # 42.5 months, past every landmark. 51/113 = 45.13% and 29/113 = 25.66% with log-log CIs.
    for number in ("res-pfs-12m", "res-os-24m", "res-pfs-24m"):
        row = by_id[f"aice.{number}.km_landmark_ci_method"]
        assert row.verdict == "consistent" and row.recomputed.endswith(": log-log")
        assert "42.5 months" in row.explanation and "'Complete follow-up and clinical data'" in row.explanation
    # 41.7% is no k/113; its CI 19.6-35.9 is the log-log interval of 31/113 = 27.43%.
    row = by_id["aice.res-os-36m.km_landmark_ci_method"]
    assert row.verdict == "inconsistent" and "31/113 = 27.43%" in row.recomputed
    assert row.recomputed_low == row.recomputed_high == "27.4336" and row.decision == "changes-conclusion"


def test_pfs_median_for_two_or_more_therapies_outside_its_ci(by_id):
    # 11.0 < 13.7, the lower limit of its printed CI 13.7-20.3.
    assert verdict(by_id, "aice.res-pfs-postop-ge2-median.median_ci_symmetry") == "inconsistent"


def test_symmetric_median_cis(by_id):
    # 19.0 +/- 6.25 -> 12.75-25.25 prints 12.8-25.3; 11.0 +/- 2.4 -> 8.6-13.4.
    assert verdict(by_id, "aice.res-os-median.median_ci_symmetry") == "consistent"
    assert verdict(by_id, "aice.res-pfs-median.median_ci_symmetry") == "consistent"
    # 16.0 with 13.7-18.7: midpoint 16.2, asymmetric -> how the CI was computed is not said.
    assert verdict(by_id, "aice.res-os-met-median.median_ci_symmetry") == "ambiguous"


def test_discussion_medians_differ_from_results(by_id):
    # Median OS 18.0 (Discussion) vs 19.0; metastatic 12 vs 16.0; non-metastatic 36 vs 39.0.
    for number in ("disc-os-median-18", "disc-os-met-median", "disc-os-nomet-median"):
        assert verdict(by_id, f"aice.{number}.same_quantity_agrees") == "inconsistent"


def test_landmarks_and_medians_agree(by_id):
    # OS 45.1% at 24 months and 41.7% at 36 months are <= 50% after the 19.0-month median, and decrease.
    assert verdict(by_id, "aice.res-os-24m.median_vs_landmark") == "consistent"
    assert verdict(by_id, "aice.res-os-36m.landmarks_decrease") == "consistent"
    # PFS at 24 months 25.7% <= OS at 24 months 45.1%.
    assert verdict(by_id, "aice.res-pfs-24m.pfs_not_exceeding_os") == "consistent"


# --- baseline ------------------------------------------------------------------------------

def test_median_age_35_impossible_with_37_of_113_aged_35_or_less(by_id):
    # The median of 113 ages is the 57th; only 37 are <= 35, so the 57th is > 35, i.e. at least 36 years.
    assert verdict(by_id, "aice.res-age-median.median_vs_cutoff_counts") == "inconsistent"


def test_median_diameter_10_7_possible_with_58_of_113_at_least_10(by_id):
    # 55 below 10 cm, so the 57th value is in the >= 10 group: a median of 10.7 is possible.
    assert verdict(by_id, "aice.t1-diameter-median.median_vs_cutoff_counts") == "consistent"


def test_adult_cohort_includes_three_year_olds(by_id):
    # Age range 3-83 years and inclusion "Age >= 3 years", yet "113 adult patients".
    assert verdict(by_id, "aice.meth-n-adult-patients.adult.adult_label_vs_age_range") == "inconsistent"


def test_size_group_labels_ambiguous(by_id):
    # Table 1: <10 / >=10; Table 3: <=10 / >10 (a tumour of exactly 10 cm changes group).
    assert verdict(by_id, "aice.t3-size.group_labels_agree") == "ambiguous"


# --- cross-checks with the PubMed page (004) -------------------------------------------------

def test_pubmed_page_agrees_with_the_full_text(rows):
    pubmed = [r for r in rows if r.source == "004_13266a4e37850657.txt"]
    assert pubmed, "the PubMed page must be audited"
    cross = [r for r in pubmed if r.rule == "same_quantity_agrees"]
    # 113, 19.0 (12.8-25.3), 45.1, 11.0 (8.6-13.4), 25.7, 37.2 (28.3-46.8), 76.1 (67.1-83.6), 23.0, 15.0, 6.2
    assert len(cross) >= 10
    assert all(r.verdict == "consistent" for r in cross)


# --- the rules moved to the shared modules, as this audit applies them ------------------------

def test_enrolment_years_in_the_discussion_contain_the_methods_months(by_id):
    # "2011" spans 2011-01-01..2011-12-31 and contains November 2011; "2020" contains April 2020.
    assert verdict(by_id, "aice.disc-enrol-start.same_date_agrees") == "consistent"
    assert verdict(by_id, "aice.disc-enrol-end.same_date_agrees") == "consistent"


def test_eligibility_bounds_hold_for_the_printed_extremes(by_id):
    # Youngest patient 3 years vs inclusion age >= 3; worst ECOG group 2-3 vs maximum ECOG 3.
    assert verdict(by_id, "aice.meth-incl-age-min.value_in_range") == "consistent"
    assert verdict(by_id, "aice.meth-incl-ecog-max.value_in_range") == "consistent"


def test_the_abstract_lists_significant_factors_but_leaves_out_stage(by_id):
    # Table 3: size 0.014, metastasis <0.001, postop 0.001, grade 0.043, efficacy 0.049, all < 0.05;
    # stage 0.005 is also < 0.05 but is not among the five listed.
    for claim in ("aice.abs-multivariate-os-p.listed_factors_significant",
                  "aice.pm-multivariate-os-p.listed_factors_significant"):
        assert verdict(by_id, claim) == "consistent"
        assert "stage IV vs III (P 0.005)" in by_id[claim].explanation


def test_definitions_the_paper_does_not_give(by_id):
    # Epirubicin 50-70 mg/m2 on days 3 and 4: 50-70 per cycle if split, 2 x = 100-140 if given daily.
    dose = by_id["aice.meth-epirubicin-dose.definition_stated"]
    assert dose.verdict == "ambiguous" and "100-140" in dose.recomputed
    # "~85%" with grade A/B events: Table 5 A+B = 50 of 57 events = 87.7%; of 216 sessions at most 50/216 = 23.1%.
    ab = by_id["aice.res-ae-grade-ab-pct.definition_stated"]
    assert ab.verdict == "ambiguous" and "87.7%" in ab.recomputed and "23.1%" in ab.recomputed
    # "no severe" adverse reactions vs 5 grade C + 2 grade D events (SIR major).
    assert verdict(by_id, "aice.res-ae-grade-d-n.abstract.severity_label_vs_sir_grade") == "ambiguous"
    # "Grade 1-2" in the Discussion, SIR letters A-F in the Methods.
    assert verdict(by_id, "aice.disc-ae-mild-grades.grading_scale_agrees") == "ambiguous"
    # 1-year PFS and 2-year OS both 45.1% (35.8-54.0).
    assert verdict(by_id, "aice.res-pfs-12m.distinct_quantities_differ") == "ambiguous"


def test_follow_up_against_the_study_dates(by_id):
    # Nov 1, 2011 to Nov 15, 2023 = 4397 days = 144.46 months >= the longest follow-up 112.5.
    assert verdict(by_id, "aice.meth-enrol-end.followup_within_study_window") == "consistent"
    # Apr 30, 2020 to Nov 15, 2023 = 1294 days = 42.51 months of follow-up for every survivor, above the
    # printed median 23.5: only the median observation time of all patients fits.
    row = by_id["aice.meth-followup-median.median_followup_definition"]
    assert row.verdict == "ambiguous" and "42.5" in row.recomputed


def test_the_audit_defines_no_rule_of_its_own():
    # Rules belong in rules.py, dates.py and recist.py, where every study can use them.
    import inspect

    from claimcheck import catalogue

    local = {name for name, value in vars(aice_cohort).items()
             if inspect.isfunction(value) and value.__module__ == aice_cohort.__name__}
    assert local & set(catalogue.all_rules()) == set()
    # Nor does it decide a verdict itself: no Check is built from a literal rule name.
    source = inspect.getsource(aice_cohort)
    assert re.findall(r"Check\(\s*[\"']", source) == []


def test_every_row_names_a_shared_rule(rows):
    from claimcheck import catalogue

    assert {row.rule for row in rows} <= set(catalogue.all_rules())


# --- ledger-wide properties ------------------------------------------------------------------

def test_claim_ids_unique_and_invariants_hold(rows):
    counts = Counter(r.claim_id for r in rows)
    assert [c for c, n in counts.items() if n > 1] == []
    check_invariants(rows)
    assert all(r.claim_id.startswith("aice.") and r.study == aice_cohort.CITATION_KEY for r in rows)


def test_every_data_row_has_a_ledger_row(rows):
    numbers = {r.claim_id.split(".")[1] for r in rows}
    missing = []
    for name, table in load_study(aice_cohort.STUDY).items():
        if name == EXCLUSIONS_FILE.removesuffix(".csv"):
            continue    # numbers that are not the paper's quantities (sarcoma_review/coverage.py)
        if name == CONCLUSIONS_TABLE:
            continue    # judgements of ledger rows (tests/test_decisions.py), not printed numbers
        id_column = next(c for c in ("number_id", "row_id", "cell_id") if c in table.columns)
        missing += [f"{name}:{value}" for value in table[id_column] if value not in numbers]
    assert missing == []


def test_inconsistent_rows_show_their_arithmetic(rows):
    numbers = re.compile(r"\d+(?:\.\d+)?")
    for row in rows:
        if row.verdict != "inconsistent":
            continue
        printed = numbers.findall(row.reported)
        recomputed = numbers.findall(row.recomputed)
        assert printed and recomputed, row.claim_id
        assert any(x in row.explanation for x in printed), (row.claim_id, printed, row.explanation)
        assert any(x in row.explanation for x in recomputed), (row.claim_id, row.explanation)


def test_quoted_figures_are_not_checkable_unless_the_paper_gives_the_arithmetic(rows):
    external = [r for r in rows if r.quantity.startswith("figure quoted from another publication")]
    assert external
    for row in external:
        if row.claim_id == "aice.intro-sarc028-ups-orr.percent_of_n":
            assert row.verdict == "consistent"  # 4 of 10 = 40%
        else:
            assert row.verdict == "not-checkable", row.claim_id


def test_ledger_size(rows):
    full_text = [r for r in rows if r.source == aice_cohort.SOURCE_FULL_TEXT]
    assert len(full_text) > 250


# --- reconstruction from summary statistics and the plot builders ----------------------------

def test_os_summaries_need_a_front_loaded_weibull():
    # ln(-ln S) at ln t: (2.944, -0.3665), (3.178, -0.2278), (3.584, -0.1339) for S = 0.5, 0.451, 0.417
    # at 19, 24, 36 months; least-squares slope = 0.0732 / 0.2097 = 0.349 (a hazard falling steeply).
    residuals = aice_cohort.weibull_residuals().set_index(["outcome", "months"])
    assert residuals.loc[("OS", 19.0), "shape"] == pytest.approx(0.349, abs=0.002)
    # With the 3-year rate at its CI midpoint (19.6 + 35.9)/2 = 27.75%, ln(-ln 0.2775) = 0.2488 and the
    # slope becomes about 1: a constant hazard.
    midpoint = aice_cohort.os_36m_ci_midpoint()
    assert midpoint == pytest.approx(0.2775)
    alt = aice_cohort.weibull_residuals(replace={"res-os-36m": midpoint}).set_index(["outcome", "months"])
    assert alt.loc[("OS", 19.0), "shape"] == pytest.approx(0.99, abs=0.02)


def test_piecewise_reconstruction_passes_through_printed_points():
    # Monthly hazard before the OS median: ln 2 / 19 = 0.03648; after 24 months: ln(0.451/0.417)/12 = 0.00653.
    steps = aice_cohort.hazard_steps()
    os_steps = steps[steps["outcome"] == "OS"]["hazard"].tolist()
    assert os_steps[0] == pytest.approx(0.03648, abs=1e-5)
    assert os_steps[-1] == pytest.approx(0.00653, abs=1e-5)
    curves = aice_cohort.reconstruction_curves()
    piecewise = curves[(curves["outcome"] == "PFS") & (curves["model"] == "piecewise exponential")]
    at_median = piecewise.loc[piecewise["months"] == 11.0, "survival"].iloc[0]
    assert at_median == pytest.approx(0.5)


def test_plot_builders_draw_what_they_are_given():
    from sarcoma_review import survival_plots

    fig, plotted = aice_cohort.forest_figure()
    # Table 3 has 7 rows and Table 4 has 8.
    assert len(plotted) == 15
    assert set(plotted.loc[plotted["flagged"], "label"]) >= {"Stage: IV vs III", "Distant metastasis: Yes vs no"}
    with pytest.raises(ValueError, match="missing"):
        survival_plots.median_ci_plot(plotted)
