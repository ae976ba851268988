"""The appraisal: JBI checklists, GRADE certainty and the Summary of Findings.

Each refusal test corrupts a copy of data/ in one way and checks the one-line
``file:line:column: what; expected what`` message; the others check the appraisal the book
publishes against the papers and against GRADE's own arithmetic.
"""

from __future__ import annotations

import csv
import html
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from claimcheck.ledger import ledger_frame
from sarcoma_review import appraisal, datapackage, figures, registry
from sarcoma_review.datapackage import DataError, validate_package
from sarcoma_review.ledger import build_ledger
from sarcoma_review.render import data_table

DATA = Path(__file__).resolve().parent.parent / "data"
CHECKLISTS = "appraisal/checklists.csv"
CERTAINTY = "appraisal/certainty.csv"
FINDINGS = "appraisal/findings.csv"


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return ledger_frame(build_ledger())


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ at <tmp>/data, with <tmp> as working directory so problems read data/..."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.chdir(tmp_path)
    datapackage._validated.cache_clear()
    appraisal._checked.cache_clear()
    appraisal._study_rows_in.cache_clear()
    yield target
    datapackage._validated.cache_clear()
    appraisal._checked.cache_clear()
    appraisal._study_rows_in.cache_clear()


def edit_row(data_dir: Path, table: str, match: dict[str, str], **changes: str) -> int:
    """Change the cells of the one row matching ``match``; returns its editor line (header = 1)."""
    path = data_dir / table
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    found = [n for n, row in enumerate(rows[1:], start=1)
             if all(row[header.index(column)] == value for column, value in match.items())]
    assert len(found) == 1, f"{match} matches {len(found)} rows of {table}"
    for column, value in changes.items():
        rows[found[0]][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return found[0] + 1


def delete_row(data_dir: Path, table: str, match: dict[str, str]) -> None:
    path = data_dir / table
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    kept = [rows[0]] + [row for row in rows[1:]
                        if not all(row[header.index(c)] == v for c, v in match.items())]
    assert len(kept) == len(rows) - 1
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def validation_problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        validate_package(data_dir)
    return [str(problem) for problem in caught.value.problems]


def appraisal_problems(data_dir: Path) -> list[str]:
    return [str(problem) for problem in appraisal.problems(data_dir)]


CASE_SERIES_ITEM_1 = {"study_key": "li2025aice", "item": "1"}
UPS_ITEM_3 = {"study_key": "ups2025tace", "item": "3"}


# --- what validation refuses, one line each ------------------------------------------------

def test_an_unknown_answer_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, CASE_SERIES_ITEM_1, answer="probably")
    assert validation_problems(data_copy) == [
        f"data/{CHECKLISTS}:{line}:answer: 'probably' is not an allowed value; "
        "expected one of: yes, no, unclear, not applicable"]


@pytest.mark.parametrize("column", ["reason", "location"])
def test_an_item_without_reason_or_location_is_refused(data_copy: Path, column: str) -> None:
    line = edit_row(data_copy, CHECKLISTS, CASE_SERIES_ITEM_1, **{column: ""})
    assert validation_problems(data_copy) == [
        f"data/{CHECKLISTS}:{line}:{column}: empty cell in a required column; "
        "expected a value (this column is required)"]


@pytest.mark.parametrize("column", ["reason", "location"])
def test_a_domain_without_reason_or_location_is_refused(data_copy: Path, column: str) -> None:
    line = edit_row(data_copy, CERTAINTY, {"outcome": "os", "domain": "imprecision"}, **{column: ""})
    assert validation_problems(data_copy) == [
        f"data/{CERTAINTY}:{line}:{column}: empty cell in a required column; "
        "expected a value (this column is required)"]


def test_an_unknown_judgement_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CERTAINTY, {"outcome": "pfs", "domain": "imprecision"}, judgement="minor")
    assert validation_problems(data_copy) == [
        f"data/{CERTAINTY}:{line}:judgement: 'minor' is not an allowed value; expected one of: "
        "not serious, serious, very serious, undetected, strongly suspected"]


def test_a_multi_line_reason_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, UPS_ITEM_3, reason="First line of a reason.\nSecond line.")
    assert validation_problems(data_copy) == [
        f"data/{CHECKLISTS}:{line}:reason: control character '\\n' in text 'First line of a reason.\\nSecond "
        "line.'; expected plain one-line text without HTML, character references or control characters"]


