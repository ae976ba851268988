"""One audit module per study: each turns that study's tables into ledger rows.

Which audits run, and in what order, is the study registry's (`data/evidence_overview/studies.csv`,
column `audit_module`, through `sarcoma_review.registry`): the order of the book and of the
published ledger.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# None: the registry's audits. A tuple of module names narrows a run to those (mutation testing of
# one audit, `python -m book_tools.mutation --audits`, or a test's toy audit).
STUDY_MODULES: tuple[str, ...] | None = None


def audit_names() -> tuple[str, ...]:
    from .. import registry

    return tuple(registry.audit_modules()) if STUDY_MODULES is None else STUDY_MODULES


def all_audits() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in audit_names()]
