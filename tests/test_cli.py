"""The checking library's command line and table API: `python -m claimcheck` and `check_frame`.

Every expected value is worked out here from the printed numbers (42/80 = 52.5%, 19/80 = 23.75%,
...), not read from the code under test. The command line runs twice over: as a subprocess
(`python -m claimcheck`, what a reader types) and in-process (`cli.main`).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claimcheck import LEDGER_COLUMNS, TemplateError, all_rules, check_frame
from claimcheck import cli

# The columns of the review's published claims.csv, written out here (not taken from the library).
PUBLISHED_COLUMNS = [
    "claim_id",
    "source",
    "study",
    "location",
    "quantity",
    "reported",
    "recomputed",
    "recomputed_low",
    "recomputed_high",
    "rule",
    "verdict",
    "decision",
    "diagnosis",
    "explanation",
]

HEADER = "claim_id,rule,location,quantity,note,count,denominator,percent,estimate,lower,upper\n"
# 42/80 = 0.525 exactly, printed 52.5: consistent. 14.2 lies between 10.1 and 18.6: consistent.
CONSISTENT = (
    HEADER
    + "male,percent_of_n,Table 1,men,,42,80,52.5,,,\n"
    + "os,estimate_inside_ci,Results,median OS,,,,,14.2,10.1,18.6\n"
)
# 19/80 = 23.75%, which prints as 23.8 (or 24), never as 25.0: inconsistent.
INCONSISTENT = CONSISTENT + "orr,percent_of_n,Results,response,the 80 of the Methods,19,80,25.0,,,\n"

CONSTRUCTED_PARAGRAPH = (
    "Of the 113 patients, 68 (60.2%) were male. The response rate was 37.2% (95% CI: 28.3%-46.8%).\n"
    "Tumour size predicted death (HR=1.7; 95% CI: 1.1-2.7; P=0.014).\n"
    "\n"
    "Pain occurred in 17 (15.0%). Survival differed by grade (P < 0.001).\n"
)


def _write(tmp_path: Path, text: str, name: str = "claims.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *arguments], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def _in_process(*arguments: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(arguments), stdout=out), out.getvalue()


def _ledger(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---------------------------------------------------------------------------------------------
# check: exit status and the ledger


def test_a_consistent_template_exits_0_with_the_ledger_on_stdout(tmp_path):
    result = _run("check", str(_write(tmp_path, CONSISTENT)))
    assert result.returncode == 0, result.stderr
    rows = _ledger(result.stdout)
    assert list(rows[0]) == PUBLISHED_COLUMNS
    assert [(r["claim_id"], r["verdict"]) for r in rows] == [("male", "consistent"), ("os", "consistent")]
    male = rows[0]
    assert (male["rule"], male["location"], male["quantity"]) == ("percent_of_n", "Table 1", "men")
    assert float(male["recomputed_low"]) == float(male["recomputed_high"]) == 52.5
    assert male["decision"] == male["diagnosis"] == ""


def test_an_inconsistent_template_exits_1_and_0_with_report_only(tmp_path):
    path = _write(tmp_path, INCONSISTENT)
    result = _run("check", str(path))
    assert result.returncode == 1, result.stderr
    orr = {r["claim_id"]: r for r in _ledger(result.stdout)}["orr"]
    assert orr["verdict"] == "inconsistent"
    assert float(orr["recomputed_low"]) == pytest.approx(23.75)
    assert "19/80" in orr["recomputed"]
    assert "note: the 80 of the Methods" in orr["explanation"]
    # an inconsistent row carries a decision: a lone descriptive percentage changes no test
    assert orr["decision"] == "not-applicable"
    # 19/76 = 25.0%: the printed percentage fits 76 patients, and the explanation says so
    assert "76" in orr["explanation"]

    report_only = _run("check", str(path), "--report-only")
    assert report_only.returncode == 0
    assert report_only.stdout == result.stdout


def test_in_process_main_gives_the_same_statuses_and_ledger(tmp_path):
    consistent, inconsistent = _write(tmp_path, CONSISTENT, "a.csv"), _write(tmp_path, INCONSISTENT, "b.csv")
    assert _in_process("check", str(consistent))[0] == 0
    status, out = _in_process("check", str(inconsistent))
    assert status == 1
    assert out == _run("check", str(inconsistent)).stdout
    assert _in_process("check", str(inconsistent), "--report-only")[0] == 0


def test_json_output_and_output_file_have_the_ledger_columns(tmp_path):
    path, target = _write(tmp_path, INCONSISTENT), tmp_path / "ledger.json"
    result = _run("check", str(path), "--format", "json", "--output", str(target))
    assert result.returncode == 1
    assert result.stdout == ""
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [list(r) for r in records] == [PUBLISHED_COLUMNS] * 3
    assert [r["verdict"] for r in records] == ["consistent", "consistent", "inconsistent"]
    csv_target = tmp_path / "ledger.csv"
    assert _in_process("check", str(path), "--output", str(csv_target))[0] == 1
    assert list(pd.read_csv(csv_target, dtype=str, keep_default_na=False).columns) == PUBLISHED_COLUMNS
    assert list(LEDGER_COLUMNS) == PUBLISHED_COLUMNS


def test_a_spreadsheet_export_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CONSISTENT.encode("utf-8"))
    assert _in_process("check", str(path))[0] == 0


# ---------------------------------------------------------------------------------------------
# check: a malformed template is one line naming file, row and column, exit 2, nothing written

MALFORMED = {
    "unknown rule": (
        HEADER + "male,percent_of_m,Table 1,,,42,80,52.5,,,\n",
        2,
        "rule",
        "unknown rule 'percent_of_m'",
    ),
    "missing input": (
        HEADER + "male,percent_of_n,Table 1,,,42,80,52.5,,,\n" + "orr,percent_of_n,Results,,,19,,25.0,,,\n",
        3,
        "denominator",
        "needs input 'denominator'",
    ),
    "unparsable printed number": (
        HEADER + "male,percent_of_n,Table 1,,,42,80,52.5,,,\n" + "orr,percent_of_n,Results,,,19,80,2S.0,,,\n",
        3,
        "percent",
        "cannot read '2S.0'",
    ),
    "a count that is not whole": (HEADER + "male,percent_of_n,Table 1,,,42.0,80,52.5,,,\n", 2, "count", "42.0"),
    "unknown column": (
        "claim_id,rule,location,count,denominator,percent,colour\nmale,percent_of_n,Table 1,42,80,52.5,red\n",
        1,
        "colour",
        "unknown column 'colour'",
    ),
    "duplicate claim id": (
        HEADER + "male,percent_of_n,Table 1,,,42,80,52.5,,,\n" + "male,percent_of_n,Table 2,,,19,80,25.0,,,\n",
        3,
        "claim_id",
        "already used in row 2",
    ),
    "an input the rule does not take": (
        HEADER + "male,percent_of_n,Table 1,,,42,80,52.5,14.2,,\n",
        2,
        "estimate",
        "takes no input 'estimate'",
    ),
    "no location": (HEADER + "male,percent_of_n,,,,42,80,52.5,,,\n", 2, "location", "no location"),
    "missing required column": ("claim_id,rule,count,denominator,percent\nmale,percent_of_n,42,80,52.5\n", 1, "location", ""),
}


def _one_line_naming(stderr: str, path: Path, row: int, column: str, what: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"{path}:{row}:{column}: ")
    assert what in lines[0]
    assert "; expected " in lines[0]


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_template_gives_one_line_naming_file_row_and_column(tmp_path, capsys, case):
    text, row, column, what = MALFORMED[case]
    path, target = _write(tmp_path, text), tmp_path / "out.csv"
    status, out = _in_process("check", str(path), "--output", str(target))
    assert (status, out) == (2, "")
    assert not target.exists()
    _one_line_naming(capsys.readouterr().err, path, row, column, what)


@pytest.mark.parametrize("case", ["unknown rule", "unknown column", "unparsable printed number"])
def test_a_malformed_template_stops_the_command_line_with_status_2(tmp_path, case):
    text, row, column, what = MALFORMED[case]
    path = _write(tmp_path, text)
    result = _run("check", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    _one_line_naming(result.stderr, path, row, column, what)


def test_check_frame_raises_a_template_error_with_row_and_column():
    frame = pd.DataFrame([{"claim_id": "a", "rule": "percent_of_n", "location": "T1", "count": "68", "percent": "60.2"}])
    with pytest.raises(TemplateError) as raised:
        check_frame(frame)
    assert (raised.value.row, raised.value.column) == (2, "denominator")
    assert raised.value.located("f.csv").startswith("f.csv:2:denominator: ")


# ---------------------------------------------------------------------------------------------
# check_frame: the table-level API


def test_check_frame_keeps_the_printed_text_and_fills_the_ledger_columns():
    frame = pd.DataFrame(
        [
            {
                "claim_id": "male",
                "rule": "percent_of_n",
                "location": "Table 1",
                "source": "paper.txt",
                "study": "Doe 2020",
                "count": "68",
                "denominator": "113",
                "percent": "60.2",
            }
        ]
    )
    ledger = check_frame(frame)
    assert list(ledger.columns) == PUBLISHED_COLUMNS
    row = ledger.iloc[0]
    # 68/113 = 0.601769...: 60.18%, which prints as 60.2
    assert row["verdict"] == "consistent"
    assert float(row["recomputed_low"]) == pytest.approx(100 * 68 / 113, abs=1e-3)
    assert (row["source"], row["study"]) == ("paper.txt", "Doe 2020")
    # without a reported column, the claim is its inputs as given
    assert row["reported"] == "count=68; denominator=113; percent=60.2"


def test_a_rule_that_makes_several_checks_gives_one_row_per_check():
    # beta 0.531 and HR 1.70: exp(0.531) = 1.7006; the CI 1.11-2.60 is symmetric about ln 1.70 on
    # the log scale within rounding (ln 1.11 = 0.104, ln 2.60 = 0.956, midpoint 0.530).
    frame = pd.DataFrame(
        [{"claim_id": "size", "rule": "cox_row", "location": "Table 3", "beta": "0.531", "hr": "1.70",
          "ci_lower": "1.11", "ci_upper": "2.60", "p": "0.014"}]
    )  # fmt: skip
    ledger = check_frame(frame)
    assert list(ledger["claim_id"]) == [f"size.{rule}" for rule in ledger["rule"]]
    assert {"hr_equals_exp_beta", "estimate_inside_ci", "ci_symmetric_on_log_scale"} <= set(ledger["rule"])
    assert ledger.set_index("rule").loc["hr_equals_exp_beta", "verdict"] == "consistent"


def test_a_quantity_cell_is_also_the_input_of_a_rule_that_takes_one():
    # a 2-year PFS rate of 40% above a 2-year OS rate of 35% cannot be; as medians it cannot be either
    frame = pd.DataFrame(
        [{"claim_id": "r", "rule": "pfs_not_exceeding_os", "location": "Table 2", "quantity": "rate",
          "pfs": "40", "os": "35"}]
    )  # fmt: skip
    assert check_frame(frame).iloc[0]["verdict"] == "inconsistent"
    frame.loc[0, "quantity"] = "2-year rate"
    with pytest.raises(TemplateError) as raised:
        check_frame(frame)
    assert raised.value.column == "quantity"


def test_labelled_inputs_are_read_from_label_value_pairs():
    # 68 + 45 = 113: consistent; 68 + 44 = 112, not 113: inconsistent
    rows = [
        {"claim_id": "sex", "rule": "counts_sum_to_total", "location": "Table 1", "counts": "male=68; female=45",
         "total": "113"},
        {"claim_id": "sex2", "rule": "counts_sum_to_total", "location": "Table 1", "counts": "male=68; female=44",
         "total": "113"},
    ]  # fmt: skip
    assert list(check_frame(pd.DataFrame(rows))["verdict"]) == ["consistent", "inconsistent"]
    bad = pd.DataFrame([{**rows[0], "counts": "male 68, female 45"}])
    with pytest.raises(TemplateError) as raised:
        check_frame(bad)
    assert (raised.value.row, raised.value.column) == (2, "counts")


def test_the_book_s_illustration_template_has_one_consistent_and_one_inconsistent_claim():
    example = Path(cli.__file__).parent / "examples" / "illustration.csv"
    status, out = _in_process("check", str(example))
    assert status == 1
    verdicts = {r["claim_id"]: r["verdict"] for r in _ledger(out)}
    # 42/80 = 52.5% (printed 52.5); 19/80 = 23.75% (printed 25.0); 10.1 <= 14.2 <= 18.6
    assert verdicts == {"example.male": "consistent", "example.response": "inconsistent", "example.os-ci": "consistent"}


# ---------------------------------------------------------------------------------------------
# rules


@pytest.mark.parametrize("form", ["text", "csv", "json"])
def test_rules_lists_every_rule_of_the_catalogue(form):
    result = _run("rules", "--format", form)
    assert result.returncode == 0
    expected = set(all_rules())
    assert len(expected) > 50
    if form == "text":
        listed = {line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")}
        assert listed == expected
        assert "  inputs: count (count), denominator (count), percent (printed)" in result.stdout
    else:
        table = (
            pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
            if form == "csv"
            else pd.DataFrame(json.loads(result.stdout))
        )
        assert set(table["rule"]) == expected and len(table) == len(expected)
        assert set(table["template"]) == {"yes", "no"}
        # a lesion list cannot be written in a cell
        assert table.set_index("rule").loc["target_lesion_selection", "template"] == "no"
        assert table.set_index("rule").loc["percent_of_n", "template"] == "yes"


# ---------------------------------------------------------------------------------------------
# draft


def test_draft_finds_the_reporting_patterns_of_a_constructed_paragraph(tmp_path):
    paper = _write(tmp_path, CONSTRUCTED_PARAGRAPH, "paper.txt")
    result = _run("draft", str(paper))
    assert result.returncode == 0, result.stderr
    assert "DRAFT" in result.stderr
    rows = _ledger(result.stdout)
    assert [r["claim_id"] for r in rows] == ["draft-001", "draft-002", "draft-003", "draft-004", "draft-005"]
    assert all(r["note"].startswith("DRAFT, to be reviewed") and r["source"] == "paper.txt" for r in rows)
    male, rate, hr, pain, p_alone = rows

    start = CONSTRUCTED_PARAGRAPH.index("68 (60.2%)")
    assert male["location"] == f"line 1, characters {start}–{start + len('68 (60.2%)')}"
    assert (male["rule"], male["count"], male["percent"]) == ("percent_of_n", "68", "60.2")
    assert male["denominator"] == "113"  # "Of the 113 patients" stands before it in its paragraph

    assert (rate["rule"], rate["estimate"], rate["lower"], rate["upper"]) == ("estimate_inside_ci", "37.2", "28.3", "46.8")

    assert hr["location"].startswith("line 2, ")
    assert hr["reported"] == "1.7; 95% CI: 1.1-2.7; P=0.014"  # without the sentence's closing bracket
    assert (hr["rule"], hr["beta_or_hr"], hr["ci_lower"], hr["ci_upper"], hr["p"]) == (
        "wald_p_from_ci", "1.7", "1.1", "2.7", "0.014",
    )  # fmt: skip

    # a new paragraph: no stated n before "17 (15.0%)", so the denominator is left to the reviewer
    assert pain["location"].startswith("line 4, ")
    assert (pain["count"], pain["percent"], pain["denominator"]) == ("17", "15.0", "")
    assert "fill the denominator" in pain["note"]

    # the P of the HR is not drafted twice; the lone P has no rule guessed
    assert (p_alone["rule"], p_alone["p"]) == ("", "<0.001")


def test_a_draft_is_not_a_ledger_until_reviewed(tmp_path):
    paper = _write(tmp_path, CONSTRUCTED_PARAGRAPH, "paper.txt")
    draft = tmp_path / "draft.csv"
    assert _in_process("draft", str(paper), "--output", str(draft))[0] == 0
    # checked as drafted, the row without a denominator stops it (row 5 is draft-004's Pain row)
    result = _run("check", str(draft))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{draft}:5:denominator: ")
    # reviewed: the denominator filled (the 113 patients), the lone P dropped
    frame = pd.read_csv(draft, dtype=str, keep_default_na=False)
    frame.loc[frame["claim_id"] == "draft-004", "denominator"] = "113"
    frame = frame[frame["rule"] != ""]
    frame.to_csv(draft, index=False)
    checked = _run("check", str(draft))
    verdicts = {r["claim_id"]: r["verdict"] for r in _ledger(checked.stdout)}
    # 68/113 = 60.18% (60.2); 17/113 = 15.04% (15.0); 28.3 <= 37.2 <= 46.8
    assert verdicts["draft-001"] == verdicts["draft-002"] == verdicts["draft-004"] == "consistent"


def test_the_claimcheck_console_script_runs_main():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="claimcheck")
    assert script.value == "claimcheck.cli:main"
    assert script.load() is cli.main
