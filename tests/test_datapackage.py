"""Validation of data/: each test corrupts a copy of tests/fixtures/datapackage in one way and
checks that the validator names the file, line and column and says what was expected."""

from __future__ import annotations

import calendar
import datetime
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, strategies as st

from sarcoma_review import datapackage
from sarcoma_review.datapackage import (DataError, Problem, check_package, load_study, load_table,
                                        printed_date_problem, validate_package)
from sarcoma_review.validate import main

FIXTURE = Path(__file__).parent / "fixtures" / "datapackage"
BASELINE = "demo_study/baseline.csv"
TEXT_RESULTS = "demo_study/text_results.csv"
BASELINE_SHOWN = "data/demo_study/baseline.csv"
TEXT_RESULTS_SHOWN = "data/demo_study/text_results.csv"
REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the fixture package at <tmp>/data, with <tmp> as working directory so that
    problems show paths as data/..."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(tmp_path)
    datapackage._validated.cache_clear()
    return target


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


def edit_descriptor(data_dir: Path, resource_index: int, edit) -> None:
    descriptor_path = data_dir / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    edit(descriptor["resources"][resource_index])
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def descriptor_line(data_dir: Path, resource_name: str) -> int:
    """Line of the resource's "name" entry in datapackage.json, where its problems are reported."""
    lines = (data_dir / "datapackage.json").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1)
                if f'"name": "{resource_name}"' in line)


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        validate_package(data_dir)
    lines = [str(problem) for problem in caught.value.problems]
    assert str(caught.value) == lines[0]
    return lines


def only_problem(data_dir: Path) -> str:
    found = problems(data_dir)
    assert len(found) == 1, found
    return found[0]


# --- the valid fixture ------------------------------------------------------------------------

def test_fixture_is_valid_and_counted(data_dir: Path) -> None:
    validate_package(data_dir)
    report = check_package(data_dir)
    assert (report.resources_validated, report.rows_validated) == (2, 6)


def test_error_message_is_one_line_in_the_documented_format() -> None:
    error = DataError([Problem("data/a.csv", 3, "n", "'x' is not of type integer", "a whole number"),
                       Problem("data/b.csv", 4, "m", "second", "other")])
    assert str(error) == "data/a.csv:3:n: 'x' is not of type integer; expected a whole number"
    assert "\n" not in str(error)
    assert len(error.problems) == 2


# --- columns and cells ------------------------------------------------------------------------

def test_missing_column(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join(line.replace(",35.4,", ",").replace(",46.9,", ",")
                                  .replace(",100.0,", ",").replace(",percent,", ",")
                                  for line in lines) + "\n", encoding="utf-8")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:1:percent: header is characteristic,category,patients,surgery_date,"
        "location (missing percent); expected exactly these columns in this order: "
        "characteristic,category,patients,percent,surgery_date,location")


def test_extra_column(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    header, *rows = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join([f"{header},notes"] + [f"{row},x" for row in rows]) + "\n",
                        encoding="utf-8")
    assert only_problem(data_dir).startswith(
        f"{BASELINE_SHOWN}:1:notes: header is characteristic,category,patients,percent,"
        "surgery_date,location,notes (unexpected notes); expected exactly these columns")


def test_text_in_an_integer_count(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "Sex,53,", "Sex,fifty-three,")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:3:patients: 'fifty-three' is not of type integer; expected a whole number")


def test_empty_required_cell(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "Sex,53,", "Sex,,")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:3:patients: empty cell in a required column; "
        "expected a value (this column is required)")


def test_negative_count(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "Surgery,113,", "Surgery,-113,")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:4:patients: '-113' is below the minimum; expected a value of at least 0")


