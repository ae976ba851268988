"""The review's claims ledger: every study's rows, the decisions of the studies' conclusions
tables, and the invariants a published ledger keeps.

The row itself (its columns, `LedgerRow`, `ledger_row`) is the checking library's
(`claimcheck.ledger`); this module knows the review: its audits, its bibliography and its
conclusions tables.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from claimcheck.decisions import Decision
from claimcheck.ledger import LedgerRow

if TYPE_CHECKING:
    import pandas as pd


# ---------------------------------------------------------------------------------------------
# the judgements no rule can make: a study's conclusions table


CONCLUSIONS_TABLE = "conclusions"


class JudgementError(ValueError):
    """A judgement of the conclusions table contradicts the ledger or a rule's own judgement."""


def judgements(table: pd.DataFrame | None) -> dict[str, Decision]:
    """A study's conclusions table (claim_id, decision, reason, ...) as claim_id -> Decision."""
    if table is None:
        return {}
    return {row["claim_id"]: Decision(row["decision"], row["reason"]) for row in table.to_dict(orient="records")}


class LedgerError(ValueError):
    """The ledger breaks one of its own invariants; nothing may be published."""


def with_judgements(rows: list[LedgerRow], table: "pd.DataFrame | None", study: str) -> list[LedgerRow]:
    """The study's rows with the decisions of its conclusions table filled in.

    The table judges only what no rule can: an inconsistent row whose rule gave no decision. A
    judgement of a claim the ledger does not have, or of a row its rule already judges, is refused,
    so the table cannot outlive a renamed claim or override a rule. A judgement of a row that is
    not inconsistent (the data were corrected, or changed by a mutation test) does not apply;
    tests/test_decisions.py holds the repository's tables to judging inconsistent rows only.
    """
    judged = judgements(table)
    by_id = {row.claim_id: row for row in rows}
    problems = []
    for claim_id in judged:
        row = by_id.get(claim_id)
        if row is None:
            problems.append(f"{claim_id}: no such claim in the ledger")
        elif row.decision:
            problems.append(f"{claim_id}: its rule {row.rule} already judges it ({row.decision}); remove the judgement")
    if problems:
        raise LedgerError(f"{study}/{CONCLUSIONS_TABLE}.csv: " + "; ".join(problems))
    out = []
    for row in rows:
        decision = judged.get(row.claim_id)
        if decision is not None and row.verdict == "inconsistent":
            row = replace(row, decision=decision.decision,
                          explanation=f"{row.explanation}; decision: {decision.decision} ({decision.reason})")
        out.append(row)
    return out


BIBLIOGRAPHY = Path(__file__).resolve().parent.parent / "references.bib"


def citation_keys(bibliography: Path = BIBLIOGRAPHY) -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bibliography.read_text(encoding="utf-8")))


def check_invariants(rows: list[LedgerRow], known_studies: set[str] | None = None) -> None:
    """Refuse a ledger with duplicate ids, unknown verdicts or studies, or explanations that say nothing."""
    from claimcheck.checks import VERDICTS

    known_studies = citation_keys() if known_studies is None else known_studies
    seen: set[str] = set()
    for row in rows:
        where = f"ledger row {row.claim_id!r}"
        if row.claim_id in seen:
            raise LedgerError(f"{where}: duplicate claim_id")
        seen.add(row.claim_id)
        if row.verdict not in VERDICTS:
            raise LedgerError(f"{where}: unknown verdict {row.verdict!r}")
        if row.study not in known_studies:
            raise LedgerError(f"{where}: study {row.study!r} is not a citation key of references.bib")
        for column in ("source", "study", "location", "quantity", "reported", "rule", "explanation"):
            if not str(getattr(row, column)).strip():
                raise LedgerError(f"{where}: empty {column}")
        if row.verdict == "inconsistent" and not any(ch.isdigit() for ch in row.explanation):
            raise LedgerError(f"{where}: an inconsistent verdict must state its arithmetic")
        if row.verdict == "inconsistent" and not row.decision:
            raise LedgerError(f"{where}: an inconsistent row needs a decision, from its rule or from the study's "
                              f"conclusions.csv")
        if row.verdict != "inconsistent" and (row.decision or row.diagnosis):
            raise LedgerError(f"{where}: only an inconsistent row has a decision or a diagnosis")
        for column in ("recomputed_low", "recomputed_high"):
            value = getattr(row, column)
            if value and not math.isfinite(float(value)):
                raise LedgerError(f"{where}: {column} {value!r} is not a finite number")


def build_ledger() -> list[LedgerRow]:
    """Every study's ledger rows, in book order, checked for the ledger's invariants."""
    from .audits import all_audits

    rows: list[LedgerRow] = []
    for audit in all_audits():
        study_rows = audit.ledger_rows()
        if not study_rows:
            raise LedgerError(f"audit {audit.__name__} returned no ledger rows")
        rows.extend(study_rows)
    check_invariants(rows)
    # The appraisal cites ledger claims by id; an id that no audit produces would be a dangling
    # reference in the published appraisal, so the ledger that lacks it is not published.
    from .appraisal import check_cited_claims

    check_cited_claims({row.claim_id for row in rows})
    return rows
