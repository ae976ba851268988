"""Audit of case report 003: hepatic TACE and radiofrequency ablation of a retroperitoneal lymph
node in metastatic leiomyosarcoma (Cancer Imaging; the source text names no authors or title).

One patient: a neck node resected in "December 2011" proved metastatic leiomyosarcoma; staging
PET/CT found liver metastases and a retroperitoneal nodal mass; five three-weekly cycles of
doxorubicin and ifosfamide gave a partial response; then a first DC-Bead TACE printed as "July
2011", RFA of the retroperitoneal mass in "October 2011", a complete response on PET/CT in
"January 2012", two more TACE sessions, and no evidence of disease "after 18 months from the
diagnoses". The printed dates put the TACE and the RFA before the diagnosis they follow in the
narrative: the central finding of this audit. Every printed number gets at least one ledger row.
"""

from __future__ import annotations


import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from claimcheck import recist, rules
from claimcheck.dates import (
    PartialDate,
    chronology,
    elapsed_time_fits,
    interval_between_sessions,
    interval_without_end_date,
    months_between,
    parse_date,
)
from claimcheck.ledger import LedgerRow

from sarcoma_review.audits import kernel
from sarcoma_review.audits.kernel import Claim
from sarcoma_review.audits.unread import unread_numbers
from sarcoma_review.datapackage import load_study, memoised_per_data_dir
from sarcoma_review.ledger import CONCLUSIONS_TABLE, with_judgements

STUDY = "lms_tace_rfa_case"
CITATION_KEY = "cancerimaging2013tacerfa"
SOURCES = ("003_9e5745cdb1230c39.txt",)
SOURCE = SOURCES[0]
CLAIM_PREFIX = "tacerfa"

DAYS_PER_WEEK = 7
# The words the paper uses for the acute toxicity of the first TACE ("mild to moderate").
TOXICITY_WORDS = ("mild", "moderate")

RECONSTRUCTED_DATES: dict[str, tuple[str, str]] = {
    "ev-ct-after-tace": ("August 2011", "reconstructed: 'one month later' than the July 2011 TACE"),
}


@memoised_per_data_dir
def _tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    return load_study(STUDY, data_dir)


