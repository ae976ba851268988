"""The dashboard's list of inconsistencies puts those that change a conclusion first."""

from __future__ import annotations

import pandas as pd
import pytest

from claimcheck.ledger import LEDGER_COLUMNS
from sarcoma_review import dashboard


def _ledger(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    records = []
    for claim_id, verdict, decision, diagnosis in rows:
        record = dict.fromkeys(LEDGER_COLUMNS, "x")
        record.update(claim_id=claim_id, verdict=verdict, decision=decision, diagnosis=diagnosis)
        records.append(record)
    return pd.DataFrame(records, columns=list(LEDGER_COLUMNS))


LEDGER = _ledger([("aice.a.r", "inconsistent", "not-applicable", "last digit: 1 → 2"),
                  ("aice.b.r", "consistent", "", ""),
                  ("aice.c.r", "inconsistent", "changes-conclusion", ""),
                  ("aice.d.r", "inconsistent", "no-change", "n ± 1: 113 → 112"),
                  ("aice.e.r", "inconsistent", "changes-conclusion", "truncation: x")])


def test_decision_changing_inconsistencies_come_first_in_ledger_order() -> None:
    assert list(dashboard.inconsistencies(LEDGER)["claim_id"]) == ["aice.c.r", "aice.e.r", "aice.d.r", "aice.a.r"]
    assert list(dashboard.decision_changing(LEDGER)["claim_id"]) == ["aice.c.r", "aice.e.r"]
    assert list(dashboard.other_inconsistencies(LEDGER)["claim_id"]) == ["aice.d.r", "aice.a.r"]


def test_inconsistencies_by_decision_count_the_diagnosed_ones() -> None:
    table = dashboard.inconsistencies_by_decision(LEDGER).set_index("decision")
    assert table.loc["changes-conclusion"].tolist() == [2, 1]
    assert table.loc["no-change"].tolist() == [1, 1] and table.loc["not-applicable"].tolist() == [1, 1]


def test_an_inconsistency_without_a_decision_is_refused() -> None:
    with pytest.raises(ValueError, match="without a known decision"):
        dashboard.inconsistencies(_ledger([("aice.a.r", "inconsistent", "", "")]))
