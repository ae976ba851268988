"""The coverage gate: every number the machine reading finds in a source text is transcribed in
data/ or excluded with a reason, and where the reader recognises a reporting pattern the
transcription gives its numbers the same roles (sarcoma_review/coverage.py).

The gate needs the source papers (``../shared/seeds/``, see the README, "The source papers"); where they are absent it
is skipped with that reason. The companion tests corrupt a copy of a source or of data/ and read
the one-line problem the gate prints.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from data_copies import reduced_package
from sarcoma_review import coverage, datapackage
from sarcoma_review.datapackage import DATA_DIR, check_package

SEEDS = DATA_DIR.parent.parent / "shared" / "seeds"
SOURCES_PRESENT = SEEDS.is_dir() and len(list(SEEDS.glob("*.txt"))) >= 5
needs_sources = pytest.mark.skipif(not SOURCES_PRESENT, reason="source papers not found at ../shared/seeds/: "
                                                              "the coverage gate cannot run without them")
MISSING = re.compile(r"^\.\./shared/seeds/(?P<source>\d{3}_[0-9a-f]{16}\.txt):(?P<offset>\d+): the number "
                     r"'(?P<number>[^']+)' in \"…(?P<context>.+)…\" has no ledger value and no exclusion; "
                     r"expected .+$")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return coverage.source_texts()


@pytest.fixture(scope="module")
def report(texts):
    return coverage.measure(texts=texts)


def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_cell(path: Path, row_id: str, column: str, value: str) -> None:
    import csv
    import io
    text = path.read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    index = records[0].index(column)
    hits = [r for r in records[1:] if r[0] == row_id]
    assert len(hits) == 1, f"no single row {row_id} in {path}"
    hits[0][index] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")


# --- the gate on the real sources ------------------------------------------------------------------

@needs_sources
def test_every_number_of_every_source_is_transcribed_or_excluded(report) -> None:
    assert not report.problems, "\n".join(report.problems)


@needs_sources
def test_each_of_the_five_sources_is_fully_accounted_for(report) -> None:
    table = {row["source_file"]: row for row in coverage.coverage_rows(report)}
    assert sorted(table) == sorted(path.name for path in SEEDS.glob("*.txt"))
    for source, row in table.items():
        assert row["found"] > 0 and row["missing"] == 0 and row["accounted-percent"] == "100.0", source
        assert row["transcribed"] + row["excluded"] == row["found"]


@needs_sources
def test_the_patterns_the_agreement_check_reads_are_found(report) -> None:
    kinds = {p.kind for patterns in report.patterns.values() for p in patterns}
    assert {"n_pct", "pct_ci", "hr_ci_p", "median_ci", "cox_row", "p_value", "ci_level"} <= kinds


# --- the gate fails where it should ----------------------------------------------------------------

@needs_sources
def test_a_source_with_one_extra_number_fails_the_gate(texts) -> None:
    name = "003_9e5745cdb1230c39.txt"
    anchor = "to achieve better local control"
    assert anchor in texts[name]
    changed = dict(texts)
    changed[name] = texts[name].replace(anchor, anchor + ", seen on 9 scans,", 1)
    problems = coverage.measure(texts=changed).problems
    assert len(problems) == 1, problems
    match = MISSING.match(problems[0])
    assert match, problems[0]
    assert match["source"] == name and match["number"] == "9" and "seen on 9 scans" in match["context"]
    assert changed[name][int(match["offset"]):].startswith("9 scans")
    assert f"data/lms_tace_rfa_case/{coverage.EXCLUSIONS_FILE}" in problems[0]


@needs_sources
def test_a_mistyped_table_cell_is_a_number_without_a_ledger_value(tmp_path, texts) -> None:
    data = copy_of_data(tmp_path)
    edit_cell(data / "aice_cohort" / "table2_subtypes.csv", "t2-liposarcoma", "count", "18")
    problems = coverage.measure(data, texts).problems
    assert any(MISSING.match(p) and "'17' in \"…" in p and "Liposarcoma 17 (15.0)" in p for p in problems), problems


@needs_sources
def test_a_p_value_transcribed_without_its_bound_is_a_disagreement(tmp_path, texts) -> None:
    data = copy_of_data(tmp_path)
    edit_cell(data / "aice_cohort" / "results.csv", "res-os-met-p", "printed", "0.001")
    problems = coverage.measure(data, texts).problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.startswith("../shared/seeds/001_b310b963ff8f79a5.txt:")
    assert "the P value '<0.001' is transcribed as 0.001, without its bound" in problem
    assert problem.endswith("; expected the transcription to give each number the role the paper prints it in")


@needs_sources
def test_a_confidence_interval_on_the_wrong_row_is_a_disagreement(tmp_path, texts) -> None:
    data = copy_of_data(tmp_path)
    results = data / "aice_cohort" / "results.csv"
    for column, value in (("ci_lower", ""), ("ci_upper", "")):
        edit_cell(results, "res-pfs-size-le10-median", column, value)
    for column, value in (("ci_lower", "11.9"), ("ci_upper", "20.1")):
        edit_cell(results, "res-pfs-size-p", column, value)
    problems = coverage.measure(data, texts).problems
    assert any("as a duration in months 16.0 with its interval 11.9–20.1" in p
               and "no row here transcribes 16.0 (months) with its interval 11.9–20.1" in p for p in problems), problems


@needs_sources
def test_a_count_and_a_percentage_of_different_groups_are_a_disagreement(tmp_path, texts) -> None:
    data = copy_of_data(tmp_path)
    edit_cell(data / "aice_cohort" / "results.csv", "res-male-pct", "key", "baseline.sex[female].pct")
    problems = coverage.measure(data, texts).problems
    assert any("as n = 68 (60.2%)" in p and "no row here transcribes 68 as a count and 60.2 as its percentage" in p
               for p in problems), problems


@needs_sources
def test_an_exclusion_that_excludes_nothing_or_is_not_in_the_source_is_reported(tmp_path, texts) -> None:
    data = copy_of_data(tmp_path)
    path = data / "lms_tace_rfa_case" / coverage.EXCLUSIONS_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.write('stale,003_9e5745cdb1230c39.txt,citation-year,"the 2013 revision of the Declaration",,,,'
                     'a year the source does not print\n')
        handle.write('transcribed,003_9e5745cdb1230c39.txt,citation-year,"A 47-year-old woman presented",,,,'
                     'a number data/ transcribes already\n')
    problems = coverage.measure(data, texts).problems
    assert any(p.startswith(f"data/lms_tace_rfa_case/{coverage.EXCLUSIONS_FILE}:4:context: ")
               and "does not occur in 003_9e5745cdb1230c39.txt" in p for p in problems), problems
    assert any(p.startswith(f"data/lms_tace_rfa_case/{coverage.EXCLUSIONS_FILE}:5:-: exclusion 'transcribed' "
                            "excludes no number") for p in problems), problems


# --- where rows without an excerpt stand ------------------------------------------------------------

@needs_sources
def test_a_table_row_covers_its_label_and_its_cells(texts) -> None:
    rows = {(row.file, row.record.get("row_id") or row.record.get("cell_id")): row
            for row in coverage.transcribed_rows(DATA_DIR, texts)}
    text = texts["001_b310b963ff8f79a5.txt"]

    def covered(file: str, row_id: str) -> list[str]:
        return [text[a:b] for a, b in rows[(f"data/aice_cohort/{file}", row_id)].spans["001_b310b963ff8f79a5.txt"]]

    assert covered("table3_cox_os.csv", "t3-metastasis")[1:] == ["Distant metastasis Yes vs no\t1.513\t4.4\t2.3–8.7\t<0.001"]
    assert covered("table5_adverse_events.csv", "t5-pain-b")[1:] == ["Pain", "9 (8.0)"]
    assert covered("table2_subtypes.csv", "t2-pnet")[1:] == ["PNET\t4 (3.5)"]
    # Table 1's rows under their group header; the median row is the header line itself.
    assert covered("table1_baseline.csv", "t1-mgps-2")[1:] == ["2\t35\t31.0%"]
    assert covered("table1_baseline.csv", "t1-diameter-median")[1:] == ["Maximum diameter (cm)\t10.7 (1.5–25.3)\t"]
    assert covered("table1_baseline.csv", "t1-metastasis-no")[0].startswith("Baseline Characteristics\tTotal (N=113)")


# --- validation of the exclusion tables (no source text needed) --------------------------------------

@pytest.mark.parametrize("row, column, message", [
    ("x,003_9e5745cdb1230c39.txt,footnote,some text,,,,why", "category", "'footnote' is not an allowed value"),
    ("x,000_ed17c4af9a8f25a3.txt,page-furniture,some text,,,,why", "source",
     "'000_ed17c4af9a8f25a3.txt': '000_ed17c4af9a8f25a3.txt' is not a source text of this table"),
    ("x,003_9e5745cdb1230c39.txt,page-furniture,,,,,why", "context", "nothing says which numbers it excludes"),
    ("x,003_9e5745cdb1230c39.txt,page-furniture,,the end,,[0-9],why", "until", "an end without a start"),
    ("x,003_9e5745cdb1230c39.txt,page-furniture,,,,[0-9,why", "pattern", "not a regular expression"),
    ("x,003_9e5745cdb1230c39.txt,page-furniture,many patients,,many,,why", "printed", "no number in it"),
    ("x,003_9e5745cdb1230c39.txt,page-furniture,some text,,,,", "note", "empty cell in a required column"),
])
def test_a_bad_exclusion_row_is_one_line_naming_file_line_and_column(tmp_path, monkeypatch, row, column,
                                                                      message) -> None:
    data = reduced_package(tmp_path / "data", "lms_tace_rfa_case")
    path = data / "lms_tace_rfa_case" / coverage.EXCLUSIONS_FILE
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    monkeypatch.chdir(tmp_path)
    datapackage._validated.cache_clear()
    problems = [str(p) for p in check_package(data).problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"data/lms_tace_rfa_case/{coverage.EXCLUSIONS_FILE}:{line}:{column}: ")
    assert message in problems[0] and "; expected " in problems[0]


def test_the_categories_in_the_schema_are_the_module_s() -> None:
    import json
    schema = json.loads((DATA_DIR / "schemas" / "exclusions.schema.json").read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == "category")
    assert tuple(field["constraints"]["enum"]) == coverage.CATEGORIES
