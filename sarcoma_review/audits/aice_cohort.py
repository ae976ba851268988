"""Audit of the AICE cohort: Li J, Liu R, et al., Drug Des Devel Ther (sources 001 and 004).

A retrospective single-centre cohort of 113 patients with recurrent or metastatic soft-tissue
sarcoma treated with arterial infusion chemotherapy, with or without embolization (AICE). Source
001 is the full text; source 004 is its PubMed abstract page, a second printing of the abstract.

Every printed number of both sources is in ``data/aice_cohort/``. This module wires the named
rules of ``claimcheck.rules`` to those numbers: each (printed number, rule) pair becomes one
ledger row whose ``claim_id`` is ``aice.<number id or table cell>.<rule>`` (with a qualifier
before the rule when one number meets the same rule twice).

Cross-checks: every quantity carries a ``key``; every printing of a key is compared with its
reference printing (a table cell first, else the Results text, then Methods, Abstract,
Discussion, captions and the PubMed page), so a number that changes between places is found.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from claimcheck import rules
from claimcheck.checks import Check
from claimcheck.dates import (chronology, followup_within_study_window, median_followup_definition,
                              same_date_agrees)
from claimcheck.diagnosis import Context
from claimcheck.ledger import LedgerRow, ledger_row
from claimcheck.printed import parse_printed
from claimcheck.stats import (fit_weibull_to_summary, piecewise_exponential_from_points, wald_p,
                              weibull_survival)

from . import kernel
from ..datapackage import load_study
from ..ledger import CONCLUSIONS_TABLE, with_judgements

STUDY = "aice_cohort"
CITATION_KEY = "li2025aice"
SOURCES = ("001_b310b963ff8f79a5.txt", "004_13266a4e37850657.txt")
SOURCE_FULL_TEXT, SOURCE_PUBMED = SOURCES
CLAIM_PREFIX = "aice"

TEXT_TABLES = ("abstract", "introduction", "methods", "results", "discussion", "captions", "pubmed_abstract")
# Which printing of a key the others are compared with: tables first, then the Results text.
REFERENCE_ORDER = ("table1_baseline", "table2_subtypes", "table3_cox_os", "table4_cox_pfs",
                   "table5_adverse_events", "results", "methods", "abstract", "discussion",
                   "introduction", "captions", "pubmed_abstract")
ADULT_AGE_YEARS = 18

# References the paper quotes for each external figure (its own reference numbers), so that a
# reader of a not-checkable row knows where the figure comes from.
EXTERNAL_SOURCES = {
    "ext.sts.subtypes": "reference 1 (Spalato-Ceruso et al. 2024)",
    "ext.sts.share_adult_cancers": "reference 1 (Spalato-Ceruso et al. 2024)",
    "ext.acs": "reference 3 (Siegel et al., Cancer statistics 2024), attributed to the American Cancer Society",
    "ext.local_recurrence": "references 6-7",
    "ext.distant_metastasis": "references 6-7",
    "ext.metastatic": "references 6-7",
    "ext.chemo_first_line.orr": "reference 9 (Tap et al. 2020, ANNOUNCE)",
    "ext.chemo_first_line.pfs_median": "reference 9 (Tap et al. 2020, ANNOUNCE)",
    "ext.chemo_first_line.os_median": "reference 10 (Cao et al. 2013)",
    "ext.sarc028": "reference 12 (Pilavaki et al. 2022, reviewing SARC028)",
    "ext.atezolizumab_asps": "reference 13 (Chen et al. 2023)",
    "ext.systemic_advanced": "reference 20 (van der Graaf et al. 2012, PALETTE)",
    "ext.who_classification": "the 2013 WHO classification of soft-tissue tumours",
    "ext.doxorubicin_first_line": "reference 25 (Li et al. 2011)",
    "ext.doxorubicin.os_median": "reference 26 (Judson et al. 2001)",
    "ext.cisplatin_aki": "reference 45 (Lyrio et al. 2024)",
    "ext.sedaghat": "reference 46 (Sedaghat et al. 2022)",
    "ext.schmitz": "reference 47 (Schmitz et al. 2024)",
}

# Words for the `quantity` column, by key stem.
QUANTITY_LABELS = {
    "n.patients": "patients in the cohort",
    "n.procedures": "AICE procedures analysed for toxicity",
    "os.median": "median overall survival (months)",
    "pfs.median": "median progression-free survival (months)",
    "os.rate": "overall survival rate (%)",
    "pfs.rate": "progression-free survival rate (%)",
    "os.logrank_p": "log-rank P, overall survival",
    "pfs.logrank_p": "log-rank P, progression-free survival",
    "orr": "objective response rate (%)",
    "dcr": "disease control rate (%)",
    "univariate.p": "P threshold of the univariate associations",
    "cox.os.listed_factors.p": "P threshold of the independent factors for OS",
    "significance.threshold": "significance level",
    "ci.level": "confidence level (%)",
}
STEM_LABELS = {
    "baseline.sex": "patients by sex", "baseline.age": "patients by age (years)",
    "baseline.ecog": "patients by ECOG performance status", "baseline.site": "patients by primary tumour site",
    "baseline.diameter": "patients by maximum tumour diameter (cm)", "baseline.metastasis": "patients by distant metastasis",
    "baseline.grade": "patients by pathological grade", "baseline.stage": "patients by stage",
    "baseline.nlr": "patients by neutrophil-to-lymphocyte ratio", "baseline.mgps": "patients by modified Glasgow prognostic score",
    "baseline.therapy": "patients by AICE type", "baseline.prior_lines": "patients by lines of previous systemic treatment",
    "baseline.cycles": "patients by number of AICE cycles", "subtype": "patients by histological subtype",
    "subsequent": "patients by treatment after AICE", "response": "patients by best response (RECIST 1.1)",
    "ae.pyrexia": "pyrexia by SIR grade", "ae.pain": "pain by SIR grade", "ae.nausea": "nausea and vomiting by SIR grade",
    "ae.liver": "abnormal liver function by SIR grade", "ae.renal": "abnormal renal function by SIR grade",
    "ae.myelosuppression": "myelosuppression by SIR grade", "ae.grade": "adverse events by SIR grade",
    "baseline.age.median": "median age (years)", "baseline.diameter.median": "median maximum tumour diameter (cm)",
    "baseline.diameter.cutoff": "tumour-size cut-off (cm)",
    "landmark.os.rate": "time point of the overall survival rate (years)",
    "landmark.pfs.rate": "time point of the progression-free survival rate (years)",
    "postop": "patients by number of postoperative therapies",
}
SUBGROUP_LABELS = {
    "size>=10": "tumour ≥10 cm", "size<10": "tumour <10 cm (text also prints ≤10 cm)",
    "metastasis": "distant metastasis", "no_metastasis": "no distant metastasis",
    "postop>=2": "≥2 postoperative therapies", "postop0-1": "0-1 postoperative therapies",
    "12m": "at 12 months", "24m": "at 24 months", "36m": "at 36 months",
}
COX_LABELS = {
    "size": "maximum diameter >10 vs ≤10 cm", "metastasis": "distant metastasis yes vs no",
    "postop": "postoperative therapy 0-1 vs ≥2", "grade": "grade G3 vs G1+G2", "stage": "stage IV vs III",
    "cycles": "treatment cycles 1 vs ≥2", "efficacy": "short-term efficacy SD+PD vs PR", "nlr": "NLR >3 vs ≤3",
}


# ---------------------------------------------------------------------------------------------
# Printings: every printed number, from text blocks and from table cells, in one shape


@dataclass(frozen=True)
class Printing:
    """One printing of a quantity: a text-block row, or one cell (count, percent, HR...) of a table row."""

    number_id: str
    table: str
    location: str
    key: str
    printed: str
    unit: str
    ci_lower: str = ""
    ci_upper: str = ""
    context: str = ""

    @property
    def source(self) -> str:
        return SOURCE_PUBMED if self.table == "pubmed_abstract" else SOURCE_FULL_TEXT

    @property
    def has_ci(self) -> bool:
        return bool(self.ci_lower and self.ci_upper)

    @property
    def is_range(self) -> bool:
        return "–" in self.printed

    @property
    def is_table(self) -> bool:
        return self.table.startswith("table")

    def reported(self) -> str:
        unit = {"percent": "%", "months": " months", "years": " years", "count": "", "p": "",
                "ratio": "", "fold": "-fold", "none": "", "date": "", "cm": " cm"}.get(self.unit, f" {self.unit}")
        if self.unit == "fold" and not self.printed[:1].isdigit():
            unit = ""
        text = f"P {self.printed}" if self.unit == "p" else f"{self.printed}{unit}"
        if self.has_ci and not self.is_range:
            label = "range" if self.unit in ("years", "cm") or self.key == "followup.median" else "95% CI"
            text += f" ({label} {self.ci_lower}–{self.ci_upper})"
        return text


def printings(tables: Mapping[str, pd.DataFrame]) -> list[Printing]:
    """Every printed number of the study as a `Printing`, text blocks and table cells alike."""
    found: list[Printing] = []
    for name in TEXT_TABLES:
        for row in tables[name].to_dict(orient="records"):
            found.append(Printing(row["number_id"], name, row["location"], row["key"], row["printed"],
                                  row["unit"], row["ci_lower"], row["ci_upper"], row["context"]))
    for name in ("table1_baseline", "table2_subtypes", "table5_adverse_events"):
        id_column = "cell_id" if name == "table5_adverse_events" else "row_id"
        for row in tables[name].to_dict(orient="records"):
            rid, key = row[id_column], row["key"]
            if row.get("median"):
                found.append(Printing(rid, name, row["location"], key, row["median"], "cm",
                                      row["range_lower"], row["range_upper"]))
                continue
            found.append(Printing(f"{rid}.n", name, row["location"], f"{key}.n", row["count"], "count"))
            if row["percent"]:
                found.append(Printing(f"{rid}.pct", name, row["location"], f"{key}.pct", row["percent"], "percent"))
    for name in ("table3_cox_os", "table4_cox_pfs"):
        for row in tables[name].to_dict(orient="records"):
            rid, key = row["row_id"], row["key"]
            found.append(Printing(f"{rid}.hr", name, row["location"], f"{key}.hr", row["hr"], "ratio",
                                  row["ci_lower"], row["ci_upper"]))
            found.append(Printing(f"{rid}.p", name, row["location"], f"{key}.p", row["p"], "p"))
    return found


def quantity_label(key: str) -> str:
    """Readable words for a key, for the ledger's `quantity` column."""
    match = re.match(r"^(?P<stem>[a-z0-9_.]+?)(?:\[(?P<sub>[^\]]+)\](?P<tail>\.[a-z0-9_.]+)?)?$", key)
    if not match:
        return key
    stem, sub, tail = match["stem"], match["sub"], (match["tail"] or "").lstrip(".")
    if stem.startswith("cox.") and sub:
        model = "OS" if stem.startswith("cox.os") else "PFS"
        what = {"hr": "hazard ratio", "p": "P", "fold": "fold phrase", "beta": "β"}.get(tail, tail)
        return f"Cox model for {model}, {COX_LABELS.get(sub, sub)}: {what}"
    if stem.startswith("ext."):
        return f"figure quoted from another publication ({key[4:]})"
    base = QUANTITY_LABELS.get(stem) or STEM_LABELS.get(stem) or stem.replace("_", " ").replace(".", ", ")
    if sub:
        base += f", {SUBGROUP_LABELS.get(sub, sub.replace('_', ' '))}"
    if tail:
        base += {"n": ": count", "pct": ": percentage"}.get(tail, f", {tail.replace('_', ' ')}")
    return base


