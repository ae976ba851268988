"""The audits of case reports 002 (DEB-TACE plus anlotinib) and 003 (TACE plus RFA).

Expected values are derived by hand in the comments, from the dates and numbers the papers print,
not copied from the audit's output. Each audit runs on a private copy of its data folders (with a
datapackage.json built from their resources.json), so that a test can also change one printed
value and show that the verdict follows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from data_copies import reduced_package

from sarcoma_review.audits import kernel, lms_debtace_case as debtace, lms_tace_rfa_case as tacerfa
from sarcoma_review.coverage import EXCLUSIONS_FILE
from sarcoma_review.ledger import CONCLUSIONS_TABLE

DATA = Path(__file__).resolve().parent.parent / "data"
FOLDERS = ("lms_debtace_case", "lms_tace_rfa_case", "comparators")


def package_copy(root: Path, edits: dict[tuple[str, str, str, str], str] | None = None) -> Path:
    """A validated-package copy of the three folders at root/data (reduced from data/datapackage.json);
    `edits` maps (csv path, id column, id, column) to a replacement cell.

    An edit imagines a paper that printed another value, so the row's verbatim excerpt (column
    context) is edited alike: validation holds every value to its excerpt."""
    target = reduced_package(root / "data", *FOLDERS)
    for (path, id_column, row_id, column), value in (edits or {}).items():
        frame = pd.read_csv(target / path, dtype=str, keep_default_na=False)
        row = frame[id_column] == row_id
        assert row.sum() == 1, f"no single row {row_id} in {path}"
        if "context" in frame and column != "context":
            old = re.escape(frame.loc[row, column].item())
            excerpt = frame.loc[row, "context"].item()
            assert re.search(rf"(?<![\d.]){old}(?![\d.])", excerpt), f"{row_id}: excerpt does not print the value"
            frame.loc[row, "context"] = re.sub(rf"(?<![\d.]){old}(?![\d.])", value, excerpt, count=1)
        frame.loc[row, column] = value
        frame.to_csv(target / path, index=False, lineterminator="\n")
    return target


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package_copy(tmp_path_factory.mktemp("lms"))


def rows_by_id(audit, data_dir: Path) -> dict:
    return {row.claim_id: row for row in audit.ledger_rows(data_dir)}


# ---------------------------------------------------------------------------------------------
# 002: DEB-TACE plus anlotinib


def test_os_34_months_fits_the_first_debtace_but_not_the_resection(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.tx-os.interval_from_candidate_origins"]
    # Dec 3, 2021 -> Dec 3, 2023 = 730 days; Dec 3, 2023 -> Oct 5, 2024 = 28+31+29+31+30+31+30+31+31+30+5
    # = 307 days; 1037 / 30.4375 = 34.07 months, which prints as 34.
    assert "34.1" in row.recomputed
    # From the latest day a 2020 resection can mean, Dec 31, 2020 -> Oct 5, 2024 = 1095 + 279 = 1374
    # days = 45.1 months: no 2020 origin gives 34, and the paper does not name its origin.
    assert "45.1" in row.explanation
    assert row.verdict == "ambiguous"


def test_pfs_29_months_ends_at_the_progression_ct_two_months_after_march_2024(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.abs-disease-control.interval_matches_dates"]
    # Dec 3, 2021 -> May 1, 2024 = 730 + (28+31+29+31+30+1) = 880 days = 28.9 months;
    # -> May 31, 2024 = 910 days = 29.9 months; 29 lies inside.
    assert "28.9-29.9" in row.recomputed
    assert row.verdict == "consistent"


def test_pfs_event_is_ambiguous_because_lesion_3_was_pd_at_six_weeks(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.intro-pfs.interval_from_candidate_origins"]
    # Dec 3, 2021 -> Jan 19, 2022 = 28 + 19 = 47 days = 1.5 months (lesion 3 called PD);
    # -> Mar 19, 2024 = 730 + 28 + 31 + 29 + 19 = 837 days = 27.5 months (lesion 3 poorly controlled);
    # only the May 2024 CT (28.9-29.9 months) gives 29, so the end event decides the verdict.
    assert "1.5-1.5 months" in row.recomputed and "27.5-27.5 months" in row.recomputed
    assert row.verdict == "ambiguous"
    assert "at which event the PFS ends" in row.explanation


def test_eight_sessions_are_six_dated_plus_two_undated(data_dir):
    rows = rows_by_id(debtace, data_dir)
    # Dated: Dec 3 2021, Apr 13, Aug 24, Dec 16 2022, Mar 23 2023 and (Figure 2c) Jun 21 2023 = 6;
    # undated: the second DEB-TACE and the session after the March 19, 2024 CT = 2; 6 + 2 = 8.
    count = rows["debtace.abs-debtace-sessions.count_of_dated_events"]
    assert count.recomputed.startswith("6 dated") and "+ 2 undated = 8" in count.recomputed
    assert count.verdict == "consistent"
    # Of the 8, the June 2023 and post-March 2024 sessions were angiography without embolization.
    embolized = rows["debtace.abs-debtace-sessions.definition_stated"]
    # Every session: 8; sessions in which beads were delivered: 8 - 2 angiography-only = 6.
    assert "8 sessions" in embolized.recomputed and "6 sessions" in embolized.recomputed
    assert embolized.verdict == "ambiguous"


def test_caption_ordinals_match_the_narrated_sessions(data_dir):
    rows = rows_by_id(debtace, data_dir)
    # Dec 3, 2021 (1st), undated 2nd, Apr 13 (3rd), Aug 24, 2022 = the 4th, as the caption says.
    fourth = rows["debtace.ev-tace-2022-08.count_of_dated_events"]
    assert fourth.verdict == "consistent" and fourth.recomputed.endswith("+ 1 undated = 4")
    # ... Dec 16 (5th), Mar 23, 2023 (6th), Jun 21, 2023 = the 7th.
    seventh = rows["debtace.ev-angio-2023-06.count_of_dated_events"]
    assert seventh.verdict == "consistent" and seventh.recomputed.endswith("+ 1 undated = 7")


def test_a_misnumbered_caption_would_be_flagged(tmp_path):
    data_dir = package_copy(tmp_path, {("lms_debtace_case/events.csv", "event_id", "ev-tace-2022-08",
                                        "session_ordinal"): "third"})
    row = rows_by_id(debtace, data_dir)["debtace.ev-tace-2022-08.count_of_dated_events"]
    # 3 dated + 1 undated = 4 sessions up to Aug 24, 2022; "third" undercounts them.
    assert row.verdict == "inconsistent"


def test_three_liver_target_lesions_break_the_recist_two_per_organ_limit(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.tx-target-lesions.target_lesion_selection"]
    # RECIST 1.1 allows at most 2 target lesions per organ; the paper follows 3 in the liver.
    assert row.verdict == "inconsistent"
    assert "liver 3" in row.recomputed


def test_per_lesion_categories_are_ambiguous_at_each_scan(data_dir):
    rows = rows_by_id(debtace, data_dir)
    for event_id in ("ev-ct-2022-01", "ev-ct-2023-06", "ev-ct-2024-03"):
        assert rows[f"debtace.{event_id}.per_lesion_assessment_is_not_recist"].verdict == "ambiguous"


def test_ajcc_iiib_needs_nodes_for_a_9_cm_tumour(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.case-ajcc-stage.ajcc8_retroperitoneal_stage"]
    # 9 cm is >5 and <=10 cm: T2 in the AJCC 8th edition for retroperitoneum. T2 M0 is IB (G1),
    # IIIA (G2-3) or, with nodes, IIIB: the printed IIIB needs N1, which the paper does not report.
    assert "(T2)" in row.recomputed and "IB/IIIA/IIIB" in row.recomputed
    assert "N1" in row.explanation
    assert row.verdict == "ambiguous"


def test_msts_iiib_needs_metastasis_at_staging_outside_its_musculoskeletal_domain(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.case-msts-stage.msts_stage_definition"]
    # Enneking III = metastatic, B = extracompartmental: IIIB needs M1 and T2, neither reported.
    assert "metastasis M1" in row.explanation and "extent T2" in row.explanation
    assert row.verdict == "ambiguous"


def test_bead_size_range_printed_twice_agrees_at_both_ends(data_dir):
    row = rows_by_id(debtace, data_dir)["debtace.tx-bead-size-later.same_quantity_agrees"]
    # 100-300 µm at the first DEB-TACE and 100-300 µm later: both ends equal.
    assert row.verdict == "consistent" and "100-300" in row.recomputed


def test_debtace_has_enough_rows_and_one_real_inconsistency(data_dir):
    rows = debtace.ledger_rows(data_dir)
    assert len(rows) >= 15
    assert [row.claim_id for row in rows if row.verdict == "inconsistent"] == [
        "debtace.tx-target-lesions.target_lesion_selection"]


# ---------------------------------------------------------------------------------------------
# 003: TACE plus RFA


def test_july_2011_tace_precedes_its_december_2011_diagnosis(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.ev-tace-1.chronology"]
    # July 2011 ends on 2011-07-31, before December 2011 begins on 2011-12-01.
    assert row.verdict == "inconsistent"
    assert "2011-07-31" in row.explanation and "2011-12-01" in row.explanation


def test_october_2011_rfa_also_precedes_the_diagnosis_but_january_2012_pet_follows_it(data_dir):
    rows = rows_by_id(tacerfa, data_dir)
    assert rows["tacerfa.ev-rfa.chronology"].verdict == "inconsistent"
    assert rows["tacerfa.ev-pet-2012.chronology"].verdict == "consistent"


def test_five_three_weekly_cycles_cannot_fit_between_december_2011_and_july_2011(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.ev-chemotherapy.elapsed_time_fits"]
    # Day 1 of cycle 1 to day 1 of cycle 5: 4 x 21 = 84 days. Dec 1, 2011 + 84 days = Feb 23, 2012
    # (30 days to Dec 31, 31 to Jan 31, 23 more). The latest resection that fits a TACE by
    # Jul 31, 2011 is Jul 31 - 84 days = May 8, 2011.
    assert row.verdict == "inconsistent"
    assert "2012-02-23" in row.explanation and "2011-05-08" in row.explanation
    assert "December 2010" in row.explanation


def test_a_december_2010_resection_would_reconcile_every_date(tmp_path):
    data_dir = package_copy(tmp_path, {("lms_tace_rfa_case/events.csv", "event_id", "ev-resection", "date"):
                                       "December 2010"})
    rows = rows_by_id(tacerfa, data_dir)
    for claim_id in ("tacerfa.ev-tace-1.chronology", "tacerfa.ev-rfa.chronology",
                     "tacerfa.ev-chemotherapy.elapsed_time_fits"):
        assert rows[claim_id].verdict == "consistent", claim_id


def test_retroperitoneal_node_partial_response_by_short_axis(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.rp-mass-size-after-tace.recist_category_matches"]
    # Short axis 4.7 -> 2.3 cm: (23 - 47) / 47 = -51.1%, beyond the -30% of PR; longest diameter
    # 5.1 -> 3.0 cm: (30 - 51) / 51 = -41.2%, also PR.
    assert "-51.1%" in row.recomputed and "-41.2%" in row.explanation
    assert row.verdict == "consistent"


def test_three_month_spacing_cannot_include_the_first_tace(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.case-tace-interval.interval_between_sessions"]
    # July 31, 2011 -> January 1, 2012 = 154 days = 5.1 months, more than "3" ([2.5, 3.5)) allows;
    # the two later sessions are undated, so their spacing cannot be checked.
    assert "5.1-" in row.recomputed
    assert row.verdict == "ambiguous"


def test_follow_up_without_end_date_ends_in_different_months_by_origin(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.case-follow-up-months.interval_without_end_date"]
    # December 2011 + 18 months = June 2013; December 2010 + 18 months = June 2012.
    assert "June 2013" in row.recomputed and "June 2012" in row.recomputed
    assert row.verdict == "ambiguous"


def test_grade_2_toxicity_is_moderate_as_the_paper_says(data_dir):
    row = rows_by_id(tacerfa, data_dir)["tacerfa.case-tace-toxicity-grade.grade_matches_severity_word"]
    # CTCAE grade 2 is "moderate", one of the paper's "mild to moderate".
    assert row.recomputed == "CTCAE grade 2 = moderate" and row.verdict == "consistent"


def test_a_grade_3_toxicity_would_contradict_mild_to_moderate(tmp_path):
    data_dir = package_copy(tmp_path, {("lms_tace_rfa_case/text_case.csv", "number_id", "case-tace-toxicity-grade",
                                        "printed"): "3"})
    row = rows_by_id(tacerfa, data_dir)["tacerfa.case-tace-toxicity-grade.grade_matches_severity_word"]
    # CTCAE grade 3 is "severe", outside "mild to moderate".
    assert row.verdict == "inconsistent"


def test_dose_arithmetic_is_shown(data_dir):
    rows = rows_by_id(tacerfa, data_dir)
    # 20 mg/m2 x 3 days = 60 per cycle, x 5 cycles = 300 mg/m2.
    assert rows["tacerfa.case-doxorubicin-dose.not_checkable"].recomputed.startswith("60 mg/m² per cycle")
    assert "300 mg/m² over 5 cycles" in rows["tacerfa.case-doxorubicin-dose.not_checkable"].recomputed
    # 150 mg / 2 vials = 75 mg per vial; 1 + 2 more sessions x 150 mg = 450 mg.
    tace = rows["tacerfa.case-tace-doxorubicin.not_checkable"].recomputed
    assert "75 mg per vial" in tace and "450 mg over 3 sessions" in tace


def test_tacerfa_has_enough_rows(data_dir):
    assert len(tacerfa.ledger_rows(data_dir)) >= 10


# ---------------------------------------------------------------------------------------------
# coverage and identity, for both case reports


def _data_row_ids(folder: str) -> set[str]:
    ids = set()
    for path in (DATA / folder).glob("*.csv"):
        if path.name == EXCLUSIONS_FILE:
            continue    # numbers that are not the paper's quantities (sarcoma_review/coverage.py)
        if path.stem == CONCLUSIONS_TABLE:
            continue    # judgements of ledger rows (tests/test_decisions.py), not printed numbers
        if path.stem == kernel.CLAIMS_TABLE:
            continue    # the declared claims themselves (their inputs are read: tests/test_audit_kernel.py)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        # Every table of these folders has its primary key first.
        ids |= {f"{path.stem}:{value}" for value in frame[frame.columns[0]]}
    return ids


@pytest.mark.parametrize("audit", [debtace, tacerfa], ids=lambda audit: audit.STUDY)
def test_every_data_row_is_read_by_a_ledger_row(audit, data_dir):
    read = {item for inputs in audit.claim_inputs(data_dir).values() for item in inputs}
    unread = sorted(row for row in _data_row_ids(audit.STUDY) if row.split(":", 1)[1] not in read)
    assert not unread, f"data rows with no ledger row: {unread}"


@pytest.mark.parametrize("audit", [debtace, tacerfa], ids=lambda audit: audit.STUDY)
def test_every_input_names_an_existing_data_row(audit, data_dir):
    existing = {row.split(":", 1)[1] for row in _data_row_ids(audit.STUDY)}
    unknown = {item for inputs in audit.claim_inputs(data_dir).values() for item in inputs} - existing
    assert not unknown


@pytest.mark.parametrize("audit", [debtace, tacerfa], ids=lambda audit: audit.STUDY)
def test_claim_ids_are_unique_and_well_formed(audit, data_dir):
    ids = [row.claim_id for row in audit.ledger_rows(data_dir)]
    assert len(ids) == len(set(ids))
    prefix = audit.CLAIM_PREFIX + "."
    assert all(claim_id.startswith(prefix) and claim_id.endswith("." + row.rule)
               for claim_id, row in zip(ids, audit.ledger_rows(data_dir)))
    assert all(row.source in audit.SOURCES and row.study == audit.CITATION_KEY for row in audit.ledger_rows(data_dir))


@pytest.mark.parametrize("audit", [debtace, tacerfa], ids=lambda audit: audit.STUDY)
def test_timeline_places_only_printed_or_labelled_dates(audit, data_dir):
    events = audit.timeline_events(data_dir)
    printed = set(audit.event_table(data_dir)["date"]) - {""}
    reconstructed = events[~events["date"].isin(printed)]
    assert reconstructed["label"].str.endswith("(reconstructed)").all()
    figure, plotted = audit.timeline_figure(data_dir)
    assert figure.axes
    assert len(plotted) == len(events)


@pytest.mark.parametrize("audit", [debtace, tacerfa], ids=lambda audit: audit.STUDY)

def test_the_audit_defines_no_rule_of_its_own(audit):
    # Rules belong in rules.py, dates.py and recist.py, where every study can use them.
    import inspect
    import re

    from claimcheck import catalogue

    local = {name for name, value in vars(audit).items()
             if inspect.isfunction(value) and value.__module__ == audit.__name__}
    assert local & set(catalogue.all_rules()) == set()
    # Nor does it decide a verdict itself: no Check is built from a literal rule name.
    assert re.findall(r"Check\(\s*[\"']", inspect.getsource(audit)) == []


# ---------------------------------------------------------------------------------------------
# the shared timeline builder, as the case reports use it


def _marker_lines(ax, kind_label: str):
    """The line the legend shows for events of kind `kind_label`."""
    handles, labels = ax.get_legend_handles_labels()
    return dict(zip(labels, handles))[kind_label]


def test_death_is_drawn_visibly_and_angiography_only_unlike_a_scan():
    from matplotlib.colors import to_hex

    from sarcoma_review.figures import PALETTE
    from sarcoma_review.timeline_plots import plot_timeline

    events = pd.DataFrame([
        {"date": "Dec 3, 2021", "kind": "treatment", "label": "TACE"},
        {"date": "Jan 19, 2022", "kind": "assessment", "label": "CT"},
        {"date": "Jun 21, 2023", "kind": "angiography only", "label": "angio"},
        {"date": "Oct 5, 2024", "kind": "death", "label": "death"},
    ])
    fig, ax = plot_timeline(events, "Dec 3, 2021", origin_label="first TACE", label_events=False)
    try:
        death = _marker_lines(ax, "death")
        # "x" has no face: a white edge would leave nothing on a white background.
        assert death.get_marker() == "x"
        assert to_hex(death.get_markeredgecolor()) == PALETTE["black"].lower()
        assert death.get_markeredgewidth() >= 1.5
        angio, scan = _marker_lines(ax, "angiography only"), _marker_lines(ax, "assessment")
        assert (angio.get_marker(), to_hex(angio.get_markerfacecolor())) != (scan.get_marker(),
                                                                             to_hex(scan.get_markerfacecolor()))
        assert to_hex(angio.get_markerfacecolor()) == "#ffffff"
        # Every colour drawn comes from the book's colour-blind-safe palette (or white for a hollow face).
        allowed = {c.lower() for c in PALETTE.values()} | {"#ffffff"}
        for line in (death, angio, scan):
            assert to_hex(line.get_markeredgecolor()) in allowed and to_hex(line.get_markerfacecolor()) in allowed
    finally:
        import matplotlib.pyplot as plt
        plt.close(fig)


def test_an_unknown_event_kind_is_refused_by_name():
    from sarcoma_review.timeline_plots import plot_timeline

    events = pd.DataFrame([{"date": "Dec 3, 2021", "kind": "treatment", "label": "TACE"},
                           {"date": "Jan 2022", "kind": "telephone call", "label": "call"}])
    with pytest.raises(ValueError, match="telephone call"):
        plot_timeline(events, "Dec 3, 2021", origin_label="first TACE")
    # Listed as a bar kind, the same event is drawn.
    import matplotlib.pyplot as plt
    fig, _ = plot_timeline(events, "Dec 3, 2021", origin_label="first TACE",
                           bar_kinds=("treatment", "telephone call"))
    plt.close(fig)


def test_the_debtace_audit_no_longer_restyles_the_shared_figure():
    assert not hasattr(debtace, "_restyle_markers")
