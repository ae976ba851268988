"""Audit of case report 002: DEB-TACE combined with anlotinib for liver metastases of a
retroperitoneal leiomyosarcoma (Cui H, Xu Q, Han Z, Zhang S; Journal of Hepatocellular Carcinoma).

One patient: resection of a retroperitoneal leiomyosarcoma (about 2020), liver metastases a year
later, progression on two cycles of doxorubicin and ifosfamide, then eight TACE sessions from
December 3, 2021 with oral anlotinib, and death on 5 October 2024. The paper prints a PFS of 29
months and an OS of 34 months without saying from when they are counted, grades RECIST 1.1
response per target lesion, and counts as "DEB-TACE" two sessions in which it says no
embolization was done. Every printed number gets at least one ledger row; each row records which
data rows it read (`claim_inputs`), so tests can prove that nothing printed is left out.

Dates the paper gives only relative to another event are reconstructed here, never stored in
data/, and every reconstruction is labelled as such where it is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from claimcheck import recist, rules
from claimcheck.dates import (
    PartialDate,
    chronology,
    count_of_dated_events,
    elapsed_time_fits,
    interval_from_candidate_origins,
    interval_matches_dates,
    months_between,
    parse_date,
    same_date_agrees,
)
from claimcheck.ledger import LedgerRow
from claimcheck.rules import ajcc8_retroperitoneal_t, as_digits

from sarcoma_review.audits import kernel
from sarcoma_review.audits.kernel import Claim
from sarcoma_review.audits.unread import unread_numbers
from sarcoma_review.datapackage import load_study, memoised_per_data_dir
from sarcoma_review.ledger import CONCLUSIONS_TABLE, with_judgements

STUDY = "lms_debtace_case"
CITATION_KEY = "cui2025debtace"
SOURCES = ("002_d137fbd7bd065c84.txt",)
SOURCE = SOURCES[0]
CLAIM_PREFIX = "debtace"

TEXT_TABLES = ("text_abstract", "text_introduction", "text_case", "text_treatment", "text_discussion")

# Event kinds the paper counts as a "TACE session": it numbers the angiography-only procedures of
# June 2023 and after March 2024 as the seventh and eighth sessions.
SESSION_KINDS = ("embolization", "arteriography")
FIRST_DEBTACE = "ev-tace-1"


# ---------------------------------------------------------------------------------------------
# data access


@memoised_per_data_dir
def _tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    return load_study(STUDY, data_dir)


def text_numbers(data_dir: Path | None = None) -> pd.DataFrame:
    """Every text-block row of the study, in paper order."""
    return pd.concat([_tables(data_dir)[name] for name in TEXT_TABLES], ignore_index=True)


def event_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Every event of the case as transcribed, in the order the paper narrates them."""
    return _tables(data_dir)["events"].copy()


def lesion_assessments(data_dir: Path | None = None) -> pd.DataFrame:
    return _tables(data_dir)["lesion_assessments"].copy()


# Dates the paper gives only relative to other events, reconstructed with the reasoning shown.
RECONSTRUCTED_DATES: dict[str, tuple[str, str]] = {
    "ev-resection": ("2020", "reconstructed: the patient presented in 2020 and the liver metastases, 'one year after "
                             "the operation', preceded the December 2021 DEB-TACE"),
    "ev-liver-metastases": ("2021", "reconstructed: 'one year after' a resection in 2020"),
    "ev-anlotinib": ("December 6, 2021", "reconstructed: 'the third postoperative day' after December 3, 2021"),
    "ev-progression": ("May 2024", "reconstructed: 'two months' after the TACE that followed the March 19, 2024 CT"),
}


def event_dates(data_dir: Path | None = None) -> dict[str, tuple[PartialDate, bool]]:
    """Each event with a usable date: (date, True if reconstructed rather than printed)."""
    dates: dict[str, tuple[PartialDate, bool]] = {}
    for record in event_table(data_dir).to_dict(orient="records"):
        if record["date"]:
            dates[record["event_id"]] = (parse_date(record["date"]), False)
        elif record["event_id"] in RECONSTRUCTED_DATES:
            dates[record["event_id"]] = (parse_date(RECONSTRUCTED_DATES[record["event_id"]][0]), True)
    return dates


