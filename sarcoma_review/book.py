"""Numbers about the review itself, shared by the landing page, the ledger and the dashboard."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .audits import all_audits
from .checks import VERDICTS
from .ledger import build_ledger, ledger_frame


@lru_cache(maxsize=1)
def ledger() -> pd.DataFrame:
    """The whole ledger, computed from data/ (the same rows `make publish` writes to claims.csv)."""
    return ledger_frame(build_ledger())


def verdict_counts(frame: pd.DataFrame | None = None) -> dict[str, int]:
    frame = ledger() if frame is None else frame
    counts = frame["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def source_count() -> int:
    return len({source for audit in all_audits() for source in getattr(audit, "SOURCES", ())})