# ---------------------------------------------------------------------------------------------
# Assembling the ledger


@dataclass
class _Ledger:
    printings: list[Printing]
    context: Context = field(default_factory=Context)
    rows: list[LedgerRow] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)

    def add(self, p: Printing, check: Check, qualifier: str = "", note: str = "",
            quantity: str | None = None, reported: str | None = None, number: str | None = None,
            location: str | None = None, neighbours: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """One ledger row for printing `p` checked by `check`; `number` names a block instead.

        `neighbours` maps a printed input of the check to the values printed next to it, for the
        near-miss diagnosis of an inconsistent row.
        """
        number = number or (p.number_id.split(".")[0] if p.is_table else p.number_id)
        claim_id = ".".join(x for x in (CLAIM_PREFIX, number, qualifier, check.rule) if x)
        if claim_id in self._ids:
            raise ValueError(f"duplicate claim_id {claim_id}")
        self._ids.add(claim_id)
        context = replace(self.context, neighbours=neighbours) if neighbours else self.context
        self.rows.append(ledger_row(claim_id=claim_id, source=p.source, study=CITATION_KEY,
                                    location=location or p.location,
                                    quantity=quantity or quantity_label(p.key), reported=reported or p.reported(),
                                    check=check.noted(note), context=context))

    def neighbours_of(self, p: Printing) -> dict[str, str]:
        """The values printed next to `p`: the rows above and below in its table's column, and the
        same quantity for the other outcome (OS for PFS and back), each labelled by its place."""
        found: dict[str, str] = {}
        if p.is_table and "." in p.number_id:
            suffix = p.number_id.rsplit(".", 1)[-1]
            column = [q for q in self.printings if q.table == p.table and q.number_id.endswith(f".{suffix}")]
            if p.table == "table5_adverse_events":      # a column of Table 5 is one grade
                grade = p.number_id.split(".")[0].rsplit("-", 1)[-1]
                column = [q for q in column if q.number_id.split(".")[0].endswith(f"-{grade}")]
            at = column.index(p)
            for q in column[max(at - 1, 0):at] + column[at + 1:at + 2]:
                found[q.location] = q.printed
        outcome = p.key.split(".", 1)[0]
        other = {"os": "pfs", "pfs": "os", "cox": None}.get(outcome)
        key = (p.key.replace("cox.os", "cox.pfs", 1) if p.key.startswith("cox.os") else
               p.key.replace("cox.pfs", "cox.os", 1) if p.key.startswith("cox.pfs") else
               f"{other}.{p.key.split('.', 1)[1]}" if other else None)
        if key and self.by_key(key):
            q = self.one(key)
            found[q.location] = q.printed
        return found

    def by_key(self, key: str) -> list[Printing]:
        return [p for p in self.printings if p.key == key]

    def one(self, key: str, table: str | None = None) -> Printing:
        found = [p for p in self.by_key(key) if table is None or p.table == table]
        if not found:
            raise KeyError(f"no printing of {key} in {table or 'the study'}")
        return reference(found)

    def by_id(self, number_id: str) -> Printing:
        return next(p for p in self.printings if p.number_id == number_id)


def reference(found: Iterable[Printing]) -> Printing:
    """The printing the others are compared with: a table cell first, then the Results text."""
    return min(found, key=lambda p: REFERENCE_ORDER.index(p.table))


def _covered(ledger: _Ledger) -> set[str]:
    return {row.claim_id.split(".")[1] for row in ledger.rows}


def _cross_checks(ledger: _Ledger) -> None:
    """Every non-reference printing of a key against the reference printing."""
    groups: dict[str, list[Printing]] = defaultdict(list)
    for p in ledger.printings:
        groups[p.key].append(p)
    for key, found in groups.items():
        if len(found) < 2 or key.endswith(".fold"):
            continue
        ref = reference(found)
        for p in found:
            if p is ref:
                continue
            if p.unit == "date":
                ledger.add(p, same_date_agrees(p.printed, ref.printed))
                continue
            if p.is_range or ref.is_range:
                # Two printings in one paragraph are told apart by their ids, as below.
                place = (lambda q: f"{q.location} ({q.number_id})") if ref.location == p.location \
                    else (lambda q: q.location)
                for end in ("ci_lower", "ci_upper"):
                    ledger.add(p, rules.same_quantity_agrees({place(ref): getattr(ref, end),
                                                              place(p): getattr(p, end)}),
                               qualifier="lower" if end == "ci_lower" else "upper")
                continue
            values = {ref.location: kernel.digits(ref.printed), p.location: kernel.digits(p.printed)}
            if ref.location == p.location:
                values = {f"{ref.location} ({ref.number_id})": values[ref.location],
                          f"{p.location} ({p.number_id})": kernel.digits(p.printed)}
            ledger.add(p, rules.same_quantity_agrees(values),
                       neighbours={kernel.digits(ref.printed): ledger.neighbours_of(ref)})
            if p.has_ci and ref.has_ci:
                for end in ("ci_lower", "ci_upper"):
                    ledger.add(p, rules.same_quantity_agrees({ref.location: getattr(ref, end),
                                                              p.location: getattr(p, end)}),
                               qualifier="ci_lower" if end == "ci_lower" else "ci_upper")


def _count_for(ledger: _Ledger, p: Printing) -> int | None:
    """The count that belongs to a printed percentage: same table row or same sentence, else the reference."""
    stem = p.key[: -len(".pct")]
    if p.is_table:
        sibling = [q for q in ledger.printings if q.number_id == p.number_id.replace(".pct", ".n")]
        if sibling:
            return kernel.count(sibling[0].printed)
    same_place = [q for q in ledger.by_key(f"{stem}.n") if q.table == p.table and q.context == p.context]
    if same_place:
        return kernel.count(same_place[0].printed)
    found = ledger.by_key(f"{stem}.n")
    return kernel.count(reference(found).printed) if found else None


# Where the paper states the denominator of a table's percentages: the printing (title or column
# header) that names it.
TABLE_DENOMINATORS = {"table1_baseline": "cap-table1-column-n", "table2_subtypes": "cap-table2-n",
                      "table5_adverse_events": "cap-table5-n"}
# Percentages the text gives of a subset it names ("Among those who received subsequent
# treatment (n=51): 23 (20.4%) ..."): key prefix -> the printing of the subset's size.
SUBSET_DENOMINATORS = {"subsequent[chemotherapy]": "res-subsequent-subset-n",
                       "subsequent[targeted]": "res-subsequent-subset-n",
                       "subsequent[immunotherapy]": "res-subsequent-subset-n",
                       "subsequent[tcm]": "res-subsequent-subset-n"}


def _denominators(ledger: _Ledger) -> dict[str, int]:
    """The denominators the paper prints, by what they count."""
    n_patients = kernel.count(ledger.one("n.patients").printed)
    procedures = ledger.one("n.procedures")
    subset = ledger.by_id(SUBSET_DENOMINATORS["subsequent[chemotherapy]"])
    return {f"the {n_patients} patients": n_patients, f"the {procedures.printed} AICE procedures": kernel.count(procedures.printed),
            f"the {subset.printed} patients who received subsequent treatment": kernel.count(subset.printed)}


def _stated_denominator(ledger: _Ledger, p: Printing) -> tuple[int, str]:
    """(denominator, where the paper states it) for a printed percentage.

    A table cell's denominator is the one its title or column header names; a sentence that gives
    a count with its percentage states the subset it names, else the cohort it counts patients of;
    a percentage printed without a count shares the denominator of the printing it repeats.
    """
    if p.is_table:
        stated = ledger.by_id(TABLE_DENOMINATORS[p.table])
        return kernel.count(stated.printed), f"{stated.location}, '{stated.context}'"
    stem = p.key[: -len(".pct")]
    subset = next((v for k, v in SUBSET_DENOMINATORS.items() if stem.startswith(k)), None)
    if subset:
        stated = ledger.by_id(subset)
        return kernel.count(stated.printed), f"{stated.location}, '{stated.context}'"
    cohort = ledger.one("n.patients")
    with_count = [q for q in ledger.by_key(f"{stem}.n") if q.table == p.table and q.context == p.context]
    in_table = [q for q in ledger.by_key(p.key) if q.is_table]
    if in_table and not with_count:
        return _stated_denominator(ledger, in_table[0])
    return kernel.count(cohort.printed), f"{cohort.location}, '{cohort.context}'"


def _percent_checks(ledger: _Ledger) -> None:
    """Every printed percentage against its count and the denominator the paper states for it."""
    printed_denominators = _denominators(ledger)
    for p in ledger.printings:
        if not p.key.endswith(".pct") or p.key.startswith("ae.grade[a+b]"):
            continue
        count = _count_for(ledger, p)
        if count is None:
            continue
        denominator, stated_in = _stated_denominator(ledger, p)
        others = {label: d for label, d in printed_denominators.items() if d != denominator}
        ledger.add(p, rules.percent_of_n(count, denominator, p.printed, others, stated_in=stated_in))


def _partition_checks(ledger: _Ledger, tables: Mapping[str, pd.DataFrame], n_patients: int) -> None:
    """Counts add up to the cohort and percentages to 100, block by block."""
    t1 = tables["table1_baseline"]
    t1 = t1[t1["count"] != ""]
    for characteristic, block in t1.groupby("characteristic", sort=False):
        first = ledger.by_id(f"{block['row_id'].iloc[0]}.n")
        number = "t1-" + re.sub(r"[^a-z0-9]+", "-", characteristic.lower()).strip("-")
        where = f"Table 1, block {characteristic}"
        counts = {r.category: kernel.count(r.count) for r in block.itertuples()}
        ledger.add(first, rules.counts_sum_to_total(counts, n_patients), quantity=f"Table 1, {characteristic}: counts",
                   number=number, location=where, reported=", ".join(f"{k}: {v}" for k, v in counts.items()))
        percents = {r.category: r.percent for r in block.itertuples()}
        ledger.add(first, rules.percents_sum_to_100(percents), quantity=f"Table 1, {characteristic}: percentages",
                   number=number, location=where, reported=", ".join(f"{k}: {v}%" for k, v in percents.items()))
    t2 = tables["table2_subtypes"]
    first = ledger.by_id(f"{t2['row_id'].iloc[0]}.n")
    ledger.add(first, rules.counts_sum_to_total({r.subtype: kernel.count(r.count) for r in t2.itertuples()}, n_patients),
               quantity="Table 2, all subtypes: counts", number="t2-all", location="Table 2, all rows",
               reported=f"total {n_patients} (title); {len(t2)} subtype counts")
    ledger.add(first, rules.percents_sum_to_100({r.subtype: r.percent for r in t2.itertuples()}),
               quantity="Table 2, all subtypes: percentages", number="t2-all", location="Table 2, all rows",
               reported=f"{len(t2)} subtype percentages")

    text_blocks = {
        "response categories (CR, PR, SD, PD)": (["res-cr-n", "res-pr-n", "res-sd-n", "res-pd-n"], n_patients),
        "subsequent-treatment status": (["res-subsequent-received-n", "res-subsequent-none-n",
                                         "res-subsequent-unknown-n"], n_patients),
    }
    for what, (ids, total) in text_blocks.items():
        found = [ledger.by_id(i) for i in ids]
        ledger.add(found[0], rules.counts_sum_to_total({q.key: kernel.count(q.printed) for q in found}, total),
                   quantity=f"Results, {what}: counts")
        pct = [ledger.by_id(i.removesuffix("-n") + "-pct") for i in ids if i != "res-cr-n"]
        ledger.add(pct[0], rules.percents_sum_to_100({q.key: q.printed for q in pct}),
                   quantity=f"Results, {what}: percentages")
    types = [ledger.by_id(i) for i in ("res-subsequent-chemo-n", "res-subsequent-targeted-n",
                                        "res-subsequent-immuno-n", "res-subsequent-tcm-n")]
    subset = ledger.by_id("res-subsequent-subset-n")
    ledger.add(subset, rules.counts_sum_to_total({q.key: kernel.count(q.printed) for q in types}, kernel.count(subset.printed)),
               quantity="Results, subsequent treatment by type: counts")
    sites = [p for p in ledger.printings if p.table == "results" and p.key.startswith("baseline.site[")]
    ledger.add(sites[0], rules.percents_sum_to_100({q.key: q.printed for q in sites}),
               quantity="Results text, primary tumour sites: percentages")

    t5 = tables["table5_adverse_events"]
    for event, rows_ in t5.groupby("event", sort=False):
        total_row = rows_[rows_["grade"] == "Total"].iloc[0]
        grades = rows_[rows_["grade"] != "Total"]
        ledger.add(ledger.by_id(f"{total_row.cell_id}.n"),
                   rules.counts_sum_to_total({g.grade: kernel.count(g.count) for g in grades.itertuples()},
                                             kernel.count(total_row["count"])),
                   quantity=f"Table 5, {event}: grades A-D vs Total", qualifier="row",
                   reported=", ".join(f"{g.grade}: {g.count}" for g in rows_.itertuples()))
    for grade in ("c", "d"):
        column = t5[t5["grade"] == grade.upper()]
        text = ledger.by_id(f"res-ae-grade-{grade}-n")
        ledger.add(text, rules.counts_sum_to_total({r.event: kernel.count(r.count) for r in column.itertuples()},
                                                   kernel.count(text.printed)),
                   quantity=f"SIR grade {grade.upper()} events: text vs Table 5 column {grade.upper()}")


# Readers' names for the parts of a total printed in the text, by the key's subgroup.
PART_LABELS = {"pr": "PR", "sd": "SD", "chemotherapy": "chemotherapy", "targeted": "targeted drugs",
               "immunotherapy": "immunotherapy", "tcm": "traditional Chinese medicine"}


def _part_label(p: Printing) -> str:
    sub = re.search(r"\[(.+?)\]", p.key)
    return PART_LABELS.get(sub.group(1), sub.group(1)) if sub else p.key


def _parts_in_percent(ledger: _Ledger, tables: Mapping[str, pd.DataFrame]) -> None:
    """The percentages printed for the parts of a total add up to the total's percentage."""
    t5 = tables["table5_adverse_events"]
    for event, cells in t5.groupby("event", sort=False):
        total = cells[cells["grade"] == "Total"].iloc[0]
        parts = {f"grade {c.grade}": c.percent for c in cells.itertuples() if c.grade != "Total" and c.percent}
        if len(parts) < 2:
            continue    # one part is its total: the same count, compared by same_count_same_percent
        ledger.add(ledger.by_id(f"{total.cell_id}.pct"),
                   rules.percents_of_parts_sum_to_total(parts, total["percent"], f"the Total column"),
                   qualifier="row", quantity=f"Table 5, {event}: percentages of grades A-D vs Total",
                   reported=", ".join(f"{c.grade}: {c.percent or c.count}" for c in cells.itertuples()))
    # The text's grade totals against the cells of that grade's column.
    for grade in ("c", "d"):
        text = ledger.by_id(f"res-ae-grade-{grade}-pct")
        column = t5[(t5["grade"] == grade.upper()) & (t5["percent"] != "")]
        if len(column) < 2:
            continue
        ledger.add(text, rules.percents_of_parts_sum_to_total(
            {r.event: r.percent for r in column.itertuples()}, text.printed, f"the text's grade {grade.upper()} total"),
            quantity=f"SIR grade {grade.upper()} events: text percentage vs Table 5 column {grade.upper()}")
    # Disease control = CR + PR + SD; the subsequent treatments by type make up those who received one.
    responses = [ledger.by_id(i) for i in ("res-pr-pct", "res-sd-pct")]
    dcr = ledger.by_id("res-dcr")
    ledger.add(dcr, rules.percents_of_parts_sum_to_total({_part_label(q): q.printed for q in responses}, dcr.printed,
                                                         "the DCR"),
               note=f"no patient had CR ({ledger.by_id('res-cr-n').context!r}), so CR adds 0%",
               quantity="disease control rate vs PR and SD percentages")
    received = ledger.by_id("res-subsequent-received-pct")
    types = [ledger.by_id(i) for i in ("res-subsequent-chemo-pct", "res-subsequent-targeted-pct",
                                        "res-subsequent-immuno-pct", "res-subsequent-tcm-pct")]
    check = rules.percents_of_parts_sum_to_total({_part_label(q): q.printed for q in types}, received.printed,
                                                 "those who received subsequent treatment")
    ledger.add(received, check, quantity="subsequent treatments by type vs those who received one: percentages",
               note=("the parts add up to the share of all patients, so they are percentages of the cohort, not of "
                     "the subset" if check.verdict == "consistent" else ""))


def _same_count_same_percent(ledger: _Ledger) -> None:
    """One count printed with percentages of the same stated denominator has one percentage.

    Only printings that give the count with the percentage (a table cell, one sentence) take part,
    grouped by count; a group needs two places at least.
    """
    groups: dict[tuple[int, int], list[Printing]] = defaultdict(list)
    for p in ledger.printings:
        if not p.key.endswith(".pct"):
            continue
        stem = p.key[: -len(".pct")]
        counts = ([q for q in ledger.printings if q.number_id == p.number_id.replace(".pct", ".n")] if p.is_table
                  else [q for q in ledger.by_key(f"{stem}.n") if q.table == p.table and q.context == p.context])
        if not counts:
            continue
        denominator, _ = _stated_denominator(ledger, p)
        groups[(kernel.count(counts[0].printed), denominator)].append(p)
    labels = {n: label for label, n in ledger.context.denominators.items()}
    for (count, denominator), found in sorted(groups.items()):
        if len({p.location for p in found}) < 2:
            continue
        places = {f"{p.location}" if p.is_table else f"{p.location} ('{p.context}')": p.printed for p in found}
        check = rules.same_count_same_percent(count, places, denominator, dict(ledger.context.denominators),
                                              labels.get(denominator, f"{denominator}"))
        by_percent: dict[str, int] = defaultdict(int)
        for p in found:
            by_percent[p.printed] += 1
        ledger.add(found[0], check, number=f"count-{count}-of-{denominator}",
                   location="; ".join(dict.fromkeys(p.location.split(",")[0] for p in found)),
                   quantity=f"percentages printed with a count of {count} of {labels.get(denominator, denominator)}",
                   reported="; ".join(f"{count} ({pct}%) in {k} place{'s' if k > 1 else ''}"
                                      for pct, k in by_percent.items()))


def _response_checks(ledger: _Ledger, n_patients: int) -> None:
    cr, pr, sd = (kernel.count(ledger.by_id(i).printed) for i in ("res-cr-n", "res-pr-n", "res-sd-n"))
    counts = {"orr": (cr + pr, f"CR {cr} + PR {pr}"), "dcr": (cr + pr + sd, f"CR {cr} + PR {pr} + SD {sd}")}
    for key, (count, working) in counts.items():
        for p in ledger.by_key(key):
            ledger.add(p, rules.percent_of_n(count, n_patients, p.printed), note=f"count = {working}")
            if p.has_ci:
                ledger.add(p, rules.binomial_ci_method(count, n_patients, p.ci_lower, p.ci_upper, scale=100.0))


COX_TABLES = ("table3_cox_os", "table4_cox_pfs")
COX_COLUMNS = {"beta": "β", "hr": "HR", "ci_lower": "lower limit", "ci_upper": "upper limit", "p": "P"}


def _cox_neighbours(tables: Mapping[str, pd.DataFrame], name: str, index: int) -> dict[str, dict[str, str]]:
    """For each value of a Cox row, the same column of the rows above and below and of the same
    variable's row in the other outcome's table (the neighbours a value can be copied from)."""
    table = tables[name].reset_index(drop=True)
    row = table.iloc[index]
    other = tables[COX_TABLES[1 - COX_TABLES.index(name)]]
    twin_key = (row["key"].replace("cox.os", "cox.pfs", 1) if row["key"].startswith("cox.os")
                else row["key"].replace("cox.pfs", "cox.os", 1))
    rows = [table.iloc[i] for i in (index - 1, index + 1) if 0 <= i < len(table)]
    rows += [twin for _, twin in other[other["key"] == twin_key].iterrows()]
    found: dict[str, dict[str, str]] = {}
    for column, word in COX_COLUMNS.items():
        for neighbour in rows:
            found.setdefault(row[column], {})[f"{neighbour['location']} ({word})"] = neighbour[column]
    return found


def _cox_checks(ledger: _Ledger, tables: Mapping[str, pd.DataFrame]) -> None:
    for name in COX_TABLES:
        for index, row in enumerate(tables[name].itertuples()):
            p = ledger.by_id(f"{row.row_id}.hr")
            reported = f"β {row.beta}, HR {row.hr} (95% CI {row.ci_lower}–{row.ci_upper}), P {row.p}"
            checks = rules.cox_row(row.beta, row.hr, row.ci_lower, row.ci_upper, row.p, alpha=ledger.context.alpha)
            neighbours = _cox_neighbours(tables, name, index)
            for check in checks:
                ledger.add(p, check, reported=reported, neighbours=neighbours)
    folds = [p for p in ledger.printings if p.key.endswith(".fold")]
    for p in folds:
        hr = ledger.one(p.key.replace(".fold", ".hr"))
        ledger.add(p, rules.fold_phrase_matches_hr(p.printed, hr.printed), note=f"HR from {hr.location}")
    # The abstract lists five independent factors for OS "(P < 0.05)"; Table 3 gives their P values.
    listed = ("size", "metastasis", "postop", "grade", "efficacy")
    for p in ledger.by_key("cox.os.listed_factors.p"):
        in_table = {v: ledger.one(f"cox.os[{v}].p").printed for v in COX_LABELS if ledger.by_key(f"cox.os[{v}].p")}
        ledger.add(p, rules.listed_factors_significant(
            p.printed, {COX_LABELS[v]: in_table[v] for v in listed},
            {COX_LABELS[v]: x for v, x in in_table.items() if v not in listed}), note="P values from Table 3")
    hr = ledger.by_id("disc-unspecified-subgroup-hr")
    for check in rules.cox_row(hr=hr.printed, ci_lower=hr.ci_lower, ci_upper=hr.ci_upper):
        ledger.add(hr, check)
    ledger.add(hr, rules.not_checkable("no analysis in the paper (text or Tables 3-4) prints this hazard ratio; "
                                       "it may come from the unpublished supplementary tables"), qualifier="source")


# Why no patient of the cohort was censored except at the data cut-off: the paper's own words.
COMPLETE_FOLLOWUP = ("inclusion criterion (6) required 'Complete follow-up and clinical data', with evaluations "
                     "'until death or the end of the study' (Methods)")


def _survival_checks(ledger: _Ledger) -> None:
    for p in ledger.printings:
        if re.match(r"^(os|pfs)\.median", p.key) and p.has_ci:
            ledger.add(p, rules.median_ci_symmetry(p.printed, p.ci_lower, p.ci_upper))
        if re.match(r"^(os|pfs)\.rate\[", p.key):
            months = float(re.search(r"\[(\d+)m\]", p.key).group(1))  # type: ignore[union-attr]
            outcome = p.key.split(".")[0]
            median = ledger.one(f"{outcome}.median")
            ledger.add(p, rules.median_vs_landmark(median.printed, months, p.printed),
                       note=f"median from {median.location}")
            if p.has_ci:
                ledger.add(p, rules.estimate_inside_ci(p.printed, p.ci_lower, p.ci_upper))
                ledger.add(p, rules.km_landmark_ci_method(
                    p.printed, p.ci_lower, p.ci_upper, kernel.count(ledger.one("n.patients").printed), months,
                    ledger.by_id("meth-enrol-end").printed, ledger.by_id("meth-data-cutoff").printed,
                    COMPLETE_FOLLOWUP, alpha=ledger.context.alpha))
        if "logrank_p" in p.key:
            ledger.add(p, rules.not_checkable("a log-rank P needs the event and risk-set counts of each group, "
                                              "which the paper does not print"))
    for outcome, later in (("os", "res-os-36m"), ("pfs", "res-pfs-24m")):
        points = [(float(re.search(r"\[(\d+)m\]", q.key).group(1)), q.printed)  # type: ignore[union-attr]
                  for q in ledger.printings if q.table == "results" and q.key.startswith(f"{outcome}.rate[")]
        ledger.add(ledger.by_id(later), rules.landmarks_decrease(points))
    # PFS cannot exceed OS: overall, per subgroup, and at 24 months.
    for pfs in [p for p in ledger.printings if p.table == "results" and p.key.startswith("pfs.median")]:
        os_key = pfs.key.replace("pfs.", "os.", 1)
        if ledger.by_key(os_key):
            ledger.add(pfs, rules.pfs_not_exceeding_os(pfs.printed, ledger.one(os_key).printed))
    ledger.add(ledger.by_id("res-pfs-24m"),
               rules.pfs_not_exceeding_os(ledger.by_id("res-pfs-24m").printed, ledger.by_id("res-os-24m").printed, "rate"))
    for outcome in ("os", "pfs"):
        overall = ledger.one(f"{outcome}.median")
        for a, b in (("size>=10", "size<10"), ("metastasis", "no_metastasis"), ("postop>=2", "postop0-1")):
            first = ledger.one(f"{outcome}.median[{a}]", "results")
            second = ledger.one(f"{outcome}.median[{b}]", "results")
            ledger.add(first, rules.overall_median_between_subgroups(
                overall.printed, {SUBGROUP_LABELS[a]: first.printed, SUBGROUP_LABELS[b]: second.printed}))
    # Identical estimates and CIs for two different quantities deserve a reader's attention.
    pfs12, os24 = ledger.by_id("res-pfs-12m"), ledger.by_id("res-os-24m")
    ledger.add(pfs12, rules.distinct_quantities_differ(
        "the 1-year PFS rate", "the 2-year OS rate",
        (f"{pfs12.printed}%", pfs12.ci_lower, pfs12.ci_upper), (f"{os24.printed}%", os24.ci_lower, os24.ci_upper)))


def _split_contrast(comparison: str) -> tuple[str, str]:
    """">10 vs ≤ 10" -> ("≤ 10", ">10"): (lower group, upper group) of a printed contrast."""
    first, second = (part.strip() for part in comparison.split(" vs "))
    return (second, first) if first.startswith((">", "≥")) else (first, second)


def _worst_ecog_in_table1(tables: Mapping[str, pd.DataFrame]) -> str:
    """The highest ECOG score Table 1's groups reach ("2-3" -> "3"), among groups with patients."""
    t1 = tables["table1_baseline"]
    ecog = t1[t1["key"].str.startswith("baseline.ecog[")]
    groups = [r.category for r in ecog.itertuples() if kernel.count(r.count) > 0]
    return str(max(int(part) for category in groups for part in re.split(r"[-–]", category)))


def _baseline_checks(ledger: _Ledger, tables: Mapping[str, pd.DataFrame]) -> None:
    age = ledger.by_id("res-age-median")
    le35, gt35 = (kernel.count(ledger.one(k).printed) for k in ("baseline.age[<=35].n", "baseline.age[>35].n"))
    ledger.add(age, rules.median_vs_cutoff_counts(age.printed, 35, le35, gt35, below_inclusive=True,
                                                  whole_numbers=True))
    ledger.add(age, rules.value_in_range(age.printed, age.ci_lower, age.ci_upper))
    lt10, ge10 = (kernel.count(ledger.one(k).printed) for k in ("baseline.diameter[<10].n", "baseline.diameter[>=10].n"))
    for p in ledger.by_key("baseline.diameter.median"):
        ledger.add(p, rules.median_vs_cutoff_counts(p.printed, 10, lt10, ge10, below_inclusive=False,
                                                    whole_numbers=False))
        ledger.add(p, rules.value_in_range(p.printed, p.ci_lower, p.ci_upper))
    # The paper calls the cohort "adult" but includes children (age >= 3, youngest 3 years).
    adult = ledger.by_id("meth-n-adult-patients")
    incl_age = ledger.by_id("meth-incl-age-min")
    ledger.add(adult, rules.adult_label_vs_age_range(age.ci_lower, ADULT_AGE_YEARS, incl_age.printed),
               qualifier="adult", note=f"the Methods call the {adult.printed} patients included adult")
    ledger.add(incl_age, rules.value_in_range(age.ci_lower, lower=incl_age.printed),
               quantity="youngest patient vs minimum age for inclusion (years)")
    ecog = ledger.by_id("meth-incl-ecog-max")
    worst_ecog = _worst_ecog_in_table1(tables)
    ledger.add(ecog, rules.value_in_range(worst_ecog, upper=ecog.printed),
               quantity="worst ECOG score in Table 1 vs maximum ECOG for inclusion",
               note=f"the worst ECOG group of Table 1 reaches {worst_ecog}")
    for p in ledger.printings:
        if p.table == "results" and p.key in ("case.age",):
            ledger.add(p, rules.value_in_range(p.printed, age.ci_lower, age.ci_upper),
                       note="the case lies within the cohort's printed age range")

    # Tumour-size groups are labelled in several ways; a tumour of exactly 10 cm changes group.
    # Tables from their printed cells; the text labels as printed in each row's context.
    t1 = tables["table1_baseline"]
    t1_labels = t1.loc[(t1["characteristic"] == "Maximum diameter (cm)") & (t1["count"] != ""), "category"].tolist()
    cox_labels = {name: tables[name].set_index("row_id").loc[row, "comparison"]
                  for name, row in (("table3_cox_os", "t3-size"), ("table4_cox_pfs", "t4-size"))}
    labels = {
        "Table 1": tuple(t1_labels),
        "Table 3": _split_contrast(cox_labels["table3_cox_os"]),
        "Table 4": _split_contrast(cox_labels["table4_cox_pfs"]),
        "Results text (OS, P=0.006)": ("< 10", "≥ 10"),
        "Results text (PFS, P=0.011)": ("≤ 10", "≥ 10"),
        "Results text (Cox)": ("≤ 10", "greater than 10"),
        "Discussion": (None, "≥ 10"),
    }
    places = {"res-pfs-size-le10-median": "Results text (PFS, P=0.011)", "t3-size.hr": "Table 3",
              "t4-size.hr": "Table 4", "res-cox-os-size-cutoff": "Results text (Cox)",
              "res-diameter-cutoff": "Results text (OS, P=0.006)", "disc-size-cutoff": "Discussion"}
    for number_id, place in places.items():
        # Where only one group is named, compare that group alone.
        named = [i for i, label in enumerate(labels[place]) if label is not None]
        compared = {where: [labels[where][i] for i in named] for where in ("Table 1", place)}
        check = rules.group_labels_agree(compared, "10 cm")
        ledger.add(ledger.by_id(number_id), check, quantity="tumour-size groups (cm)", reported=check.recomputed)
    # The Discussion's "≥ 3 treatment modalities" against the 0-1 vs ≥2 contrast of Tables 3 and 4.
    modalities = ledger.by_id("disc-modalities-cutoff")
    ledger.add(modalities, rules.group_cutoff_agrees("treatment modalities", {"Tables 3-4 (0–1 vs ≥ 2)": 2,
                                                                       modalities.location: kernel.count(modalities.printed)}),
               note="no analysis in the paper uses a cut-off of 3 treatment modalities")


def _procedure_checks(ledger: _Ledger) -> None:
    procedures = ledger.by_id("res-procedures")
    one, two_plus = (kernel.count(ledger.one(k).printed) for k in ("baseline.cycles[1].n", "baseline.cycles[>=2].n"))
    total = kernel.count(procedures.printed)
    ledger.add(procedures, rules.procedures_vs_cycles(total, {1: one, 2: two_plus}, open_ended=(2,)))
    ab = ledger.by_id("res-ae-grade-ab-pct")
    t5 = [p for p in ledger.printings if p.table == "table5_adverse_events" and p.key.endswith(".n")
          and "[total]" not in p.key]
    ab_events = sum(kernel.count(p.printed) for p in t5 if re.search(r"\[(a|b)\]", p.key))
    all_events = sum(kernel.count(p.printed) for p in t5)
    of_events, of_sessions = 100 * ab_events / all_events, 100 * ab_events / total
    fits = [x for x in (of_events, of_sessions) if parse_printed(ab.printed).admits(x)]
    ledger.add(ab, rules.definition_stated(
        f"'~{ab.printed}%' with grade A or B events", {
            "a percentage of events": f"{of_events:.1f}% ({ab_events}/{all_events} events in Table 5)",
            "a percentage of sessions": f"at most {of_sessions:.1f}% ({ab_events}/{total} sessions)"}),
        note="" if fits else f"neither reading prints as {ab.printed}, which the '~' may excuse")
    grade_d = ledger.by_id("res-ae-grade-d-n")
    grade_c = ledger.by_id("res-ae-grade-c-n")
    ledger.add(grade_d, rules.severity_label_vs_sir_grade(
        "no severe adverse reactions", {"C": kernel.count(grade_c.printed), "D": kernel.count(grade_d.printed)}),
        qualifier="abstract", note="the Abstract's wording against the grade C and D events of the Results")
    epirubicin = ledger.by_id("meth-epirubicin-dose")
    days = [ledger.by_id(i).printed for i in ("meth-epirubicin-day-first", "meth-epirubicin-day-second")]
    low, high = float(epirubicin.ci_lower), float(epirubicin.ci_upper)
    ledger.add(epirubicin, rules.definition_stated(
        f"the epirubicin dose of {epirubicin.printed} mg/m² 'administered on days {days[0]} and {days[1]}'", {
            "split over the two days": f"{low:g}-{high:g} mg/m² per cycle",
            "given on each day": f"{2 * low:g}-{2 * high:g} mg/m² per cycle"}))
    levels = ledger.by_id("meth-sir-levels")
    ledger.add(levels, rules.counts_sum_to_total({letter: 1 for letter in "ABCDEF"}, kernel.count(levels.printed)),
               note="the Methods list the levels A to F")
    mild = ledger.by_id("disc-ae-mild-grades")
    sir_grades = list("ABCDEF")[: kernel.count(levels.printed)]
    ledger.add(mild, rules.grading_scale_agrees("SIR", sir_grades, [mild.ci_lower, mild.ci_upper]),
               note="the Discussion calls most events mild 'Grade 1–2', a numeric scale (as in CTCAE), while the "
                    "Methods grade events with the SIR letters")


def _dates_and_followup(ledger: _Ledger) -> None:
    start, end, cutoff = (ledger.by_id(i) for i in ("meth-enrol-start", "meth-enrol-end", "meth-data-cutoff"))
    ledger.add(start, chronology([("first AICE", start.printed), ("last AICE", end.printed),
                                  ("data cut-off", cutoff.printed)]))
    followup = ledger.by_id("meth-followup-median")
    ledger.add(followup, rules.value_in_range(followup.printed, followup.ci_lower, followup.ci_upper))
    ledger.add(end, followup_within_study_window(followup.ci_upper, start.printed, cutoff.printed),
               quantity="longest follow-up vs study window (months)", reported=f"range up to {followup.ci_upper} months")
    ledger.add(followup, median_followup_definition(followup.printed, end.printed, cutoff.printed, start.printed))


def _not_checkable_rest(ledger: _Ledger) -> None:
    """Every printed number no rule reached gets a row saying why it cannot be checked."""
    reasons: dict[str, str] = {
        "n.patients": "the cohort size is the base of the other numbers; the paper's other printings of it are "
                      "cross-checked against this one",
        "dose.": "a protocol dose or schedule; nothing in the paper records the doses actually given",
        "cycle.interval": "a protocol schedule; treatment dates are not printed",
        "response.assessment_interval": "a protocol schedule; assessment dates are not printed",
        "followup.visit_interval": "a protocol schedule; visit dates are not printed",
        "criteria.": "an eligibility threshold; patient-level values are not printed",
        "exclusion.": "an eligibility threshold; patient-level values are not printed",
        "software.": "a software version",
        "response.recist_version": "the version of the response criteria",
        "ci.level": "a convention of the analysis",
        "significance.threshold": "a convention of the analysis",
        "univariate.p": "the univariate analyses are in supplementary Tables S1-S2, which are not part of the text",
        "ae.pyrexia.threshold": "a definition (low-grade fever); temperatures are not printed",
        "ae.grade_d.hospitalisation_cutoff": "part of the SIR definition of grade D",
        "ae.grade_c.hospitalisation_cutoff": "part of the SIR definition of grade C",
        "ae.grade[e]": "no grade E column is printed in Table 5; a zero cannot be recomputed",
        "ae.grade[f]": "no grade F column is printed in Table 5; a zero cannot be recomputed",
        "case.cycles": "an individual case; no patient-level data are printed",
        "survival.long_term_examples": "anecdotal; no patient-level data are printed",
        "cox.unspecified_subgroup": "no analysis in the paper prints this hazard ratio",
        "baseline.diameter.cutoff": "a cut-off defining groups",
        "enrolment.": "a date",
        "data.cutoff": "a date",
        "rationale.parts": "the number of arguments the Methods give for combining the two routes; the paper's "
                           "framing, not a measured quantity",
        "ae.liver_failure": "stated once; no patient-level outcome of the liver enzyme elevation is printed",
        "ae.discontinuation": "stated once; the paper prints no count of discontinued or delayed cycles to check "
                              "it against",
    }
    covered = _covered(ledger)
    for p in ledger.printings:
        number = p.number_id.split(".")[0] if p.is_table else p.number_id
        if number in covered:
            continue
        if p.key.startswith("ext."):
            source = next((v for k, v in EXTERNAL_SOURCES.items() if p.key.startswith(k)), "another publication")
            reason = f"quoted from {source}; the paper gives nothing to recompute it from"
        elif p.is_table and p.printed == "0":
            reason = "printed as a bare 0 without a percentage; it enters the row total checked at the Total cell"
        elif p.key.endswith(".label") or p.key.startswith("landmark."):
            reason = ("the group or time point that the numbers beside it describe, as printed; where the "
                      "paper prints it again, those printings are cross-checked against this one")
        elif p.key.endswith(".n"):
            reason = ("a count printed once; it cannot be recomputed itself, but it is the numerator of the "
                      "percentage printed beside it and enters the block total, both checked in their own rows")
        else:
            reason = next((v for k, v in reasons.items() if p.key.startswith(k)), None)
            if reason is None:
                raise ValueError(f"no rule and no not-checkable reason for {p.number_id} ({p.key})")
        ledger.add(p, rules.not_checkable(reason))
        covered.add(number)


def _external_arithmetic(ledger: _Ledger) -> None:
    """Quoted figures whose arithmetic the paper itself gives ("4 of 10 ... (40% ORR)")."""
    responders = kernel.count(ledger.by_id("intro-sarc028-ups-responders").printed)
    n = kernel.count(ledger.by_id("intro-sarc028-ups-n").printed)
    orr = ledger.by_id("intro-sarc028-ups-orr")
    ledger.add(orr, rules.percent_of_n(responders, n, orr.printed))


def load_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return load_study(STUDY, data_dir)


def ledger_rows(data_dir: Path | None = None) -> list[LedgerRow]:
    """Every printed number of sources 001 and 004, each checked by every rule that applies."""
    tables = load_tables(data_dir)
    ledger = _Ledger(printings(tables))
    ledger.context = Context(alpha=parse_printed(ledger.by_id("meth-alpha").printed).value,
                             denominators=_denominators(ledger))
    n_patients = kernel.count(ledger.one("n.patients").printed)
    _partition_checks(ledger, tables, n_patients)
    _percent_checks(ledger)
    _parts_in_percent(ledger, tables)
    _same_count_same_percent(ledger)
    _response_checks(ledger, n_patients)
    _cox_checks(ledger, tables)
    _survival_checks(ledger)
    _baseline_checks(ledger, tables)
    _procedure_checks(ledger)
    _dates_and_followup(ledger)
    _external_arithmetic(ledger)
    _cross_checks(ledger)
    _not_checkable_rest(ledger)
    return with_judgements(ledger.rows, tables.get(CONCLUSIONS_TABLE), STUDY)


def ledger_frame(data_dir: Path | None = None) -> pd.DataFrame:
    from claimcheck.ledger import ledger_frame as frame

    return frame(ledger_rows(data_dir))


# ---------------------------------------------------------------------------------------------
# Tables a reader may cite, and the data behind the chapter's figures


def _flags(rows: Iterable[LedgerRow], number: str) -> str:
    """The rules that found a problem with one number, e.g. 'hr_equals_exp_beta; wald_p_from_ci'."""
    found = [r.rule for r in rows if r.claim_id.split(".")[1] == number and r.verdict in ("inconsistent", "ambiguous")]
    return "; ".join(dict.fromkeys(found))


def cox_table(outcome: str, data_dir: Path | None = None, rows: list[LedgerRow] | None = None) -> pd.DataFrame:
    """Table 3 (outcome "os") or Table 4 ("pfs") as printed, with what the printed β and CI imply.

    Recomputed columns: exp(β); the CI's geometric midpoint (the HR a symmetric Wald interval is
    centred on); the two-sided Wald P from β and the CI's width; and the rules the ledger flags.
    """
    name = {"os": "table3_cox_os", "pfs": "table4_cox_pfs"}[outcome]
    table = load_tables(data_dir)[name]
    rows = ledger_rows(data_dir) if rows is None else rows
    out = []
    for r in table.itertuples():
        beta, lo, up = float(r.beta), float(r.ci_lower), float(r.ci_upper)
        se = (math.log(up) - math.log(lo)) / (2 * rules.Z975)
        out.append({
            "row_id": r.row_id, "variable": r.variable, "comparison": r.comparison,
            "beta_printed": r.beta, "hr_printed": r.hr, "ci_lower_printed": r.ci_lower,
            "ci_upper_printed": r.ci_upper, "p_printed": r.p,
            "hr_from_beta": round(math.exp(beta), 3), "ci_geometric_midpoint": round(math.sqrt(lo * up), 3),
            "wald_p_from_beta_and_ci": float(f"{wald_p(beta, se):.3g}"),
            "flagged_rules": _flags(rows, r.row_id),
        })
    return pd.DataFrame(out)


def median_table(data_dir: Path | None = None, rows: list[LedgerRow] | None = None) -> pd.DataFrame:
    """Every median OS and PFS printed in the Results with its 95% CI, overall and by subgroup."""
    ledger = _Ledger(printings(load_tables(data_dir)))
    rows = ledger_rows(data_dir) if rows is None else rows
    out = []
    for p in ledger.printings:
        if p.table != "results" or not re.match(r"^(os|pfs)\.median", p.key):
            continue
        sub = re.search(r"\[(.+)\]", p.key)
        out.append({"number_id": p.number_id, "outcome": p.key.split(".")[0].upper(),
                    "group": SUBGROUP_LABELS.get(sub.group(1), sub.group(1)) if sub else "all 113 patients",
                    "median_months": p.printed, "ci_lower": p.ci_lower, "ci_upper": p.ci_upper,
                    "location": p.location, "flagged_rules": _flags(rows, p.number_id)})
    return pd.DataFrame(out)


def landmark_table(data_dir: Path | None = None) -> pd.DataFrame:
    """The printed medians and landmark survival rates, as survival fractions at times in months."""
    ledger = _Ledger(printings(load_tables(data_dir)))
    out = []
    for outcome in ("os", "pfs"):
        median = ledger.one(f"{outcome}.median")
        out.append({"outcome": outcome.upper(), "months": float(median.printed), "survival": 0.5,
                    "kind": "median", "number_id": median.number_id, "ci_lower": "", "ci_upper": ""})
        for p in ledger.printings:
            if p.table == "results" and p.key.startswith(f"{outcome}.rate["):
                months = float(re.search(r"\[(\d+)m\]", p.key).group(1))  # type: ignore[union-attr]
                out.append({"outcome": outcome.upper(), "months": months, "survival": float(p.printed) / 100,
                            "kind": "landmark", "number_id": p.number_id, "ci_lower": p.ci_lower, "ci_upper": p.ci_upper})
    return pd.DataFrame(out).sort_values(["outcome", "months"]).reset_index(drop=True)


def citable_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """label -> tidy table a reader may cite; published as tables/<label>.csv."""
    tables = load_tables(data_dir)
    rows = ledger_rows(data_dir)
    ledger = _Ledger(printings(tables))
    n_patients, n_procedures = (kernel.count(ledger.one(k).printed) for k in ("n.patients", "n.procedures"))
    baseline = tables["table1_baseline"].copy()
    counts = pd.to_numeric(baseline["count"], errors="coerce")
    baseline[f"percent_of_{n_patients}_recomputed"] = (100 * counts / n_patients).round(2)
    baseline["flagged_rules"] = [_flags(rows, r) for r in baseline["row_id"]]
    events = tables["table5_adverse_events"].copy()
    counts = pd.to_numeric(events["count"])
    events[f"percent_of_{n_patients}_patients"] = (100 * counts / n_patients).round(2)
    events[f"percent_of_{n_procedures}_procedures"] = (100 * counts / n_procedures).round(2)
    events["flagged_rules"] = [_flags(rows, r) for r in events["cell_id"]]
    subtypes = tables["table2_subtypes"].copy()
    subtypes[f"percent_of_{n_patients}_recomputed"] = (100 * pd.to_numeric(subtypes["count"]) / n_patients).round(2)
    subtypes["flagged_rules"] = [_flags(rows, r) for r in subtypes["row_id"]]
    return {
        "aice-baseline": baseline,
        "aice-subtypes": subtypes,
        "aice-cox-os": cox_table("os", data_dir, rows),
        "aice-cox-pfs": cox_table("pfs", data_dir, rows),
        "aice-survival-medians": median_table(data_dir, rows),
        "aice-survival-landmarks": landmark_table(data_dir),
        "aice-adverse-events": events,
    }


def findings_markdown(rows: Iterable[LedgerRow] | None = None) -> str:
    """The inconsistent and ambiguous rows as a Markdown list (fallback when no findings box is available)."""
    rows = ledger_rows() if rows is None else list(rows)
    lines = [f"- `{r.claim_id}` ({r.verdict}, {r.location}): {r.explanation}"
             for r in rows if r.verdict in ("inconsistent", "ambiguous")]
    return "\n".join(lines) or "- No inconsistency was found among this study's printed numbers."


# ---------------------------------------------------------------------------------------------
# Data behind the chapter's figures


def _inconsistent_numbers(rows: Iterable[LedgerRow]) -> set[str]:
    return {r.claim_id.split(".")[1] for r in rows if r.verdict == "inconsistent"}


def forest_panels(rows: list[LedgerRow] | None = None, data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Tables 3 and 4 as numbers for `survival_plots.forest_plot`; `hr_implied` is exp(β)."""
    rows = ledger_rows(data_dir) if rows is None else rows
    flagged = _inconsistent_numbers(rows)
    panels = {}
    for outcome, title in (("os", "Overall survival (Table 3)"), ("pfs", "Progression-free survival (Table 4)")):
        table = cox_table(outcome, data_dir, rows)
        panels[title] = pd.DataFrame({
            "row_id": table["row_id"],
            "label": table["variable"] + ": " + table["comparison"],
            "hr": table["hr_printed"].astype(float), "ci_lower": table["ci_lower_printed"].astype(float),
            "ci_upper": table["ci_upper_printed"].astype(float), "hr_implied": table["hr_from_beta"],
            "flagged": table["row_id"].isin(flagged),
        })
    return panels


def median_plot_frame(rows: list[LedgerRow] | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """The Results' medians as numbers for `survival_plots.median_ci_plot`."""
    rows = ledger_rows(data_dir) if rows is None else rows
    flagged = _inconsistent_numbers(rows)
    table = median_table(data_dir, rows)
    group = table["group"].str.replace(r" \(text also prints ≤10 cm\)", "", regex=True)
    return pd.DataFrame({"outcome": table["outcome"], "group": group,
                         "median": table["median_months"].astype(float),
                         "ci_lower": table["ci_lower"].astype(float), "ci_upper": table["ci_upper"].astype(float),
                         "flagged": table["number_id"].isin(flagged), "number_id": table["number_id"]})


def landmark_intervals(rows: list[LedgerRow] | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """Printed 95% CIs of the landmark rates, as fractions, flagged when the rate lies outside."""
    rows = ledger_rows(data_dir) if rows is None else rows
    flagged = _inconsistent_numbers(rows)
    marks = landmark_table(data_dir)
    marks = marks[marks["kind"] == "landmark"]
    return pd.DataFrame({"outcome": marks["outcome"], "months": marks["months"],
                         "lower": marks["ci_lower"].astype(float) / 100, "upper": marks["ci_upper"].astype(float) / 100,
                         "flagged": marks["number_id"].isin(flagged)}).reset_index(drop=True)


def hazard_steps(data_dir: Path | None = None, replace: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Constant monthly hazards between the printed median and landmarks (piecewise exponential).

    A reconstruction from summary statistics. `replace` maps a number_id to another survival
    fraction, e.g. {"res-os-36m": midpoint of its printed CI}, to ask what the hazard would be.
    """
    marks = _replaced(landmark_table(data_dir), replace)
    out = []
    for outcome, points in marks.groupby("outcome", sort=False):
        values = [(r.months, r.survival) for r in points.itertuples()]
        curve = piecewise_exponential_from_points(values)
        steps = curve.table()
        steps.insert(0, "outcome", outcome)
        out.append(steps)
    return pd.concat(out, ignore_index=True)


def weibull_residuals(data_dir: Path | None = None, replace: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Least-squares Weibull through each outcome's printed median and landmarks; residuals in percentage points.

    A reconstruction from summary statistics; `replace` as in `hazard_steps`.
    """
    marks = _replaced(landmark_table(data_dir), replace)
    out = []
    for outcome, points in marks.groupby("outcome", sort=False):
        median = float(points.loc[points["kind"] == "median", "months"].iloc[0])
        landmarks = {float(r.months): float(r.survival) for r in points.itertuples() if r.kind == "landmark"}
        shape, scale, residuals = fit_weibull_to_summary(median, landmarks)
        for months, residual in residuals.items():
            out.append({"outcome": outcome, "months": months, "shape": shape, "scale_months": scale,
                        "fitted_minus_printed_pp": 100 * residual})
    return pd.DataFrame(out)


def _replaced(marks: pd.DataFrame, replace: Mapping[str, float] | None) -> pd.DataFrame:
    marks = marks.copy()
    for number_id, value in (replace or {}).items():
        marks.loc[marks["number_id"] == number_id, "survival"] = value
    return marks


def os_36m_ci_midpoint(data_dir: Path | None = None) -> float:
    """Midpoint of the printed 95% CI of the 3-year OS rate, as a fraction: the value the CI suggests."""
    marks = landmark_table(data_dir)
    row = marks[marks["number_id"] == "res-os-36m"].iloc[0]
    return (float(row["ci_lower"]) + float(row["ci_upper"])) / 200


def reconstruction_curves(horizon: float = 48.0, data_dir: Path | None = None) -> pd.DataFrame:
    """Reconstructed OS and PFS curves from the printed summaries, and OS again with the 3-year rate
    set to the midpoint of its own printed CI. Reconstructions from summary statistics only."""
    from ..survival_plots import reconstruct_from_summaries

    marks = landmark_table(data_dir)
    printed = reconstruct_from_summaries(marks, horizon)
    midpoint = os_36m_ci_midpoint(data_dir)
    alternative = _replaced(marks, {"res-os-36m": midpoint})
    alternative = alternative[alternative["outcome"] == "OS"]
    other = reconstruct_from_summaries(alternative, horizon, label=f", 3-year OS {100 * midpoint:.1f}% (CI midpoint)")
    other = other[other["model"].str.startswith("Weibull")]
    return pd.concat([printed, other], ignore_index=True)


def weibull_pfs_above_os(data_dir: Path | None = None, horizon: float = 48.0) -> tuple[float, float]:
    """Months (first, last) during which the Weibull reconstruction of PFS lies above that of OS.

    PFS can never exceed OS; if the smooth curves that best carry the printed summaries cross, the
    printed summaries are hard to reconcile with one smooth pair of curves. (0, 0) when they never cross.
    """
    curves = reconstruction_curves(horizon, data_dir)
    weibull = curves[curves["model"] == "Weibull"].pivot(index="months", columns="outcome", values="survival")
    above = weibull[(weibull["PFS"] - weibull["OS"]) > 1e-9]
    above = above[above.index > 0]
    if above.empty:
        return 0.0, 0.0
    return float(above.index.min()), float(above.index.max())


# ---------------------------------------------------------------------------------------------
# What the chapter glues: every number in its prose, and its figures


def forest_figure(rows: list[LedgerRow] | None = None):
    from ..survival_plots import forest_plot

    return forest_plot(forest_panels(rows))


def median_figure(rows: list[LedgerRow] | None = None):
    from ..survival_plots import median_ci_plot

    return median_ci_plot(median_plot_frame(rows))


def reconstruction_figure(rows: list[LedgerRow] | None = None):
    from ..survival_plots import reconstruction_plot

    return reconstruction_plot(landmark_table(), reconstruction_curves(), landmark_intervals(rows))


def _km_landmark_sentence(rows: list[LedgerRow]) -> str:
    """What the landmark-interval rule found, as a sentence rendered from its ledger rows' verdicts."""
    found = {row.claim_id.split(".")[1]: row for row in rows if row.rule == "km_landmark_ci_method"}
    consistent = [number for number, row in found.items() if row.verdict == "consistent"]
    labels = {"res-os-24m": "2-year OS", "res-pfs-12m": "1-year PFS", "res-pfs-24m": "2-year PFS",
              "res-os-36m": "3-year OS"}
    parts = []
    if consistent:
        transforms = sorted({found[n].recomputed.rsplit(": ", 1)[1] for n in consistent})
        names = [labels[n] for n in consistent]
        named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"the {named} rates are such shares "
                     f"({'; '.join(found[n].recomputed.split(':')[0] for n in consistent)}) and their intervals are "
                     f"Greenwood intervals of those shares with the {' or '.join(transforms)} transform")
    for number, row in found.items():
        traced = re.search(r"= (\S+) CI of (\d+/\d+ = [\d.]+%)", row.recomputed)
        if row.verdict == "inconsistent" and traced:
            parts.append(f"the {labels[number]} rate, {ledger_printed(rows, number)}%, is no such share, and its "
                         f"interval is the {traced.group(1)} interval of {traced.group(2)}: it was computed from that rate")
    if not parts:
        return "no landmark rate could be checked against such a share"
    return "; ".join(parts)


def ledger_printed(rows: list[LedgerRow], number: str) -> str:
    """The printed value of a number, as its ledger rows report it ("41.7% (95% CI ...)" -> "41.7")."""
    reported = next(row.reported for row in rows if row.claim_id.split(".")[1] == number)
    return re.match(r"[\d.]+", reported).group()  # type: ignore[union-attr]


def _pct(value: float, decimals: int = 1) -> str:
    return f"{100 * value:.{decimals}f}%"


def chapter_numbers(rows: list[LedgerRow] | None = None) -> dict[str, str]:
    """name -> text for every number the chapter's prose shows, computed from data/ and the ledger."""
    rows = ledger_rows() if rows is None else rows
    ledger = _Ledger(printings(load_tables()))
    text = {}

    def printed(name: str, number_id: str, with_ci: bool = False) -> None:
        p = ledger.by_id(number_id)
        text[name] = p.printed
        if with_ci:
            text[f"{name}_ci"] = f"{p.ci_lower}–{p.ci_upper}"

    for name, number_id in {
        "n": "res-n-patients", "enrol_start": "meth-enrol-start", "enrol_end": "meth-enrol-end",
        "cutoff": "meth-data-cutoff", "age_min_inclusion": "meth-incl-age-min", "ecog_max": "meth-incl-ecog-max",
        "male_n": "res-male-n", "male_pct": "res-male-pct", "metastasis_n": "res-metastasis-n",
        "metastasis_pct": "res-metastasis-pct", "stage_iv_n": "res-stage-iv-n", "infusion_n": "t1-therapy-infusion.n",
        "embolization_n": "t1-therapy-infusion-plus-embolization.n", "cycles1_n": "res-cycles-1-n",
        "cycles2_n": "res-cycles-ge2-n", "procedures": "res-procedures", "cisplatin": "meth-cisplatin-dose",
        "cisplatin_hours": "meth-cisplatin-hours", "epirubicin": "meth-epirubicin-dose", "cycle_weeks": "meth-cycle-interval",
        "ecog23_pct": "t1-ecog-2-3.pct", "diameter_ge10_n": "res-diameter-ge10-n", "pr_n": "res-pr-n", "sd_n": "res-sd-n",
        "pd_n": "res-pd-n", "cr_n": "res-cr-n", "os_24m": "res-os-24m", "pfs_12m": "res-pfs-12m", "pfs_24m": "res-pfs-24m",
        "pain_pct": "res-ae-pain-pct", "myelo_pct": "res-ae-myelosuppression-pct", "pyrexia_pct": "res-ae-pyrexia-pct",
        "grade_c_n": "res-ae-grade-c-n", "grade_d_n": "res-ae-grade-d-n", "subsequent_n": "res-subsequent-received-n",
        "subsequent_unknown_n": "res-subsequent-unknown-n", "disc_os_median": "disc-os-median-18",
        "disc_os_met": "disc-os-met-median", "disc_os_nomet": "disc-os-nomet-median",
        "size_cutoff": "res-diameter-cutoff", "epirubicin_day_first": "meth-epirubicin-day-first",
        "epirubicin_day_second": "meth-epirubicin-day-second", "grade_d_hours": "meth-sir-d-hours",
        "expected_survival": "meth-incl-survival-min",
    }.items():
        printed(name, number_id)
    for name, number_id in {"age": "res-age-median", "followup": "meth-followup-median", "orr": "res-orr",
                            "dcr": "res-dcr", "os_median": "res-os-median", "pfs_median": "res-pfs-median",
                            "os_36m": "res-os-36m", "os_met": "res-os-met-median", "os_nomet": "res-os-nomet-median",
                            "pfs_postop2": "res-pfs-postop-ge2-median", "diameter": "res-diameter-median"}.items():
        printed(name, number_id, with_ci=True)
    for name, key in {"hr_os_met": "cox.os[metastasis].hr", "hr_pfs_postop": "cox.pfs[postop].hr",
                      "hr_os_postop": "cox.os[postop].hr", "hr_pfs_stage": "cox.pfs[stage].hr"}.items():
        p = ledger.one(key)
        text[name], text[f"{name}_ci"] = p.printed, f"{p.ci_lower}–{p.ci_upper}"
    t3 = cox_table("os", rows=rows).set_index("row_id")
    t4 = cox_table("pfs", rows=rows).set_index("row_id")
    text["beta_os_met"], text["exp_beta_os_met"] = t3.loc["t3-metastasis", "beta_printed"], f"{t3.loc['t3-metastasis', 'hr_from_beta']:.2f}"
    text["beta_pfs_stage"], text["exp_beta_pfs_stage"] = t4.loc["t4-stage", "beta_printed"], f"{t4.loc['t4-stage', 'hr_from_beta']:.2f}"
    text["p_os_stage"] = t3.loc["t3-stage", "p_printed"]
    text["wald_p_os_stage"] = f"{t3.loc['t3-stage', 'wald_p_from_beta_and_ci']:.4f}"
    text["subtype_sum"] = str(sum(kernel.count(p.printed) for p in ledger.printings if p.table == "table2_subtypes"
                                  and p.key.endswith(".n")))
    # Table 2 names its subtypes and ends with a row "Others", which is not a subtype.
    subtypes = load_tables()["table2_subtypes"]
    others = subtypes["subtype"].str.casefold() == "others"
    text["n_subtypes"] = str(int((~others).sum()))
    text["subtypes_others_n"] = str(sum(kernel.count(count) for count in subtypes.loc[others, "count"]))
    # Percent of the 216 procedures, per patient, and what cycles imply.
    one, two_plus, procedures = (int(text[k]) for k in ("cycles1_n", "cycles2_n", "procedures"))
    text["min_procedures"] = str(one + 2 * two_plus)
    text["mean_procedures_repeat"] = f"{(procedures - one) / two_plus:.1f}"
    # Reconstruction from summary statistics.
    weibull = weibull_residuals().set_index(["outcome", "months"])
    os_shape, os_scale = weibull.loc[("OS", 19.0), ["shape", "scale_months"]]
    text["os_weibull_shape"] = f"{os_shape:.2f}"
    # Survival the OS Weibull implies at the shortest expected survival the inclusion criteria allow.
    check_months = float(ledger.by_id("meth-incl-survival-min").printed)
    text["weibull_check_months"] = f"{check_months:g}"
    text["os_weibull_3m"] = _pct(float(weibull_survival(check_months, os_shape, os_scale)), 0)
    text["os_weibull_max_residual"] = f"{weibull.loc['OS', 'fitted_minus_printed_pp'].abs().max():.1f}"
    midpoint = os_36m_ci_midpoint()
    text["os_36m_midpoint"] = _pct(midpoint)
    alt = weibull_residuals(replace={"res-os-36m": midpoint}).set_index(["outcome", "months"])
    text["os_weibull_shape_midpoint"] = f"{alt.loc[('OS', 19.0), 'shape']:.2f}"
    steps = hazard_steps()
    os_steps = steps[steps["outcome"] == "OS"].reset_index(drop=True)
    text["os_hazard_first"] = _pct(os_steps.loc[0, "hazard"])
    text["os_hazard_last"] = _pct(os_steps.loc[len(os_steps) - 1, "hazard"], 2)
    text["os_last_knot"] = f"{os_steps.loc[len(os_steps) - 1, 'start']:g}"
    alt_steps = hazard_steps(replace={"res-os-36m": midpoint})
    text["os_hazard_last_midpoint"] = _pct(alt_steps[alt_steps["outcome"] == "OS"]["hazard"].iloc[-1])
    first, last = weibull_pfs_above_os()
    text["crossing_end"] = f"{last:.0f}"
    # Kaplan-Meier landmark rates against k/n (no censoring before the landmarks).
    text["km_landmarks"] = _km_landmark_sentence(rows)
    # The ledger of this study.
    text["ledger_rows"] = str(len(rows))
    for verdict_name in ("consistent", "inconsistent", "ambiguous", "not-checkable"):
        text[f"ledger_{verdict_name.replace('-', '_')}"] = str(sum(r.verdict == verdict_name for r in rows))
    text["ledger_rows_pubmed"] = str(sum(r.source == SOURCE_PUBMED for r in rows))
    return text