def test_a_study_that_is_not_registered_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, UPS_ITEM_3, study_key="nosuchstudy")
    problems = validation_problems(data_copy)
    assert f"data/{CHECKLISTS}:{line}:study_key: 'nosuchstudy' is not a study_key of the table studies; " \
           "expected a value that the study_key column of studies lists" in problems


def test_a_judgement_that_does_not_fit_its_domain_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CERTAINTY, {"outcome": "os", "domain": "risk of bias"}, judgement="undetected")
    assert appraisal_problems(data_copy) == [
        f"data/{CERTAINTY}:{line}:judgement: 'undetected' is not a judgement of the domain 'risk of bias'; "
        "expected one of: not serious, serious, very serious"]


def test_a_missing_domain_is_refused(data_copy: Path) -> None:
    delete_row(data_copy, CERTAINTY, {"outcome": "response", "domain": "indirectness"})
    assert appraisal_problems(data_copy) == [
        f"data/{CERTAINTY}:-:domain: outcome 'response' has no judgement on indirectness; "
        "expected a row for each of the five GRADE domains"]


def test_a_missing_checklist_item_is_refused(data_copy: Path) -> None:
    delete_row(data_copy, CHECKLISTS, {"study_key": "cui2025debtace", "item": "7"})
    assert appraisal_problems(data_copy) == [
        f"data/{CHECKLISTS}:-:item: study 'cui2025debtace' has no answer for item(s) 7 of the JBI critical "
        "appraisal checklist for case reports; expected one row for every item of the checklist"]


def test_an_item_beyond_the_checklist_is_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, UPS_ITEM_3, item="9")
    assert appraisal_problems(data_copy) == [
        f"data/{CHECKLISTS}:{line}:item: item 9 is not an item of the JBI critical appraisal checklist for "
        "case reports; expected an item from 1 to 8",
        f"data/{CHECKLISTS}:-:item: study 'ups2025tace' has no answer for item(s) 3 of the JBI critical "
        "appraisal checklist for case reports; expected one row for every item of the checklist"]


def test_two_checklists_for_one_study_are_refused(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, UPS_ITEM_3, tool="jbi_case_series")
    assert appraisal_problems(data_copy)[0] == (
        f"data/{CHECKLISTS}:{line}:tool: study 'ups2025tace' is appraised with jbi_case_report and "
        "jbi_case_series; expected one checklist per study")


def test_an_excerpt_must_name_its_source_and_belong_to_the_study(data_copy: Path) -> None:
    line = edit_row(data_copy, CHECKLISTS, UPS_ITEM_3, source_file="")
    other = edit_row(data_copy, CHECKLISTS, {"study_key": "ups2025tace", "item": "4"},
                     source_file="002_d137fbd7bd065c84.txt")
    assert appraisal_problems(data_copy) == [
        f"data/{CHECKLISTS}:{line}:source_file: an excerpt (context) without the source text it is quoted "
        "from; expected the source_file that prints the excerpt",
        f"data/{CHECKLISTS}:{other}:source_file: 002_d137fbd7bd065c84.txt is a text of 'cui2025debtace', "
        "not of 'ups2025tace'; expected a source text of ups2025tace (evidence_overview/sources.csv)"]


@pytest.mark.parametrize("placeholder, what, expected", [
    ("{no-such-row}", "names no row of data/aice_cohort/", "the id (first column) of exactly one row of data/aice_cohort/"),
    ("{res-os-median.no_such_column}", "the row has no column 'no_such_column'", "one of its columns: number_id,"),
    ("{abs-os-24m.ci_lower}", "is an empty cell", "a cell that holds a value"),
])
def test_a_placeholder_must_name_one_value_of_the_study(data_copy: Path, placeholder: str, what: str,
                                                        expected: str) -> None:
    line = edit_row(data_copy, FINDINGS, {"outcome": "os", "study_key": "li2025aice"},
                    statement=f"Median {placeholder} months.")
    problems = appraisal_problems(data_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"data/{FINDINGS}:{line}:statement: placeholder {placeholder} {what}"
                                  if not what.startswith("the row") else
                                  f"data/{FINDINGS}:{line}:statement: placeholder {placeholder}: {what}")
    assert f"; expected {expected}" in problems[0]


def test_a_cited_claim_id_must_be_in_the_ledger(data_copy: Path, ledger: pd.DataFrame) -> None:
    line = edit_row(data_copy, CHECKLISTS, {"study_key": "li2025aice", "item": "6"},
                    claim_ids="aice.res-age-median.median_vs_cutoff_counts aice.res-age-median.no_such_rule")
    known = set(ledger["claim_id"])
    assert [str(p) for p in appraisal.cited_claim_problems(known, data_copy)] == [
        f"data/{CHECKLISTS}:{line}:claim_ids: 'aice.res-age-median.no_such_rule' is not a claim id of the "
        "ledger; expected a claim_id of the published claims.csv (make publish)"]


