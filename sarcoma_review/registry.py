"""The studies the review covers and their source texts, with the labels readers see.

Citation keys (`li2025aice`) and source file names (`001_b310b963ff8f79a5.txt`) identify a study
and a text for machines and for traceability; readers see the labels of
`data/evidence_overview/studies.csv` and `sources.csv` instead ("Li et al. 2025 (AICE
cohort)"). Every page, table and figure axis that names a study or a source takes its words
from here, so that a label is changed in one place.
"""

from __future__ import annotations

import pandas as pd

from .datapackage import load_table


def studies() -> pd.DataFrame:
    """One row per study, in book order: key, label, chapter, design, level of evidence..."""
    return load_table("evidence_overview/studies.csv")


def sources() -> pd.DataFrame:
    """One row per source text: file name, study key, which printing it is, label."""
    return load_table("evidence_overview/sources.csv")


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
