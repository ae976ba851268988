"""The audit of case report 000 (TACE for recurrent UPS of the calf), checked against arithmetic
done by hand from the paper's printed numbers. Each expected value is derived in a comment, never
copied from the code under test.

The tests read an isolated copy of this study's data package (data/schemas + data/ups_calf_case,
described by its entries of data/datapackage.json), so they exercise these tables whatever state other studies are in.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from data_copies import reduced_package

from claimcheck.dates import parse_date
from sarcoma_review import datapackage
from sarcoma_review.audits import ups_calf_case as audit
from sarcoma_review.coverage import EXCLUSIONS_FILE
from sarcoma_review.ledger import CONCLUSIONS_TABLE
from sarcoma_review.timeline_plots import plot_timeline, timeline_frame


# The paper's contradictions, found by reading it (see the arithmetic in the tests below).
EXPECTED_INCONSISTENT = {
    "ups.abs-pfs.interval_from_candidate_origins",            # "36-month PFS", abstract
    "ups.abs-followup.interval_from_candidate_origins",       # "During 36 months of follow-up", abstract
    "ups.intro-local-control.interval_from_candidate_origins",  # "36-month local tumor control", introduction
    "ups.disc-pfs-vs-ext.interval_from_candidate_origins",  # "sustained 36-month progression-free survival"
    "ups.disc-pfs.interval_from_candidate_origins",           # "36-month progression-free survival"
    "ups.txt-recurrence-size.same_quantity_agrees",  # 65 x 52 mm (text) vs 43 x 31 mm (Table 2), June 2022
    "ups.t2-recurrence-msts.same_quantity_agrees",   # MSTS-93 14/30 (Table 2) vs 18/30 (text)
    "ups.t2-sd-definition.recist_definition_matches",  # "SD = <30% reduction" has no upper bound
}


@pytest.fixture(scope="module")
def study_package(tmp_path_factory) -> Path:
    """data/ reduced to this study: schemas, its folder, and its entries of datapackage.json."""
    return reduced_package(tmp_path_factory.mktemp("ups_data"), "ups_calf_case")


@pytest.fixture(scope="module")
def rows(study_package):
    # The module's tests read the reduced copy while this fixture lives (the review's one switch of
    # data folder); the memos are per folder, so nothing needs clearing.
    with datapackage.reading_from(study_package):
        yield {row.claim_id: row for row in audit.ledger_rows()}


@pytest.fixture(scope="module")
def tables(rows):
    return audit.tables()


def test_the_study_package_validates_on_its_own(study_package):
    report = datapackage.check_package(study_package)
    assert report.problems == []
    assert report.resources_validated == 11     # nine tables of the paper, its exclusions and its conclusions table


def test_claim_ids_are_unique_and_follow_the_naming_scheme(study_package):
    with datapackage.reading_from(study_package):
        ids = [row.claim_id for row in audit.ledger_rows()]
    duplicated = [claim for claim, count in Counter(ids).items() if count > 1]
    assert duplicated == []
    for claim in ids:
        prefix, number_id, rule = claim.split(".")
        assert prefix == "ups" and number_id and rule, claim


def test_every_transcribed_row_has_at_least_one_ledger_row(rows, tables):
    covered = {claim.split(".")[1] for claim in rows}
    primary_keys = {"events": "event_id", "measurements": "measurement_id", "scores": "score_id",
                    "procedures": "procedure_id"}
    missing = []
    for name, frame in tables.items():
        if name == EXCLUSIONS_FILE.removesuffix(".csv"):
            continue    # numbers that are not the paper's quantities (sarcoma_review/coverage.py)
        if name == CONCLUSIONS_TABLE:
            continue    # judgements of ledger rows (tests/test_decisions.py), not printed numbers
        key = primary_keys.get(name, "number_id")
        missing += [f"{name}:{value}" for value in frame[key] if value not in covered]
    assert missing == []


def test_every_row_names_the_study_and_source(rows):
    for row in rows.values():
        assert row.study == "ups2025tace"  # its key in references.bib
        assert row.source == "000_ed17c4af9a8f25a3.txt"
        assert row.verdict in ("consistent", "inconsistent", "ambiguous", "not-checkable")


def test_the_inconsistencies_are_exactly_the_ones_found_by_hand(rows):
    found = {claim for claim, row in rows.items() if row.verdict == "inconsistent"}
    assert found == EXPECTED_INCONSISTENT


def test_at_least_sixty_rows(rows):
    assert len(rows) >= 60


# --- durations ---------------------------------------------------------------------------------

def test_36_month_pfs_is_not_reproduced_from_the_first_tace(rows):
    # Jun 13, 2022 -> Apr 1, 2025: 731 days to Jun 13, 2024 (leap day 2024 included), then
    # 17 (rest of June) + 184 (Jul-Dec) + 90 (Jan-Mar 2025) + 1 = 292 days: 1023 days = 33.61 months.
    # Jun 13, 2022 -> Apr 30, 2025: 1023 + 29 = 1052 days = 34.56 months. 36 needs [35.5, 36.5].
    row = rows["ups.abs-pfs.interval_from_candidate_origins"]
    assert row.verdict == "inconsistent"
    assert "Jun 13, 2022 to Apr 2025: 33.6-34.6 months" in row.recomputed
    # Even from the start of June 2022 (the recurrence month): Jun 1, 2022 -> Apr 30, 2025 is
    # 1064 days = 34.96 months, still short of 35.5.
    assert "Jun 2022 to Apr 2025: 33.1-35.0 months" in row.recomputed


def test_three_year_follow_up_holds_when_read_in_whole_years(rows):
    # 33.61-34.56 months / 12 = 2.80-2.88 years, which rounds to 3 years.
    assert rows["ups.title-followup.interval_from_candidate_origins"].verdict == "consistent"
    assert rows["ups.case-followup-period.interval_from_candidate_origins"].verdict == "consistent"


def test_35_months_postoperatively_only_from_the_first_tace_at_the_end_of_april(rows):
    # From Jun 13, 2022, 34.5 months = 1050.1 days: Apr 28, 2025 is day 1050 (34.497 months, prints
    # 34), Apr 29 is day 1051 (34.53, prints 35). From Jul 14, 2022 the latest is Apr 30, 2025 =
    # 1021 days = 33.5 months; from the Feb 2018 resection it is 85-87 months.
    row = rows["ups.fig4-final-mri.interval_from_candidate_origins"]
    assert row.verdict == "ambiguous"
    assert "2025-04-29 to 2025-04-30" in row.explanation


def test_six_months_after_the_second_tace_holds(rows):
    # Jul 14, 2022 -> Jan 1, 2023 = 171 days = 5.62 months; -> Jan 31, 2023 = 201 days = 6.60 months:
    # 6 is inside, and the text names the second TACE as the origin.
    row = rows["ups.case-fu6m-interval.interval_matches_dates"]
    assert row.verdict == "consistent"
    assert "5.6-6.6 months" in row.recomputed


def test_six_months_postoperatively_is_ambiguous_because_the_resection_gives_five_years(rows):
    # Feb 2018 -> Jan 2023 is 58-60 months; a TACE origin gives about 6.
    assert rows["ups.fig4-fu6m-ct.interval_from_candidate_origins"].verdict == "ambiguous"


def test_approximately_four_years_from_resection_to_recurrence(rows):
    # Feb 28, 2018 -> Jun 1, 2022 = 1554 days = 4.25 years; Feb 1, 2018 -> Jun 30, 2022 = 1610 days = 4.41.
    row = rows["ups.case-recurrence-interval.interval_matches_dates"]
    assert row.verdict == "consistent"
    assert "4.3-4.4 years" in row.recomputed


# --- ages, chronology --------------------------------------------------------------------------

def test_age_48_in_2018_is_52_to_53_at_the_tace(rows):
    # 48 at some day of January 2018 -> born Feb 1, 1969 .. Jan 31, 1970 -> on Jun 13, 2022
    # aged 52 (born January 1970) to 53 (born February 1969).
    row = rows["ups.abs-age.age_consistent"]
    assert row.verdict == "ambiguous"
    assert "52-53" in row.recomputed
    assert rows["ups.case-age.same_quantity_agrees"].verdict == "consistent"


def test_the_printed_dates_are_in_order(rows):
    chronology = [row for claim, row in rows.items() if claim.endswith(".chronology")]
    assert len(chronology) == 25  # one per printed date in events.csv
    assert {row.verdict for row in chronology} == {"consistent"}


# --- RECIST 1.1 --------------------------------------------------------------------------------

def test_recist_categories_recomputed_from_the_longest_diameters(rows):
    # Baseline 43 mm (Table 2, Jun 2022). Aug 2022: (39 - 43)/43 = -4/43 = -9.30% -> SD (needs <= -30% for PR).
    # Jan 2023: (22 - 43)/43 = -21/43 = -48.84% -> PR. Apr 2025: (20 - 43)/43 = -23/43 = -53.49% -> PR;
    # from the nadir 22 mm: (20 - 22)/22 = -9.09%, no progression.
    assert "-9.3%" in rows["ups.t2-fu1m-size.recist_category_matches"].recomputed
    assert "-48.8%" in rows["ups.t2-fu6m-size.recist_category_matches"].recomputed
    final = rows["ups.t2-final-size.recist_category_matches"]
    assert "-53.5%" in final.recomputed and "-9.1% from nadir 22 mm" in final.recomputed
    for claim in ("t2-fu1m-size", "t2-fu6m-size", "t2-final-size"):
        assert rows[f"ups.{claim}.recist_category_matches"].verdict == "consistent"


def test_recist_table(rows):
    table = audit.recist_table()
    assert list(table["change from baseline (%)"].dropna()) == [-9.3, -48.8, -53.5]
    assert list(table["category recomputed"]) == ["baseline", "SD", "PR", "PR"]
    # Nadir before each follow-up scan: 43 (baseline), then min(43, 39) = 39, then min(43, 39, 22) = 22.
    assert list(table["nadir before this scan (mm)"].dropna()) == [43.0, 39.0, 22.0]


def test_the_text_size_of_the_recurrence_contradicts_the_recist_baseline(rows):
    # Text: approximately 65 x 52 mm; Table 2: 43 x 31 mm for the same June 2022 scan. Taken as the
    # baseline, 65 mm would make Aug 2022 (39 - 65)/65 = -40.0%, a PR rather than the printed SD.
    row = rows["ups.txt-recurrence-size.same_quantity_agrees"]
    assert row.verdict == "inconsistent"
    assert "-40.0% (PR)" in row.explanation


def test_the_printed_sd_definition_is_not_recist(rows):
    # "<30% reduction" also covers growth; RECIST 1.1 calls +25% (>= +20% and >= 5 mm) PD.
    assert rows["ups.t2-sd-definition.recist_definition_matches"].verdict == "inconsistent"
    assert rows["ups.t2-pr-definition.recist_definition_matches"].verdict == "consistent"


def test_mixed_ct_and_mri_follow_up_is_flagged(rows):
    # Baseline contrast CT; Aug 2022 MRI and Apr 2025 MRI differ, Jan 2023 CT does not.
    assert rows["ups.t2-fu1m-size.recist_same_method"].verdict == "ambiguous"
    assert rows["ups.t2-final-size.recist_same_method"].verdict == "ambiguous"
    assert rows["ups.t2-fu6m-size.recist_same_method"].verdict == "consistent"


# --- scores, procedures ------------------------------------------------------------------------

def test_msts_baseline_14_in_table_2_contradicts_18_in_the_text(rows):
    assert rows["ups.t2-recurrence-msts.same_quantity_agrees"].verdict == "inconsistent"
    assert rows["ups.disc-msts-before.same_quantity_agrees"].verdict == "consistent"  # "18→28/30"


def test_vas_six_before_and_two_after(rows):
    assert rows["ups.txt-recurrence-vas.value_in_range"].verdict == "consistent"
    assert rows["ups.t2-tace2-vas-after.same_quantity_agrees"].verdict == "consistent"
    assert rows["ups.t2-tace2-vas-after.time_point_agrees"].verdict == "ambiguous"


def test_two_sessions_match_the_two_dated_procedures(rows):
    for claim in ("abs-sessions", "case-sessions", "concl-sessions"):
        assert rows[f"ups.{claim}.count_of_dated_events"].verdict == "consistent"


def test_feeding_arteries_three_agrees_with_table_2(rows):
    assert rows["ups.t2-tace1-arteries.same_quantity_agrees"].verdict == "consistent"  # "3" vs "three"
    assert rows["ups.txt-mdt-arteries.same_quantity_agrees"].verdict == "consistent"  # "≥3" admits 3


def test_abstract_microsphere_size_fits_only_the_first_session(rows):
    # Abstract: 300-500 µm for "the procedures"; session 2 used 100-300 µm.
    assert rows["ups.abs-microspheres.same_quantity_agrees"].verdict == "ambiguous"


def test_quoted_series_are_not_checkable(rows):
    for claim in ("abs-ext-pfs", "disc-ext-pfs", "disc-ext-orr", "disc-ext-phyllodes-reduction",
                  "disc-ext-extravasation-days", "disc-ext-limb-recurrence"):
        row = rows[f"ups.{claim}.not_checkable"]
        assert row.verdict == "not-checkable" and "another publication" in row.explanation


# --- wording and comparisons ------------------------------------------------------------------

def test_stable_wording_beside_a_printed_pr_is_ambiguous(rows):
    # Jan 2023: 22 mm vs baseline 43 mm = -48.8% (PR, as printed); "stable" is RECIST's SD.
    row = rows["ups.t2-fu6m-size.stable_wording_vs_recist"]
    assert row.verdict == "ambiguous"
    assert "-48.8%" in row.recomputed


def test_discussion_comparisons(rows):
    # Necrotic tissue fraction vs patients responding: different measures.
    assert rows["ups.disc-necrosis-orr.comparable_quantities"].verdict == "ambiguous"
    # The dates allow at least 32.6 months (Jul 14, 2022 -> Apr 1, 2025 = 992 days), above 21 months.
    assert rows["ups.disc-pfs-vs-ext.comparable_quantities"].verdict == "consistent"


def test_the_time_points_of_the_scores(rows):
    # MSTS 28/30: Table 2 row Aug 2022 vs the text's six-month visit (Jan 2023); VAS 0 from the second
    # TACE (Jul 14, 2022) vs Table 2's first pain-free visit (Jan 2023): no common day either.
    assert rows["ups.t2-fu1m-msts.time_point_agrees"].verdict == "ambiguous"
    assert rows["ups.txt-period-vas.time_point_agrees"].verdict == "ambiguous"


def test_the_ledger_uses_only_shared_rules():
    # Rules belong in rules.py, dates.py and recist.py, where every study can use them.
    import inspect

    local = [name for name, value in vars(audit).items()
             if inspect.isfunction(value) and value.__module__ == audit.__name__ and not name.startswith("_")]
    from claimcheck import catalogue
    assert set(local) & set(catalogue.all_rules()) == set()


# --- timeline ----------------------------------------------------------------------------------

def test_timeline_frame_counts_months_from_the_origin():
    events = pd.DataFrame([
        {"date": "Jun 13, 2022", "kind": "treatment", "label": "TACE 1"},
        {"date": "Apr 2025", "kind": "assessment", "label": "MRI", "annotation": "PR"},
    ])
    frame = timeline_frame(events, "Jun 13, 2022")
    assert frame.loc[0, "start"] == 0
    # Middle of April 2025 = Apr 15.5 = day 1023 + 14.5 = 1037.5 after Jun 13, 2022 -> 34.09 months;
    # its whisker spans Apr 1 (1023 days, 33.61) to the end of Apr 30 (1053 days, 34.60).
    assert frame.loc[1, "start"] == pytest.approx(1037.5 / 30.4375)
    assert frame.loc[1, "earliest"] == pytest.approx(1023 / 30.4375)
    assert frame.loc[1, "latest"] == pytest.approx(1053 / 30.4375)
    assert frame.loc[1, "lane"] == "assessment"  # lane defaults to kind


def test_timeline_rejects_an_event_table_without_dates():
    with pytest.raises(ValueError, match="date"):
        timeline_frame(pd.DataFrame([{"kind": "treatment", "label": "TACE"}]), "Jun 13, 2022")


def test_timeline_refuses_a_gap_that_would_hide_events():
    events = pd.DataFrame([
        {"date": "Feb 2018", "kind": "surgery", "label": "resection"},
        {"date": "Jun 2020", "kind": "biopsy", "label": "biopsy"},
        {"date": "Jun 13, 2022", "kind": "treatment", "label": "TACE 1"},
    ])
    # Jun 2020 is about -24 months from the origin, inside the requested gap.
    with pytest.raises(ValueError, match="hide events"):
        plot_timeline(events, "Jun 13, 2022", origin_label="first TACE", gap=(-48, -3))


def test_timeline_of_this_case(rows):
    fig, plotted = audit.timeline_figure()
    try:
        main, skipped = [ax for ax in fig.axes if ax.get_xlabel()], [ax for ax in fig.axes if not ax.get_xlabel()]
        assert main[0].get_xlabel() == "Months from first TACE (Jun 13, 2022)"
        # The axis is broken: the left panel ends at -48 months, the right starts at -3.
        assert skipped[0].get_xlim()[1] == -48 and main[0].get_xlim()[0] == -3
        assert [tick.get_text() for tick in skipped[0].get_yticklabels()] == list(audit.LANES)
        annotations = sorted(text.get_text() for ax in fig.axes for text in ax.texts
                             if text.get_text() in ("SD", "PR", "baseline") and text.get_visible()
                             and ax.get_xlim()[0] <= text.xy[0] <= ax.get_xlim()[1])
        assert annotations == ["PR", "PR", "SD", "baseline"]
        # Resection (Feb 2018) midpoint Feb 14.5, 2018 to Jun 13, 2022: 1579.5 days = 51.9 months before.
        resection = plotted[plotted["kind"] == "surgery"].iloc[0]
        assert resection["start"] == pytest.approx(-1579.5 / 30.4375)
    finally:
        plt.close(fig)