def test_the_ledger_is_not_built_while_the_appraisal_cites_a_claim_it_lacks(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = edit_row(data_copy, CERTAINTY, {"outcome": "os", "domain": "risk of bias"},
                    claim_ids="aice.no-such-number.some_rule")
    check = appraisal.check_cited_claims
    monkeypatch.setattr(appraisal, "check_cited_claims", lambda ids: check(ids, data_copy))
    with pytest.raises(DataError, match=rf"^data/{CERTAINTY}:{line}:claim_ids: 'aice.no-such-number.some_rule' "
                                        "is not a claim id of the ledger"):
        build_ledger()


def test_every_claim_the_real_appraisal_cites_is_in_the_ledger(ledger: pd.DataFrame) -> None:
    cited = [c for name in appraisal.CITING_FILES
             for ids in appraisal.tables()[name]["claim_ids"] for c in ids.split()]
    assert len(cited) >= 20
    assert appraisal.cited_claim_problems(set(ledger["claim_id"])) == []


# --- the appraisal as published ----------------------------------------------------------------

def test_each_study_is_appraised_with_the_checklist_of_its_design() -> None:
    answers = appraisal.checklist_answers()
    tools = answers.groupby("study_key")["tool"].first().to_dict()
    assert tools == {"li2025aice": "jbi_case_series", "ups2025tace": "jbi_case_report",
                     "cui2025debtace": "jbi_case_report", "cancerimaging2013tacerfa": "jbi_case_report"}
    # JBI: ten questions for case series (Munn et al. 2020), eight for case reports.
    assert {tool: len(c.items) for tool, c in appraisal.CHECKLISTS.items()} == {
        "jbi_case_series": 10, "jbi_case_report": 8}
    assert len(answers) == 10 + 3 * 8
    assert set(answers["answer"]) <= set(appraisal.ANSWERS)
    assert answers["reason"].str.len().min() > 10 and (answers["location"] != "").all()


def test_grade_arithmetic_follows_the_handbook() -> None:
    # GRADE: randomised trials start high, observational studies low; serious lowers one level,
    # very serious two; nothing falls below very low.
    assert appraisal.certainty_level("high", 0) == "high"
    assert appraisal.certainty_level("high", 1) == "moderate"
    assert appraisal.certainty_level("high", 3) == "very low"
    assert appraisal.certainty_level("low", 0) == "low"
    assert appraisal.certainty_level("low", 1) == "very low"
    assert appraisal.certainty_level("low", 5) == "very low"
    assert appraisal.rating_down("risk of bias", "very serious") == 2
    assert appraisal.rating_down("publication bias", "strongly suspected") == 1
    with pytest.raises(KeyError):
        appraisal.rating_down("imprecision", "strongly suspected")


def test_the_certainty_is_computed_from_the_domains() -> None:
    rated = appraisal.certainty().set_index("outcome")
    assert list(rated.index) == ["Overall survival", "Progression-free survival", "Tumour response",
                                 "Adverse events"]
    assert (rated["starting level"] == "low").all()
    for outcome, row in rated.iterrows():
        down = sum(appraisal.rating_down(d, row[d]) for d in appraisal.DOMAINS)
        assert row["levels rated down"] == down
        assert row["certainty"] == appraisal.certainty_level("low", down)


def test_placeholders_are_filled_with_the_numbers_the_paper_prints() -> None:
    # 001, Results: "the median OS ... was 19.0 months (95% CI: 12.8–25.3)"; 000, Table 2:
    # "Apr 2025 | MRI: Stable tumor (20×18 mm) ... RECIST: PR".
    text, used = appraisal.fill("{res-os-median} ({res-os-median.ci_lower}–{res-os-median.ci_upper})", "li2025aice")
    assert (text, used) == ("19.0 (12.8–25.3)", ("res-os-median",))
    text, _ = appraisal.fill("{t2-final-size.long_mm} mm, {t2-final-size.recist_printed}", "ups2025tace")
    assert text == "20 mm, PR"


def test_the_summary_of_findings_lists_the_ledger_inconsistencies_of_its_numbers(ledger: pd.DataFrame) -> None:
    sof = appraisal.summary_of_findings(ledger).set_index("outcome")
    assert list(sof["patients"]) == [116, 116, 116, 116]
    assert "19.0 months (95% CI 12.8–25.3)" in sof.loc["Overall survival", "what_was_found"]
    os_claims = set(sof.loc["Overall survival", "inconsistent_claims"].split())
    assert os_claims == {"aice.disc-os-median-18.same_quantity_agrees", "aice.res-os-36m.estimate_inside_ci",
                         "aice.res-os-36m.km_landmark_ci_method"}
    assert {"aice.abs-dcr.binomial_ci_method", "aice.res-dcr.binomial_ci_method", "aice.pm-dcr.binomial_ci_method",
            "ups.txt-recurrence-size.same_quantity_agrees"} == set(
        sof.loc["Tumour response", "inconsistent_claims"].split())
    shown = set(" ".join(sof["inconsistent_claims"]).split())
    verdicts = ledger.set_index("claim_id").loc[sorted(shown), "verdict"]
    assert (verdicts == "inconsistent").all()
    assert (sof["n_inconsistent_claims"] == sof["inconsistent_claims"].str.split().str.len()).all()


def test_the_summary_of_findings_renders_with_its_footnotes_in_html_and_latex(ledger: pd.DataFrame) -> None:
    view = appraisal.summary_of_findings_view(ledger)
    html, latex = view._repr_html_(), view._repr_latex_()
    assert 'id="table-summary-of-findings"' in html and "12.8–25.3" in html
    assert latex.startswith("{\\footnotesize") and "\\begin{longtable}" in latex
    assert "Very low [a, b, c, d, e]" in html
    assert "a. Starts at low: Non-randomised evidence" in html


def test_the_traffic_light_draws_every_answer_in_the_book_palette() -> None:
    fig, plotted = appraisal.risk_of_bias_figure()
    try:
        assert len(plotted) == 34
        colours = {tuple(round(c, 3) for c in collection.get_facecolor()[0][:3])
                   for ax in fig.axes for collection in ax.collections}
        import matplotlib.colors as mcolors
        allowed = {tuple(round(c, 3) for c in mcolors.to_rgb(figures.COLOURS[a])) for a in appraisal.ANSWERS}
        assert colours <= allowed and len(colours) == 3   # yes, no, unclear are given; not applicable is not
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel() == "Study"
            assert {t.get_text() for t in ax.get_yticklabels()} <= set(registry.studies()["label"])
        assert [t.get_text() for t in fig.legends[0].get_texts()] == [
            "+  yes", "−  no", "?  unclear", "NA  not applicable"]
    finally:
        import matplotlib.pyplot as plt
        plt.close(fig)


def test_chapter_numbers_count_the_answers() -> None:
    numbers = appraisal.chapter_numbers("cancerimaging2013tacerfa")
    assert numbers == {"checklist": "JBI critical appraisal checklist for case reports", "items": 8,
                       "answers": "7 yes and 1 no"}


# --- the table renderer ----------------------------------------------------------------------

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def test_table_cells_are_escaped_in_html_and_latex() -> None:
    hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)> \\input{/etc/passwd} 50% & $x_1^2$ #~'
    frame = pd.DataFrame({"a": [hostile], "claim": ["aice.res-os-36m.estimate_inside_ci"]})
    table = data_table(frame, "t", "A caption", widths=(0.6, 0.4), notes=[hostile], code_columns=["claim"])
    parser = _Elements()
    parser.feed(table._repr_html_())
    assert set(parser.tags) <= {"div", "table", "caption", "colgroup", "col", "thead", "tr", "th", "tbody", "td",
                                "code", "ul", "li", "br"}
    assert html.escape(hostile) in table._repr_html_()     # the text comes back verbatim
    latex = table._repr_latex_()
    assert "\\input{" not in latex and "\\textbackslash{}input\\{/etc/passwd\\}" in latex
    assert "50\\%" in latex and "\\&" in latex and "\\$x\\_1\\textasciicircum{}2\\$" in latex
    assert "\\texttt{aice.\\allowbreak{}res-os-36m" in latex


def test_table_widths_must_fit_the_line() -> None:
    with pytest.raises(ValueError, match="add up to 1.10"):
        data_table(pd.DataFrame({"a": ["x"], "b": ["y"]}), "t", "A caption", widths=(0.6, 0.5))
    with pytest.raises(ValueError, match="1 widths for 2 columns"):
        data_table(pd.DataFrame({"a": ["x"], "b": ["y"]}), "t", "A caption", widths=(0.6,))


def test_a_short_label_drops_the_description() -> None:
    assert registry.study_short_label("li2025aice") == "Li et al. 2025"
    assert registry.study_short_label("ups2025tace") == "Case report 2025"
