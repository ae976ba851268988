"""The ledger refuses rows that would mislead a reader who cites them."""

from __future__ import annotations

import pytest

from claimcheck import rules
from claimcheck.checks import Check
from claimcheck.ledger import LEDGER_COLUMN_DESCRIPTIONS, LEDGER_COLUMNS, LedgerRow, format_bound, ledger_row
from sarcoma_review.ledger import LedgerError, check_invariants, citation_keys

STUDIES = {"li2025aice"}


def row(claim_id="aice.t2-all.counts_sum_to_total", study="li2025aice", verdict="consistent", explanation="68 + 45 = 113"):
    return ledger_row(claim_id=claim_id, source="001_b310b963ff8f79a5.txt", study=study, location="Table 1",
                      quantity="patients by sex", reported="113",
                      check=Check("counts_sum_to_total", "113", verdict, explanation))


def test_a_sound_ledger_passes():
    check_invariants([row(), row(claim_id="aice.other.rule")], STUDIES)


@pytest.mark.parametrize("rows, message", [
    ([row(), row()], "duplicate claim_id"),
    ([row(study="ups_calf_case")], "not a citation key"),
    ([row(verdict="inconsistent", explanation="the groups do not add up")], "must state its arithmetic"),
])
def test_a_misleading_ledger_is_refused(rows, message):
    with pytest.raises(LedgerError, match=message):
        check_invariants(rows, STUDIES)


def test_the_studies_of_the_book_are_in_the_bibliography():
    from sarcoma_review import registry

    keys = set(registry.studies()["study_key"])
    assert len(keys) >= 4 and keys <= citation_keys()


def test_an_inconsistent_row_without_a_decision_is_refused():
    # A made-up rule with no decider, and no conclusions table to judge it.
    made_up = row(verdict="inconsistent", explanation="68 + 45 = 114, not 113")
    assert made_up.decision == ""
    with pytest.raises(LedgerError, match="needs a decision"):
        check_invariants([made_up], STUDIES)


def test_an_inconsistent_row_gets_its_diagnosis_and_decision_in_columns_and_explanation():
    check = rules.percent_of_n(17, 113, "15.1")
    found = ledger_row(claim_id="aice.res-subsequent-none-pct.percent_of_n", source="001_b310b963ff8f79a5.txt",
                       study="li2025aice", location="Results", quantity="q", reported="15.1%", check=check)
    assert found.diagnosis == "last digit: percentage 15.1 → 15.0"
    assert found.decision == "not-applicable"
    assert found.explanation.startswith(check.explanation + "; near miss: last digit")
    assert (found.recomputed_low, found.recomputed_high) == ("15.0442", "15.0442")
    check_invariants([found], STUDIES)


def test_the_recomputed_range_is_published_as_numbers():
    assert format_bound(None) == "" and format_bound(100 * 31 / 113) == "27.4336" and format_bound(-0.0) == "0"
    assert format_bound(1.0283e-05) == "1.0283e-05"
    bad = LedgerRow(**{**row().as_dict(), "recomputed_low": "inf", "recomputed_high": "inf"})
    with pytest.raises(LedgerError, match="not a finite number"):
        check_invariants([bad], STUDIES)


def test_every_ledger_column_is_described_in_one_sentence():
    assert tuple(LEDGER_COLUMN_DESCRIPTIONS) == LEDGER_COLUMNS == tuple(LedgerRow.__dataclass_fields__)
    assert all(text.strip() and "\n" not in text for text in LEDGER_COLUMN_DESCRIPTIONS.values())
