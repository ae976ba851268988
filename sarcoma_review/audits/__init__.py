"""One audit module per study: each turns that study's tables into ledger rows.

The order here is the order of the book and of the published ledger.
"""

from __future__ import annotations

import importlib
from types import ModuleType

STUDY_MODULES: tuple[str, ...] = ("aice_cohort", "ups_calf_case", "lms_debtace_case", "lms_tace_rfa_case", "comparators")


def all_audits() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in STUDY_MODULES]
