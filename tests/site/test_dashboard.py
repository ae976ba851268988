"""The dashboard's counts are the published ledger's counts, as a reader sees both."""

from __future__ import annotations

import csv
from collections import Counter

from bs4 import BeautifulSoup

VERDICTS = ("consistent", "inconsistent", "ambiguous", "not-checkable")


def dashboard_table(html: str) -> dict[str, dict[str, int]]:
    table = BeautifulSoup(html, "html.parser").find("table", id="table-claims-by-source")
    assert table is not None, "the dashboard has no table with id table-claims-by-source"
    header = [cell.get_text(strip=True) for cell in table.find("thead").find_all("th")]
    counts = {}
    for row in table.find("tbody").find_all("tr"):
        cells = dict(zip(header, (cell.get_text(strip=True) for cell in row.find_all(["th", "td"]))))
        # Rows name the source text by its label (column source) and its file (column source file).
        counts[cells["source file"]] = {v: int(cells[v]) for v in (*VERDICTS, "total")}
    return counts


def published_counts(claims_csv) -> dict[str, dict[str, int]]:
    with open(claims_csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_source = Counter((r["source"], r["verdict"]) for r in rows)
    sources = dict.fromkeys(r["source"] for r in rows)
    result = {}
    for source in sources:
        result[source] = {v: per_source[(source, v)] for v in VERDICTS}
        result[source]["total"] = sum(result[source].values())
    return result


def test_dashboard_counts_equal_the_published_claims(site):
    shown = dashboard_table((site / "chapters" / "audit_dashboard.html").read_text())
    assert shown == published_counts(site / "claims.csv")
    assert shown, "the published ledger is empty"


def test_the_dashboard_counts_inconsistencies_by_decision_as_published(site):
    page = BeautifulSoup((site / "chapters" / "audit_dashboard.html").read_text(), "html.parser")
    table = page.find("table", id="table-inconsistencies-by-decision")
    assert table is not None, "the dashboard has no table with id table-inconsistencies-by-decision"
    header = [cell.get_text(strip=True) for cell in table.find("thead").find_all("th")]
    shown = {}
    for row in table.find("tbody").find_all("tr"):
        cells = dict(zip(header, (cell.get_text(strip=True) for cell in row.find_all(["th", "td"]))))
        shown[cells["decision"]] = (int(cells["inconsistencies"]), int(cells["with a near-miss diagnosis"]))
    with open(site / "claims.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["verdict"] == "inconsistent"]
    assert shown == {d: (sum(r["decision"] == d for r in rows), sum(r["decision"] == d and bool(r["diagnosis"])
                                                                   for r in rows))
                     for d in ("changes-conclusion", "no-change", "not-applicable")}
    # The decision-changing inconsistencies are listed first, under their own heading.
    headings = [h.get_text(strip=True).rstrip("#¶") for h in page.find_all("h2")]
    assert headings.index("Inconsistencies that change a conclusion") < headings.index("Every other inconsistency")
