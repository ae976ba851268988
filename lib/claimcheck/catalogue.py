"""Every ledger rule in one place, with what it checks, how, and a worked example.

The numeric rules describe themselves in `rules.RULES`; the rules on dates and RECIST live
beside their arithmetic (dates.py, recist.py) and are described here. `all_rules()` is the
catalogue: one `RuleInfo` per rule (name, summary, method, and a worked example that runs the
rule on literal values). A ledger builder can require every rule it uses to be in it, and print
it as an appendix (the review marks each example as the ledger row it reproduces or as an
illustration: `sarcoma_review.rule_appendix`).
"""

from __future__ import annotations

import pandas as pd

from . import dates, recist, rules
from .rules import RULES, RuleInfo, _info

__all__ = [
    "TIMELINE_AND_RECIST_RULES",
    "PARTS_COUNTS_AND_SURVIVAL_INTERVAL_RULES",
    "all_rules",
    "rules_frame",
]

TIMELINE_AND_RECIST_RULES: dict[str, RuleInfo] = {
    info.name: info
    for info in [
        _info(
            dates.interval_matches_dates,
            "A printed duration agrees with the dates it spans.",
            "Each printed date stands for every day it could be (a month-precision date spans the whole "
            "month); the rule computes the range of elapsed months (30.4375-day months, or completed calendar "
            "months) between the two dates and asks whether it overlaps the printed value's rounding interval. "
            "'Approximately' widens the printed value by one printed unit or 10%.",
            lambda: dates.interval_matches_dates("36", "Jun 13, 2022", "Apr 2025"),
        ),
        _info(
            dates.interval_from_candidate_origins,
            "A duration whose starting (or ending) event the paper does not define.",
            "Tries each candidate origin (e.g. recurrence, first or second procedure, surgery) and each candidate end "
            "with interval_matches_dates; consistent when every pair reproduces the printed value, ambiguous when "
            "the verdict depends on the event chosen (naming, for a month-precision end, the days that would fit), "
            "inconsistent when no candidate reconciles it.",
            lambda: [
                dates.interval_from_candidate_origins(
                    "36",
                    {"recurrence": "Jun 2022", "first TACE": "Jun 13, 2022", "second TACE": "Jul 14, 2022"},
                    "Apr 2025",
                    quantity="PFS",
                ),
                dates.interval_from_candidate_origins(
                    "35", {"resection": "Feb 2018", "first TACE": "Jun 13, 2022"}, "Apr 2025"
                ),
            ],
        ),
        _info(
            dates.same_date_agrees,
            "Two printings of one event's date agree.",
            'Each printed date stands for every day its precision allows ("June 2022" is 30 days); the two '
            "printings agree when their spans share a day.",
            lambda: [
                dates.same_date_agrees("June 2022", "Jun 13, 2022"),
                dates.same_date_agrees("2011", "November 2011"),
                dates.same_date_agrees("Jul 14, 2022", "Aug 2022"),
            ],
        ),
        _info(
            dates.time_point_agrees,
            "One observation is attached to the same time wherever it is printed.",
            "Compares the day spans of the dates each printing attaches the observation to; when no day is common "
            "the verdict is ambiguous, since the value may have held at both times but the paper places one "
            "observation at different times.",
            lambda: dates.time_point_agrees(
                "VAS 2/10 after TACE",
                {"Table 2, row of the second TACE": "Jul 14, 2022", "section 2.4, one month later": "Aug 2022"},
            ),
        ),
        _info(
            dates.followup_within_study_window,
            "The longest follow-up fits between the first treatment and the cut-off.",
            "Computes the most months the dates allow, from the earliest possible day of the first treatment to "
            "the latest possible day of the data cut-off, and asks whether the printed longest follow-up, within "
            "its rounding, fits.",
            lambda: [
                dates.followup_within_study_window("112.5", "November 2011", "November 15, 2023"),
                dates.followup_within_study_window("150.0", "November 2011", "November 15, 2023"),
            ],
        ),
        _info(
            dates.median_followup_definition,
            "A median follow-up agrees with the definitions the paper may have used.",
            "Every patient alive at the cut-off was treated by the end of enrolment, so the reverse Kaplan-Meier "
            "median (follow-up of the survivors) is at least the months from the end of enrolment to the cut-off. "
            "A printed median below that fits only the median observation time of all patients, deaths included "
            "(ambiguous: the paper does not say which); one longer than the whole study window is inconsistent.",
            lambda: [
                dates.median_followup_definition("23.5", "April 2020", "November 15, 2023", "November 2011"),
                dates.median_followup_definition("48.0", "April 2020", "November 15, 2023", "November 2011"),
            ],
        ),
        _info(
            dates.chronology,
            "Events happen in the order the story requires.",
            "Compares the latest possible day of each event with the earliest possible day of the event that "
            "must follow it; an effect dated wholly before its cause is inconsistent.",
            lambda: dates.chronology(
                [
                    ("resection of the neck mass", "December 2011"),
                    ("first TACE, after 5 cycles of chemotherapy", "July 2011"),
                ]
            ),
        ),
        _info(
            dates.age_consistent,
            "Two printed ages of one person agree with the dates between them.",
            "Computes the ages possible at the second date for every birthday compatible with the first age and date.",
            lambda: dates.age_consistent("48", "January 2018", "52", "June 2022"),
        ),
        _info(
            dates.count_of_dated_events,
            "A printed number of sessions, or a session's ordinal, agrees with the sessions the paper narrates.",
            "Counts the dated sessions plus those mentioned without a date; more dated than counted is "
            "inconsistent, more counted than described is ambiguous. An ordinal ('the fourth TACE') is the count "
            "of the sessions narrated up to and including the one it names.",
            lambda: [
                dates.count_of_dated_events(
                    "4", ["April 13, 2022", "August 24, 2022", "December 16, 2022", "March 23, 2023"]
                ),
                dates.count_of_dated_events(
                    "3", ["December 3, 2021", "April 13, 2022", "August 24, 2022"], 1, counted="sessions up to this one"
                ),
            ],
        ),
        _info(
            dates.interval_between_sessions,
            "A printed spacing between sessions agrees with their dates.",
            "Computes the months between consecutive dated sessions and compares each with the printed interval. "
            "When later sessions are undated but known to follow an event, a spacing shorter than the least gap "
            "to that event cannot include it: ambiguous, since the undated sessions' own spacing cannot be checked.",
            lambda: [
                dates.interval_between_sessions("3", ["August 24, 2022", "December 16, 2022", "March 23, 2023"]),
                dates.interval_between_sessions(
                    "3", ["July 2011"], undated_sessions=2, undated_after=("the PET/CT", "January 2012")
                ),
            ],
        ),
        _info(
            dates.elapsed_time_fits,
            "The least time the narrated steps need fits between two printed dates.",
            "Adds the minimum days of every step the paper narrates between two events (five 3-weekly cycles: "
            "4 × 21 = 84 days from the first to the last) to the earliest day the first date can mean, and compares "
            "with the latest day the second can mean; when it does not fit, names the latest first date that would.",
            lambda: [
                dates.elapsed_time_fits(
                    "the resection", "December 2011", [("5 cycles every 3 weeks", 84)], "the first TACE", "July 2011"
                ),
                dates.elapsed_time_fits(
                    "the resection", "December 2010", [("5 cycles every 3 weeks", 84)], "the first TACE", "July 2011"
                ),
            ],
        ),
        _info(
            dates.interval_without_end_date,
            "A duration whose end the paper does not date.",
            "Counts the printed whole months forward from each candidate origin to the month the duration would "
            "end in; with no printed end nothing contradicts it, so one origin is not-checkable and several that "
            "end in different months are ambiguous.",
            lambda: [
                dates.interval_without_end_date(
                    "18", {"the printed resection": "December 2011", "one year earlier": "December 2010"}
                ),
                dates.interval_without_end_date("18", {"the resection": "December 2011"}),
            ],
        ),
        _info(
            recist.recist_category_matches,
            "A printed RECIST 1.1 category agrees with the printed diameters.",
            "Sums the target diameters (longest diameter; short axis for nodes), computes the change from "
            "baseline and from the nadir and applies RECIST 1.1: PR at least 30% smaller than baseline, PD at "
            "least 20% and 5 mm larger than the nadir or new lesions; every diameter is allowed its rounding.",
            lambda: recist.recist_category_matches("SD", "43", "39"),
        ),
        _info(
            recist.recist_percent_change,
            "A printed percentage change in tumour size agrees with the diameters.",
            "Recomputes (current − baseline)/baseline from the printed diameters within their rounding.",
            lambda: recist.recist_percent_change("49", "43", "22", as_reduction=True),
        ),
        _info(
            recist.recist_definition_matches,
            "A paper's own definition of a RECIST category agrees with RECIST 1.1.",
            "Classifies every change in the sum of diameters from −100% to +100% (in half percents, plus the "
            "thresholds) by the printed definition and by RECIST 1.1 (baseline = nadir, no new lesions, a 100 mm "
            "sum so that the 5 mm rule does not bind) and reports the range where they differ.",
            lambda: [recist.recist_definition_matches("<30", "SD"), recist.recist_definition_matches("≥30", "PR")],
        ),
        _info(
            recist.recist_same_method,
            "Every scan of a RECIST assessment uses the baseline's imaging method.",
            "Reduces each printed modality to its method (CT, MRI, PET/CT, ultrasound); a different method from "
            "baseline is ambiguous, because part of the measured change may be the method's.",
            lambda: [
                recist.recist_same_method("Contrast CT", "MRI", "SD"),
                recist.recist_same_method("Contrast CT", "CT", "PR"),
            ],
        ),
        _info(
            recist.stable_wording_vs_recist,
            "A word describing a scan ('stable tumor') agrees with its printed RECIST category.",
            "Reads the word's RECIST meaning (stable = SD, progression = PD, regression = PR) and its everyday sense "
            "(stable = not progressing); the word's RECIST meaning is consistent, only the everyday sense is "
            "ambiguous, neither is inconsistent. The working gives the change in the sum from baseline and from "
            "the previous scan.",
            lambda: recist.stable_wording_vs_recist("stable", "PR", "43", "22", previous="39"),
        ),
        _info(
            recist.target_lesion_selection,
            "The target lesions respect the RECIST 1.1 rule book.",
            "At most five target lesions, at most two per organ, each measurable (at least 10 mm, nodes at least "
            "15 mm in short axis); ambiguous when the diameters needed are not printed.",
            lambda: recist.target_lesion_selection([recist.Lesion(f"liver lesion {i}", "liver") for i in (1, 2, 3)]),
        ),
        _info(
            recist.per_lesion_assessment_is_not_recist,
            "Responses are given for the sum of targets, not per lesion.",
            "RECIST 1.1 assigns one response to the sum of the target diameters; a report that gives a separate "
            "category per lesion uses a reading RECIST does not define.",
            lambda: recist.per_lesion_assessment_is_not_recist({"lesion 1": "SD", "lesion 2": "SD", "lesion 3": "PD"}),
        ),
    ]
}


