"""The appendix "How the numbers are checked": every rule of the catalogue with its worked
examples, each real or labelled.

`claimcheck.catalogue.all_rules()` gives each rule a worked example that runs it on literal
values. `EXAMPLE_SOURCES` gives each rule one marker per check its example returns, in order:

- a claim id, e.g. ``"aice.t2-mfh.percent_of_n"``: the example reproduces that ledger row. The
  appendix then prints the row as published (claim id, verdict, working and explanation), and
  refuses to build if the row is missing or if the example's rule, verdict or working differ
  from it (`tests/test_catalogue.py` checks the same in seconds);
- `ILLUSTRATION`: inputs chosen to show how the rule behaves (a made-up value, or a source's
  number changed), which are no finding about any source. The appendix prints the example
  under the word "Illustration".

A new rule's entry needs its markers here too; until it has them its examples are printed as
illustrations and `tests/test_catalogue.py::test_every_worked_example_is_marked` fails, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from claimcheck.catalogue import all_rules
from claimcheck.checks import Check

ILLUSTRATION = "illustration"

# One marker per check of each rule's worked example, in the order the example returns them:
# the claim id of the ledger row it reproduces, or ILLUSTRATION (see the module docstring).
EXAMPLE_SOURCES: dict[str, tuple[str, ...]] = {
    "percent_of_n": ("aice.t5-nausea-a.percent_of_n", "aice.t2-mfh.percent_of_n", ILLUSTRATION),
    "percents_of_parts_sum_to_total": ("aice.t5-myelosuppression-total.row.percents_of_parts_sum_to_total",
                                       "aice.res-subsequent-received-pct.percents_of_parts_sum_to_total"),
    "same_count_same_percent": ("aice.count-17-of-113.same_count_same_percent",
                                "aice.count-68-of-113.same_count_same_percent"),
    "km_landmark_ci_method": ("aice.res-os-24m.km_landmark_ci_method", "aice.res-os-36m.km_landmark_ci_method",
                              ILLUSTRATION),
    "counts_sum_to_total": ("aice.t1-gender.counts_sum_to_total",),
    "percents_sum_to_100": ("aice.t1-pathological-grade.percents_sum_to_100",),
    "binomial_ci_method": ("aice.res-orr.binomial_ci_method",),
    "hr_equals_exp_beta": ("aice.t3-metastasis.hr_equals_exp_beta",),
    "effect_direction_agrees": ("aice.t3-metastasis.effect_direction_agrees",),
    "ci_symmetric_on_log_scale": ("aice.t3-metastasis.ci_symmetric_on_log_scale",),
    "wald_p_from_ci": ("aice.t3-size.wald_p_from_ci",),
    "ci_excludes_null_iff_significant": ("aice.t3-grade.ci_excludes_null_iff_significant",),
    "estimate_inside_ci": ("aice.t3-metastasis.estimate_inside_ci",),
    "cox_row": ("aice.t3-cycles.hr_equals_exp_beta", "aice.t3-cycles.effect_direction_agrees",
                "aice.t3-cycles.estimate_inside_ci", "aice.t3-cycles.ci_symmetric_on_log_scale",
                "aice.t3-cycles.wald_p_from_ci", "aice.t3-cycles.ci_excludes_null_iff_significant"),
    "median_ci_symmetry": ("aice.res-os-median.median_ci_symmetry", "aice.res-os-met-median.median_ci_symmetry"),
    "landmarks_decrease": ("aice.res-os-36m.landmarks_decrease",),
    "pfs_not_exceeding_os": ("aice.res-pfs-median.pfs_not_exceeding_os",),
    "overall_median_between_subgroups": (ILLUSTRATION,),
    "median_vs_landmark": ("aice.res-os-24m.median_vs_landmark",),
    "median_vs_cutoff_counts": ("aice.res-age-median.median_vs_cutoff_counts",),
    "same_quantity_agrees": (ILLUSTRATION, "debtace.tx-bead-size-later.same_quantity_agrees"),
    "value_in_range": ("aice.t1-diameter-median.value_in_range", ILLUSTRATION),
    "not_checkable": (ILLUSTRATION,),
    "fold_phrase_matches_hr": ("aice.res-cox-os-stage-fold.fold_phrase_matches_hr",),
    "group_labels_agree": (ILLUSTRATION, "aice.t3-size.group_labels_agree"),
    "group_cutoff_agrees": (ILLUSTRATION,),
    "listed_factors_significant": (ILLUSTRATION, ILLUSTRATION),
    "procedures_vs_cycles": ("aice.res-procedures.procedures_vs_cycles", ILLUSTRATION),
    "adult_label_vs_age_range": ("aice.meth-n-adult-patients.adult.adult_label_vs_age_range", ILLUSTRATION),
    "severity_label_vs_sir_grade": ("aice.res-ae-grade-d-n.abstract.severity_label_vs_sir_grade", ILLUSTRATION),
    "grading_scale_agrees": ("aice.disc-ae-mild-grades.grading_scale_agrees", ILLUSTRATION),
    "distinct_quantities_differ": ("aice.res-pfs-12m.distinct_quantities_differ", ILLUSTRATION),
    "definition_stated": ("aice.meth-epirubicin-dose.definition_stated", ILLUSTRATION),
    "subset_within_total": ("comp.pierce-lms.subset_within_total", ILLUSTRATION),
    "grade_matches_severity_word": ("tacerfa.case-tace-toxicity-grade.grade_matches_severity_word", ILLUSTRATION),
    "ajcc8_retroperitoneal_stage": ("debtace.case-ajcc-stage.ajcc8_retroperitoneal_stage", ILLUSTRATION, ILLUSTRATION),
    "msts_stage_definition": ("debtace.case-msts-stage.msts_stage_definition", ILLUSTRATION, ILLUSTRATION),
    "quoted_range_matches_quoted_series": ("comp.ups-pfs-discussion.quoted_range_matches_quoted_series", ILLUSTRATION),
    "cited_reference_topic": ("comp.aice-ref25-doxorubicin.cited_reference_topic", ILLUSTRATION),
    "comparable_quantities": (ILLUSTRATION, ILLUSTRATION),
    "interval_matches_dates": (ILLUSTRATION,),
    "interval_from_candidate_origins": (ILLUSTRATION, ILLUSTRATION),
    "same_date_agrees": ("ups.abs-tace-first.same_date_agrees", "aice.disc-enrol-start.same_date_agrees", ILLUSTRATION),
    "time_point_agrees": (ILLUSTRATION,),
    "followup_within_study_window": ("aice.meth-enrol-end.followup_within_study_window", ILLUSTRATION),
    "median_followup_definition": ("aice.meth-followup-median.median_followup_definition", ILLUSTRATION),
    "chronology": (ILLUSTRATION,),
    "age_consistent": (ILLUSTRATION,),
    "count_of_dated_events": ("debtace.tx-four-sessions.count_of_dated_events", ILLUSTRATION),
    "interval_between_sessions": (ILLUSTRATION, ILLUSTRATION),
    "elapsed_time_fits": ("tacerfa.ev-chemotherapy.elapsed_time_fits", ILLUSTRATION),
    "interval_without_end_date": (ILLUSTRATION, ILLUSTRATION),
    "recist_category_matches": ("ups.t2-fu1m-size.recist_category_matches",),
    "recist_percent_change": (ILLUSTRATION,),
    "recist_definition_matches": ("ups.t2-sd-definition.recist_definition_matches",
                                  "ups.t2-pr-definition.recist_definition_matches"),
    "recist_same_method": ("ups.t2-fu1m-size.recist_same_method", "ups.t2-fu6m-size.recist_same_method"),
    "stable_wording_vs_recist": ("ups.t2-fu6m-size.stable_wording_vs_recist",),
    "target_lesion_selection": ("debtace.tx-target-lesions.target_lesion_selection",),
    "per_lesion_assessment_is_not_recist": (ILLUSTRATION,),
}


class CatalogueError(ValueError):
    """A worked example claims to reproduce a ledger row that it does not reproduce."""


def example_markers(name: str, count: int) -> tuple[str, ...]:
    """The markers of a rule's `count` example checks; an unmarked check counts as an illustration."""
    markers = EXAMPLE_SOURCES.get(name, ())
    if len(markers) > count:
        raise CatalogueError(f"EXAMPLE_SOURCES[{name!r}] has {len(markers)} markers for {count} example checks")
    return markers + (ILLUSTRATION,) * (count - len(markers))


