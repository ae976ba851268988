"""Every ledger rule in one place, with what it checks, how, and a worked example.

The numeric rules describe themselves in `rules.RULES`; the rules on dates and RECIST live
beside their arithmetic (dates.py, recist.py) and are described here. The appendix "How the
numbers are checked" is generated from `all_rules()`, and a test requires every rule the
ledger uses to be in it.

Every worked example is real or labelled. `EXAMPLE_SOURCES` gives each rule one marker per
check its example returns, in order:

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

from . import dates, recist, rules
from .checks import Check
from .rules import RULES, RuleInfo, _info

TIMELINE_AND_RECIST_RULES: dict[str, RuleInfo] = {info.name: info for info in [
    _info(dates.interval_matches_dates, "A printed duration agrees with the dates it spans.",
          "Each printed date stands for every day it could be (a month-precision date spans the whole "
          "month); the rule computes the range of elapsed months (30.4375-day months, or completed calendar "
          "months) between the two dates and asks whether it overlaps the printed value's rounding interval. "
          "'Approximately' widens the printed value by one printed unit or 10%.",
          lambda: dates.interval_matches_dates("36", "Jun 13, 2022", "Apr 2025")),
    _info(dates.interval_from_candidate_origins, "A duration whose starting (or ending) event the paper does not define.",
          "Tries each candidate origin (e.g. recurrence, first or second procedure, surgery) and each candidate end "
          "with interval_matches_dates; consistent when every pair reproduces the printed value, ambiguous when "
          "the verdict depends on the event chosen (naming, for a month-precision end, the days that would fit), "
          "inconsistent when no candidate reconciles it.",
          lambda: [dates.interval_from_candidate_origins(
                       "36", {"recurrence": "Jun 2022", "first TACE": "Jun 13, 2022", "second TACE": "Jul 14, 2022"},
                       "Apr 2025", quantity="PFS"),
                   dates.interval_from_candidate_origins(
                       "35", {"resection": "Feb 2018", "first TACE": "Jun 13, 2022"}, "Apr 2025")]),
    _info(dates.same_date_agrees, "Two printings of one event's date agree.",
          "Each printed date stands for every day its precision allows (\"June 2022\" is 30 days); the two "
          "printings agree when their spans share a day.",
          lambda: [dates.same_date_agrees("June 2022", "Jun 13, 2022"),
                   dates.same_date_agrees("2011", "November 2011"),
                   dates.same_date_agrees("Jul 14, 2022", "Aug 2022")]),
    _info(dates.time_point_agrees, "One observation is attached to the same time wherever it is printed.",
          "Compares the day spans of the dates each printing attaches the observation to; when no day is common "
          "the verdict is ambiguous, since the value may have held at both times but the paper places one "
          "observation at different times.",
          lambda: dates.time_point_agrees("VAS 2/10 after TACE", {"Table 2, row of the second TACE": "Jul 14, 2022",
                                                                   "section 2.4, one month later": "Aug 2022"})),
    _info(dates.followup_within_study_window, "The longest follow-up fits between the first treatment and the cut-off.",
          "Computes the most months the dates allow, from the earliest possible day of the first treatment to "
          "the latest possible day of the data cut-off, and asks whether the printed longest follow-up, within "
          "its rounding, fits.",
          lambda: [dates.followup_within_study_window("112.5", "November 2011", "November 15, 2023"),
                   dates.followup_within_study_window("150.0", "November 2011", "November 15, 2023")]),
    _info(dates.median_followup_definition, "A median follow-up agrees with the definitions the paper may have used.",
          "Every patient alive at the cut-off was treated by the end of enrolment, so the reverse Kaplan-Meier "
          "median (follow-up of the survivors) is at least the months from the end of enrolment to the cut-off. "
          "A printed median below that fits only the median observation time of all patients, deaths included "
          "(ambiguous: the paper does not say which); one longer than the whole study window is inconsistent.",
          lambda: [dates.median_followup_definition("23.5", "April 2020", "November 15, 2023", "November 2011"),
                   dates.median_followup_definition("48.0", "April 2020", "November 15, 2023", "November 2011")]),
    _info(dates.chronology, "Events happen in the order the story requires.",
          "Compares the latest possible day of each event with the earliest possible day of the event that "
          "must follow it; an effect dated wholly before its cause is inconsistent.",
          lambda: dates.chronology([("resection of the neck mass", "December 2011"),
                                    ("first TACE, after 5 cycles of chemotherapy", "July 2011")])),
    _info(dates.age_consistent, "Two printed ages of one person agree with the dates between them.",
          "Computes the ages possible at the second date for every birthday compatible with the first age "
          "and date.",
          lambda: dates.age_consistent("48", "January 2018", "52", "June 2022")),
    _info(dates.count_of_dated_events, "A printed number of sessions, or a session's ordinal, agrees with the sessions the paper narrates.",
          "Counts the dated sessions plus those mentioned without a date; more dated than counted is "
          "inconsistent, more counted than described is ambiguous. An ordinal ('the fourth TACE') is the count "
          "of the sessions narrated up to and including the one it names.",
          lambda: [dates.count_of_dated_events("4", ["April 13, 2022", "August 24, 2022", "December 16, 2022",
                                                      "March 23, 2023"]),
                   dates.count_of_dated_events("3", ["December 3, 2021", "April 13, 2022", "August 24, 2022"], 1,
                                               counted="sessions up to this one")]),
    _info(dates.interval_between_sessions, "A printed spacing between sessions agrees with their dates.",
          "Computes the months between consecutive dated sessions and compares each with the printed interval. "
          "When later sessions are undated but known to follow an event, a spacing shorter than the least gap "
          "to that event cannot include it: ambiguous, since the undated sessions' own spacing cannot be checked.",
          lambda: [dates.interval_between_sessions("3", ["August 24, 2022", "December 16, 2022", "March 23, 2023"]),
                   dates.interval_between_sessions("3", ["July 2011"], undated_sessions=2,
                                                   undated_after=("the PET/CT", "January 2012"))]),
    _info(dates.elapsed_time_fits, "The least time the narrated steps need fits between two printed dates.",
          "Adds the minimum days of every step the paper narrates between two events (five 3-weekly cycles: "
          "4 × 21 = 84 days from the first to the last) to the earliest day the first date can mean, and compares "
          "with the latest day the second can mean; when it does not fit, names the latest first date that would.",
          lambda: [dates.elapsed_time_fits("the resection", "December 2011", [("5 cycles every 3 weeks", 84)],
                                           "the first TACE", "July 2011"),
                   dates.elapsed_time_fits("the resection", "December 2010", [("5 cycles every 3 weeks", 84)],
                                           "the first TACE", "July 2011")]),
    _info(dates.interval_without_end_date, "A duration whose end the paper does not date.",
          "Counts the printed whole months forward from each candidate origin to the month the duration would "
          "end in; with no printed end nothing contradicts it, so one origin is not-checkable and several that "
          "end in different months are ambiguous.",
          lambda: [dates.interval_without_end_date("18", {"the printed resection": "December 2011",
                                                           "one year earlier": "December 2010"}),
                   dates.interval_without_end_date("18", {"the resection": "December 2011"})]),
    _info(recist.recist_category_matches, "A printed RECIST 1.1 category agrees with the printed diameters.",
          "Sums the target diameters (longest diameter; short axis for nodes), computes the change from "
          "baseline and from the nadir and applies RECIST 1.1: PR at least 30% smaller than baseline, PD at "
          "least 20% and 5 mm larger than the nadir or new lesions; every diameter is allowed its rounding.",
          lambda: recist.recist_category_matches("SD", "43", "39")),
    _info(recist.recist_percent_change, "A printed percentage change in tumour size agrees with the diameters.",
          "Recomputes (current − baseline)/baseline from the printed diameters within their rounding.",
          lambda: recist.recist_percent_change("49", "43", "22", as_reduction=True)),
    _info(recist.recist_definition_matches, "A paper's own definition of a RECIST category agrees with RECIST 1.1.",
          "Classifies every change in the sum of diameters from −100% to +100% (in half percents, plus the "
          "thresholds) by the printed definition and by RECIST 1.1 (baseline = nadir, no new lesions, a 100 mm "
          "sum so that the 5 mm rule does not bind) and reports the range where they differ.",
          lambda: [recist.recist_definition_matches("<30", "SD"), recist.recist_definition_matches("≥30", "PR")]),
    _info(recist.recist_same_method, "Every scan of a RECIST assessment uses the baseline's imaging method.",
          "Reduces each printed modality to its method (CT, MRI, PET/CT, ultrasound); a different method from "
          "baseline is ambiguous, because part of the measured change may be the method's.",
          lambda: [recist.recist_same_method("Contrast CT", "MRI", "SD"), recist.recist_same_method("Contrast CT", "CT", "PR")]),
    _info(recist.stable_wording_vs_recist, "A word describing a scan ('stable tumor') agrees with its printed RECIST category.",
          "Reads the word's RECIST meaning (stable = SD, progression = PD, regression = PR) and its everyday sense "
          "(stable = not progressing); the word's RECIST meaning is consistent, only the everyday sense is "
          "ambiguous, neither is inconsistent. The working gives the change in the sum from baseline and from "
          "the previous scan.",
          lambda: recist.stable_wording_vs_recist("stable", "PR", "43", "22", previous="39")),
    _info(recist.target_lesion_selection, "The target lesions respect the RECIST 1.1 rule book.",
          "At most five target lesions, at most two per organ, each measurable (at least 10 mm, nodes at least "
          "15 mm in short axis); ambiguous when the diameters needed are not printed.",
          lambda: recist.target_lesion_selection([recist.Lesion(f"liver lesion {i}", "liver") for i in (1, 2, 3)])),
    _info(recist.per_lesion_assessment_is_not_recist, "Responses are given for the sum of targets, not per lesion.",
          "RECIST 1.1 assigns one response to the sum of the target diameters; a report that gives a separate "
          "category per lesion uses a reading RECIST does not define.",
          lambda: recist.per_lesion_assessment_is_not_recist({"lesion 1": "SD", "lesion 2": "SD", "lesion 3": "PD"})),
]}


# The inclusion criterion the KM landmark examples rest on, as the AICE audit quotes it.
_COMPLETE_FOLLOWUP = ("inclusion criterion (6) required 'Complete follow-up and clinical data', with evaluations "
                      "'until death or the end of the study' (Methods)")

PARTS_COUNTS_AND_SURVIVAL_INTERVAL_RULES: dict[str, RuleInfo] = {info.name: info for info in [
    rules._info(rules.percents_of_parts_sum_to_total,
                "The percentages of the parts of a row or column add up to the percentage of their total.",
                "Parts that partition a total (the grades A-D of one adverse event, the PR and SD that make up "
                "disease control) share its denominator, so their true percentages sum exactly to the total's. "
                "The rule adds the lower and the upper ends of the parts' rounding intervals and asks whether that "
                "range meets the total's rounding interval; a part printed as a bare 0 adds nothing.",
                lambda: [rules.percents_of_parts_sum_to_total(
                             {"grade A": "8.0", "grade B": "1.8", "grade C": "1.9", "grade D": "1.8"}, "15.0",
                             "the Total column"),
                         rules.percents_of_parts_sum_to_total(
                             {"chemotherapy": "20.4", "targeted drugs": "11.5", "immunotherapy": "8.0",
                              "traditional Chinese medicine": "5.3"}, "45.1",
                             "those who received subsequent treatment")]),
    rules._info(rules.same_count_same_percent,
                "One count of the same stated denominator carries one percentage wherever it is printed.",
                "Collects every place that prints the count with a percentage of the same stated denominator (table "
                "cells, sentences that give count and percentage together) and asks whether one true value is "
                "admitted by all the printed percentages. Two percentages for one count show that the paper used two "
                "denominators; for each percentage the explanation names the denominators the paper prints that "
                "reproduce it. Whether the percentage also equals count/denominator is percent_of_n's question.",
                lambda: [rules.same_count_same_percent(
                             17, {"Results, 'failed to receive further therapy'": "15.1",
                                  "Results, liposarcoma": "15.0", "Table 2, Liposarcoma": "15.0",
                                  "Table 5, Pain, grade A": "15.0", "Table 5, Myelosuppression, Total": "15.0"}, 113,
                             {"the 113 patients": 113, "the 216 AICE procedures": 216}, "the 113 patients"),
                         rules.same_count_same_percent(
                             68, {"Table 1, Male": "60.2", "Results, 'were male'": "60.2"}, 113,
                             {"the 113 patients": 113}, "the 113 patients")]),
    rules._info(rules.km_landmark_ci_method,
                "A Kaplan-Meier landmark rate's CI is Greenwood's interval of k/n under a named transform.",
                "When the printed dates make censoring before the landmark impossible (every patient could be "
                "followed past it by the cut-off, and the paper says none was lost), the Kaplan-Meier estimate at "
                "the landmark is k/n, and Greenwood's sum telescopes to (n − k)/(nk). The rule finds the k whose k/n "
                "prints as the rate and computes the CI of k/n under each transform (plain, log, log-log, logit, "
                "arcsine-square-root); consistent when one prints as both limits. Otherwise it traces the printed CI "
                "to the k/n it was computed from. When censoring before the landmark is possible it says so and "
                "does not check.",
                lambda: [rules.km_landmark_ci_method("45.1", "35.8", "54.0", 113, 24, "April 2020",
                                                     "November 15, 2023", _COMPLETE_FOLLOWUP),
                         rules.km_landmark_ci_method("41.7", "19.6", "35.9", 113, 36, "April 2020",
                                                     "November 15, 2023", _COMPLETE_FOLLOWUP),
                         rules.km_landmark_ci_method("41.7", "19.6", "35.9", 113, 48, "April 2020",
                                                     "November 15, 2023", _COMPLETE_FOLLOWUP)]),
]}


def all_rules() -> dict[str, RuleInfo]:
    return {**RULES, **PARTS_COUNTS_AND_SURVIVAL_INTERVAL_RULES, **TIMELINE_AND_RECIST_RULES}


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
                "aice.t3-cycles.wald_p_from_ci"),
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


def rules_frame() -> pd.DataFrame:
    return pd.DataFrame([{"rule": i.name, "summary": i.summary} for i in all_rules().values()])
