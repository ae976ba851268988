"""A value must occur in its own excerpt, and be possible for its unit (transcription_checks.py).

The unit tests use sentences from the source papers; the package tests corrupt a copy of the
fixture package and of the real data/ and read the one-line problem that validation prints.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from data_copies import reduced_package

from sarcoma_review import datapackage
from sarcoma_review.datapackage import DataError, validate_package
from sarcoma_review.transcription_checks import (excerpt_problem, numbers_in, range_ends_problem,
                                                 unit_problem)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "datapackage"


# --- numbers in a sentence ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("of whom 68 (60.2%) were male", [(False, "68"), (False, "60.2")]),
    ("95% CI: 28.3%-46.8%", [(False, "95"), (False, "28.3"), (False, "46.8")]),   # a range dash
    ("aged 2-5 years", [(False, "2"), (False, "5")]),
    ("a change of −0.5 (95% CI -0.9 to -0.1)", [(True, "0.5"), (False, "95"), (True, "0.9"), (True, "0.1")]),
    ("platelets 13,400/μL", [(False, "13400")]),
    ("no patient achieved complete response", [(False, "0")]),
    ("a threefold increase over six months", [(False, "3"), (False, "6")]),
])
def test_numbers_in_reads_signs_ranges_separators_and_words(text, expected) -> None:
    assert numbers_in(text) == expected


# --- a value against its excerpt ----------------------------------------------------------------

@pytest.mark.parametrize("value, excerpt", [
    ("60.2", "of whom 68 (60.2%) were male"),
    ("<0.05", "were significantly associated with OS and PFS (P < 0.05)"),
    ("0", "According to RECIST 1.1 criteria, no patient achieved complete response (CR)"),
    ("<6", "the median progression-free survival (PFS) is typically less than six months"),
    ("Jun 13, 2022", "Jun 13, 2022 | First TACE session"),
    ("1–2", "1-2 sessions"),
    ("Three", "Three years after resection"),
    ("IIIB", "stage IIIB disease"),
    ("13,400", "13,400 cells"),
    ("3", "(4) ECOG performance status ≤ 3 scores"),
    ("65×52", "T2WI hyperintense lesion (65 × 52 mm)"),
    (">20", "For giant malignant phyllodes tumors (>20 cm in maximum diameter)"),
    ("<20", "5-year survival drops below 20% in most series"),
    (">70", "to reach tissue temperatures higher than 70°C"),
])
def test_values_printed_in_their_excerpt_pass(value, excerpt) -> None:
    assert excerpt_problem(value, excerpt) is None


@pytest.mark.parametrize("value, excerpt, reason", [
    ("60.3", "of whom 68 (60.2%) were male", "60.3 does not occur in the excerpt (it prints 68, 60.2)"),
    ("19", "The median OS was 19.0 months", "19 does not occur"),            # precision is part of the value
    ("-19.0", "The median OS was 19.0 months", "only with the opposite sign"),
    ("<0.04", "(P < 0.05)", "0.04 does not occur"),
    ("Jul 13, 2022", "Jun 13, 2022 | First TACE session", "'Jul' does not occur"),
    ("Four", "Three years after resection", "'Four' does not occur"),
    ("2", "both intravenously, every 3 weeks", "2 does not occur"),            # "both" is not a number
    ("4", "(4) ECOG performance status ≤ 3 scores", "4 does not occur"),      # a list marker is not
    ("2–2", "prolonged survival beyond 2–3 years", "do not occur side by side"),
    ("52×65", "T2WI hyperintense lesion (65 × 52 mm)", "do not occur side by side"),
    ("<20", "For giant malignant phyllodes tumors (>20 cm in maximum diameter)", "does not print '<'"),
    (">20", "5-year survival drops below 20% in most series", "does not print '>'"),
])
def test_values_not_printed_in_their_excerpt_are_named(value, excerpt, reason) -> None:
    problem = excerpt_problem(value, excerpt)
    assert problem is not None and reason in problem


def test_a_date_may_take_its_year_from_a_list_that_prints_it_once() -> None:
    excerpt = "four DEB-TACEs were performed on April 13, August 24, December 16, 2022, and March 23, 2023"
    assert excerpt_problem("April 13, 2022", excerpt, side_by_side=False) is None
    assert "side by side" in excerpt_problem("April 13, 2022", excerpt)
    assert "'May' does not occur" in excerpt_problem("May 13, 2022", excerpt, side_by_side=False)


@pytest.mark.parametrize("printed, lower, upper, reason", [
    ("1–2", "1", "2", None), ("50-70", "50", "70", None), ("37.2", "28.3", "46.8", None),
    ("1–2", "2", "2", "starts at 1, not 2"), ("3–4", "3", "5", "ends at 4, not 5"),
    ("2–3", "", "", "starts at 2, not at an empty cell"), ("2–3", "2", "", "ends at 3, not at an empty"),
])
def test_a_printed_range_agrees_with_its_ends(printed, lower, upper, reason) -> None:
    problem = range_ends_problem(printed, lower, upper)
    assert (problem is None) if reason is None else (reason in problem)


# --- a value against its unit -------------------------------------------------------------------

@pytest.mark.parametrize("printed, unit", [
    ("113", "count"), ("13,400", "count"), ("1–2", "count"), ("<0.001", "p"), ("0.05", "p"),
    ("P = 0.032", "none"), ("19.0", "months"), ("-2", "celsius"), (">120", "percent"),
])
def test_possible_values_pass(printed, unit) -> None:
    assert unit_problem(printed, unit) is None


@pytest.mark.parametrize("printed, unit, reason", [
    ("<0.05", "count", "a count must be a whole number, not 0.05"),
    ("-113", "count", "negative"),
    ("−42", "percent", "negative"),
    ("<-0.05", "p", "negative"),
    ("1.5", "p", "between 0 and 1"),
    ("19.0", "p", "between 0 and 1"),
    ("significant", "p", "is not a P value"),
    ("-19.0", "months", "negative"),
])
def test_impossible_values_are_named(printed, unit, reason) -> None:
    problem = unit_problem(printed, unit)
    assert problem is not None and reason in problem


# --- through validation: file, line and column --------------------------------------------------

@pytest.fixture
def fixture_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(tmp_path)
    datapackage._validated.cache_clear()
    return target


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"fixture changed: {old!r} not on line {line} of {path}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def only_problem(data_dir: Path) -> str:
    with pytest.raises(DataError) as caught:
        validate_package(data_dir)
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value.problems[0])


def test_a_mistyped_last_digit_names_file_line_and_column(fixture_copy: Path) -> None:
    edit_line(fixture_copy / "demo_study/text_results.csv", 2, ",19.0,months", ",19.1,months")
    assert only_problem(fixture_copy) == (
        "data/demo_study/text_results.csv:2:printed: '19.1' is not printed in its excerpt: 19.1 does "
        "not occur in the excerpt (it prints 19.0, 95, 15.2, 22.8); expected the value exactly as the "
        "excerpt in column context prints it (correct whichever of the two was mistyped)")


def test_a_mistyped_interval_bound_is_caught(fixture_copy: Path) -> None:
    edit_line(fixture_copy / "demo_study/text_results.csv", 2, ",22.8", ",28.8")
    assert only_problem(fixture_copy).startswith("data/demo_study/text_results.csv:2:ci_upper: '28.8'")


def test_a_value_pasted_into_the_wrong_unit_is_caught_before_any_rule(fixture_copy: Path) -> None:
    edit_line(fixture_copy / "demo_study/text_results.csv", 3, ",<0.001,p", ",<0.001,count")
    assert only_problem(fixture_copy) == (
        "data/demo_study/text_results.csv:3:printed: '<0.001' is impossible: a count must be a "
        "whole number, not 0.001; expected a value possible for the row's unit")


def test_two_values_printed_together_must_stay_together(tmp_path: Path) -> None:
    # Table 2 of 000 prints "VAS: 6/10; MSTS-93: 14/30": swapping the two denominators keeps every
    # number in the excerpt, but 6 is no longer next to its scale.
    data = reduced_package(tmp_path / "data", "ups_calf_case")
    datapackage._validated.cache_clear()
    path = data / "ups_calf_case" / "scores.csv"
    edit_line(path, 4, ",VAS,6,10,", ",VAS,6,30,")
    edit_line(path, 5, ",MSTS-93,14,30,", ",MSTS-93,14,10,")
    with pytest.raises(DataError) as caught:
        validate_package(data)
    shown = [str(problem) for problem in caught.value.problems]
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "out_of"), (5, "out_of")], shown
    assert "printed 6 and out_of 30 are not printed together" in shown[0]


def test_a_negative_p_value_is_rejected(fixture_copy: Path) -> None:
    path = fixture_copy / "demo_study/text_results.csv"
    edit_line(path, 3, "(P <0.001)", "(P <-0.001)")
    edit_line(path, 3, ",<0.001,p", ",<-0.001,p")
    assert only_problem(fixture_copy) == (
        "data/demo_study/text_results.csv:3:printed: '<-0.001' is impossible: a negative number "
        "('<-0.001') is impossible for unit p; expected a value possible for the row's unit")


@pytest.mark.parametrize("study, file, line, column, old, new", [
    # two rows of the AICE results paragraph swapped: 68 men printed as 45
    ("aice_cohort", "results.csv", 3, "printed", ",68,count", ",45,count"),
    # a comparator's range read from another sentence
    ("comparators", "comparator_outcomes.csv", 20, "high", ",20,30,percent", ",20,40,percent"),
    # a tumour diameter in the UPS case typed 1 mm short
    ("ups_calf_case", "measurements.csv", 2, "long_mm", ",65,52,", ",64,52,"),
])
def test_real_tables_catch_a_transcription_slip(tmp_path: Path, study, file, line, column, old, new) -> None:
    data = reduced_package(tmp_path / "data", study)
    datapackage._validated.cache_clear()
    path = data / study / file
    edit_line(path, line, old, new)
    with pytest.raises(DataError) as caught:
        validate_package(data)
    assert any(problem.file.endswith(f"{study}/{file}") and problem.row == line and problem.column == column
               and "is not printed in its excerpt" in problem.what for problem in caught.value.problems), \
        [str(p) for p in caught.value.problems]
