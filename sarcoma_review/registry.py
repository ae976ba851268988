"""The studies the review covers and their source texts, with the labels readers see: the one
registry of studies.

Citation keys (`li2025aice`) and source file names (`001_b310b963ff8f79a5.txt`) identify a study
and a text for machines and for traceability; readers see the labels of
`data/evidence_overview/studies.csv` and `sources.csv` instead ("Li et al. 2025 (AICE
cohort)"). Every page, table and figure axis that names a study or a source takes its words
from here, so that a label is changed in one place.

The same row says where everything of a study lives: its claim-id prefix, its data folder, its
chapter and its audit module. The ledger's list of audits, the dashboard's chapter of a claim, the
overview, the comparators' quoting papers and the study part of ``_toc.yml`` are all read from it,
so that adding a study adds a row here and edits no Python list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .datapackage import load_table

# The one audit that belongs to no single study: the comparator series the papers quote, checked
# across papers (sarcoma_review/audits/comparators.py), listed after the studies and discussed in
# the evidence overview.
CROSS_STUDY_AUDIT = {"audit_module": "comparators", "claim_prefix": "comp", "chapter": "evidence_overview",
                     "data_folder": "comparators"}
# Registry columns that say where a study's files are, not what the study is: the overview's
# citable table of the studies leaves them out.
LAYOUT_COLUMNS = ("claim_prefix", "data_folder", "audit_module", "overview_times")


def studies(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per study, in book order: key, label, chapter, design, level of evidence..."""
    return load_table("evidence_overview/studies.csv", data_dir)


def sources(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per source text: file name, study key, which printing it is, label."""
    return load_table("evidence_overview/sources.csv", data_dir)


def audit_modules() -> list[str]:
    """The audit modules of the ledger, in book order: the studies' (those that have one), then the
    cross-study audit. The order is the published ledger's."""
    modules = [module for module in studies()["audit_module"] if module]
    return [*modules, CROSS_STUDY_AUDIT["audit_module"]]


def chapter_of_prefix() -> dict[str, str]:
    """claim-id prefix -> the chapter that discusses those claims."""
    table = studies()
    return {**dict(zip(table["claim_prefix"], table["chapter"])),
            CROSS_STUDY_AUDIT["claim_prefix"]: CROSS_STUDY_AUDIT["chapter"]}


def study_of_audit(audit_module: str) -> pd.Series:
    """The registry row of the study whose audit module is ``audit_module`` (without the package)."""
    table = studies()
    found = table[table["audit_module"] == audit_module]
    if len(found) != 1:
        raise KeyError(f"data/evidence_overview/studies.csv: {len(found)} rows with audit_module "
                       f"{audit_module!r}; expected exactly one")
    return found.iloc[0]


def study_sources(study_key: str) -> tuple[str, ...]:
    """The source text files of a study, in the registry's order (the first is its full text)."""
    row = studies().set_index("study_key").loc[study_key]
    return tuple(row["sources"].split("; "))


def study_of_source(source_file: str) -> str:
    """The citation key of the study a source text belongs to."""
    table = sources()
    found = table.loc[table["source_file"] == source_file, "study_key"]
    if found.empty:
        raise KeyError(f"data/evidence_overview/sources.csv: no row with source_file {source_file!r}")
    return str(found.iloc[0])


def study_chapters() -> list[str]:
    """The chapters of the studies, in book order (the study part of ``_toc.yml``, after the
    evidence overview)."""
    return list(studies()["chapter"])


def study_label(study_key: str) -> str:
    """The label readers see for a study, by its citation key."""
    return _lookup(studies(), "study_key", study_key, "evidence_overview/studies.csv")


def study_short_label(study_key: str) -> str:
    """The label without its bracketed description ("Li et al. 2025"), where space is short."""
    return study_label(study_key).split(" (", 1)[0]


def source_label(source_file: str) -> str:
    """The label readers see for a source text, by its file name."""
    return _lookup(sources(), "source_file", source_file, "evidence_overview/sources.csv")


def _lookup(table: pd.DataFrame, column: str, value: str, shown: str) -> str:
    found = table.loc[table[column] == value, "label"]
    if found.empty:
        raise KeyError(f"data/{shown}: no row with {column} {value!r}; expected one of "
                       f"{', '.join(table[column])}")
    return str(found.iloc[0])


def quoted_study_label(citation_key: str, bibliography: Path | None = None) -> str:
    """The label readers see for a study the papers quote, by its key in ``references.bib``.

    Comparator rows name the quoted study by its citation key (``pierce2018embolization``); readers
    see the bibliography's first author and year instead, marked as quoted ("Pierce et al. 2018,
    as quoted"), so that it is not mistaken for a study this review appraises.
    """
    entries = _bibliography(bibliography)
    if citation_key not in entries:
        raise KeyError(f"references.bib: no entry {citation_key!r}; expected the key of a study the papers quote")
    return entries[citation_key]


def _bibliography(bibliography: Path | None = None) -> dict[str, str]:
    # pybtex is what sphinxcontrib-bibtex reads the same file with, so the names split alike.
    from pybtex.database import parse_file

    from .ledger import BIBLIOGRAPHY

    labels = {}
    for key, entry in parse_file(str(bibliography or BIBLIOGRAPHY), bib_format="bibtex").entries.items():
        authors = entry.persons.get("author", [])
        last = [_plain(" ".join(person.prelast_names + person.last_names)) for person in authors
                if str(person) != "others"]
        if not last:
            names = entry.fields.get("title", key)
        elif len(authors) == 1:
            names = last[0]
        elif len(authors) == 2 and len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = f"{last[0]} et al."
        year = entry.fields.get("year", "n.d.")
        labels[key] = f"{_plain(names)} {year}, as quoted"
    return labels


def _plain(bibtex: str) -> str:
    """BibTeX's umlauts and protective braces as plain text ({\\"u} -> ü, {AJCC} -> AJCC)."""
    for accent, letters in (('\\"', {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}),
                            ("\\'", {"e": "é", "a": "á", "o": "ó", "i": "í"})):
        for letter, plain in letters.items():
            bibtex = bibtex.replace("{" + accent + letter + "}", plain).replace(accent + letter, plain)
    return bibtex.replace("{", "").replace("}", "")