@pytest.mark.parametrize("printed", ["104.2", "-3.1", "46.9%", "1e2"])
def test_percentage_outside_0_to_100_is_explained_by_the_field_description(
        data_dir: Path, printed: str) -> None:
    replace_text(data_dir / BASELINE, ",46.9,", f",{printed},")
    message = only_problem(data_dir)
    assert message.startswith(
        f"{BASELINE_SHOWN}:3:percent: '{printed}' does not match the pattern of this column; "
        "expected Percentage of patients as printed, without the % sign, between 0 and 100, "
        "e.g. '46.9' (pattern ")


def test_unknown_category(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "female,Sex,", "female,Gender,")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:3:category: 'Gender' is not an allowed value; "
        "expected one of: Age >35, Sex, Surgery")


def test_duplicate_primary_key(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "first_resection,", "age_over_35,")
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:4:-: duplicate primary key (characteristic) (first on line 2); "
        "expected each row to have a unique primary key")


def test_number_id_unique_across_the_study_folder(data_dir: Path) -> None:
    (data_dir / "demo_study/text_discussion.csv").write_text(
        "number_id,location,context,key,printed,unit,ci_lower,ci_upper\n"
        'res-os-median,"Discussion, paragraph 1",median OS of 19.0 months,os.median,19.0,months,,\n',
        encoding="utf-8")
    descriptor_path = data_dir / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    discussion = dict(descriptor["resources"][1], name="demo-text-discussion",
                      path="demo_study/text_discussion.csv")
    descriptor["resources"].append(discussion)
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert only_problem(data_dir) == (
        "data/demo_study/text_discussion.csv:2:number_id: 'res-os-median' is already used at "
        f"{TEXT_RESULTS_SHOWN} line 2; expected number_id unique across the whole study folder")


def test_line_numbers_count_lines_of_multiline_records(data_dir: Path) -> None:
    replace_text(data_dir / TEXT_RESULTS, '"The median OS was 19.0 months',
                 '"The median OS\nwas 19.0 months')
    replace_text(data_dir / TEXT_RESULTS, ",date,,", ",dates,,")
    found = problems(data_dir)
    assert found[0].startswith(f"{TEXT_RESULTS_SHOWN}:2:context: control character '\\n'")
    assert found[1].startswith(f"{TEXT_RESULTS_SHOWN}:5:unit: 'dates' is not an allowed value")


def test_all_problems_are_collected_first_one_in_the_message(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "Sex,53,", "Sex,-53,")
    replace_text(data_dir / TEXT_RESULTS, ",months,15.2,", ",moons,15.2,")
    found = problems(data_dir)
    assert [line.split(": ")[0] for line in found] == [
        f"{BASELINE_SHOWN}:3:patients", f"{TEXT_RESULTS_SHOWN}:2:unit"]


# --- printed dates ----------------------------------------------------------------------------

@pytest.mark.parametrize(("file", "old", "new", "shown", "line", "column"), [
    (BASELINE, "Feb 2018", "2022-02-30", BASELINE_SHOWN, 4, "surgery_date"),
    (BASELINE, "Feb 2018", '"Feb 30, 2022"', BASELINE_SHOWN, 4, "surgery_date"),
    (TEXT_RESULTS, '"Jun 13, 2022"', '"Feb 30, 2022"', TEXT_RESULTS_SHOWN, 4, "printed"),
])
def test_impossible_date(data_dir: Path, file: str, old: str, new: str, shown: str, line: int,
                         column: str) -> None:
    replace_text(data_dir / file, old, new)
    printed = new.strip('"')
    if file == TEXT_RESULTS:   # the row's excerpt prints the same date (ExcerptCheck)
        replace_text(data_dir / file, f"on {old.strip(chr(34))}", f"on {printed}")
    assert only_problem(data_dir) == (
        f"{shown}:{line}:{column}: '{printed}' is not a real date (February 2022 has 28 days, "
        f"not 30); expected a real date written like {datapackage.DATE_EXAMPLES}")


