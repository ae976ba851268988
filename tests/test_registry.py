"""The registry of studies and source texts: complete, consistent with the audits, and validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sarcoma_review import datapackage, registry
from sarcoma_review.audits import all_audits
from sarcoma_review.datapackage import DataError, validate_package
from sarcoma_review.ledger import citation_keys

DATA = Path(__file__).resolve().parent.parent / "data"


def test_every_study_and_source_has_a_label_and_the_two_tables_agree() -> None:
    studies = registry.studies()
    sources = registry.sources()
    listed = {(source, row.study_key) for row in studies.itertuples() for source in row.sources.split("; ")}
    assert listed == set(zip(sources["source_file"], sources["study_key"]))
    assert set(studies["study_key"]) <= citation_keys()
    assert all(label.strip() for label in [*studies["label"], *sources["label"]])


def test_every_source_an_audit_reads_is_registered() -> None:
    audited = {source for audit in all_audits() for source in getattr(audit, "SOURCES", ())}
    assert audited == set(registry.sources()["source_file"])


def test_labels_are_looked_up_and_an_unknown_key_names_the_table() -> None:
    assert registry.study_label("li2025aice") == "Li et al. 2025 (AICE cohort)"
    assert registry.source_label("004_13266a4e37850657.txt") == "Li et al. 2025 (AICE cohort), PubMed abstract page"
    with pytest.raises(KeyError, match=r"data/evidence_overview/sources.csv: no row with source_file 'x.txt'"):
        registry.source_label("x.txt")


def test_a_source_of_an_unknown_study_is_refused_with_file_line_and_column(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.chdir(tmp_path)
    path = data / "evidence_overview" / "sources.csv"
    text = path.read_text(encoding="utf-8")
    assert "003_9e5745cdb1230c39.txt,cancerimaging2013tacerfa," in text
    path.write_text(text.replace("003_9e5745cdb1230c39.txt,cancerimaging2013tacerfa,",
                                 "003_9e5745cdb1230c39.txt,nosuchstudy,"), encoding="utf-8")
    datapackage._validated.cache_clear()
    with pytest.raises(DataError) as caught:
        validate_package(data)
    problems = [str(problem) for problem in caught.value.problems]
    line = next(n for n, row in enumerate(path.read_text().splitlines(), start=1) if "nosuchstudy" in row)
    assert problems == [f"data/evidence_overview/sources.csv:{line}:study_key: 'nosuchstudy' is not a study_key "
                        "of the table studies; expected a value that the study_key column of studies lists"]
