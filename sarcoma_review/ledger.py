"""The claims ledger: one row per printed number and rule applied to it."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import Check
from .decisions import CONCLUSIONS_TABLE, decide, judgements
from .diagnosis import Context, diagnose

if TYPE_CHECKING:
    import pandas as pd

LEDGER_COLUMNS = (
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
)

# What each ledger column holds: for the landing page, ARCHITECTURE.md and the descriptions of
# claims.csv in the published datapackage.json (published_package.py), kept beside the columns so
# that a new column cannot be published without one (tests/test_published_package.py).
LEDGER_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "claim_id": "Stable identifier of the row, <study>.<number or table cell>.<rule>; never reused for another claim (releases/retired-claim-ids.csv).",
    "source": "The source text the number is printed in: its file name in the repository (its label is in sources.csv).",
    "study": "The study's citation key in the review's bibliography (references.bib); for a quoted series, the series' key.",
    "location": "Where the number stands in the source, in words a reader can find: table and row, or section and paragraph.",
    "quantity": "What the printed number claims to be.",
    "reported": "The value as printed, with its printed precision.",
    "recomputed": "The value recomputed from the paper's own numbers, with the working.",
    "recomputed_low": ("Lowest value of the recomputed quantity over the rounding intervals of the printed inputs, "
                       "as a number; empty where the rule computes no single number."),
    "recomputed_high": ("Highest value of the recomputed quantity over the rounding intervals of the printed inputs, "
                        "as a number (equal to recomputed_low when the inputs are exact counts); empty where the rule "
                        "computes no single number."),
    "rule": "The rule applied (its name in rules.csv, where what it checks and how are described).",
    "verdict": "consistent, inconsistent, ambiguous or not-checkable (defined in the book's chapter 'How the numbers are checked').",
    "decision": ("For an inconsistent row: changes-conclusion, no-change or not-applicable (whether the recomputed "
                 "value changes a conclusion of the paper), its reason given in the explanation; empty otherwise."),
    "diagnosis": ("For an inconsistent row: the single slips (a digit, n ± 1, another printed denominator, "
                  "truncation, another interval level, a one-sided P, swapped limits, a neighbouring value) that "
                  "would reconcile the printed value; empty when none does, and for other verdicts."),
    "explanation": ("Why the rule gave this verdict: for an inconsistency, the printed value, the recomputed value and "
                    "why no rounding reconciles them, then its near miss and decision."),
}


def format_bound(value: float | None) -> str:
    """A recomputed bound as published: six significant digits, empty when there is none."""
    if value is None:
        return ""
    text = format(value, ".6g")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class LedgerRow:
    claim_id: str
    source: str
    study: str
    location: str
    quantity: str
    reported: str
    recomputed: str
    recomputed_low: str
    recomputed_high: str
    rule: str
    verdict: str
    decision: str
    diagnosis: str
    explanation: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def ledger_row(*, claim_id: str, source: str, study: str, location: str, quantity: str,
               reported: str, check: Check, context: Context | None = None) -> LedgerRow:
    """A ledger row for one printed number checked by one rule.

    An inconsistent check gets its near-miss diagnosis (`diagnosis.diagnose`) and its decision
    (`decisions.decide`), both also named in the explanation; `context` is what the study's audit
    knows beyond the rule's inputs (the paper's alpha, its denominators, neighbouring values).
    Where no rule can judge the decision, the study's conclusions table does (`with_judgements`).
    """
    context = context or Context()
    explanation = check.explanation
    found = diagnose(check, context)
    if found:
        explanation += f"; near miss: {found}"
    decision = decide(check, context.alpha)
    if decision is not None:
        explanation += f"; decision: {decision.decision} ({decision.reason})"
    return LedgerRow(
        claim_id=claim_id,
        source=source,
        study=study,
        location=location,
        quantity=quantity,
        reported=reported,
        recomputed=check.recomputed,
        recomputed_low=format_bound(check.low),
        recomputed_high=format_bound(check.high),
        rule=check.rule,
        verdict=check.verdict,
        decision=decision.decision if decision is not None else "",
        diagnosis=found,
        explanation=explanation,
    )


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


def ledger_frame(rows: list[LedgerRow]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([row.as_dict() for row in rows], columns=list(LEDGER_COLUMNS))


BIBLIOGRAPHY = Path(__file__).resolve().parent.parent / "references.bib"


def citation_keys(bibliography: Path = BIBLIOGRAPHY) -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bibliography.read_text(encoding="utf-8")))


def check_invariants(rows: list[LedgerRow], known_studies: set[str] | None = None) -> None:
    """Refuse a ledger with duplicate ids, unknown verdicts or studies, or explanations that say nothing."""
    from .checks import VERDICTS

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
