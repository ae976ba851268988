"""The published data package: `datapackage.json` at the site root, describing what readers
download (Frictionless Data Package v1, validated by `frictionless validate` in `make test`).

It describes `claims.csv` (primary key `claim_id`, `verdict` limited to the four verdicts,
foreign keys to `rules.csv` and `sources.csv`), the two tables those keys point to (written
here: the rule catalogue and the source texts of the registry), and every `tables/*.csv`, each
column with its type (from the table itself) and its description, with the licence and the
review's version.

Descriptions: the ledger's columns are described in `ledger.LEDGER_COLUMN_DESCRIPTIONS`; the
citable tables' columns below, by column name (`COLUMN_DESCRIPTIONS`) unless one table means
something else by it (`TABLE_COLUMN_DESCRIPTIONS`). A column with no description is an error
that names the table and the column (tests/test_published_package.py runs it on every table).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from claimcheck.checks import VERDICTS
from claimcheck.decisions import DECISIONS
from claimcheck.ledger import LEDGER_COLUMN_DESCRIPTIONS, LEDGER_COLUMNS
from . import __version__

PACKAGE_FILE = "datapackage.json"
RULES_FILE = "rules.csv"
SOURCES_FILE = "sources.csv"
LICENSES = [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
             "path": "https://creativecommons.org/licenses/by/4.0/"}]

_PRINTED = "as printed in the paper (text, so that its printed precision survives)"
COLUMN_DESCRIPTIONS: dict[str, str] = {
    # where a number stands, and its identity
    "location": "Where the value stands in the source paper, in words a reader can find (table, row, section, paragraph).",
    "context": "A short verbatim excerpt of the source paper that contains the value.",
    "key": "The canonical quantity: every printing of the same quantity in a study carries the same key, so that the ledger can compare them.",
    "number_id": "Stable id of a number printed in running text, unique within its study.",
    "row_id": "Stable id of the transcribed table row.",
    "cell_id": "Stable id of the transcribed table cell.",
    "event_id": "Stable id of a dated event of the case (diagnosis, treatment, imaging, visit).",
    "outcome_id": "Stable id of a quoted outcome.",
    "series_id": "Stable id of an earlier series that a source paper quotes.",
    "measurement_id": "Stable id of a measurement printed in the case report.",
    "assessment_id": "Stable id of a per-lesion response assessment.",
    "printed": f"The value {_PRINTED}.",
    "unit": "The unit of the printed value (count, percent, months, cm, ...).",
    "ci_lower": "Lower limit of the printed confidence interval or range, as printed; empty when none is printed.",
    "ci_upper": "Upper limit of the printed confidence interval or range, as printed; empty when none is printed.",
    "flagged_rules": "The ledger rules whose verdict on this row is not consistent, separated by '; '; empty when none.",
    # counts and percentages of the cohort's tables
    "count": "Number of patients (or events), as printed.",
    "percent": "Percentage, as printed.",
    "percent_of_113_recomputed": "The count recomputed as a percentage of the 113 patients, to two decimals.",
    "percent_of_113_patients": "The count recomputed as a percentage of the 113 patients, to two decimals.",
    "percent_of_216_procedures": "The count recomputed as a percentage of the 216 procedures, to two decimals.",
    "event": "The adverse event, as the paper names it.",
    "grade": "Grade of the Society of Interventional Radiology classification (A to F).",
    "characteristic": "The baseline characteristic, as the paper names it.",
    "category": "The category of the characteristic, as printed.",
    "median": "A printed median, as printed; empty for a count row.",
    "range_lower": "Lower end of the printed range, as printed.",
    "range_upper": "Upper end of the printed range, as printed.",
    "subtype": "The histological subtype, as the paper names it.",
    # Cox models
    "variable": "The covariate of the Cox model, as printed.",
    "comparison": "The groups the hazard ratio compares, as printed.",
    "beta_printed": f"The regression coefficient beta, {_PRINTED}.",
    "hr_printed": f"The hazard ratio, {_PRINTED}.",
    "ci_lower_printed": f"Lower limit of the 95% confidence interval of the hazard ratio, {_PRINTED}.",
    "ci_upper_printed": f"Upper limit of the 95% confidence interval of the hazard ratio, {_PRINTED}.",
    "p_printed": f"The P value, {_PRINTED}.",
    "hr_from_beta": "exp(beta) recomputed from the printed beta.",
    "ci_geometric_midpoint": "The geometric midpoint of the printed confidence limits, where a Wald interval centres its hazard ratio.",
    "wald_p_from_beta_and_ci": "The two-sided Wald P value implied by the printed beta and confidence limits.",
    # survival
    "outcome": "The survival outcome: OS (overall survival) or PFS (progression-free survival).",
    "months": "Time since the first procedure, in months.",
    "survival": "Survival probability (0 to 1) at that time, from the printed median (0.5) or landmark rate.",
    "group": "The patients the median describes, as the paper defines the subgroup.",
    "median_months": "The median survival in months, as printed.",
    # the audit summaries
    "source": "The source text (its file name in the repository); its label is in sources.csv.",
    "source_file": "The source text's file name in the repository (its label is in sources.csv).",
    "consistent": "Number of ledger rows with the verdict consistent.",
    "inconsistent": "Number of ledger rows with the verdict inconsistent.",
    "ambiguous": "Number of ledger rows with the verdict ambiguous.",
    "not-checkable": "Number of ledger rows with the verdict not-checkable.",
    "total": "Number of ledger rows in all.",
    "rule": "The rule applied (its name in rules.csv).",
    # comparators
    "quoting_number_id": "The number_id of the quoting paper's text number that prints this outcome, if any.",
    "measure": "What the quoted figure measures (a canonical key, e.g. os.median, n.total).",
    "low": "Lower end of a quoted range or interval, as printed; empty when none.",
    "high": "Upper end of a quoted range or interval, as printed; empty when none.",
    "qualifier": "A qualifier printed with the figure ('less than', 'approximately'), if any.",
    "citation_key": "The series' citation key in the review's bibliography (references.bib).",
    "citation_as_given": "The reference as the quoting paper prints it.",
    "reference_number": "The reference's number in the quoting paper's reference list.",
    "quoted_in": "The source text that quotes the series (its file name).",
    "design": "The study design, as given or appraised.",
    "population": "The patients of the quoted series, as the quoting paper describes them.",
    "n": "Number of patients of the quoted series, as printed.",
    "treatment": "The treatment of the quoted series, as the quoting paper describes it.",
    # case reports
    "date": "The event's date as printed (day, month or year precision).",
    "timing_as_printed": "The event's timing as the paper words it, when it gives no date.",
    "relative_to": "The event the timing is counted from, when the paper gives a relative time.",
    "kind": "The kind of event or measurement.",
    "session_ordinal": "The treatment session's number, counted as the paper narrates them.",
    "description": "What happened, in the review's words.",
    "target_lesion": "The target lesion's number, as the paper numbers it.",
    "response_as_printed": "The response category the paper prints for the lesion.",
    "lesion": "The lesion measured, in the review's words.",
    # the overview
    "study_key": "The study's citation key in the review's bibliography (references.bib).",
    "label": "The label readers see for the study or series.",
    "chapter": "The book's chapter about the study (its file name under chapters/).",
    "sources": "The study's source texts (file names), separated by '; '.",
    "level_of_evidence": "The review's appraisal of the level of evidence (Oxford CEBM 2011).",
    "n_patients": "Number of patients, as printed.",
    "n_location": "Where the number of patients is printed.",
    "histology": "The tumours' histology.",
    "setting": "The clinical setting (recurrent, metastatic, ...).",
    "procedure": "The catheter-based treatment, in the review's words.",
    "outcomes_reported": "The outcomes the study reports.",
    "endpoint": "OS (overall survival), PFS (progression-free survival) or another time-to-event endpoint.",
    "estimate": "The printed time in months as a number (for plotting).",
    "interval": "What the interval is: a 95% CI, a quoted range, a bound, or none.",
    "where": "Where the value is printed in the source paper.",
}

TABLE_COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "aice-survival-landmarks": {
        "kind": "median (survival 0.5 at the printed median) or landmark (a printed survival rate).",
        "ci_lower": "Lower limit of the printed 95% CI: months for a median, percent for a landmark rate.",
        "ci_upper": "Upper limit of the printed 95% CI: months for a median, percent for a landmark rate.",
    },
    "overview-survival-times": {
        "kind": "Which kind of time it is: the AICE cohort's, a series quoted by a paper, or a single patient's.",
        "label": "The label readers see for the cohort, series or case.",
        "low": "Lower end of the interval, in months; empty when none.",
        "high": "Upper end of the interval, in months; empty when none.",
        "series_id": "The quoted series' id (comparator-series.csv); empty for the review's own studies.",
    },
    "audit-inconsistencies": {k: LEDGER_COLUMN_DESCRIPTIONS[k] for k in LEDGER_COLUMNS},
    "audit-decision-changing": {k: LEDGER_COLUMN_DESCRIPTIONS[k] for k in LEDGER_COLUMNS},
    "audit-claims-by-source": {"source": "The label readers see for the source text (sources.csv)."},
    "audit-coverage-by-source": {
        "source": "The label readers see for the source text (sources.csv); the last row sums all of them.",
        "found": "Numbers the machine reading (lib/claimcheck/source_reader.py) finds in the source text.",
        "transcribed": "Of those, numbers a row of data/ transcribes at that place.",
        "excluded": "Of those, numbers an exclusion table lists as not quantities of the paper (the next eight columns by reason).",
        "reference-marker": "Excluded: reference numbers in the text.",
        "reference-list-entry": "Excluded: numbers of the reference list (entry numbers, years, volumes, pages, DOIs).",
        "affiliation": "Excluded: affiliation marks.",
        "address": "Excluded: numbers of postal addresses.",
        "postcode-or-telephone": "Excluded: postcodes and telephone numbers.",
        "figure-panel-or-section-numbering": "Excluded: numbers of figures, panels, tables, sections and list items.",
        "page-furniture": "Excluded: running heads, journal boilerplate, image descriptions added by the text extraction.",
        "citation-year": "Excluded: a year that names a cited work or standard.",
        "missing": "Numbers neither transcribed nor excluded (make test fails on any).",
        "accounted-percent": "Percentage of the numbers found that are transcribed or excluded, to one decimal.",
    },
    "audit-inconsistencies-by-decision": {
        "decision": "changes-conclusion, no-change or not-applicable (the ledger's decision column).",
        "inconsistencies": "Number of inconsistent ledger rows with this decision.",
        "with a near-miss diagnosis": "Of those, rows whose diagnosis column names a single slip that reconciles them.",
    },
    "overview-certainty": {
        "outcome": "The outcome rated (GRADE).",
        "starting level": "The GRADE starting level of the body of evidence (low for non-randomised evidence).",
        "risk of bias": "The GRADE judgement of the domain: not serious, serious or very serious.",
        "inconsistency": "The GRADE judgement of the domain: not serious, serious or very serious.",
        "indirectness": "The GRADE judgement of the domain: not serious, serious or very serious.",
        "imprecision": "The GRADE judgement of the domain: not serious, serious or very serious.",
        "publication bias": "The GRADE judgement of the domain: undetected or strongly suspected.",
        "levels rated down": "Levels rated down over the five domains.",
        "certainty": "The resulting certainty: high, moderate, low or very low (computed from the starting level and the domains).",
    },
    "overview-certainty-reasons": {
        "outcome": "The outcome rated (its id: os, pfs, response, adverse_events).",
        "outcome_name": "The outcome rated, in words.",
        "domain": "The GRADE domain.",
        "judgement": "The review's judgement of the domain.",
        "levels_rated_down": "Levels the judgement rates the certainty down.",
        "reason": "The reason for the judgement, in one line.",
        "source_file": "The source text the reason quotes (its file name); empty when it quotes none.",
        "claim_ids": "Ledger claim ids the judgement rests on, separated by spaces; empty when none.",
    },
    "overview-risk-of-bias": {
        "study": "The label readers see for the study.",
        "tool": "The JBI critical appraisal checklist applied (its id).",
        "checklist": "The JBI critical appraisal checklist applied, by name.",
        "item": "The item's number in the checklist.",
        "question": "The item's question, as JBI words it.",
        "answer": "The review's answer: yes, no, unclear or not applicable.",
        "reason": "The reason for the answer, in one line.",
        "source_file": "The source text the reason quotes (its file name); empty when it quotes none.",
        "claim_ids": "Ledger claim ids the answer rests on, separated by spaces; empty when none.",
    },
    "overview-summary-of-findings": {
        "outcome": "The outcome, in words.",
        "measure": "How the outcome is measured in the studies.",
        "studies": "The studies that report the outcome, by the labels readers see.",
        "n_studies": "Number of studies that report the outcome.",
        "patients": "Number of patients in those studies, as printed.",
        "what_was_found": "What each study found, in plain words with its printed numbers, separated by ' | '.",
        "certainty": "The GRADE certainty of the evidence for the outcome.",
        "certainty_reasons": "The reasons for the certainty, one lettered footnote per domain rated down, separated by ' | '.",
        "n_inconsistent_claims": "Number of inconsistent ledger rows among the outcome's printed numbers.",
        "inconsistent_claims": "Their claim ids, separated by spaces.",
    },
    "audit-rules-fired": {"total": "Number of ledger rows the rule was applied to."},
    "ups-intervals": {
        "claim": "The printed duration, with its unit.",
        "origin": "A start the paper's wording allows, with its printed date; [stated] when the paper names it.",
        "to": "The end of the duration, with its printed date.",
        "months the dates allow": "The least and the most months between the two dates, given their printed precision.",
        "years the dates allow": "The same in years.",
    },
    "ups-recist": {
        "time point": "The assessment, as Table 2 of the paper dates it.",
        "modality": "The imaging method of the assessment.",
        "size printed (mm)": "The lesion's two diameters as printed, in mm.",
        "sum of longest diameters (mm)": "RECIST 1.1 sum of longest diameters (one target lesion: its longest diameter), mm.",
        "change from baseline (%)": "Recomputed change of the sum from baseline, percent.",
        "nadir before this scan (mm)": "The smallest sum before this scan, baseline included, mm.",
        "change from nadir (%)": "Recomputed change of the sum from the nadir, percent.",
        "category recomputed": "The RECIST 1.1 category recomputed from the sums.",
        "category printed": "The category Table 2 prints.",
    },
}


# The ledger's invariants (ledger.check_invariants) leave none of these empty.
# claims.csv prints these as numbers (empty: the rule computes no single number).
NUMERIC_LEDGER_COLUMNS = ("recomputed_low", "recomputed_high")
REQUIRED_LEDGER_COLUMNS = ("claim_id", "source", "study", "location", "quantity", "reported", "rule",
                           "verdict", "explanation")


class MissingDescription(KeyError):
    """A published column has no description: say what it means before publishing it."""


def column_description(table: str, column: str) -> str:
    described = TABLE_COLUMN_DESCRIPTIONS.get(table, {}).get(column) or COLUMN_DESCRIPTIONS.get(column)
    if not described:
        raise MissingDescription(
            f"tables/{table}.csv: column {column!r} has no description; add it to "
            "sarcoma_review/published_package.py (COLUMN_DESCRIPTIONS, or TABLE_COLUMN_DESCRIPTIONS "
            "when this table means something else by it)")
    return described


def field_type(series: pd.Series) -> str:
    """The Table Schema type of a column, from its pandas dtype (text stays text)."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def rules_table() -> pd.DataFrame:
    from claimcheck.catalogue import all_rules

    return pd.DataFrame([{"rule": i.name, "summary": i.summary, "method": i.method}
                         for i in all_rules().values()])