@pytest.mark.parametrize("printed", ["sometime in 2022", "2022-13", "Jnu 2022", "13/06/2022"])
def test_unreadable_date_spelling(data_dir: Path, printed: str) -> None:
    replace_text(data_dir / BASELINE, "Feb 2018", printed)
    assert only_problem(data_dir).startswith(f"{BASELINE_SHOWN}:4:surgery_date: '{printed}' is not a real date")


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_every_real_date_is_accepted_in_every_spelling(date: datetime.date) -> None:
    month, abbreviation = calendar.month_name[date.month], calendar.month_abbr[date.month]
    for spelling in (f"{abbreviation} {date.day}, {date.year}", f"{month} {date.day}, {date.year}",
                     f"{date.day} {month} {date.year}", f"{abbreviation} {date.year}",
                     f"{month} {date.year}", date.isoformat(), date.isoformat()[:7], str(date.year)):
        assert printed_date_problem(spelling) is None, spelling


@given(st.integers(1900, 2099), st.integers(1, 12), st.integers(29, 99))
def test_days_past_the_end_of_the_month_are_rejected(year: int, month: int, day: int) -> None:
    assume(day > calendar.monthrange(year, month)[1])
    assert printed_date_problem(f"{calendar.month_abbr[month]} {day}, {year}") is not None
    assert printed_date_problem(f"{year}-{month:02d}-{day:02d}") is not None


# --- bytes ------------------------------------------------------------------------------------

def test_bytes_that_are_not_utf8(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    csv_path.write_bytes(csv_path.read_bytes().replace(b"Feb 2018", b"F\xe9v 2018"))
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:4:surgery_date: byte 0xe9 is not UTF-8 (invalid continuation byte); "
        "expected UTF-8 text (re-save the file as UTF-8)")


