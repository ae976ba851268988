"""Decisions: whether an inconsistency changes a conclusion, from the rule where it can tell, from a
study's conclusions table where it cannot; and every inconsistent row of the ledger has one."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from claimcheck import rules
from claimcheck.checks import Check
from claimcheck.decisions import DECIDERS, decide
from claimcheck.ledger import ledger_row
from sarcoma_review.ledger import CONCLUSIONS_TABLE, LedgerError, build_ledger, with_judgements

DATA = Path(__file__).resolve().parent.parent / "data"


def test_significance_at_the_papers_alpha() -> None:
    # Table 3, stage: printed P 0.005, Wald p 0.0007-0.003: both below 0.05.
    same = decide(rules.wald_p_from_ci("0.73", "1.3", "3.2", "0.005", estimate_scale="beta"), 0.05)
    assert same.decision == "no-change" and "both below the paper's alpha 0.05" in same.reason
    # A row printed "P 0.03" whose estimate and CI give p = 0.3: significance flips.
    flipped = decide(rules.wald_p_from_ci("1.2", "0.8", "1.8", "0.03"), 0.05)
    assert flipped.decision == "changes-conclusion" and "opposite sides" in flipped.reason
    # At alpha 0.01 the stage row's printed 0.005 and recomputed 0.0007-0.003 still agree.
    assert decide(rules.wald_p_from_ci("0.73", "1.3", "3.2", "0.005", estimate_scale="beta"), 0.01).decision == "no-change"


def test_a_ci_against_its_p_always_changes_a_conclusion() -> None:
    check = rules.ci_excludes_null_iff_significant("1.1", "2.6", "0.20")
    assert check.verdict == "inconsistent" and decide(check).decision == "changes-conclusion"


def test_an_hr_that_is_not_exp_beta_changes_a_conclusion_only_across_1() -> None:
    assert decide(rules.hr_equals_exp_beta("1.513", "4.4")).decision == "no-change"
    # exp(0.05) = 1.05 but HR 0.9: the printed HR and exp(beta) disagree on the side of 1.
    assert decide(rules.hr_equals_exp_beta("0.05", "0.9")).decision == "changes-conclusion"


def test_a_ci_recentred_on_its_estimate_against_the_null() -> None:
    # Table 3's metastasis row: re-centred on exp(1.513) the CI still excludes 1.
    assert decide(rules.ci_symmetric_on_log_scale("1.513", "2.3", "8.7", estimate_scale="beta")).decision == "no-change"
    # HR 1.05 with a CI 1.2-2.0: re-centred on 1.05, the interval 0.81-1.35 includes 1.
    check = rules.ci_symmetric_on_log_scale("1.05", "1.2", "2.0")
    assert check.verdict == "inconsistent" and decide(check).decision == "changes-conclusion"


def test_an_estimate_outside_its_own_interval_changes_a_conclusion() -> None:
    assert decide(rules.estimate_inside_ci("41.7", "19.6", "35.9")).decision == "changes-conclusion"
    assert decide(rules.median_ci_symmetry("11.0", "13.7", "20.3")).decision == "changes-conclusion"
    follow_up = ("April 2020", "November 15, 2023", "no patient was lost")
    assert decide(rules.km_landmark_ci_method("41.7", "19.6", "35.9", 113, 36, *follow_up)).decision == "changes-conclusion"
    # A rate that is no k/n but lies inside its CI: the conclusion it carries does not change.
    inside = rules.km_landmark_ci_method("45.2", "35.8", "54.0", 113, 24, *follow_up)
    assert inside.verdict == "inconsistent" and decide(inside).decision == "no-change"


def test_descriptive_figures_carry_no_conclusion() -> None:
    for check in (rules.percent_of_n(17, 113, "15.1"), rules.counts_sum_to_total({"a": 1, "b": 2}, 4),
                  rules.percents_of_parts_sum_to_total({"A": "8.0", "B": "1.8"}, "15.0"),
                  rules.binomial_ci_method(86, 113, "67.1", "83.6", scale=100)):
        assert check.verdict == "inconsistent" and decide(check).decision == "not-applicable"


def test_no_decision_where_the_rule_cannot_tell_or_nothing_is_inconsistent() -> None:
    assert "same_quantity_agrees" not in DECIDERS and "chronology" not in DECIDERS
    assert decide(rules.same_quantity_agrees({"Results": "19.0", "Discussion": "18.0"})) is None
    assert decide(rules.percent_of_n(17, 113, "15.0")) is None


def _row(claim_id: str, check: Check):
    return ledger_row(claim_id=claim_id, source="001_b310b963ff8f79a5.txt", study="li2025aice", location="l",
                      quantity="q", reported="r", check=check)


def _table(rows: list[dict[str, str]]):
    import pandas as pd
    return pd.DataFrame(rows, columns=["claim_id", "decision", "reason", "location", "context"])


def test_the_conclusions_table_judges_what_no_rule_can_and_nothing_else() -> None:
    prose = _row("aice.x.same_quantity_agrees", rules.same_quantity_agrees({"Results": "19.0", "Discussion": "18.0"}))
    ruled = _row("aice.y.percent_of_n", rules.percent_of_n(17, 113, "15.1"))
    fine = _row("aice.z.same_quantity_agrees", rules.same_quantity_agrees({"Results": "19.0", "Discussion": "19.0"}))
    judged = with_judgements([prose, ruled, fine], _table([
        {"claim_id": prose.claim_id, "decision": "no-change", "reason": "the comparison still holds",
         "location": "Discussion", "context": "x"},
        {"claim_id": fine.claim_id, "decision": "no-change", "reason": "a corrected row", "location": "-", "context": "x"}]),
        "aice_cohort")
    assert judged[0].decision == "no-change" and judged[0].explanation.endswith(
        "; decision: no-change (the comparison still holds)")
    assert judged[1] == ruled and judged[2] == fine          # a consistent row takes no judgement
    for claim_id, message in ((ruled.claim_id, "already judges it"), ("aice.w.rule", "no such claim")):
        with pytest.raises(LedgerError, match=message):
            with_judgements([prose, ruled], _table([{"claim_id": claim_id, "decision": "no-change",
                                                    "reason": "r", "location": "l", "context": "c"}]), "aice_cohort")


@pytest.fixture(scope="module")
def ledger():
    return build_ledger()


def test_every_inconsistent_row_has_a_decision_and_its_reason(ledger) -> None:
    inconsistent = [row for row in ledger if row.verdict == "inconsistent"]
    assert inconsistent
    for row in inconsistent:
        assert row.decision in ("changes-conclusion", "no-change", "not-applicable"), row.claim_id
        reason = re.search(rf"; decision: {row.decision} \((.+)\)$", row.explanation)
        assert reason and len(reason.group(1)) > 20, row.claim_id
        if row.diagnosis:
            assert f"; near miss: {row.diagnosis}" in row.explanation, row.claim_id
    for row in ledger:
        if row.verdict != "inconsistent":
            assert row.decision == row.diagnosis == "", row.claim_id


def test_every_judgement_of_the_repository_judges_an_inconsistent_row(ledger) -> None:
    by_id = {row.claim_id: row for row in ledger}
    for path in sorted(DATA.glob(f"*/{CONCLUSIONS_TABLE}.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, record in enumerate(csv.DictReader(handle), start=2):
                row = by_id.get(record["claim_id"])
                where = f"{path.relative_to(DATA)}:{line}"
                assert row is not None, where
                assert row.verdict == "inconsistent", f"{where}: {row.claim_id} is {row.verdict}"
                assert row.decision == record["decision"], where