def sources_table() -> pd.DataFrame:
    from .registry import sources

    frame = sources()
    return frame.rename(columns={"study_key": "citation_key"})[["source_file", "citation_key", "part", "label"]]


SIDE_TABLE_FIELDS = {
    RULES_FILE: {"rule": "The rule's name, as the ledger's rule column gives it.",
                 "summary": "What the rule checks, in one sentence.",
                 "method": "How it checks it."},
    SOURCES_FILE: {"source_file": "The source text's file name in the repository, as the ledger's source column gives it.",
                   "citation_key": "The study's citation key in the review's bibliography (references.bib), as the ledger's study column gives it.",
                   "part": "Which printing of the study the text is (full text, abstract page).",
                   "label": "The label readers see for the source text."},
}


def _resource(name: str, path: str, title: str, description: str, fields: list[dict], **schema) -> dict:
    return {"name": name, "path": path, "profile": "tabular-data-resource", "title": title,
            "description": description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, **schema}}


def package_descriptor(ledger: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> dict:
    """datapackage.json for a publication of `ledger` and the citable `tables`."""
    from .citation import citation

    meta = citation()
    claims_fields = []
    for column in ledger.columns:
        if column not in LEDGER_COLUMN_DESCRIPTIONS:
            raise MissingDescription(f"claims.csv: ledger column {column!r} has no description; add it to "
                                     "LEDGER_COLUMN_DESCRIPTIONS in sarcoma_review/ledger.py")
        field = {"name": column, "type": "number" if column in NUMERIC_LEDGER_COLUMNS else "string",
                 "description": LEDGER_COLUMN_DESCRIPTIONS[column]}
        if column in REQUIRED_LEDGER_COLUMNS:
            field["constraints"] = {"required": True}
        if column == "verdict":
            field["constraints"]["enum"] = list(VERDICTS)
        if column == "decision":
            field["constraints"] = {"enum": [*DECISIONS, ""]}
        claims_fields.append(field)
    resources = [_resource(
        "claims", "claims.csv", "The claims ledger",
        "One row per printed number and rule applied to it: where it stands, what it claims, the "
        "printed and the recomputed value, the rule and its verdict with the reason.",
        claims_fields, primaryKey=["claim_id"],
        foreignKeys=[{"fields": ["rule"], "reference": {"resource": "rules", "fields": ["rule"]}},
                     {"fields": ["source"], "reference": {"resource": "sources", "fields": ["source_file"]}}])]
    resources.append(_resource(
        "rules", RULES_FILE, "The rules", "Every rule of the ledger: what it checks and how.",
        [{"name": n, "type": "string", "description": d} for n, d in SIDE_TABLE_FIELDS[RULES_FILE].items()],
        primaryKey=["rule"]))
    resources.append(_resource(
        "sources", SOURCES_FILE, "The source texts",
        "Every source text the ledger audits: its file, its study's citation key and the label readers see.",
        [{"name": n, "type": "string", "description": d} for n, d in SIDE_TABLE_FIELDS[SOURCES_FILE].items()],
        primaryKey=["source_file"]))
    for label, frame in sorted(tables.items()):
        fields = [{"name": str(c), "type": field_type(frame[c]), "description": column_description(label, str(c))}
                  for c in frame.columns]
        schema: dict = {}
        first = str(frame.columns[0])
        if first.endswith(("_id", "_key")) and frame[first].notna().all() and frame[first].is_unique:
            schema["primaryKey"] = [first]
        keys = []
        if "rule" in frame.columns:
            keys.append({"fields": ["rule"], "reference": {"resource": "rules", "fields": ["rule"]}})
        # A table that shows readers the source's label keeps the file name in source_file.
        source_column = "source_file" if "source_file" in frame.columns else "source" if "source" in frame.columns else None
        if source_column:
            keys.append({"fields": [source_column], "reference": {"resource": "sources", "fields": ["source_file"]}})
        if keys:
            schema["foreignKeys"] = keys
        resources.append(_resource(label, f"tables/{label}.csv", f"Table {label}",
                                   f"Citable table {label} of the review, as its chapter shows it.",
                                   fields, **schema))
    return {
        "profile": "tabular-data-package",
        "name": "sarcoma-tace-review",
        "title": meta["title"],
        "description": " ".join(meta["abstract"].split()),
        "version": __version__,
        "licenses": LICENSES,
        "keywords": list(meta.get("keywords", [])),
        "contributors": [{"title": a.get("name", ""), "role": "author"} for a in meta["authors"]],
        "resources": resources,
    }


def write_side_tables(out_dir: Path, write_csv) -> None:
    write_csv(rules_table(), out_dir / RULES_FILE)
    write_csv(sources_table(), out_dir / SOURCES_FILE)


def write_package(out_dir: Path, ledger: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> Path:
    path = out_dir / PACKAGE_FILE
    path.write_text(json.dumps(package_descriptor(ledger, tables), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path
