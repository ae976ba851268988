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
        # Rows name the source text by its label (column source) and its file (source_file).
        counts[cells["source_file"]] = {v: int(cells[v]) for v in (*VERDICTS, "total")}
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
