"""Numbers about the review itself, shared by the landing page, the ledger and the dashboard."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from claimcheck.checks import VERDICTS
from . import registry
from .publish import published_ledger


@lru_cache(maxsize=1)
def ledger() -> pd.DataFrame:
    """The whole ledger as published in claims.csv (refused when stale: see publish.published_ledger)."""
    return published_ledger()


def verdict_counts(frame: pd.DataFrame | None = None) -> dict[str, int]:
    frame = ledger() if frame is None else frame
    counts = frame["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def source_count() -> int:
    """The source texts the review audits: every one of the study registry (tests/test_registry.py
    holds each to being read by its study's audit)."""
    return len(registry.sources())
