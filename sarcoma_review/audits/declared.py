"""The audit of a study that has no audit module: its declared claims and nothing else.

A study whose registry row (data/evidence_overview/studies.csv) leaves ``audit_module`` empty is
audited from its data folder alone, as a study made by ``make new-study`` starts: the claims of
its ``claims.csv`` (`kernel.declared_claims`), then a not-checkable row for every printed number
of its text tables that no claim reads, so that every printed number is in the ledger; the
judgements of its ``conclusions.csv`` apply as for any study. Reasoning particular to a paper
(an interval's origin, a misprint hypothesis) needs an audit module of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from claimcheck.ledger import LedgerRow

from sarcoma_review.audits import kernel
from sarcoma_review.audits.unread import unread_numbers
from sarcoma_review.datapackage import load_study
from sarcoma_review.ledger import CONCLUSIONS_TABLE, with_judgements

# The study's printed numbers: every table of its folder whose name starts so
# (schema data/schemas/text_numbers.schema.json), in file-name order.
TEXT_TABLE_PREFIX = "text_"


@dataclass(frozen=True)
class DeclaredAudit:
    """The audit of one registered study without an audit module (what the ledger calls on it)."""

    study_key: str
    claim_prefix: str
    data_folder: str
    source: str

    @property
    def __name__(self) -> str:  # the ledger names an audit in its errors by its module's name
        return f"{__name__}[{self.data_folder}]"

    def text_numbers(self, data_dir: Path | None = None) -> pd.DataFrame:
        tables = load_study(self.data_folder, data_dir)
        frames = [table for name, table in tables.items() if name.startswith(TEXT_TABLE_PREFIX)]
        if not frames:
            raise kernel_error(self.data_folder, f"no {TEXT_TABLE_PREFIX}*.csv table of printed numbers")
        return pd.concat(frames, ignore_index=True)

    def claims(self, data_dir: Path | None = None) -> list[kernel.Claim]:
        study = kernel.Study(self.claim_prefix, self.source, self.study_key)
        numbers = self.text_numbers(data_dir)
        table = load_study(self.data_folder, data_dir).get(kernel.CLAIMS_TABLE)
        found = kernel.declared_claims(study, table, numbers, f"data/{self.data_folder}/{kernel.CLAIMS_TABLE}.csv")
        read = {item for claim in found for item in claim.inputs}
        found += [study.claim(record["number_id"], check, location=record["location"], quantity=record["key"],
                              reported=kernel.reported(record), inputs=[record["number_id"]])
                  for record, check in unread_numbers(numbers, read)]
        return found

    def ledger_rows(self, data_dir: Path | None = None) -> list[LedgerRow]:
        rows = [claim.row for claim in self.claims(data_dir)]
        return with_judgements(rows, load_study(self.data_folder, data_dir).get(CONCLUSIONS_TABLE), self.data_folder)

    def claim_inputs(self, data_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
        return {claim.row.claim_id: claim.inputs for claim in self.claims(data_dir)}


def kernel_error(folder: str, what: str) -> ValueError:
    return ValueError(f"data/{folder}/: {what}; a study without an audit module is audited from them "
                      f"(sarcoma_review/audits/declared.py)")


def audit_of(study: pd.Series) -> DeclaredAudit:
    """The declared audit of a registry row (its first source is the one its claims cite)."""
    return DeclaredAudit(study["study_key"], study["claim_prefix"], study["data_folder"],
                         study["sources"].split("; ")[0])