def test_byte_order_mark_is_rejected(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    csv_path.write_bytes(b"\xef\xbb\xbf" + csv_path.read_bytes())
    assert only_problem(data_dir).startswith(
        f"{BASELINE_SHOWN}:1:characteristic: file starts with a UTF-8 byte-order mark (BOM); "
        "expected UTF-8 without BOM")


def test_crlf_line_endings_are_rejected(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    csv_path.write_bytes(csv_path.read_bytes().replace(b"\n", b"\r\n"))
    assert only_problem(data_dir) == (
        f"{BASELINE_SHOWN}:1:-: line ends with CR LF (Windows line ending) or contains a CR; "
        "expected LF line endings only")


def test_100_mb_file_is_rejected_by_size_before_parsing(data_dir: Path) -> None:
    csv_path = data_dir / BASELINE
    header = csv_path.read_bytes().split(b"\n", 1)[0] + b"\n"
    row = b'pad,Sex,1,1.0,,"padding"\n'
    with csv_path.open("wb") as output:
        output.write(header)
        output.write(row * (100 * 1024 * 1024 // len(row)))
    size = csv_path.stat().st_size
    assert size >= 100_000_000
    started = time.perf_counter()
    message = only_problem(data_dir)
    assert time.perf_counter() - started < 2.0
    assert message == (f"{BASELINE_SHOWN}:-:-: file is {size:,} bytes; "
                       f"expected at most {datapackage.MAX_FILE_BYTES:,} bytes for a transcribed table")


# --- text that is not plain text --------------------------------------------------------------

@pytest.mark.parametrize(("injected", "markup"), [
    ("<script>alert(1)</script>", "'<s'"),
    ("</b>", "'</b'"),
    ("<!-- hidden -->", "'<!'"),
    ("&lt;b&gt;", "'&lt;'"),
    ("&#60;", "'&#60;'"),
])
def test_markup_in_a_text_column_is_rejected(data_dir: Path, injected: str, markup: str) -> None:
    replace_text(data_dir / TEXT_RESULTS, "tumour size (P <0.001)", f"tumour size {injected} (P <0.001)")
    assert only_problem(data_dir).startswith(
        f"{TEXT_RESULTS_SHOWN}:3:context: markup {markup} in text "
        f"{f'tumour size {injected} (P <0.001)'[:60]!r}; "
        "expected plain one-line text")


@pytest.mark.parametrize("text", ["P <0.001", "lesions < 5 cm", "P<.05", "age <=35", "R&D; 3 & 4"])
def test_less_than_and_ampersand_in_printed_text_are_accepted(data_dir: Path, text: str) -> None:
    replace_text(data_dir / TEXT_RESULTS, "tumour size (P <0.001)", f"{text}; tumour size (P <0.001)")
    validate_package(data_dir)


def test_tab_in_a_text_cell_is_rejected(data_dir: Path) -> None:
    replace_text(data_dir / TEXT_RESULTS, "tumour size (P <0.001)", "tumour size\t(P <0.001)")
    assert only_problem(data_dir).startswith(
        f"{TEXT_RESULTS_SHOWN}:3:context: control character '\\t'")


# --- the descriptor ---------------------------------------------------------------------------

def test_csv_not_listed_in_the_descriptor(data_dir: Path) -> None:
    (data_dir / "demo_study/notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert only_problem(data_dir) == (
        "data/demo_study/notes.csv:-:-: CSV file is not listed in datapackage.json or "
        "demo_study/resources.json; expected every CSV in data/ to be described by a resource (add one, or delete the file)")


def _move_to_study_descriptor(data_dir: Path, name: str) -> Path:
    """Move one resource of datapackage.json into demo_study/resources.json; returns that file."""
    descriptor_path = data_dir / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    moved = [r for r in descriptor["resources"] if r["name"] == name]
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != name]
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    study_descriptor = data_dir / "demo_study" / "resources.json"
    study_descriptor.write_text(json.dumps({"resources": moved}, indent=2), encoding="utf-8")
    return study_descriptor


def test_a_study_s_own_resources_json_joins_the_package(data_dir: Path) -> None:
    before = check_package(data_dir)
    _move_to_study_descriptor(data_dir, "demo-baseline")
    after = check_package(data_dir)
    assert not after.problems
    assert (after.resources_validated, after.rows_validated) == (before.resources_validated, before.rows_validated)
    merged = datapackage.descriptor(data_dir)
    assert [r["name"] for r in merged["resources"]][-1] == "demo-baseline"
    assert load_table(BASELINE, data_dir).equals(load_table(BASELINE, FIXTURE))


def test_a_problem_of_a_study_s_resources_json_names_that_file_and_line(data_dir: Path) -> None:
    study_descriptor = _move_to_study_descriptor(data_dir, "demo-baseline")
    replace_text(study_descriptor, '"encoding": "utf-8"', '"encoding": "latin-1"')
    line = next(n for n, text in enumerate(study_descriptor.read_text(encoding="utf-8").splitlines(), start=1)
                if '"name": "demo-baseline"' in text)
    assert only_problem(data_dir).startswith(
        f"data/demo_study/resources.json:{line}:resources[demo-baseline].encoding: encoding is 'latin-1'")


def test_a_study_s_resources_json_that_is_not_json_is_refused_with_its_line(data_dir: Path) -> None:
    study_descriptor = _move_to_study_descriptor(data_dir, "demo-baseline")
    study_descriptor.write_text('{"resources": [\n  {"name": "x",}\n]}\n', encoding="utf-8")
    found = problems(data_dir)
    assert found[0].startswith("data/demo_study/resources.json:2:char 16: invalid JSON")
    # its table is then described nowhere, and that is said too
    assert any(p.startswith(f"{BASELINE_SHOWN}:-:-: CSV file is not listed") for p in found)


def test_descriptor_entry_whose_file_is_missing(data_dir: Path) -> None:
    (data_dir / TEXT_RESULTS).unlink()
    assert only_problem(data_dir) == (
        f"data/datapackage.json:{descriptor_line(data_dir, 'demo-text-results')}:"
        "resources[demo-text-results].path: file "
        "'demo_study/text_results.csv' does not exist; expected an existing CSV file under data/ "
        "(or remove the entry)")


def _drop(key: str):
    return lambda resource: resource.pop(key)


def _drop_primary_key(resource: dict) -> None:
    resource["schema"].pop("primaryKey")


def _drop_field_description(resource: dict) -> None:
    resource["schema"]["fields"][2].pop("description")


def _name_no_source_text(resource: dict) -> None:
    resource["sources"] = [{"title": "the paper"}]


def _declare_latin1(resource: dict) -> None:
    resource["encoding"] = "latin-1"


@pytest.mark.parametrize(("edit", "column", "what"), [
    (_drop("encoding"), "resources[demo-baseline].encoding", "encoding is None"),
    (_declare_latin1, "resources[demo-baseline].encoding", "encoding is 'latin-1'"),
    (_drop("description"), "resources[demo-baseline].description", "no description"),
    (_drop("sources"), "resources[demo-baseline].sources", "no source naming the source text file"),
    (_name_no_source_text, "resources[demo-baseline].sources", "no source naming the source text file"),
    (_drop("schema"), "resources[demo-baseline].schema", "no schema"),
    (_drop_primary_key, "resources[demo-baseline].schema.primaryKey", "no primary key"),
    (_drop_field_description, "resources[demo-baseline].schema.fields[patients].description",
     "field has no description"),
])
def test_resource_conventions(data_dir: Path, edit, column: str, what: str) -> None:
    edit_descriptor(data_dir, 0, edit)
    line = descriptor_line(data_dir, "demo-baseline")
    assert only_problem(data_dir).startswith(f"data/datapackage.json:{line}:{column}: {what}; expected ")


def test_undeclared_encoding_is_reported_even_though_frictionless_would_guess(data_dir: Path) -> None:
    edit_descriptor(data_dir, 0, _drop("encoding"))
    csv_path = data_dir / BASELINE
    csv_path.write_bytes(csv_path.read_bytes().replace(b"Feb 2018", b"F\xe9v 2018"))
    found = problems(data_dir)
    assert any(".encoding: encoding is None" in line for line in found), found
    assert any(line.startswith(f"{BASELINE_SHOWN}:4:surgery_date: byte 0xe9") for line in found)


def test_shared_schema_field_without_description_names_the_schema_file(data_dir: Path) -> None:
    schema_path = data_dir / "schemas/text_numbers.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][1].pop("description")
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    assert only_problem(data_dir) == (
        "data/schemas/text_numbers.schema.json:-:resources[demo-text-results].schema.fields"
        "[location].description: field has no description; expected a description of the column "
        "(unit, how it is printed)")


def test_two_resources_for_one_file(data_dir: Path) -> None:
    descriptor_path = data_dir / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"].append(dict(descriptor["resources"][1], name="demo-text-again"))
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert only_problem(data_dir) == (
        f"data/datapackage.json:{descriptor_line(data_dir, 'demo-text-again')}:"
        "resources[demo-text-again].path: 'demo_study/text_results.csv' is described by another "
        "resource too; expected one resource per CSV file")


def test_missing_shared_schema_file(data_dir: Path) -> None:
    (data_dir / "schemas/text_numbers.schema.json").unlink()
    assert only_problem(data_dir) == (
        "data/schemas/text_numbers.schema.json:-:resources[demo-text-results].schema: schema file "
        "does not exist; expected a Table Schema file under data/schemas/")


def test_shared_schema_that_is_not_json(data_dir: Path) -> None:
    (data_dir / "schemas/text_numbers.schema.json").write_text('{"fields": [\n', encoding="utf-8")
    assert only_problem(data_dir) == (
        "data/schemas/text_numbers.schema.json:2:char 1: invalid JSON (Expecting value); "
        "expected a valid JSON Table Schema")


def test_empty_csv_file(data_dir: Path) -> None:
    (data_dir / BASELINE).write_bytes(b"")
    assert only_problem(data_dir).startswith(f"{BASELINE_SHOWN}:-:-: source-error: the source is empty")


def test_unsafe_path_is_an_invalid_resource(data_dir: Path) -> None:
    edit_descriptor(data_dir, 1, lambda resource: resource.update(path="../outside.csv"))
    found = problems(data_dir)
    assert found[0].startswith(
        f"data/datapackage.json:{descriptor_line(data_dir, 'demo-text-results')}:"
        "resources[demo-text-results]: invalid resource (path "
        "\"../outside.csv\" is not safe)")
    assert any(line.startswith(f"{TEXT_RESULTS_SHOWN}:-:-: CSV file is not listed") for line in found)


def test_missing_descriptor(data_dir: Path) -> None:
    (data_dir / "datapackage.json").unlink()
    assert only_problem(data_dir).startswith("data/datapackage.json:-:-: file is missing; expected ")


def test_descriptor_that_is_not_json(data_dir: Path) -> None:
    replace_text(data_dir / "datapackage.json", '"name": "fixture",', '"name": "fixture"')
    assert only_problem(data_dir) == (
        "data/datapackage.json:3:char 3: invalid JSON (Expecting ',' delimiter); "
        "expected a valid JSON object")


# --- loading and the command line -------------------------------------------------------------

def test_load_table_returns_printed_text(data_dir: Path) -> None:
    table = load_table(TEXT_RESULTS, data_dir)
    assert table.loc[0, "printed"] == "19.0"
    assert table.loc[1, "ci_lower"] == ""
    assert set(load_study("demo_study", data_dir)) == {"baseline", "text_results"}


def test_load_table_refuses_invalid_data(data_dir: Path) -> None:
    replace_text(data_dir / BASELINE, "Sex,53,", "Sex,-53,")
    with pytest.raises(DataError, match=r"baseline\.csv:3:patients: '-53' is below the minimum"):
        load_table(TEXT_RESULTS, data_dir)
    with pytest.raises(DataError):
        load_study("demo_study", data_dir)


def test_package_is_validated_once_per_process(data_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real_validate = datapackage.validate_package
    monkeypatch.setattr(datapackage, "validate_package",
                        lambda path: calls.append(path) or real_validate(path))
    load_table(BASELINE, data_dir)
    load_table(TEXT_RESULTS, data_dir)
    load_study("demo_study", data_dir)
    assert calls == [data_dir.resolve()]


def test_main_reports_success_on_one_line(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(data_dir)]) == 0
    output = capsys.readouterr().out
    assert output == f"{data_dir}: 2 resources and 6 rows valid\n"


def test_main_prints_every_problem_and_fails(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    replace_text(data_dir / BASELINE, "Sex,53,", "Sex,-53,")
    replace_text(data_dir / BASELINE, "female,Sex,", "female,Gender,")
    (data_dir / "stray.csv").write_text("a\n", encoding="utf-8")
    assert main([str(data_dir)]) == 1
    printed = capsys.readouterr().err.splitlines()
    assert printed == [
        "data/stray.csv:-:-: CSV file is not listed in datapackage.json; expected every CSV in "
        "data/ to be described by a resource (add one, or delete the file)",
        f"{BASELINE_SHOWN}:3:category: 'Gender' is not an allowed value; expected one of: "
        "Age >35, Sex, Surgery",
        f"{BASELINE_SHOWN}:3:patients: '-53' is below the minimum; expected a value of at least 0",
    ]


def test_command_line_module_runs_quickly(data_dir: Path) -> None:
    # CPU seconds of the validating process, not wall time: `make test` runs tests on both cores
    # beside other work, and a busy machine would fail a wall-clock bound for a fast command.
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    started = children_cpu()
    completed = subprocess.run([sys.executable, "-m", "sarcoma_review.validate", str(data_dir)],
                               capture_output=True, text=True, cwd=REPOSITORY, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.endswith("2 resources and 6 rows valid\n")
    assert children_cpu() - started < 10