# The inclusion criterion the KM landmark examples rest on, as the AICE audit quotes it.
_COMPLETE_FOLLOWUP = (
    "inclusion criterion (6) required 'Complete follow-up and clinical data', with evaluations "
    "'until death or the end of the study' (Methods)"
)

PARTS_COUNTS_AND_SURVIVAL_INTERVAL_RULES: dict[str, RuleInfo] = {
    info.name: info
    for info in [
        rules._info(
            rules.percents_of_parts_sum_to_total,
            "The percentages of the parts of a row or column add up to the percentage of their total.",
            "Parts that partition a total (the grades A-D of one adverse event, the PR and SD that make up "
            "disease control) share its denominator, so their true percentages sum exactly to the total's. "
            "The rule adds the lower and the upper ends of the parts' rounding intervals and asks whether that "
            "range meets the total's rounding interval; a part printed as a bare 0 adds nothing.",
            lambda: [
                rules.percents_of_parts_sum_to_total(
                    {"grade A": "8.0", "grade B": "1.8", "grade C": "1.9", "grade D": "1.8"}, "15.0", "the Total column"
                ),
                rules.percents_of_parts_sum_to_total(
                    {
                        "chemotherapy": "20.4",
                        "targeted drugs": "11.5",
                        "immunotherapy": "8.0",
                        "traditional Chinese medicine": "5.3",
                    },
                    "45.1",
                    "those who received subsequent treatment",
                ),
            ],
        ),
        rules._info(
            rules.same_count_same_percent,
            "One count of the same stated denominator carries one percentage wherever it is printed.",
            "Collects every place that prints the count with a percentage of the same stated denominator (table "
            "cells, sentences that give count and percentage together) and asks whether one true value is "
            "admitted by all the printed percentages. Two percentages for one count show that the paper used two "
            "denominators; for each percentage the explanation names the denominators the paper prints that "
            "reproduce it. Whether the percentage also equals count/denominator is percent_of_n's question.",
            lambda: [
                rules.same_count_same_percent(
                    17,
                    {
                        "Results, 'failed to receive further therapy'": "15.1",
                        "Results, liposarcoma": "15.0",
                        "Table 2, Liposarcoma": "15.0",
                        "Table 5, Pain, grade A": "15.0",
                        "Table 5, Myelosuppression, Total": "15.0",
                    },
                    113,
                    {"the 113 patients": 113, "the 216 AICE procedures": 216},
                    "the 113 patients",
                ),
                rules.same_count_same_percent(
                    68,
                    {"Table 1, Male": "60.2", "Results, 'were male'": "60.2"},
                    113,
                    {"the 113 patients": 113},
                    "the 113 patients",
                ),
            ],
        ),
        rules._info(
            rules.km_landmark_ci_method,
            "A Kaplan-Meier landmark rate's CI is Greenwood's interval of k/n under a named transform.",
            "When the printed dates make censoring before the landmark impossible (every patient could be "
            "followed past it by the cut-off, and the paper says none was lost), the Kaplan-Meier estimate at "
            "the landmark is k/n, and Greenwood's sum telescopes to (n − k)/(nk). The rule finds the k whose k/n "
            "prints as the rate and computes the CI of k/n under each transform (plain, log, log-log, logit, "
            "arcsine-square-root); consistent when one prints as both limits. Otherwise it traces the printed CI "
            "to the k/n it was computed from. When censoring before the landmark is possible it says so and "
            "does not check.",
            lambda: [
                rules.km_landmark_ci_method(
                    "45.1", "35.8", "54.0", 113, 24, "April 2020", "November 15, 2023", _COMPLETE_FOLLOWUP
                ),
                rules.km_landmark_ci_method(
                    "41.7", "19.6", "35.9", 113, 36, "April 2020", "November 15, 2023", _COMPLETE_FOLLOWUP
                ),
                rules.km_landmark_ci_method(
                    "41.7", "19.6", "35.9", 113, 48, "April 2020", "November 15, 2023", _COMPLETE_FOLLOWUP
                ),
            ],
        ),
    ]
}


def all_rules() -> dict[str, RuleInfo]:
    """The catalogue: every ledger rule by name, with what it checks, how, and a worked example.

    Returns
    -------
    dict of str to RuleInfo
        The numeric rules, then the parts, counts and survival-interval rules, then the rules on
        dates and RECIST.
    """
    return {**RULES, **PARTS_COUNTS_AND_SURVIVAL_INTERVAL_RULES, **TIMELINE_AND_RECIST_RULES}


def rules_frame() -> pd.DataFrame:
    """The catalogue as a table: one row per rule, its name and its one-line summary."""
    return pd.DataFrame([{"rule": i.name, "summary": i.summary} for i in all_rules().values()])
