"""The ledger refuses rows that would mislead a reader who cites them."""

from __future__ import annotations

import pytest

from sarcoma_review.checks import Check
from sarcoma_review.ledger import LedgerError, check_invariants, citation_keys, ledger_row

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
    assert {"li2025aice", "ups2025tace", "cui2025debtace", "cancerimaging2013tacerfa"} <= citation_keys()