def reproduces(check: Check, row: Mapping[str, str]) -> list[str]:
    """How `check` differs from the ledger row it is said to reproduce (empty when it does not)."""
    return [f"{field}: example {getattr(check, field)!r}, ledger {row[field]!r}"
            for field in ("rule", "verdict", "recomputed") if getattr(check, field) != row[field]]


def worked_examples(name: str, ledger: pd.DataFrame) -> list[dict[str, str]]:
    """A rule's worked examples as the appendix prints them: a reproduced ledger row as published,
    an illustration as computed now. Raises CatalogueError for a marker the ledger contradicts."""
    checks = all_rules()[name].worked_example()
    rows = ledger.set_index("claim_id")
    examples = []
    for check, marker in zip(checks, example_markers(name, len(checks))):
        if marker == ILLUSTRATION:
            examples.append({"claim_id": "", "verdict": check.verdict, "recomputed": check.recomputed,
                             "explanation": check.explanation})
            continue
        if marker not in rows.index:
            raise CatalogueError(f"the worked example of {name} names ledger row {marker}, which the published "
                                 "ledger does not hold")
        row = rows.loc[marker]
        differences = reproduces(check, row)
        if differences:
            raise CatalogueError(f"the worked example of {name} does not reproduce ledger row {marker}: "
                                 + "; ".join(differences))
        examples.append({"claim_id": marker, "verdict": row["verdict"], "recomputed": row["recomputed"],
                         "explanation": row["explanation"]})
    return examples


def appendix_entries(ledger: pd.DataFrame | None = None) -> list[dict[str, object]]:
    """Per rule: name, summary, method, and its worked examples (see `worked_examples`)."""
    if ledger is None:
        from .book import ledger as published_ledger

        ledger = published_ledger()
    return [{"rule": info.name, "summary": info.summary, "method": info.method,
             "examples": worked_examples(info.name, ledger)} for info in all_rules().values()]


def example_counts(entries: list[dict[str, object]]) -> dict[str, int]:
    """How many worked examples the appendix prints: all, from the ledger, illustrations."""
    examples = [example for entry in entries for example in entry["examples"]]
    from_ledger = sum(bool(example["claim_id"]) for example in examples)
    return {"all": len(examples), "ledger": from_ledger, "illustration": len(examples) - from_ledger}


def appendix_markdown(entries: list[dict[str, object]]) -> str:
    """The appendix's list of rules: each with its summary, method and marked examples."""
    blocks = []
    for entry in entries:
        lines = [f"**`{entry['rule']}`**: {entry['summary']}", "", f"*How:* {entry['method']}", ""]
        for example in entry["examples"]:
            # The claim id opens the line: a long id after other words cannot break in the PDF.
            if example["claim_id"]:
                label = f"`{example['claim_id']}` (*example from the ledger*, {example['verdict']})"
            else:
                label = f"*Illustration*, not a ledger row ({example['verdict']})"
            lines.append(f"- {label}: recomputed {example['recomputed']}. {example['explanation']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