def event_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Every event of the case as transcribed, in the order the paper narrates them."""
    return _tables(data_dir)["events"].copy()


def measurements(data_dir: Path | None = None) -> pd.DataFrame:
    return _tables(data_dir)["measurements"].copy()


def text_numbers(data_dir: Path | None = None) -> pd.DataFrame:
    return _tables(data_dir)["text_case"].copy()


def _date(data_dir: Path, event_id: str) -> PartialDate:
    printed = event_table(data_dir).set_index("event_id").loc[event_id, "date"]
    return parse_date(printed or RECONSTRUCTED_DATES[event_id][0])


STUDY_ROWS = kernel.Study(CLAIM_PREFIX, SOURCE, CITATION_KEY)

def minimum_days_for_cycles(cycles: int, cycle_length_weeks: int) -> int:
    """Days from day 1 of the first cycle to day 1 of the last, the least time the cycles need."""
    return (cycles - 1) * cycle_length_weeks * DAYS_PER_WEEK


# The one-year-earlier reading of the resection date that the audit tests as a possible misprint.
MISPRINT_READING = "December 2010"


def _misprint_reconciles(data_dir: Path, steps: Sequence[tuple[str, int]]) -> bool:
    """Whether reading the resection as MISPRINT_READING puts every printed date in narrative order."""
    dated = [(event_id, _date(data_dir, event_id)) for event_id in ("ev-tace-1", "ev-rfa", "ev-pet-2012")]
    in_order = all(chronology([("resection", MISPRINT_READING), (event_id, date)]).verdict == "consistent"
                   for event_id, date in dated)
    fits = elapsed_time_fits("resection", MISPRINT_READING, steps, "first TACE", dated[0][1]).verdict == "consistent"
    return in_order and fits


def _chronology_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    events = event_table(data_dir).set_index("event_id")
    resection = _date(data_dir, "ev-resection")
    claims = []
    for event_id, name in (("ev-tace-1", "first TACE"), ("ev-rfa", "RFA"), ("ev-pet-2012", "response PET/CT")):
        claims.append(STUDY_ROWS.claim(event_id, chronology([("resection of the neck node", resection),
                                                  (name, _date(data_dir, event_id))]),
                             location=f"{events.loc['ev-resection', 'location']}; {events.loc[event_id, 'location']}",
                             quantity=f"{name} after the diagnostic resection",
                             reported=f"resection {resection}; {name} {events.loc[event_id, 'date']}",
                             inputs=["ev-resection", event_id]))

    cycles = kernel.number(numbers, "case-chemo-cycles")
    cycle_weeks = kernel.number(numbers, "case-cycle-length")
    needed = minimum_days_for_cycles(int(cycles["printed"]), int(cycle_weeks["printed"]))
    steps = [(f"{cycles['printed']} cycles every {cycle_weeks['printed']} weeks", needed)]
    timing = elapsed_time_fits("the resection", resection, steps, "the first TACE", _date(data_dir, "ev-tace-1"))
    if timing.verdict == "inconsistent" and _misprint_reconciles(data_dir, steps):
        timing = kernel.with_note(timing, f"; a resection in {MISPRINT_READING} (one year earlier than printed) would "
                                    "fit every printed date (a reconstruction, not stated by the paper)")
    claims.append(STUDY_ROWS.claim("ev-chemotherapy", timing,
        location=events.loc["ev-chemotherapy", "location"],
        quantity="Time needed for the chemotherapy narrated between the resection and the first TACE",
        reported=f"{cycles['printed']} cycles every {cycle_weeks['printed']} weeks; resection {resection}; "
                 f"TACE {events.loc['ev-tace-1', 'date']}",
        inputs=["ev-chemotherapy", "ev-staging-pet", "ev-ct-after-chemo", "case-chemo-cycles", "case-cycle-length",
                "ev-resection", "ev-tace-1"]))

    claims.append(STUDY_ROWS.claim("ev-ct-after-tace", chronology([
        ("first TACE", _date(data_dir, "ev-tace-1")),
        ("CT one month later (August 2011, reconstructed)", _date(data_dir, "ev-ct-after-tace")),
        ("RFA", _date(data_dir, "ev-rfa")),
        ("PET/CT", _date(data_dir, "ev-pet-2012"))]),
        location="Case description, chemotherapy and first TACE; radiofrequency ablation; surveillance",
        quantity="Order of the local treatments among themselves",
        reported="; ".join([events.loc["ev-tace-1", "date"], events.loc["ev-ct-after-tace", "timing_as_printed"].lower(),
                            events.loc["ev-rfa", "date"], events.loc["ev-pet-2012", "date"]]),
        inputs=["ev-tace-1", "ev-ct-after-tace", "ev-rfa", "ev-pet-2012"]))

    interval = kernel.number(numbers, "case-tace-interval")
    more = kernel.number(numbers, "case-more-tace")
    # The two later sessions are undated; the paper recommends them after the January 2012 PET/CT.
    claims.append(STUDY_ROWS.claim("case-tace-interval", interval_between_sessions(
        interval["printed"], [_date(data_dir, "ev-tace-1")], undated_sessions=int(more["printed"]),
        undated_after=("the January 2012 PET/CT", _date(data_dir, "ev-pet-2012"))),
        location=interval["location"], quantity="Interval between TACE sessions", reported=kernel.reported(interval),
        inputs=["case-tace-interval", "ev-tace-2", "ev-tace-3", "case-more-tace"]))

    follow_up = kernel.number(numbers, "case-follow-up-months")
    # 'the diagnoses' (plural) is not defined; the printed resection and its one-year-earlier reading.
    claims.append(STUDY_ROWS.claim("case-follow-up-months", interval_without_end_date(
        follow_up["printed"], {"the printed resection": resection,
                               "the one-year-earlier reading of the resection": MISPRINT_READING},
        quantity=f"'{follow_up['printed']} months from the diagnoses'"),
        location=follow_up["location"], quantity="Disease-free follow-up", reported=kernel.reported(follow_up),
        inputs=["case-follow-up-months", "ev-last-follow-up", "ev-resection"]))
    return claims


def _measurement_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    sizes = measurements(data_dir).set_index("measurement_id")
    baseline, after = sizes.loc["rp-mass-size-baseline"], sizes.loc["rp-mass-size-after-tace"]
    # A nodal conglomerate: RECIST 1.1 measures nodes by their short axis.
    base_short = min(recist.parse_size_mm(baseline["printed"] + " cm"))
    after_short = min(recist.parse_size_mm(after["printed"] + " cm"))
    base_long = max(recist.parse_size_mm(baseline["printed"] + " cm"))
    after_long = max(recist.parse_size_mm(after["printed"] + " cm"))
    check = recist.recist_category_matches("PR", f"{base_short:g}", f"{after_short:g}")
    long_change = recist.percent_change(base_long, after_long)
    check = kernel.with_note(check, f" (node short axis; the longest diameter gives {long_change:+.1f}%, also PR); "
                              "one lesion only: the liver lesions are not measured, so no whole-patient RECIST response "
                              "can be computed")
    claims = [STUDY_ROWS.claim("rp-mass-size-after-tace", check, location=after["location"],
                     quantity="Response of the retroperitoneal nodal mass after chemotherapy and TACE",
                     reported=f"partial response, {after['printed']} cm (baseline {baseline['printed']} cm)",
                     inputs=["rp-mass-size-after-tace", "rp-mass-size-baseline", "ev-ct-after-tace", "ev-staging-pet"])]

    residual = sizes.loc[["rp-mass-suv-residual-caption", "rp-mass-suv-residual-text"]]
    claims.append(STUDY_ROWS.claim("rp-mass-suv-residual-text", rules.same_quantity_agrees(
        {row.location: row.printed for row in residual.itertuples()}),
        location=sizes.loc["rp-mass-suv-residual-text", "location"],
        quantity="Residual SUVmax of the retroperitoneal node after ablation", reported=f"SUVmax {sizes.loc['rp-mass-suv-residual-text', 'printed']}",
        inputs=list(residual.index) + ["ev-pet-2012"]))

    for measurement_id, reason in (
        ("neck-nodes-size", "a single measurement of a resected node; nothing to compare it with"),
        ("liver-s8-suv", "a baseline SUVmax printed once; no follow-up value is printed"),
        ("liver-s4-suv", "a baseline SUVmax printed once; no follow-up value is printed"),
        ("liver-s6-suv", "a baseline SUVmax printed once; no follow-up value is printed"),
        ("rp-mass-suv-baseline", "a baseline SUVmax; the follow-up value (2.1) is residual uptake in part of the node, "
                                 "so no percentage change is printed or implied"),
    ):
        row = sizes.loc[measurement_id]
        claims.append(STUDY_ROWS.claim(measurement_id, rules.not_checkable(reason), location=row["location"],
                             quantity=f"{row['kind'].replace('_', ' ')} of the {row['lesion']}",
                             reported=f"{row['printed']} {'cm' if row['unit'] == 'cm' else ''}".strip(),
                             inputs=[measurement_id, row["event_id"]]))
    return claims


def _treatment_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    claims = []
    doxorubicin = kernel.number(numbers, "case-doxorubicin-dose")
    ifosfamide = kernel.number(numbers, "case-ifosfamide-dose")
    cycles = int(kernel.number(numbers, "case-chemo-cycles")["printed"])
    for number, days_id, drug in ((doxorubicin, "case-doxorubicin-days", "doxorubicin"),
                                  (ifosfamide, "case-ifosfamide-days", "ifosfamide")):
        days = kernel.number(numbers, days_id)
        day_count = int(days["ci_upper"]) - int(days["ci_lower"]) + 1
        per_cycle = float(number["printed"]) * day_count
        claims.append(STUDY_ROWS.claim(number["number_id"], rules.not_checkable(
            f"a stated dose; the paper prints no per-cycle or cumulative {drug} dose to compare with",
            recomputed=f"{per_cycle:g} mg/m² per cycle ({number['printed']} × {day_count} days); "
                       f"{per_cycle * cycles:g} mg/m² over {cycles} cycles"),
            location=number["location"], quantity=f"{drug.capitalize()} dose per day",
            reported=f"{kernel.reported(number)} on days {days['printed']}", inputs=[number["number_id"], days_id]))

    tace_dose = kernel.number(numbers, "case-tace-doxorubicin")
    vials = kernel.number(numbers, "case-tace-vials")
    more = kernel.number(numbers, "case-more-tace")
    per_vial = float(tace_dose["printed"]) / float(vials["printed"])
    sessions = 1 + int(more["printed"])
    claims.append(STUDY_ROWS.claim("case-tace-doxorubicin", rules.not_checkable(
        "a stated dose; the paper prints no per-vial or cumulative dose to compare with",
        recomputed=f"{per_vial:g} mg per vial ({tace_dose['printed']} / {vials['printed']}); "
                   f"{float(tace_dose['printed']) * sessions:g} mg over {sessions} sessions given 'the same protocol'"),
        location=tace_dose["location"], quantity="Doxorubicin loaded on DC-Beads per TACE",
        reported=f"{kernel.reported(tace_dose)} in {vials['printed']} vials",
        inputs=["case-tace-doxorubicin", "case-tace-vials", "case-more-tace"]))

    grade = kernel.number(numbers, "case-tace-toxicity-grade")
    claims.append(STUDY_ROWS.claim("case-tace-toxicity-grade", rules.grade_matches_severity_word(grade["printed"], TOXICITY_WORDS),
        location=grade["location"], quantity="Acute toxicity of the first TACE", reported=f"grade {grade['printed']}",
        inputs=["case-tace-toxicity-grade"]))

    ablation_cycles = kernel.number(numbers, "case-rfa-cycles")
    claims += kernel.declared_claims(STUDY_ROWS, _tables(data_dir).get(kernel.CLAIMS_TABLE), numbers,
                                     f"data/{STUDY}/{kernel.CLAIMS_TABLE}.csv")
    claims.append(STUDY_ROWS.claim("case-rfa-cycles", rules.not_checkable(
        "two ablation cycles are described ('a second cycle'); nothing else counts them", recomputed="2 cycles"),
        location=ablation_cycles["location"], quantity="RFA cycles", reported=ablation_cycles["printed"],
        inputs=["case-rfa-cycles", "ev-rfa"]))
    claims.append(STUDY_ROWS.claim("case-more-tace", rules.not_checkable(
        "the paper dates neither of the two further sessions", recomputed=f"{sessions} TACE sessions in all"),
        location=more["location"], quantity="Further TACE sessions after January 2012", reported=more["printed"],
        inputs=["case-more-tace", "ev-tace-2", "ev-tace-3"]))
    return claims


def _event_claims(data_dir: Path) -> list[Claim]:
    events = event_table(data_dir).set_index("event_id")
    claims = []
    for event_id, reason in (
        ("ev-presentation", "a one-month history before an undated first visit"),
        ("ev-ct-after-chemo", "the partial response after 5 cycles is stated without measurements of that scan"),
    ):
        claims.append(STUDY_ROWS.claim(event_id, rules.not_checkable(reason), location=events.loc[event_id, "location"],
                             quantity=events.loc[event_id, "description"],
                             reported=events.loc[event_id, "timing_as_printed"] or "undated",
                             inputs=[event_id]))
    return claims


@memoised_per_data_dir
def claims(data_dir: Path) -> tuple[Claim, ...]:
    numbers = text_numbers(data_dir)
    found = (_chronology_claims(numbers, data_dir) + _measurement_claims(numbers, data_dir)
             + _treatment_claims(numbers, data_dir) + _event_claims(data_dir))
    read = {item for claim in found for item in claim.inputs}
    found += [STUDY_ROWS.claim(record["number_id"], check, location=record["location"], quantity=record["key"],
                     reported=kernel.reported(record), inputs=[record["number_id"]])
              for record, check in unread_numbers(numbers, read)]
    return tuple(found)


def ledger_rows(data_dir: Path | None = None) -> list[LedgerRow]:
    return with_judgements([claim.row for claim in claims(data_dir)], _tables(data_dir).get(CONCLUSIONS_TABLE), STUDY)


def claim_inputs(data_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    return {claim.row.claim_id: claim.inputs for claim in claims(data_dir)}


def citable_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return {"lms-tace-rfa-events": event_table(data_dir),
            "lms-tace-rfa-measurements": measurements(data_dir),
            "lms-tace-rfa-text-numbers": text_numbers(data_dir)}


# ---------------------------------------------------------------------------------------------
# timeline: the events as printed, so that the misplaced dates show.

TIMELINE = {"surgery": ("surgery", "diagnosis", "resection (diagnosis)"),
            "embolization": ("treatment", "TACE", "TACE"),
            "ablation": ("treatment", "RFA", "RFA"),
            "imaging": ("assessment", "imaging", "imaging")}


def timeline_events(data_dir: Path | None = None) -> pd.DataFrame:
    rows = []
    for record in event_table(data_dir).to_dict(orient="records"):
        if record["kind"] not in TIMELINE:
            continue
        printed = record["date"]
        reconstructed = RECONSTRUCTED_DATES.get(record["event_id"])
        if not printed and reconstructed is None:
            continue
        kind, lane, label = TIMELINE[record["kind"]]
        rows.append({"date": printed or reconstructed[0], "kind": kind, "lane": lane,
                     "label": label + ("" if printed else " (reconstructed)"), "annotation": ""})
    return pd.DataFrame(rows)


def timeline_figure(data_dir: Path | None = None):
    """Swimmer timeline in months from the printed resection date (December 2011): the TACE and RFA
    fall at negative months, before the diagnosis the narrative says they followed."""
    from sarcoma_review.timeline_plots import plot_timeline, timeline_frame

    origin = event_table(data_dir).set_index("event_id").loc["ev-resection", "date"]
    events = timeline_events(data_dir)
    fig, _ = plot_timeline(events, origin, origin_label="the printed resection date", bar_kinds=("treatment",),
                           lane_order=("diagnosis", "TACE", "RFA", "imaging"), height=3.0)
    return fig, timeline_frame(events, origin)


def _percent_change_of_axis(sizes: pd.Series, pick) -> float:
    """Percent change of the retroperitoneal mass along one axis (min = short, max = long)."""
    before = pick(recist.parse_size_mm(sizes["rp-mass-size-baseline"] + " cm"))
    after = pick(recist.parse_size_mm(sizes["rp-mass-size-after-tace"] + " cm"))
    return recist.percent_change(before, after)


def chapter_numbers(data_dir: Path | None = None) -> dict[str, str]:
    numbers = text_numbers(data_dir).set_index("number_id")["printed"]
    sizes = measurements(data_dir).set_index("measurement_id")["printed"]
    events = event_table(data_dir).set_index("event_id")["date"]
    cycles, weeks = int(numbers["case-chemo-cycles"]), int(numbers["case-cycle-length"])
    resection = parse_date(events["ev-resection"])
    tace = parse_date(events["ev-tace-1"])
    gap_low, gap_high = months_between(tace, resection)
    dose_days = text_numbers(data_dir).set_index("number_id").loc["case-doxorubicin-days"]
    doxorubicin_per_cycle = float(numbers["case-doxorubicin-dose"]) * (int(dose_days["ci_upper"]) - int(dose_days["ci_lower"]) + 1)
    by_verdict = pd.Series([claim.row.verdict for claim in claims(data_dir)]).value_counts()
    return {
        "age": numbers["case-age"],
        "neck_size": sizes["neck-nodes-size"],
        "rp_size_baseline": sizes["rp-mass-size-baseline"],
        "rp_size_after": sizes["rp-mass-size-after-tace"],
        "suv_s8": sizes["liver-s8-suv"], "suv_s4": sizes["liver-s4-suv"], "suv_s6": sizes["liver-s6-suv"],
        "suv_rp": sizes["rp-mass-suv-baseline"], "suv_residual": sizes["rp-mass-suv-residual-text"],
        "doxorubicin": numbers["case-doxorubicin-dose"], "ifosfamide": numbers["case-ifosfamide-dose"],
        "cycles": numbers["case-chemo-cycles"], "cycle_weeks": numbers["case-cycle-length"],
        "filgrastim": numbers["case-filgrastim-dose"],
        "tace_dose": numbers["case-tace-doxorubicin"], "tace_vials": numbers["case-tace-vials"],
        "more_tace": numbers["case-more-tace"], "tace_interval": numbers["case-tace-interval"],
        "electrode": numbers["case-rfa-electrode-length"], "tip": numbers["case-rfa-tip-length"],
        "temperature": numbers["case-rfa-temperature"].lstrip(">"), "cycle_minutes": numbers["case-rfa-cycle-minutes"],
        "ciprofloxacin": numbers["case-ciprofloxacin-dose"],
        "follow_up": numbers["case-follow-up-months"],
        "resection_date": events["ev-resection"], "tace_date": events["ev-tace-1"],
        "rfa_date": events["ev-rfa"], "pet_date": events["ev-pet-2012"],
        "tace_before_resection_low": f"{gap_low:.1f}", "tace_before_resection_high": f"{gap_high:.1f}",
        "cycles_min_days": str(minimum_days_for_cycles(cycles, weeks)),
        "earliest_tace_after_printed_resection": str(resection.earliest + dt.timedelta(days=minimum_days_for_cycles(cycles, weeks))),
        "latest_fitting_resection": str(tace.latest - dt.timedelta(days=minimum_days_for_cycles(cycles, weeks))),
        "misprint_reading": MISPRINT_READING,
        "toxicity_grade": numbers["case-tace-toxicity-grade"],
        "ps_baseline": numbers["case-ps-baseline"], "ps_follow_up": numbers["case-ps-follow-up"],
        "ct_after_tace": event_table(data_dir).set_index("event_id").loc["ev-ct-after-tace", "timing_as_printed"].split()[0].lower(),
        "doxorubicin_days": numbers["case-doxorubicin-days"], "ifosfamide_days": numbers["case-ifosfamide-days"],
        "doxorubicin_per_cycle": f"{doxorubicin_per_cycle:g}",
        "doxorubicin_systemic_total": f"{doxorubicin_per_cycle * cycles:g}",
        "tace_per_vial": f"{float(numbers['case-tace-doxorubicin']) / float(numbers['case-tace-vials']):g}",
        "tace_sessions_total": str(1 + int(numbers["case-more-tace"])),
        "tace_doxorubicin_total": f"{float(numbers['case-tace-doxorubicin']) * (1 + int(numbers['case-more-tace'])):g}",
        "short_axis_change": f"{_percent_change_of_axis(sizes, min):+.1f}",
        "long_axis_change": f"{_percent_change_of_axis(sizes, max):+.1f}",
        "claims_total": str(len(claims(data_dir))),
        **{f"claims_{verdict.replace('-', '_')}": str(int(by_verdict.get(verdict, 0)))
           for verdict in ("consistent", "inconsistent", "ambiguous", "not-checkable")},
    }
