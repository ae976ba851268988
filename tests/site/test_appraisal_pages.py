"""The appraisal as a reader meets it: the Summary of Findings, its notice and the traffic light
on the overview, an appraisal table in each study chapter, in the HTML and in the PDF."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from book_tools import sitecheck

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "_build" / "published" / "tables"
STUDY_CHAPTERS = ("aice_cohort", "ups_calf_case", "lms_debtace_case", "lms_tace_rfa_case")


def _summary_of_findings() -> list[dict[str, str]]:
    with (PUBLISHED / "overview-summary-of-findings.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_overview_shows_the_summary_of_findings_beside_its_notice(site):
    soup = sitecheck.soup_of(site / "chapters" / "evidence_overview.html")
    table = soup.find("table", id="table-summary-of-findings")
    assert table is not None, "no Summary of Findings table on the overview"
    rows = table.find("tbody").find_all("tr")
    published = _summary_of_findings()
    assert [r.find("td").get_text(" ").split("(")[0].strip() for r in rows] == [r["outcome"] for r in published]
    for row, record in zip(rows, published):
        certainty = row.find_all("td")[3].get_text()
        assert certainty.lower().startswith(record["certainty"]), (certainty, record["certainty"])
        for claim_id in record["inconsistent_claims"].split():
            assert claim_id in row.get_text(), f"{claim_id} is missing from the {record['outcome']} row"
    assert soup.find(id="table-summary-of-findings-notes").find_all("li"), "no footnotes under the table"
    # The notice opens the appraisal section that holds the table, just before it.
    section = next(s for s in table.find_parents("section") if s.find(class_="admonition"))
    notice = section.find(class_="admonition")
    assert section.get("id", "").startswith("appraisal")
    assert "not medical advice" in notice.get_text().lower() and "one reviewer" in notice.get_text()
    assert notice.find_next("table") is table


def test_the_overview_shows_the_risk_of_bias_traffic_light(site):
    soup = sitecheck.soup_of(site / "chapters" / "evidence_overview.html")
    figure = soup.find("figure", id="fig-overview-risk-of-bias")
    assert figure is not None and figure.find("img") is not None
    assert sitecheck.alt_text_problem(figure.find("img").get("alt"), figure.find("img")["src"]) is None
    assert "JBI" in figure.find("figcaption").get_text()


@pytest.mark.parametrize("chapter", STUDY_CHAPTERS)
def test_each_study_chapter_ends_with_its_appraisal(site, chapter):
    soup = sitecheck.soup_of(site / "chapters" / f"{chapter}.html")
    table = soup.find("table", id=f"table-{chapter.replace('_', '-')}-checklist")
    assert table is not None, f"no appraisal table in {chapter}"
    answers = [row.find_all("td")[2].get_text() for row in table.find("tbody").find_all("tr")]
    assert len(answers) in (8, 10) and set(answers) <= {"yes", "no", "unclear", "not applicable"}


def test_the_appraisal_tables_are_real_tables_in_the_pdf():
    if not sitecheck.PDF.exists():
        pytest.fail(f"no PDF at {sitecheck.PDF}: run make pdf first")
    text = sitecheck.pdf_text(sitecheck.PDF)
    phrases = {"SoF header": "Inconsistencies the ledger found in these numbers",
               "checklist header": "Question (JBI wording)",
               "GRADE table": "Publication bias strongly suspected"}
    phrases |= {f"SoF claim {c}": c for record in _summary_of_findings()
                for c in record["inconsistent_claims"].split()}
    assert not sitecheck.missing_phrases(text, phrases)
