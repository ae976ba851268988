"""The ledger row: one printed number checked by one rule.

The columns every ledger has (`LEDGER_COLUMNS`, each described in one sentence in
`LEDGER_COLUMN_DESCRIPTIONS`), the row itself (`LedgerRow`), and `ledger_row`, which turns a
`Check` into a row with its near-miss diagnosis and its decision. Which rows a ledger holds, and
the invariants a published ledger keeps, are the business of whoever builds it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .checks import Check
from .decisions import decide
from .diagnosis import Context, diagnose

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LEDGER_COLUMNS",
    "LEDGER_COLUMN_DESCRIPTIONS",
    "LedgerRow",
    "format_bound",
    "ledger_frame",
    "ledger_row",
]

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

# What each ledger column holds, published with the ledger (the review's datapackage.json and
# landing page show these sentences), kept beside the columns so that a new column cannot be
# published without one (tests/test_published_package.py).
LEDGER_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "claim_id": (
        "Stable identifier of the row, <study>.<number or table cell>.<rule>; "
        "never reused for another claim (releases/retired-claim-ids.csv)."
    ),
    "source": (
        "The source text the number is printed in: its file name in the repository (its label is in sources.csv)."
    ),
    "study": (
        "The study's citation key in the review's bibliography (references.bib); for a quoted series, the series' key."
    ),
    "location": (
        "Where the number stands in the source, in words a reader can find: table and row, or section and paragraph."
    ),
    "quantity": "What the printed number claims to be.",
    "reported": "The value as printed, with its printed precision.",
    "recomputed": "The value recomputed from the paper's own numbers, with the working.",
    "recomputed_low": (
        "Lowest value of the recomputed quantity over the rounding intervals of the printed inputs, "
        "as a number; empty where the rule computes no single number."
    ),
    "recomputed_high": (
        "Highest value of the recomputed quantity over the rounding intervals of the printed inputs, "
        "as a number (equal to recomputed_low when the inputs are exact counts); empty where the rule "
        "computes no single number."
    ),
    "rule": "The rule applied (its name in rules.csv, where what it checks and how are described).",
    "verdict": (
        "consistent, inconsistent, ambiguous or not-checkable "
        "(defined in the book's chapter 'How the numbers are checked')."
    ),
    "decision": (
        "For an inconsistent row: changes-conclusion, no-change or not-applicable (whether the recomputed "
        "value changes a conclusion of the paper), its reason given in the explanation; empty otherwise."
    ),
    "diagnosis": (
        "For an inconsistent row: the single slips (a digit, n ± 1, another printed denominator, "
        "truncation, another interval level, a one-sided P, swapped limits, a neighbouring value) that "
        "would reconcile the printed value; empty when none does, and for other verdicts."
    ),
    "explanation": (
        "Why the rule gave this verdict: for an inconsistency, the printed value, the recomputed value and "
        "why no rounding reconciles them, then its near miss and decision."
    ),
}


def format_bound(value: float | None) -> str:
    """A recomputed bound as published: six significant digits, empty when there is none."""
    if value is None:
        return ""
    text = format(value, ".6g")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class LedgerRow:
    """One row of a claims ledger: every column of `LEDGER_COLUMNS`, as published (text)."""

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
        """The row as column -> value, in the ledger's column order."""
        return asdict(self)


def ledger_row(
    *,
    claim_id: str,
    source: str,
    study: str,
    location: str,
    quantity: str,
    reported: str,
    check: Check,
    context: Context | None = None,
) -> LedgerRow:
    """A ledger row for one printed number checked by one rule.

    An inconsistent check gets its near-miss diagnosis (`diagnosis.diagnose`) and its decision
    (`decisions.decide`), both also named in the explanation. Where no rule can judge the
    decision, it stays empty for whoever builds the ledger to judge.

    Parameters
    ----------
    claim_id, source, study, location, quantity, reported : str
        The row's columns of the same names (see `LEDGER_COLUMN_DESCRIPTIONS`).
    check : Check
        What the rule found.
    context : Context, optional
        What the study's audit knows beyond the rule's inputs (the paper's alpha, its
        denominators, neighbouring values), for the diagnosis and the decision.

    Returns
    -------
    LedgerRow
        Every column as text; the recomputed range as `format_bound` prints it.

    Examples
    --------
    >>> from claimcheck.rules import percent_of_n
    >>> row = ledger_row(claim_id="x.male", source="", study="", location="Table 1", quantity="men",
    ...                  reported="60.2", check=percent_of_n(68, 113, "60.2"))
    >>> (row.verdict, row.recomputed_low)
    ('consistent', '60.177')
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


def ledger_frame(rows: list[LedgerRow]) -> pd.DataFrame:
    """The rows as a table with the ledger's columns, in order.

    Parameters
    ----------
    rows : list of LedgerRow
        The ledger's rows, in the order they are published.

    Returns
    -------
    pandas.DataFrame
        One row per `LedgerRow`, the columns `LEDGER_COLUMNS` (also when there is no row).
    """
    import pandas as pd

    return pd.DataFrame([row.as_dict() for row in rows], columns=list(LEDGER_COLUMNS))