def sessions(data_dir: Path | None = None) -> pd.DataFrame:
    """The TACE sessions the paper counts, in narrative order, with their printed dates."""
    events = event_table(data_dir)
    return events[events["kind"].isin(SESSION_KINDS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# claims


STUDY_ROWS = kernel.Study(CLAIM_PREFIX, SOURCE, CITATION_KEY)
# The paper prints "one year" and "1 year": its durations in years read "year(s)" in the ledger.
UNITS = {**kernel.UNIT_TEXT, "years": " year(s)"}


def _reported(record: Mapping[str, str]) -> str:
    return kernel.reported(record, UNITS)


def _as_phrase(timing: str) -> str:
    """A narrated interval as the ledger quotes it: 'One year after the operation' -> 'one year'."""
    return " ".join(timing.split()[:2]).lower()


def _survival_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    dates = event_dates(data_dir)
    first_tace = dates[FIRST_DEBTACE][0]
    progression = dates["ev-progression"][0]
    death = dates["ev-death"][0]
    abstract_pfs = kernel.number(numbers, "abs-disease-control")
    intro_pfs = kernel.number(numbers, "intro-pfs")
    overall = kernel.number(numbers, "tx-os")
    claims = []

    pfs_check = interval_matches_dates(abstract_pfs["printed"], first_tace, progression)
    pfs_check = kernel.with_note(pfs_check, f", counting from the first DEB-TACE to the progression CT "
                                      f"({RECONSTRUCTED_DATES['ev-progression'][1]})")
    claims.append(STUDY_ROWS.claim("abs-disease-control", pfs_check, location=abstract_pfs["location"],
                         quantity="Disease control time (PFS) of DEB-TACE plus anlotinib",
                         reported=_reported(abstract_pfs),
                         inputs=["abs-disease-control", FIRST_DEBTACE, "ev-ct-2024-03", "ev-angio-2024",
                                 "ev-progression", "may2024-overall"]))
    claims.append(STUDY_ROWS.claim("intro-pfs", rules.same_quantity_agrees(
        {"Abstract (disease control time)": abstract_pfs["printed"], "Introduction (PFS)": intro_pfs["printed"]}),
        location=intro_pfs["location"], quantity="PFS printed in the Introduction vs the Abstract",
        reported=_reported(intro_pfs), inputs=["intro-pfs", "abs-disease-control"]))

    # Scans that could end the PFS: where target lesion 3 was called PD, where it was called poorly
    # controlled, and the CT "two months later" that the paper calls progression.
    candidate_ends = {
        f"lesion 3 PD ({dates['ev-ct-2022-01'][0]})": dates["ev-ct-2022-01"][0],
        f"lesion 3 poorly controlled ({dates['ev-ct-2024-03'][0]})": dates["ev-ct-2024-03"][0],
        "the progression CT (May 2024, reconstructed)": progression,
    }
    event_check = kernel.with_note(
        interval_from_candidate_origins(intro_pfs["printed"], {"the first DEB-TACE": first_tace}, candidate_ends,
                                        quantity="the PFS"),
        "; RECIST 1.1 defines progression on the sum of target diameters, which the paper does not print, so "
        "which scan first met it cannot be recomputed")
    claims.append(STUDY_ROWS.claim("intro-pfs", event_check, location=intro_pfs["location"],
                         quantity="Which scan ends the 29-month PFS", reported=_reported(intro_pfs),
                         inputs=["intro-pfs", "jan2022-lesion3", "mar2024-lesion3", "ev-ct-2022-01"]))

    origins = {
        "the first DEB-TACE (December 3, 2021)": first_tace,
        "the liver metastases (2021, reconstructed)": dates["ev-liver-metastases"][0],
        "the resection (2020, reconstructed)": dates["ev-resection"][0],
    }
    claims.append(STUDY_ROWS.claim("tx-os", interval_from_candidate_origins(overall["printed"], origins, death,
                                                                  quantity="overall survival"),
                         location=overall["location"], quantity="Overall survival, death on 5 October 2024",
                         reported=_reported(overall),
                         inputs=["tx-os", FIRST_DEBTACE, "ev-liver-metastases", "ev-resection", "ev-death",
                                 "ev-new-metastases"]))
    claims.append(STUDY_ROWS.claim("tx-os", rules.pfs_not_exceeding_os(abstract_pfs["printed"], overall["printed"]),
                         location=overall["location"], quantity="PFS 29 months vs OS 34 months",
                         reported=f"PFS {abstract_pfs['printed']}, OS {overall['printed']} months",
                         inputs=["tx-os", "abs-disease-control"]))
    return claims


def _session_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    events = event_table(data_dir)
    counted = sessions(data_dir)
    dated = counted[counted["date"] != ""]
    undated = counted[counted["date"] == ""]
    claims = []
    for number_id in ("abs-debtace-sessions", "tx-liver-function-sessions"):
        number = kernel.number(numbers, number_id)
        claims.append(STUDY_ROWS.claim(number_id, count_of_dated_events(as_digits(number["printed"]), list(dated["date"]),
                                                              undated_mentions=len(undated)),
                             location=number["location"], quantity="Number of TACE sessions",
                             reported=_reported(number), inputs=[number_id, *counted["event_id"]]))

    number = kernel.number(numbers, "abs-debtace-sessions")
    embolized = counted[counted["kind"] == "embolization"]
    angiography_only = counted[counted["kind"] == "arteriography"]
    angiography_dates = ", ".join(date or "one undated" for date in angiography_only["date"])
    claims.append(STUDY_ROWS.claim("abs-debtace-sessions", rules.definition_stated(
        f"'DEB-TACE {number['printed']} times'",
        {"every session, with or without embolization": f"{len(counted)} sessions",
         "sessions in which beads were delivered": f"{len(embolized)} sessions (no embolization on "
                                                   f"{angiography_dates})"}),
        location=number["location"], quantity="DEB-TACE sessions in which embolization was performed",
        reported=_reported(number), inputs=["abs-debtace-sessions", *angiography_only["event_id"]]))

    four = kernel.number(numbers, "tx-four-sessions")
    listed = ["ev-tace-2022-04", "ev-tace-2022-08", "ev-tace-2022-12", "ev-tace-2023-03"]
    listed_dates = list(events.set_index("event_id").loc[listed, "date"])
    claims.append(STUDY_ROWS.claim("tx-four-sessions", count_of_dated_events(as_digits(four["printed"]), listed_dates),
                         location=four["location"], quantity="DEB-TACE sessions listed April 2022 to March 2023",
                         reported=_reported(four), inputs=["tx-four-sessions", *listed]))

    # An ordinal counts every session narrated up to and including the one it names.
    for position, record in enumerate(counted.to_dict(orient="records")):
        if not record["session_ordinal"] or not record["date"]:
            continue
        before = counted.iloc[: position + 1]
        claims.append(STUDY_ROWS.claim(record["event_id"], count_of_dated_events(
            as_digits(record["session_ordinal"]), list(before.loc[before["date"] != "", "date"]),
            int((before["date"] == "").sum()), counted="sessions up to this one"),
            location=record["location"], quantity=f"Ordinal of the TACE session of {record['date']}",
            reported=f"{record['session_ordinal']} ({record['date']})", inputs=list(before["event_id"])))

    seventh = kernel.number(numbers, "disc-seventh-session")
    caption = events.set_index("event_id").loc["ev-angio-2023-06"]
    claims.append(STUDY_ROWS.claim("disc-seventh-session", rules.same_quantity_agrees(
        {"Figure 2c caption (June 21, 2023)": as_digits(caption["session_ordinal"]),
         "Discussion": as_digits(seventh["printed"])}),
        location=seventh["location"], quantity="The session after which no tumour staining was seen",
        reported=f"{seventh['printed']} session", inputs=["disc-seventh-session", "ev-angio-2023-06"]))
    return claims


def _chronology_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    events = event_table(data_dir)
    dated = events[events["date"] != ""]
    by_event = events.set_index("event_id")
    claims = [STUDY_ROWS.claim("events", chronology(list(zip(dated["event_id"], dated["date"]))),
                     location="Case Presentation; Treatment and Follow-up; Figure 2c caption",
                     quantity="Order of the printed dates", reported=f"{len(dated)} printed dates",
                     inputs=list(dated["event_id"]))]

    dates = event_dates(data_dir)
    # Before the first DEB-TACE the paper narrates: resection, one year, liver metastases, biopsy,
    # two cycles of chemotherapy, two months, progression, genetic testing. Minimum durations are
    # read generously ("one year" as 11 months, "two months" as 6 weeks, two cycles as 2 weeks,
    # since no cycle length is printed) so that only a clear contradiction is flagged.
    claims.append(STUDY_ROWS.claim("ev-liver-metastases", elapsed_time_fits(
        "the resection", dates["ev-resection"][0],
        [("'one year after the operation'", 335), ("two cycles of chemotherapy", 14), ("'two months later'", 42)],
        "the first DEB-TACE", dates[FIRST_DEBTACE][0]),
        location="Case Presentation, paragraph 1",
        quantity="Time from the resection (2020, reconstructed) to the first DEB-TACE",
        reported="; ".join([_as_phrase(by_event.loc["ev-liver-metastases", "timing_as_printed"]),
                            f"{kernel.number(numbers, 'case-chemo-cycles')['printed']} cycles",
                            _as_phrase(by_event.loc["ev-chemo-progression", "timing_as_printed"])]),
        inputs=["ev-presentation", "ev-resection", "ev-radiotherapy", "ev-liver-metastases", "ev-liver-biopsy",
                "ev-chemotherapy", "ev-chemo-progression", "ev-genetic-test", FIRST_DEBTACE]))

    mets_abstract = kernel.number(numbers, "abs-mets-after-surgery")
    mets_event = by_event.loc["ev-liver-metastases"]
    claims.append(STUDY_ROWS.claim("abs-mets-after-surgery", rules.same_quantity_agrees(
        {"Abstract": as_digits(mets_abstract["printed"]),
         "Case Presentation": as_digits(mets_event["timing_as_printed"].split()[0])}),
        location=mets_abstract["location"], quantity="Years from the resection to the liver metastases",
        reported=_as_phrase(mets_event["timing_as_printed"]), inputs=["abs-mets-after-surgery", "ev-liver-metastases"]))

    cycles = {number_id: kernel.number(numbers, number_id) for number_id in ("abs-chemo-cycles", "case-chemo-cycles")}
    claims.append(STUDY_ROWS.claim("case-chemo-cycles", rules.same_quantity_agrees(
        {number["location"]: as_digits(number["printed"]) for number in cycles.values()}),
        location=cycles["case-chemo-cycles"]["location"], quantity="Cycles of doxorubicin plus ifosfamide",
        reported=cycles["case-chemo-cycles"]["printed"], inputs=list(cycles)))

    claims.append(STUDY_ROWS.claim("ev-anlotinib", chronology([
        ("first DEB-TACE", dates[FIRST_DEBTACE][0]),
        ("anlotinib start (December 6, 2021, reconstructed from 'the third postoperative day')",
         dates["ev-anlotinib"][0]),
        ("first CT assessment", dates["ev-ct-2022-01"][0])]),
        location="Treatment and Follow-up, paragraph 1; Discussion, paragraph 5",
        quantity="Anlotinib started after the first DEB-TACE", reported=by_event.loc["ev-anlotinib", "timing_as_printed"].removeprefix("on the "),
        inputs=["ev-anlotinib"]))
    return claims


def _response_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    assessments = lesion_assessments(data_dir)
    events = event_table(data_dir).set_index("event_id")
    claims = []
    per_lesion = assessments[assessments["target_lesion"] != "all"]
    for event_id, group in per_lesion.groupby("event_id", sort=False):
        claims.append(STUDY_ROWS.claim(event_id, recist.per_lesion_assessment_is_not_recist(
            {f"target lesion {row.target_lesion}": row.response_as_printed for row in group.itertuples()}),
            location=group["location"].iloc[0], quantity=f"Response per target lesion, CT of {events.loc[event_id, 'date']}",
            reported="; ".join(f"lesion {row.target_lesion} {row.response_as_printed}" for row in group.itertuples()),
            inputs=[event_id, *group["assessment_id"]]))

    targets = kernel.number(numbers, "tx-target-lesions")
    liver_targets = [recist.Lesion(f"target lesion {index}", "liver") for index in range(1, int(as_digits(targets["printed"])) + 1)]
    claims.append(STUDY_ROWS.claim("tx-target-lesions", recist.target_lesion_selection(liver_targets),
                         location=targets["location"], quantity="RECIST 1.1 target lesions chosen in the liver",
                         reported=f"{targets['printed']} intrahepatic target lesions", inputs=["tx-target-lesions"]))

    overall = assessments[assessments["target_lesion"] == "all"]
    for row in overall.itertuples():
        if row.assessment_id == "may2024-overall":
            continue  # read by the PFS claim, which it ends
        when = events.loc[row.event_id, "date"] if row.event_id else "best overall response"
        claims.append(STUDY_ROWS.claim(row.assessment_id, rules.not_checkable(
            "Figure 2a plots the target-lesion diameters but the paper prints none, so the RECIST 1.1 category "
            "cannot be recomputed"),
            location=row.location, quantity=f"Overall RECIST 1.1 response ({when})",
            reported=row.response_as_printed, inputs=[row.assessment_id] + ([row.event_id] if row.event_id else [])))
    return claims


def _staging_claims(numbers: pd.DataFrame) -> list[Claim]:
    size = kernel.number(numbers, "case-primary-size")
    ajcc = kernel.number(numbers, "case-ajcc-stage")
    msts = kernel.number(numbers, "case-msts-stage")
    greatest = max(size["printed"].split("×"), key=float)
    # Staged at the resection: the liver metastases came a year later (M0); nodes and grade are not printed.
    ajcc_check = rules.ajcc8_retroperitoneal_stage(ajcc["printed"], greatest, metastasis="M0",
                                                   caveat="the paper does not name the AJCC edition")
    # When the MSTS stage was assigned, and so whether metastases counted, the paper does not say.
    msts_check = rules.msts_stage_definition(msts["printed"], musculoskeletal=False)
    return [
        STUDY_ROWS.claim("case-ajcc-stage", ajcc_check, location=ajcc["location"], quantity="AJCC stage of the primary tumour",
               reported=f"{ajcc['printed']}; size {size['printed']} cm", inputs=["case-ajcc-stage", "case-primary-size"]),
        STUDY_ROWS.claim("case-msts-stage", msts_check, location=msts["location"], quantity="MSTS stage of the primary tumour",
               reported=msts["printed"], inputs=["case-msts-stage"]),
    ]


def _single_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    """The claims the study declares as data (claims.csv): numbers stated once, and printings
    of the same dose and bead size."""
    return kernel.declared_claims(STUDY_ROWS, _tables(data_dir).get(kernel.CLAIMS_TABLE), numbers,
                                  f"data/{STUDY}/{kernel.CLAIMS_TABLE}.csv", UNITS)


def _session_date_claims(numbers: pd.DataFrame, data_dir: Path) -> list[Claim]:
    """A session date printed again (the Figure 2c legend, key ``debtace.session_date[<ordinal>]``)
    against the date of the event the paper numbers so."""
    events = event_table(data_dir)
    claims = []
    for record in numbers[numbers["key"].str.startswith("debtace.session_date[")].to_dict(orient="records"):
        ordinal = record["key"].split("[", 1)[1].rstrip("]")
        numbered = events.loc[events["session_ordinal"] == ordinal]
        if numbered.empty:
            check, inputs = rules.not_checkable(f"no session of the case is numbered '{ordinal}'"), []
        else:
            event = numbered.iloc[0]
            check, inputs = same_date_agrees(record["printed"], event["date"]), [event["event_id"]]
        claims.append(STUDY_ROWS.claim(record["number_id"], check, location=record["location"],
                             quantity=f"date of the {ordinal} TACE session", reported=record["printed"],
                             inputs=[record["number_id"], *inputs]))
    return claims


@memoised_per_data_dir
def claims(data_dir: Path) -> tuple[Claim, ...]:
    numbers = text_numbers(data_dir)
    found = (_survival_claims(numbers, data_dir) + _session_claims(numbers, data_dir)
             + _chronology_claims(numbers, data_dir) + _response_claims(numbers, data_dir)
             + _staging_claims(numbers) + _single_claims(numbers, data_dir) + _session_date_claims(numbers, data_dir))
    read = {item for claim in found for item in claim.inputs}
    found += [STUDY_ROWS.claim(record["number_id"], check, location=record["location"], quantity=record["key"],
                     reported=_reported(record), inputs=[record["number_id"]])
              for record, check in unread_numbers(numbers, read)]
    return tuple(found)


def ledger_rows(data_dir: Path | None = None) -> list[LedgerRow]:
    return with_judgements([claim.row for claim in claims(data_dir)], _tables(data_dir).get(CONCLUSIONS_TABLE), STUDY)


def claim_inputs(data_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """For each claim_id, the ids of the data rows it was computed from."""
    return {claim.row.claim_id: claim.inputs for claim in claims(data_dir)}


def citable_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return {"lms-debtace-events": event_table(data_dir),
            "lms-debtace-lesion-assessments": lesion_assessments(data_dir),
            "lms-debtace-text-numbers": text_numbers(data_dir)}


# ---------------------------------------------------------------------------------------------
# timeline

TIMELINE_KINDS = {"presentation": "diagnosis", "surgery": "surgery", "radiotherapy": "treatment",
                  "imaging": "assessment", "biopsy": "biopsy", "chemotherapy": "treatment",
                  "embolization": "treatment", "arteriography": "angiography only", "targeted-therapy": "treatment",
                  "progression": "progression", "death": "death"}
TIMELINE_LANES = {"embolization": "TACE sessions", "arteriography": "TACE sessions", "targeted-therapy": "anlotinib",
                  "imaging": "imaging", "progression": "imaging", "death": "outcome", "surgery": "before TACE",
                  "radiotherapy": "before TACE", "chemotherapy": "before TACE"}
TIMELINE_LANE_ORDER = ("before TACE", "TACE sessions", "anlotinib", "imaging", "outcome")


def timeline_events(data_dir: Path | None = None) -> pd.DataFrame:
    """The events a timeline can place, in `timeline_plots` columns: printed dates as printed,
    reconstructed ones labelled "(reconstructed)"; events without either are left out."""
    assessments = lesion_assessments(data_dir)
    annotation = {event_id: "/".join(group["response_as_printed"].str.replace("well controlled", "ok")
                                     .str.replace("poorly controlled", "poor"))
                  for event_id, group in assessments[assessments["event_id"] != ""].groupby("event_id", sort=False)}
    death = event_table(data_dir).set_index("event_id").loc["ev-death", "date"]
    rows = []
    for record in event_table(data_dir).to_dict(orient="records"):
        if record["kind"] not in TIMELINE_LANES:
            continue
        printed = record["date"]
        reconstructed = RECONSTRUCTED_DATES.get(record["event_id"])
        if not printed and reconstructed is None:
            continue
        label = {"embolization": "TACE", "arteriography": "angio", "imaging": "CT", "targeted-therapy": "anlotinib",
                 "progression": "PD", "death": "death", "surgery": "resection", "presentation": "presentation",
                 "radiotherapy": "RT", "chemotherapy": "chemo"}[record["kind"]]
        rows.append({
            "date": printed or reconstructed[0],
            "end_date": death if record["kind"] == "targeted-therapy" else "",
            "kind": TIMELINE_KINDS[record["kind"]],
            "lane": TIMELINE_LANES[record["kind"]],
            "label": label + ("" if printed else " (reconstructed)"),
            "annotation": "" if record["kind"] == "progression" else annotation.get(record["event_id"], ""),
        })
    return pd.DataFrame(rows)


def timeline_figure(data_dir: Path | None = None):
    """The swimmer timeline of the case in months from the first DEB-TACE, and the data it plots."""
    from sarcoma_review.timeline_plots import plot_timeline, timeline_frame

    first = event_table(data_dir).set_index("event_id").loc[FIRST_DEBTACE, "date"]
    events = timeline_events(data_dir)
    fig, _ = plot_timeline(events, first, origin_label="first DEB-TACE", bar_kinds=("treatment",),
                           lane_order=TIMELINE_LANE_ORDER, height=3.8, label_events=False)
    return fig, timeline_frame(events, first)


# ---------------------------------------------------------------------------------------------
# numbers the chapter glues (computed here so that the chapter holds no logic)


def chapter_numbers(data_dir: Path | None = None) -> dict[str, str]:
    numbers = text_numbers(data_dir).set_index("number_id")["printed"]
    dates = event_dates(data_dir)
    first, death = dates[FIRST_DEBTACE][0], dates["ev-death"][0]
    counted = sessions(data_dir)
    os_low, _ = months_between(first, death)
    pfs_low, pfs_high = months_between(first, dates["ev-progression"][0])
    jan_low, _ = months_between(first, dates["ev-ct-2022-01"][0])
    by_verdict = pd.Series([claim.row.verdict for claim in claims(data_dir)]).value_counts()
    return {
        "age": numbers["case-age"],
        "primary_size": numbers["case-primary-size"],
        "rt_dose": numbers["case-radiotherapy-dose"],
        "epirubicin": numbers["tx-epirubicin-first"],
        "bead_size": numbers["tx-bead-size-first"],
        "anlotinib_dose": numbers["tx-anlotinib-dose"],
        "pfs": numbers["abs-disease-control"],
        "os": numbers["tx-os"],
        "sessions_printed": numbers["abs-debtace-sessions"],
        "sessions_described": str(len(counted)),
        "sessions_embolized": str(int((counted["kind"] == "embolization").sum())),
        "sessions_angiography_only": str(int((counted["kind"] == "arteriography").sum())),
        "sessions_dated": str(int((counted["date"] != "").sum())),
        "first_tace": dates[FIRST_DEBTACE][0].text,
        "death": dates["ev-death"][0].text,
        "os_recomputed": f"{os_low:.1f}",
        "pfs_recomputed_low": f"{pfs_low:.1f}",
        "pfs_recomputed_high": f"{pfs_high:.1f}",
        "lesion3_pd_months": f"{jan_low:.1f}",
        "target_lesions": numbers["tx-target-lesions"],
        "targets_per_organ_limit": str(recist.MAX_TARGETS_PER_ORGAN),
        "presentation_year": event_table(data_dir).set_index("event_id").loc["ev-presentation", "date"],
        "chemo_cycles": numbers["case-chemo-cycles"],
        "mets_after_years": numbers["abs-mets-after-surgery"],
        "ki67": numbers["fig1-ki67"],
        "weeks_on": numbers["tx-anlotinib-weeks-on"],
        "weeks_off": numbers["tx-anlotinib-weeks-off"],
        "ajcc": numbers["case-ajcc-stage"],
        "msts": numbers["case-msts-stage"],
        "t_category": ajcc8_retroperitoneal_t(max(recist.parse_size_mm(numbers["case-primary-size"] + " cm")) / 10),
        "ct_jan2022": dates["ev-ct-2022-01"][0].text,
        "ct_apr2022": dates["ev-ct-2022-04"][0].text,
        "ct_jun2023": dates["ev-ct-2023-06"][0].text,
        "angio_jun2023": dates["ev-angio-2023-06"][0].text,
        "ct_mar2024": dates["ev-ct-2024-03"][0].text,
        "sessions_listed": numbers["tx-four-sessions"],
        "reconstructed_resection": RECONSTRUCTED_DATES["ev-resection"][0],
        "reconstructed_mets": RECONSTRUCTED_DATES["ev-liver-metastases"][0],
        "reconstructed_progression": RECONSTRUCTED_DATES["ev-progression"][0],
        "progression_after": event_table(data_dir).set_index("event_id").loc["ev-progression", "timing_as_printed"].split()[0].lower(),
        "ordinal_aug2022": event_table(data_dir).set_index("event_id").loc["ev-tace-2022-08", "session_ordinal"],
        "ordinal_jun2023": event_table(data_dir).set_index("event_id").loc["ev-angio-2023-06", "session_ordinal"],
        "last_embolization": dates["ev-tace-2023-03"][0].text,
        "lesion3_poor_months": f"{months_between(first, dates['ev-ct-2024-03'][0])[0]:.1f}",
        "os_from_resection_low": f"{months_between(dates['ev-resection'][0], death)[0]:.1f}",
        "os_from_resection_high": f"{months_between(dates['ev-resection'][0], death)[1]:.1f}",
        "claims_total": str(len(claims(data_dir))),
        **{f"claims_{verdict.replace('-', '_')}": str(int(by_verdict.get(verdict, 0)))
           for verdict in ("consistent", "inconsistent", "ambiguous", "not-checkable")},
    }
