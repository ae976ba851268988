"""The claims ledger: one row per printed number and rule applied to it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import Check

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
    "rule",
    "verdict",
    "explanation",
)

# What each ledger column holds: the descriptions of claims.csv in the published
# datapackage.json (published_package.py), kept beside the columns so that a new column cannot
# be published without one (tests/test_published_package.py).
LEDGER_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "claim_id": "Stable identifier of the row, <study>.<number or table cell>.<rule>; never reused for another claim (releases/retired-claim-ids.csv).",
    "source": "The source text the number is printed in: its file name in the repository (its label is in sources.csv).",
    "study": "The study's citation key in the review's bibliography (references.bib); for a quoted series, the series' key.",
    "location": "Where the number stands in the source, in words a reader can find: table and row, or section and paragraph.",
    "quantity": "What the printed number claims to be.",
    "reported": "The value as printed, with its printed precision.",
    "recomputed": "The value recomputed from the paper's own numbers, with the working.",
    "rule": "The rule applied (its name in rules.csv, where what it checks and how are described).",
    "verdict": "consistent, inconsistent, ambiguous or not-checkable (defined in the book's chapter 'How the numbers are checked').",
    "explanation": "Why the rule gave this verdict: for an inconsistency, the printed value, the recomputed value and why no rounding reconciles them.",
}


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


class LedgerError(ValueError):
    """The ledger breaks one of its own invariants; nothing may be published."""


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
    return rows
