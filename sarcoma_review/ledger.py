"""The claims ledger: one row per printed number and rule applied to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .checks import Check

LEDGER_COLUMNS = (
    "claim_id",
    "source",
    "study",
    "location",
    "quantity",
    "reported",
    "recomputed",
    "rule",
    "verdict",
    "explanation",
)


@dataclass(frozen=True)
class LedgerRow:
    claim_id: str
    source: str
    study: str
    location: str
    quantity: str
    reported: str
    recomputed: str
    rule: str
    verdict: str
    explanation: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def ledger_row(*, claim_id: str, source: str, study: str, location: str, quantity: str,
               reported: str, check: Check) -> LedgerRow:
    """A ledger row for one printed number checked by one rule."""
    return LedgerRow(
        claim_id=claim_id,
        source=source,
        study=study,
        location=location,
        quantity=quantity,
        reported=reported,
        recomputed=check.recomputed,
        rule=check.rule,
        verdict=check.verdict,
        explanation=check.explanation,
    )
