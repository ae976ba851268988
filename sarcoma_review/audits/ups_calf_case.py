"""Audit of case report 000: TACE for recurrent undifferentiated pleomorphic sarcoma of the calf.

"Case Report: Three-year follow-up of TACE for recurrent undifferentiated pleomorphic sarcoma:
sustained local control and no systemic progression" (Zigong Third People's Hospital; authors not
given in the source text). A single patient: resection in February 2018, local recurrence in June
2022, two TACE sessions (Jun 13 and Jul 14, 2022), last visit in April 2025.

Every printed number gets at least one ledger row. Where one quantity is printed in several places,
one printing is the reference (the case description, section 2, which narrates the case) and gets
the substantive rule; every other printing is compared with it. Durations are recomputed from the
printed dates from every origin the paper could mean, because it rarely says which one it uses.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from claimcheck import recist, rules
from claimcheck.checks import Check
from claimcheck.dates import PartialDate, age_consistent, age_range_at, chronology, \
    count_of_dated_events, interval_from_candidate_origins, interval_matches_dates, months_between, parse_date, \
    same_date_agrees, time_point_agrees
from claimcheck.ledger import LedgerRow

from sarcoma_review import datapackage
from sarcoma_review.audits import kernel
from sarcoma_review.audits.unread import unread_numbers
from sarcoma_review.ledger import CONCLUSIONS_TABLE, with_judgements

STUDY = "ups_calf_case"
CITATION_KEY = "ups2025tace"
SOURCES = ("000_ed17c4af9a8f25a3.txt",)
SOURCE = SOURCES[0]
CLAIM_PREFIX = "ups"

EVENT_ORDER = ("dx", "resection", "recurrence", "tace1", "tace2", "fu1m", "fu6m", "final")
EVENT_NAMES = {
    "dx": "presentation and diagnostic biopsy",
    "resection": "resection",
    "recurrence": "recurrence",
    "tace1": "first TACE",
    "tace2": "second TACE",
    "fu1m": "one-month follow-up",
    "fu6m": "six-month follow-up",
    "final": "last follow-up",
}
SCALE_MAXIMUM = {"VAS": "10", "MSTS-93": "30"}
UNIT_WORDS = {"percent": "%", "months": "months", "years": "years", "days": "days", "count": "",
              "cm": "cm", "mm": "mm", "um": "µm", "mg": "mg", "fold": "×", "none": ""}


# ---------------------------------------------------------------------------------------------
# data access


# The tables come from the current data folder (`datapackage.reading_from` points tests at a
# copy); the memos below are kept per folder.
@datapackage.memoised_per_data_dir
def _tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    return datapackage.load_study(STUDY, data_dir)


def clear_caches() -> None:
    """Forget tables read so far (after a folder's files were edited in place)."""
    for cached in (_tables, reference_dates, recist_table):
        cached.cache_clear()  # type: ignore[attr-defined]


def tables() -> dict[str, pd.DataFrame]:
    """The study's transcribed tables, keyed by file stem (copies: callers may modify them)."""
    return {name: frame.copy() for name, frame in _tables().items()}


TEXT_TABLES = ("text_abstract", "text_introduction", "text_case", "text_tables_figures", "text_discussion")


def text_numbers() -> pd.DataFrame:
    """Every text-block row of the study, in paper order."""
    return pd.concat([_tables()[name] for name in TEXT_TABLES], ignore_index=True)


@datapackage.memoised_per_data_dir
def reference_dates(data_dir: Path) -> dict[str, PartialDate]:
    """For each event, its most precise printed date (first printing on ties): the date the
    intervals are recomputed from. "Jun 13, 2022" beats "June 2022" for the first TACE."""
    best: dict[str, PartialDate] = {}
    for record in _tables(data_dir)["events"].to_dict(orient="records"):
        date = parse_date(record["date"])
        current = best.get(record["event_key"])
        if current is None or date.span_days < current.span_days:
            best[record["event_key"]] = date
    return best


_ROWS = kernel.Study(CLAIM_PREFIX, SOURCE, CITATION_KEY)
_row = _ROWS.row


# This paper's notes follow the explanation after "; ".
_with_note = functools.partial(kernel.with_note, separator="; ")


# ---------------------------------------------------------------------------------------------
# durations: which origin does a printed interval count from?


@dataclass(frozen=True)
class IntervalReading:
    """How a printed duration is recomputed: to which event, from which possible origins.

    `origin_stated` is True when the paper names the origin ("six months after the second TACE");
    then `origins` has one element. Otherwise every origin the wording allows is tried.
    """

    end: str
    origins: tuple[str, ...]
    origin_stated: bool
    approximate: bool = False


# Each printed duration, and the origins its wording allows. "Postoperatively" in the Figure 4
# caption may mean the 2018 resection (its ordinary sense) or a TACE session (panels A-C of the
# same caption count from "the second interventional procedure"), so all three are tried.
TREATMENT_ORIGINS = ("tace1", "tace2")
SURVIVAL_ORIGINS = ("recurrence", "tace1", "tace2")
POSTOPERATIVE_ORIGINS = ("resection", "tace1", "tace2")
INTERVAL_READINGS: dict[str, IntervalReading] = {
    "title-followup": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "abs-necrosis-time": IntervalReading("fu1m", TREATMENT_ORIGINS, False),
    "abs-stable-time": IntervalReading("fu6m", TREATMENT_ORIGINS, False),
    "abs-pfs": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "abs-followup": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "intro-local-control": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "case-recurrence-interval": IntervalReading("recurrence", ("resection",), True, approximate=True),
    "case-fu1m-interval": IntervalReading("fu1m", ("tace2",), True),
    "case-fu6m-interval": IntervalReading("fu6m", ("tace2",), True),
    "case-followup-period": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "t1-fu1m-label": IntervalReading("fu1m", TREATMENT_ORIGINS, False),
    "t1-fu6m-label": IntervalReading("fu6m", TREATMENT_ORIGINS, False),
    "fig2-recurrence-interval": IntervalReading("recurrence", ("resection",), True),
    "fig4-fu1m-mri": IntervalReading("fu1m", ("tace2",), True),
    "fig4-fu1m-biopsy": IntervalReading("fu1m", ("tace2",), True),
    "fig4-fu6m-ct": IntervalReading("fu6m", POSTOPERATIVE_ORIGINS, False),
    "fig4-final-mri": IntervalReading("final", POSTOPERATIVE_ORIGINS, False),
    "disc-pfs-vs-ext": IntervalReading("final", SURVIVAL_ORIGINS, False),
    "disc-pfs": IntervalReading("final", SURVIVAL_ORIGINS, False),
}


# Durations that end at the last visit: nothing after it is documented.
LAST_VISIT_BOUNDED = ("pfs.duration", "local_control.duration", "followup.duration")


def _interval_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    dates = reference_dates()
    out = []
    for record in numbers.to_dict(orient="records"):
        reading = INTERVAL_READINGS.get(record["number_id"])
        if reading is None:
            continue
        origins = {f"{EVENT_NAMES[key]} ({dates[key]})": dates[key] for key in reading.origins}
        printed = kernel.digits(record["printed"])
        if reading.origin_stated:
            (origin,) = origins.values()
            stated = interval_matches_dates(printed, origin, dates[reading.end], approximate=reading.approximate,
                                            unit=record["unit"])
            check = replace(stated, recomputed=f"from {next(iter(origins))}: {stated.recomputed}",
                            explanation=f"origin stated by the paper: {stated.explanation}")
        else:
            check = interval_from_candidate_origins(printed, origins, dates[reading.end],
                                                    approximate=reading.approximate, unit=record["unit"])
        if record["key"] in LAST_VISIT_BOUNDED and check.verdict != "consistent":
            check = _with_note(check, "the paper documents the patient only up to the last visit "
                                      f"({dates['final']}), so no longer time can be claimed")
        out.append(_row(record["number_id"], check, location=record["location"],
                        quantity=f"{record['key']} (to {EVENT_NAMES[reading.end]})",
                        reported=f"{record['printed']} {record['unit']}"))
    return out


# ---------------------------------------------------------------------------------------------
# dates: each printing in order, and each agreeing with the event's most precise printing


def _event_rows() -> list[LedgerRow]:
    events = _tables()["events"]
    dates = reference_dates()
    out = []
    for record in events.to_dict(orient="records"):
        key = record["event_key"]
        this = parse_date(record["date"])
        sequence = [(EVENT_NAMES[k], this if k == key else dates[k]) for k in EVENT_ORDER]
        check = chronology(sequence)
        out.append(_row(record["event_id"], check, location=record["location"],
                        quantity=f"date of {EVENT_NAMES[key]}", reported=record["date"]))
        reference = dates[key]
        if this.text != reference.text:
            out.append(_row(record["event_id"], same_date_agrees(this, reference),
                            location=record["location"], quantity=f"date of {EVENT_NAMES[key]}",
                            reported=record["date"]))
    return out


# ---------------------------------------------------------------------------------------------
# ages


def _age_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    by_id = numbers.set_index("number_id")
    case, abstract = by_id.loc["case-age"], by_id.loc["abs-age"]
    dates = reference_dates()
    agree = rules.same_quantity_agrees({"section 2.1": case["printed"], "abstract": abstract["printed"]})
    rows = [_row("case-age", agree, location=case["location"], quantity="age at presentation (years)",
                 reported=f"{case['printed']} years")]
    # The abstract does not date the age; read as the age at the TACE it reports, it cannot be 48.
    at_tace = age_consistent(case["printed"], dates["dx"], abstract["printed"], dates["tace1"])
    youngest, oldest = age_range_at(case["printed"], dates["dx"], dates["tace1"])
    if at_tace.verdict == "inconsistent":
        at_tace = Check(
            at_tace.rule, at_tace.recomputed, "ambiguous",
            f"the abstract gives no date for the age: it matches section 2.1's age at presentation ({dates['dx']}), "
            f"but read as the age at the recurrence and TACE (the abstract's subject) it is "
            f"{youngest - int(abstract['printed'])}-{oldest - int(abstract['printed'])} years short "
            f"(she would be {youngest}-{oldest} on {dates['tace1']})")
    rows.append(_row("abs-age", at_tace, location=abstract["location"], quantity="age (years), time point undated",
                     reported=f"{abstract['printed']} years"))
    return rows


# ---------------------------------------------------------------------------------------------
# repeated quantities: necrosis, enhancement, sessions


def _range_ends(printed: str) -> tuple[str, str]:
    low, high = printed.replace("–", "-").split("-")
    return low.strip(), high.strip()


def _necrosis_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    printings = numbers[numbers["key"] == "necrosis.pct"]
    reference = printings[printings["number_id"] == "case-necrosis"].iloc[0]
    rows = [_row("case-necrosis", rules.not_checkable(
        "a pathologist's estimate of the necrotic fraction in three core-biopsy samples; the paper gives no "
        "counting method, and three cores need not represent the whole tumour"),
        location=reference["location"], quantity="tumour necrosis at one month (% of biopsy tissue)",
        reported=f"{reference['printed']}%")]
    ref_low, ref_high = _range_ends(reference["printed"])
    for record in printings.to_dict(orient="records"):
        if record["number_id"] == "case-necrosis":
            continue
        low, high = _range_ends(record["printed"])
        lower_end = rules.same_quantity_agrees({"2.4": ref_low, record["location"]: low})
        upper_end = rules.same_quantity_agrees({"2.4": ref_high, record["location"]: high})
        worst = lower_end if lower_end.verdict != "consistent" else upper_end
        check = Check("same_quantity_agrees", f"{low}-{high}% vs {ref_low}-{ref_high}% (section 2.4)",
                      worst.verdict, f"both ends agree with section 2.4's {ref_low}-{ref_high}%"
                      if worst.verdict == "consistent" else worst.explanation)
        rows.append(_row(record["number_id"], check, location=record["location"],
                         quantity="tumour necrosis at one month (%)", reported=f"{record['printed']}%"))
    return rows


def _count_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    dates = reference_dates()
    rows = []
    for record in numbers[numbers["key"] == "tace.sessions"].to_dict(orient="records"):
        check = count_of_dated_events(kernel.digits(record["printed"]), [dates["tace1"], dates["tace2"]])
        rows.append(_row(record["number_id"], check, location=record["location"],
                         quantity="number of TACE sessions", reported=record["printed"]))
    factors = numbers[numbers["number_id"] == "case-mdt-factors"].iloc[0]
    # The paragraph enumerates its factors as (1), (2) and (3).
    check = rules.same_quantity_agrees({"printed": kernel.digits(factors["printed"]), "items (1)-(3) listed": "3"})
    rows.append(_row("case-mdt-factors", check, location=factors["location"],
                     quantity="factors behind the MDT decision (count)", reported=factors["printed"]))
    return rows


def _enhancement_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    by_id = numbers.set_index("number_id")
    text, table = by_id.loc["case-enhancement"], by_id.loc["t2-enhancement"]
    rows = [_row("case-enhancement", rules.not_checkable(
        "the paper does not say what the enhancement is relative to (unenhanced tumour, muscle) or how it "
        "was measured, so >120% cannot be recomputed"),
        location=text["location"], quantity="contrast enhancement of the recurrence (%)",
        reported=f"{text['printed']}%"),
        _row("t2-enhancement", rules.same_quantity_agrees({"2.2": text["printed"], "Table 2": table["printed"]}),
             location=table["location"], quantity="contrast enhancement of the recurrence (%)",
             reported=f"{table['printed']}%")]
    return rows


# ---------------------------------------------------------------------------------------------
# comparisons the discussion draws


def _comparison_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    by_id = numbers.set_index("number_id")
    dates = reference_dates()
    necrosis = by_id.loc["disc-necrosis-orr"]
    rows = [_row("disc-necrosis-orr", rules.comparable_quantities(
        "'our 60-70% necrosis rate aligns with the 30-70% objective responses'",
        rules.ComparedQuantity("60-70% necrotic tissue in one tumour", "the necrotic fraction of one tumour's tissue (%)"),
        rules.ComparedQuantity("30-70% of patients responding in cohorts",
                               "the fraction of a cohort's patients with an objective response (%)"),
        relation="overlaps"),
        location=necrosis["location"], quantity="necrosis (%) compared with cohort response rates (%)",
        reported=f"{necrosis['printed']}%")]
    pfs = by_id.loc["disc-pfs-vs-ext"]
    low = min(months_between(dates[key], dates["final"])[0] for key in SURVIVAL_ORIGINS)
    high = max(months_between(dates[key], dates["final"])[1] for key in SURVIVAL_ORIGINS)
    ext_low, ext_high = _range_ends(by_id.loc["disc-ext-pfs"]["printed"])
    measure = "progression-free time (months)"
    rows.append(_row("disc-pfs-vs-ext", rules.comparable_quantities(
        "'36-month progression-free survival far exceeds their reported medians of 6.3-21 months'",
        rules.ComparedQuantity(f"one patient progression-free for {low:.1f}-{high:.1f} months by the dates",
                               measure, low, high),
        rules.ComparedQuantity(f"cohort medians {ext_low}-{ext_high} months", measure, float(ext_low), float(ext_high)),
        relation="exceeds",
        caveat="but one patient's censored time without progression is not an estimate of a median, and the "
               "cohorts had advanced, mostly metastatic disease (a selection the paper itself names)"),
        location=pfs["location"], quantity="PFS compared with quoted cohort medians",
        reported=f"{pfs['printed']} months"))
    return rows


# ---------------------------------------------------------------------------------------------
# numbers with nothing to recompute them from

NOT_CHECKABLE_REASONS = {
    "case-ki67": "an immunohistochemistry estimate on the biopsy; no counts are printed (a Ki-67 near 1% is "
                 "unusually low for UPS, which the paper does not comment on)",
    "case-catheter": "a device size, stated once",
    "case-biopsy-samples": "the number of cores taken, stated once",
    "case-walking": "patient-reported walking distance (meters), stated once",
    "fig1-magnification": "a microscope setting, stated in the caption only",
    "fig2-magnification": "a microscope setting, stated in the caption only",
    "fig4-magnification": "a microscope setting, stated in the caption only",
    "fig1-scale-bar": "a scale bar, checkable only on the image itself",
    "fig2-scale-bar": "a scale bar, checkable only on the image itself",
    "fig4-scale-bar": "a scale bar, checkable only on the image itself",
}
EXT_REFERENCES = {
    "ext.tace_sarcoma.pfs_median": "references 21 and 22",
    "ext.tace_sarcoma.orr": "references 21 and 22",
    "ext.sarcomatoid_hcc.days_to_extravasation": "reference 18",
    "ext.phyllodes.max_diameter": "reference 19",
    "ext.phyllodes.tace_cycles": "reference 19",
    "ext.phyllodes.volume_reduction": "reference 19",
    "ext.lms_debtace.pfs": "reference 20 (a DEB-TACE plus anlotinib case report; if it is source 002 of this "
                           "review, the comparator chapter checks the figure against that paper)",
    "ext.limb_sarcoma.survival_horizon": "reference 23",
    "ext.limb_ups.local_recurrence": "reference 24",
}


def _not_checkable_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    rows = []
    for record in numbers.to_dict(orient="records"):
        number_id, key = record["number_id"], record["key"]
        if number_id in NOT_CHECKABLE_REASONS:
            reason = NOT_CHECKABLE_REASONS[number_id]
        elif key.startswith("ext."):
            source = EXT_REFERENCES.get(key, "no reference is cited for it")
            reason = f"quoted from another publication ({source}); nothing in this paper to recompute it from"
        else:
            continue
        unit = UNIT_WORDS.get(record["unit"], record["unit"])
        rows.append(_row(number_id, rules.not_checkable(reason), location=record["location"],
                         quantity=key, reported=f"{record['printed']} {unit}".strip()))
    return rows


# ---------------------------------------------------------------------------------------------
# RECIST 1.1


@datapackage.memoised_per_data_dir
def recist_table(data_dir: Path) -> pd.DataFrame:
    """The RECIST 1.1 course recomputed from Table 2's longest diameters (one target lesion).

    Percent changes from baseline and from the nadir so far; the category from `recist`.
    """
    measurements = _tables(data_dir)["measurements"]
    assessed = measurements[measurements["recist_printed"] != ""]
    baseline = assessed[assessed["recist_printed"] == "Baseline"].iloc[0]
    base_sum = float(baseline["long_mm"])
    sums = [base_sum]
    rows = []
    for record in assessed.to_dict(orient="records"):
        current = float(record["long_mm"])
        is_baseline = record["recist_printed"] == "Baseline"
        nadir = recist.nadir(sums) if not is_baseline else base_sum
        rows.append({
            "time point": record["time_point"],
            "modality": record["modality"],
            "size printed (mm)": f"{record['long_mm']}×{record['short_mm']}",
            "sum of longest diameters (mm)": current,
            "change from baseline (%)": None if is_baseline else round(recist.percent_change(base_sum, current), 1),
            "nadir before this scan (mm)": None if is_baseline else nadir,
            "change from nadir (%)": None if is_baseline else round(recist.percent_change(nadir, current), 1),
            "category recomputed": "baseline" if is_baseline else recist.response_category(base_sum, nadir, current),
            "category printed": record["recist_printed"],
        })
        if not is_baseline:
            sums.append(current)
    return pd.DataFrame(rows)


def _recist_rows() -> list[LedgerRow]:
    measurements = _tables()["measurements"]
    rows = []
    by_id = measurements.set_index("measurement_id")
    baseline = by_id.loc["t2-recurrence-size"]
    lesion = recist.Lesion.from_printed_size("recurrence, right calf", "right calf soft tissue",
                                             f"{baseline['long_mm']}×{baseline['short_mm']} mm")
    selection = _with_note(recist.target_lesion_selection([lesion]),
                           "one measurable lesion may be the only target; Table 2 labels it the RECIST baseline")
    rows.append(_row("t2-recurrence-size", selection, location=baseline["location"],
                     quantity="RECIST baseline: target lesion", reported=f"{baseline['long_mm']}×{baseline['short_mm']} mm"))

    followups = measurements[measurements["recist_printed"].isin(recist.CATEGORIES)]
    previous: list[str] = []
    for record in followups.to_dict(orient="records"):
        size = f"{record['long_mm']}×{record['short_mm']} mm"
        category = recist_category_check(record["recist_printed"], baseline["long_mm"], record["long_mm"], previous)
        rows.append(_row(record["measurement_id"], category, location=record["location"],
                         quantity=f"RECIST 1.1 response at {record['time_point']}",
                         reported=f"{record['recist_printed']} ({size})"))
        rows.append(_row(record["measurement_id"],
                         recist.recist_same_method(baseline["modality"], record["modality"], record["recist_printed"]),
                         location=record["location"], quantity=f"RECIST 1.1 method at {record['time_point']}",
                         reported=f"{record['recist_printed']} by {record['modality']}"))
        previous.append(record["long_mm"])

    # "Stable tumor" at six months beside a printed PR: the word and the category disagree.
    six_months = by_id.loc["t2-fu6m-size"]
    stable = _with_note(
        recist.stable_wording_vs_recist("stable", six_months["recist_printed"], baseline["long_mm"],
                                        six_months["long_mm"], previous=by_id.loc["t2-fu1m-size"]["long_mm"]),
        "Table 1, Table 2 and the text call the tumour 'stable' at six months")
    rows.append(_row("t2-fu6m-size", stable, location=six_months["location"],
                     quantity="'stable tumor' wording at six months", reported=f"Stable tumor, RECIST: {six_months['recist_printed']}"))

    # The two pre-treatment sizes of the recurrence.
    text_size = by_id.loc["txt-recurrence-size"]
    agree = rules.same_quantity_agrees({"2.2 text (approximately)": text_size["long_mm"],
                                        "Table 2, Jun 2022": baseline["long_mm"]})
    if agree.verdict == "inconsistent":
        # "Approximately" cannot bridge 65 and 43 mm: even a 10% hedge leaves 58.5-71.5 mm.
        as_baseline = recist.response_category(float(text_size["long_mm"]), float(text_size["long_mm"]),
                                               float(by_id.loc["t2-fu1m-size"]["long_mm"]))
        change = recist.percent_change(float(text_size["long_mm"]), float(by_id.loc["t2-fu1m-size"]["long_mm"]))
        agree = _with_note(agree, f"the text's {text_size['long_mm']} × {text_size['short_mm']} mm is exactly the size "
                                  f"Table 2 prints for January 2018; taken as the baseline it would make Aug 2022 "
                                  f"{change:+.1f}% ({as_baseline}), not the printed SD")
    rows.append(_row("txt-recurrence-size", agree, location=text_size["location"],
                     quantity="size of the recurrence before TACE (longest diameter, mm)",
                     reported=f"approximately {text_size['long_mm']} × {text_size['short_mm']} mm"))
    first = by_id.loc["t2-dx-size"]
    rows.append(_row("t2-dx-size", rules.not_checkable(
        f"the only size printed for the primary tumour in January 2018 (section 2.1 gives none); it equals the "
        f"{text_size['long_mm']} × {text_size['short_mm']} mm section 2.2 gives for the June 2022 recurrence, "
        f"so one of the two is probably misplaced"),
        location=first["location"], quantity="size of the primary tumour, Jan 2018 (mm)",
        reported=f"{first['long_mm']}×{first['short_mm']} mm"))
    return rows


def recist_category_check(printed: str, baseline_mm: str, current_mm: str, previous: Sequence[str]) -> Check:
    """recist.recist_category_matches with the change from the nadir spelled out too."""
    check = recist.recist_category_matches(printed, baseline_mm, current_mm, previous=list(previous))
    if not previous:
        return check
    nadir = min([float(baseline_mm)] + [float(value) for value in previous])
    change = recist.percent_change(nadir, float(current_mm))
    return replace(check, recomputed=f"{check.recomputed}; {change:+.1f}% from nadir {nadir:g} mm")


def _definition_harm() -> str:
    """Whether a misprinted definition could have changed one of this patient's categories."""
    sums = list(recist_table()["sum of longest diameters (mm)"])
    if all(later <= earlier for earlier, later in zip(sums, sums[1:])):
        return (f"harmless in this patient, whose sums only fell ({' -> '.join(f'{value:g}' for value in sums)} mm), "
                "but not RECIST 1.1")
    return "this patient's sums rose at some scan, so the printed categories may depend on the definition"


def _recist_definition_rows(numbers: pd.DataFrame) -> list[LedgerRow]:
    by_id = numbers.set_index("number_id")
    rows = []
    for number_id, category in (("t2-sd-definition", "SD"), ("t2-pr-definition", "PR")):
        record = by_id.loc[number_id]
        check = recist.recist_definition_matches(record["printed"], category)
        if check.verdict != "consistent":
            check = _with_note(check, _definition_harm())
        rows.append(_row(number_id, check,
                         location=record["location"], quantity=f"printed definition of RECIST {category}",
                         reported=f"{category} = {record['printed']}% reduction"))
    return rows


# ---------------------------------------------------------------------------------------------
# scores


# Which printing of each score is the reference, and which printings report the same quantity.
SCORE_GROUPS = {
    "VAS before TACE": ("txt-recurrence-vas", ("t2-recurrence-vas", "t2-tace2-vas-before", "txt-fu1m-vas-before")),
    "MSTS-93 before TACE": ("txt-recurrence-msts", ("t2-recurrence-msts", "disc-msts-before")),
    "VAS after TACE": ("txt-fu1m-vas-after", ("t2-tace2-vas-after",)),
    "MSTS-93 after TACE": ("txt-fu6m-msts", ("t2-fu1m-msts", "t2-final-msts", "disc-msts-after")),
    "VAS during follow-up": ("txt-period-vas", ()),
}


def _score_rows() -> list[LedgerRow]:
    scores = _tables()["scores"].set_index("score_id")
    rows = []
    for quantity, (reference_id, others) in SCORE_GROUPS.items():
        reference = scores.loc[reference_id]
        maximum = SCALE_MAXIMUM[reference["instrument"]]
        in_range = rules.value_in_range(reference["printed"], "0", maximum)
        rows.append(_row(reference_id, in_range, location=reference["location"],
                         quantity=f"{quantity} ({reference['instrument']} 0-{maximum})",
                         reported=_score_text(reference)))
        for other_id in others:
            other = scores.loc[other_id]
            check = rules.same_quantity_agrees({f"{reference['location']}": reference["printed"],
                                                f"{other['location']}": other["printed"]})
            rows.append(_row(other_id, check, location=other["location"],
                             quantity=f"{quantity} ({other['instrument']})", reported=_score_text(other)))
    rows.extend(_score_time_point_rows(scores))
    return rows


def _score_text(record: pd.Series) -> str:
    out_of = f"/{record['out_of']}" if record["out_of"] else ""
    return f"{record['instrument']} {record['printed']}{out_of}"


def _score_time_point_rows(scores: pd.DataFrame) -> list[LedgerRow]:
    dates = reference_dates()
    table_vas, text_vas = scores.loc["t2-tace2-vas-after"], scores.loc["txt-fu1m-vas-after"]
    table_msts, text_msts = scores.loc["t2-fu1m-msts"], scores.loc["txt-fu6m-msts"]
    period_vas = scores.loc["txt-period-vas"]
    return [
        _row("t2-tace2-vas-after", _with_note(time_point_agrees(
            f"VAS {table_vas['printed']}/10 after TACE",
            {"Table 2, row of the second TACE": dates["tace2"],
             "section 2.4, one month after the second TACE": dates["fu1m"]}),
            "Table 2 prints 'VAS 6→2' in the row of the second session; the row may summarise the session's effect"),
            location=table_vas["location"], quantity="time point of the post-TACE VAS", reported=_score_text(table_vas)),
        _row("t2-fu1m-msts", _with_note(time_point_agrees(
            f"MSTS-93 {table_msts['printed']}/30",
            {"Table 2, row Aug 2022": dates["fu1m"], "section 2.4, 'reached' six months after the second TACE": dates["fu6m"]}),
            f"the text says the score 'reached' {text_msts['printed']}/30 at six months; Table 2 already prints "
            f"{table_msts['printed']}/30 at one month and nothing at six months"),
            location=table_msts["location"], quantity="time point of MSTS-93 28/30", reported=_score_text(table_msts)),
        # VAS 0 'sustained over the follow-up period' dates the end of pain to the start of follow-up
        # (after the second TACE at the latest); Table 2 first records the patient pain-free at six months.
        _row("txt-period-vas", _with_note(time_point_agrees(
            f"onset of the lasting absence of pain (VAS {period_vas['printed']})",
            {"section 2.4, 'over the 3-year follow-up period' (from the second TACE)": dates["tace2"],
             "Table 2, first pain-free visit": dates["fu6m"]}),
            f"the text also prints VAS {text_vas['printed']}/10 one month after TACE, so the period can only start later"),
            location=period_vas["location"], quantity="VAS over the follow-up period", reported=_score_text(period_vas)),
    ]


# ---------------------------------------------------------------------------------------------
# procedure details


PROCEDURE_GROUPS = {
    "epirubicin per session, first TACE (mg)": ("txt-tace1-epirubicin", ("t1-tace1-epirubicin",)),
    "epirubicin per session, second TACE (mg)": ("txt-tace2-epirubicin", ("t1-tace2-epirubicin",)),
    "microsphere size, first TACE (µm)": ("txt-tace1-microspheres", ("t1-tace1-microspheres",)),
    "microsphere size, second TACE (µm)": ("txt-tace2-microspheres", ("t1-tace2-microspheres",)),
    "feeding arteries at the first TACE (count)": ("txt-tace1-arteries", ("t2-tace1-arteries", "txt-mdt-arteries")),
    "feeding arteries at the second TACE (count)": ("txt-tace2-arteries", ("txt-tace2-arteries-all",)),
}
PROCEDURE_REFERENCE_REASONS = {
    "txt-tace1-epirubicin": "a flat dose; the paper prints neither weight, height nor body-surface area, so "
                            "the dose in mg/m² cannot be recomputed",
    "txt-tace2-epirubicin": "a flat dose; the paper prints neither weight, height nor body-surface area, so "
                            "the dose in mg/m² cannot be recomputed",
    "txt-tace1-microspheres": "a product specification, stated without brand or volume",
    "txt-tace2-microspheres": "a product specification; the 'larger particles' used after them are not sized",
    "txt-tace1-arteries": "an angiographic count, stated without the images to recount it",
    "txt-tace2-arteries": "Table 2's row for the second session prints no artery count (only 'complete "
                          "devascularization'), so the text's four (three plus reformed collaterals) has no "
                          "second printing to check",
}


def _procedure_text(record: pd.Series) -> str:
    upper = f"-{record['printed_upper']}" if record["printed_upper"] else ""
    unit = UNIT_WORDS[record["unit"]]
    return f"{record['printed']}{upper} {unit}".strip()


def _procedure_rows() -> list[LedgerRow]:
    procedures = _tables()["procedures"].set_index("procedure_id")
    rows = []
    for quantity, (reference_id, others) in PROCEDURE_GROUPS.items():
        reference = procedures.loc[reference_id]
        rows.append(_row(reference_id, rules.not_checkable(PROCEDURE_REFERENCE_REASONS[reference_id]),
                         location=reference["location"], quantity=quantity, reported=_procedure_text(reference)))
        for other_id in others:
            other = procedures.loc[other_id]
            rows.append(_row(other_id, _printings_agree(reference, other), location=other["location"],
                             quantity=quantity, reported=_procedure_text(other)))
    rows.append(_abstract_microsphere_row(procedures))
    return rows


def _printings_agree(reference: pd.Series, other: pd.Series) -> Check:
    """Two printings of a number or of a range (both ends compared)."""
    pairs = [(kernel.digits(reference["printed"]), kernel.digits(other["printed"]))]
    if reference["printed_upper"] or other["printed_upper"]:
        pairs.append((reference["printed_upper"] or reference["printed"], other["printed_upper"] or other["printed"]))
    checks = [rules.same_quantity_agrees({reference["location"]: a, other["location"]: b}) for a, b in pairs]
    failing = [check for check in checks if check.verdict != "consistent"]
    recomputed = f"{_procedure_text(other)} vs {_procedure_text(reference)} ({reference['location']})"
    if failing:
        return Check("same_quantity_agrees", recomputed, failing[0].verdict, failing[0].explanation)
    return Check("same_quantity_agrees", recomputed, "consistent",
                 f"agrees with {_procedure_text(reference)} in {reference['location']}")


def _abstract_microsphere_row(procedures: pd.DataFrame) -> LedgerRow:
    abstract = procedures.loc["abs-microspheres"]
    first = _printings_agree(procedures.loc["txt-tace1-microspheres"], abstract)
    second = _printings_agree(procedures.loc["txt-tace2-microspheres"], abstract)
    verdicts = {first.verdict, second.verdict}
    if verdicts == {"consistent"}:
        check = Check("same_quantity_agrees", f"{first.recomputed}; {second.recomputed}", "consistent",
                      "matches both sessions")
    else:
        check = Check(
            "same_quantity_agrees", f"session 1: {first.verdict}; session 2: {second.verdict}",
            "ambiguous" if "consistent" in verdicts else "inconsistent",
            f"the abstract attaches {_procedure_text(abstract)} microspheres to 'the procedures'; that is the first "
            f"session's size, while the second used {_procedure_text(procedures.loc['txt-tace2-microspheres'])} "
            f"(and, per Table 1, no lipiodol or Gelfoam)")
    return _row("abs-microspheres", check, location=abstract["location"],
                quantity="microsphere size, both sessions (µm)", reported=_procedure_text(abstract))


# ---------------------------------------------------------------------------------------------
# the study's ledger and the chapter's tables


def ledger_rows() -> list[LedgerRow]:
    """Every ledger row of this study, in the order of the paper's story."""
    numbers = text_numbers()
    rows = [
        *_event_rows(),
        *_age_rows(numbers),
        *_interval_rows(numbers),
        *_recist_rows(),
        *_recist_definition_rows(numbers),
        *_score_rows(),
        *_procedure_rows(),
        *_count_rows(numbers),
        *_necrosis_rows(numbers),
        *_enhancement_rows(numbers),
        *_comparison_rows(numbers),
        *_not_checkable_rows(numbers),
    ]
    read = {row.claim_id.split(".")[1] for row in rows}
    rows += [_row(record["number_id"], check, location=record["location"], quantity=record["key"],
                  reported=f"{record['printed']} {UNIT_WORDS.get(record['unit'], record['unit'])}".strip())
             for record, check in unread_numbers(numbers, read)]
    return with_judgements(rows, _tables().get(CONCLUSIONS_TABLE), STUDY)


def interval_table() -> pd.DataFrame:
    """Every printed duration, with the months the dates allow from each origin the wording allows."""
    dates = reference_dates()
    numbers = text_numbers().set_index("number_id")
    rows = []
    for number_id, reading in INTERVAL_READINGS.items():
        record = numbers.loc[number_id]
        for origin in reading.origins:
            low, high = months_between(dates[origin], dates[reading.end])
            rows.append({
                "claim": f"{record['printed']} {record['unit']}",
                "where": record["location"],
                "origin": f"{EVENT_NAMES[origin]} ({dates[origin]})" + (" [stated]" if reading.origin_stated else ""),
                "to": f"{EVENT_NAMES[reading.end]} ({dates[reading.end]})",
                "months the dates allow": f"{low:.1f}-{high:.1f}",
                "years the dates allow": f"{low / 12:.2f}-{high / 12:.2f}",
            })
    return pd.DataFrame(rows)


def citable_tables() -> dict[str, pd.DataFrame]:
    """Tables the chapter shows and the book publishes, by a stable name."""
    events = _tables()["events"][["event_id", "date", "kind", "description", "location"]]
    return {
        "ups-events": events.reset_index(drop=True),
        "ups-recist": recist_table(),
        "ups-intervals": interval_table(),
    }


LANES = ("Diagnosis and surgery", "TACE", "Imaging (RECIST 1.1)", "Clinical follow-up")


def event_table() -> pd.DataFrame:
    """One row per event for the swimmer timeline (`timeline_plots.plot_timeline` columns).

    Each event at its most precise printed date; imaging assessments carry Table 2's printed RECIST
    category, so the figure shows what the paper printed (the ledger checks it).
    """
    dates = reference_dates()
    measurements = _tables()["measurements"]
    rows = [
        {"date": dates["dx"].text, "kind": "biopsy", "label": "biopsy: UPS", "lane": LANES[0]},
        {"date": dates["resection"].text, "kind": "surgery", "label": "wide excision (R0)", "lane": LANES[0]},
        {"date": dates["recurrence"].text, "kind": "recurrence", "label": "recurrence, biopsy", "lane": LANES[0]},
        {"date": dates["tace1"].text, "kind": "treatment", "label": "TACE 1", "lane": LANES[1]},
        {"date": dates["tace2"].text, "kind": "treatment", "label": "TACE 2", "lane": LANES[1]},
    ]
    for record in measurements[measurements["recist_printed"] != ""].to_dict(orient="records"):
        rows.append({"date": dates[record["event_key"]].text, "kind": "assessment",
                     "label": f"{recist.imaging_method(record['modality'])} {record['long_mm']} mm", "lane": LANES[2],
                     "annotation": "baseline" if record["recist_printed"] == "Baseline" else record["recist_printed"]})
    for key, label in (("fu1m", "visit"), ("fu6m", "visit"), ("final", "last visit")):
        rows.append({"date": dates[key].text, "kind": "follow-up", "label": label, "lane": LANES[3]})
    frame = pd.DataFrame(rows, columns=["date", "kind", "label", "lane", "annotation"])
    return frame.fillna({"annotation": ""})


# ---------------------------------------------------------------------------------------------
# numbers the chapter's prose glues


def _size(record: pd.Series) -> str:
    return f"{record['long_mm']} × {record['short_mm']} mm"


def _dash(printed: str) -> str:
    """A printed range with an en dash, as prose sets it ("60-70" -> "60–70")."""
    low, high = _range_ends(printed)
    return f"{low}–{high}"


def chapter_numbers() -> dict[str, str]:
    """Every number the chapter's prose states, as text, each taken from the data or recomputed.

    The chapter glues them; none is typed into the prose.
    """
    tables_ = _tables()
    dates = reference_dates()
    numbers = text_numbers().set_index("number_id")
    events = tables_["events"].set_index("event_id")
    sizes = tables_["measurements"].set_index("measurement_id")
    scores = tables_["scores"].set_index("score_id")
    procedures = tables_["procedures"].set_index("procedure_id")
    course = recist_table().set_index("time point")
    doses = [float(procedures.loc[key, "printed"]) for key in ("txt-tace1-epirubicin", "txt-tace2-epirubicin")]
    first_low, first_high = months_between(dates["tace1"], dates["final"])
    second_low, second_high = months_between(dates["tace2"], dates["final"])
    recurrence_low, recurrence_high = months_between(dates["recurrence"], dates["final"])
    resection_low, resection_high = months_between(dates["resection"], dates["final"])
    pfs_printed = numbers.loc["abs-pfs", "printed"]
    same_36 = numbers[numbers["key"].isin(LAST_VISIT_BOUNDED) & (numbers["unit"] == "months")
                      & (numbers["printed"] == pfs_printed)]
    rows = ledger_rows()
    verdicts = Counter(row.verdict for row in rows)
    out = {
        "followup_title_years": numbers.loc["title-followup", "printed"].lower(),
        "sd_definition": numbers.loc["t2-sd-definition", "printed"] + "%",
        "interval_fu1m": numbers.loc["case-fu1m-interval", "printed"].lower(),
        "interval_fu6m": numbers.loc["case-fu6m-interval", "printed"].lower(),
        "pfs_printings": str(len(same_36)),
        "years_resection_to_last_visit": f"{resection_low / 12:.1f}–{resection_high / 12:.1f}",
        "age": numbers.loc["case-age", "printed"],
        "presentation_date": events.loc["txt-presentation", "date"],
        "resection_date": events.loc["txt-resection", "date"],
        "recurrence_date": events.loc["txt-recurrence", "date"],
        "years_to_recurrence": numbers.loc["case-recurrence-interval", "printed"],
        "primary_size_table": _size(sizes.loc["t2-dx-size"]),
        "recurrence_size_text": _size(sizes.loc["txt-recurrence-size"]),
        "recurrence_size_table": _size(sizes.loc["t2-recurrence-size"]),
        "ki67": numbers.loc["case-ki67", "printed"],
        "enhancement": numbers.loc["case-enhancement", "printed"],
        "vas_before": scores.loc["txt-recurrence-vas", "printed"],
        "vas_after": scores.loc["txt-fu1m-vas-after", "printed"],
        "vas_max": SCALE_MAXIMUM["VAS"],
        "msts_before_text": scores.loc["txt-recurrence-msts", "printed"],
        "msts_before_table": scores.loc["t2-recurrence-msts", "printed"],
        "msts_after": scores.loc["txt-fu6m-msts", "printed"],
        "msts_max": SCALE_MAXIMUM["MSTS-93"],
        "tace_sessions": numbers.loc["case-sessions", "printed"].lower(),
        "tace1_date": events.loc["txt-tace1", "date"],
        "tace2_date": events.loc["txt-tace2", "date"],
        "epirubicin_per_session": f"{procedures.loc['txt-tace1-epirubicin', 'printed']} mg",
        "epirubicin_total": f"{sum(doses):g} mg",
        "microspheres_first": _dash(f"{procedures.loc['txt-tace1-microspheres', 'printed']}-"
                                    f"{procedures.loc['txt-tace1-microspheres', 'printed_upper']}") + " µm",
        "microspheres_second": _dash(f"{procedures.loc['txt-tace2-microspheres', 'printed']}-"
                                     f"{procedures.loc['txt-tace2-microspheres', 'printed_upper']}") + " µm",
        "arteries_first": procedures.loc["txt-tace1-arteries", "printed"],
        "arteries_second": procedures.loc["txt-tace2-arteries", "printed"],
        "necrosis": _dash(numbers.loc["case-necrosis", "printed"]) + "%",
        "biopsy_samples": numbers.loc["case-biopsy-samples", "printed"],
        "walking": numbers.loc["case-walking", "printed"],
        "size_fu1m": _size(sizes.loc["t2-fu1m-size"]),
        "size_fu6m": _size(sizes.loc["t2-fu6m-size"]),
        "size_final": _size(sizes.loc["t2-final-size"]),
        "last_visit": events.loc["txt-last-visit", "date"],
        "pfs_printed": numbers.loc["abs-pfs", "printed"],
        "msts_disc_before": scores.loc["disc-msts-before", "printed"],
        "final_mri_printed": numbers.loc["fig4-final-mri", "printed"],
        "months_first_tace_to_last_visit": f"{first_low:.1f}–{first_high:.1f}",
        "months_second_tace_to_last_visit": f"{second_low:.1f}–{second_high:.1f}",
        "months_recurrence_to_last_visit": f"{recurrence_low:.1f}–{recurrence_high:.1f}",
        "years_first_tace_to_last_visit": f"{first_low / 12:.1f}–{first_high / 12:.1f}",
        "ext_pfs": _dash(numbers.loc["abs-ext-pfs", "printed"]),
        "ext_orr": _dash(numbers.loc["disc-ext-orr", "printed"]),
        "ledger_rows": str(len(rows)),
        **{f"ledger_{verdict.replace('-', '_')}": str(verdicts.get(verdict, 0))
           for verdict in ("consistent", "inconsistent", "ambiguous", "not-checkable")},
    }
    for label, key in (("fu1m", sizes.loc["t2-fu1m-size", "time_point"]),
                       ("fu6m", sizes.loc["t2-fu6m-size", "time_point"]),
                       ("final", sizes.loc["t2-final-size", "time_point"])):
        out[f"change_{label}"] = f"{course.loc[key, 'change from baseline (%)']:+.1f}%".replace("-", "−")
        out[f"recist_{label}"] = course.loc[key, "category recomputed"]
    text_baseline = float(sizes.loc["txt-recurrence-size", "long_mm"])
    out["change_fu1m_text_baseline"] = (
        f"{recist.percent_change(text_baseline, float(sizes.loc['t2-fu1m-size', 'long_mm'])):+.1f}%".replace("-", "−"))
    return out


def study_rows_frame() -> pd.DataFrame:
    """This study's ledger rows as a table (the chapter's closing table)."""
    from claimcheck.ledger import ledger_frame as frame_of

    return frame_of(ledger_rows())


# The four years between the resection and the recurrence hold no event; the axis skips them.
TIMELINE_GAP_MONTHS = (-48.0, -3.0)


def timeline_figure():
    """The chapter's swimmer timeline, in months from the first TACE, and the data it plots."""
    from sarcoma_review.timeline_plots import plot_timeline, timeline_frame

    events = event_table()
    origin = reference_dates()["tace1"]
    fig, _ = plot_timeline(events, origin, origin_label="first TACE", lane_order=LANES,
                           gap=TIMELINE_GAP_MONTHS)
    return fig, timeline_frame(events, origin)
