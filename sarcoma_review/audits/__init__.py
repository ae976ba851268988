"""One audit module per study: each turns that study's tables into ledger rows.

Which audits run, and in what order, is the study registry's (`data/evidence_overview/studies.csv`,
column `audit_module`, through `sarcoma_review.registry`): the order of the book and of the
published ledger.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

# None: the registry's audits. A tuple of module names narrows a run to those (mutation testing of
# one audit, `python -m book_tools.mutation --audits`, or a test's toy audit).
STUDY_MODULES: tuple[str, ...] | None = None


def audit_names() -> tuple[str, ...]:
    from .. import registry

    return tuple(registry.audit_modules()) if STUDY_MODULES is None else STUDY_MODULES


def all_audits() -> list[Any]:
    """The audits of the ledger, in its order: each registered study's, then the cross-study audit.

    A study with an audit module is audited by it; a study whose ``audit_module`` is empty is
    audited from its declared claims alone (`declared.DeclaredAudit`, what `make new-study` starts
    with). Each has ``ledger_rows()`` and ``__name__``.
    """
    if STUDY_MODULES is not None:
        return [importlib.import_module(f"{__name__}.{name}") for name in STUDY_MODULES]
    from .. import registry
    from .declared import audit_of

    audits: list[ModuleType | Any] = []
    for _, study in registry.studies().iterrows():
        module = study["audit_module"]
        audits.append(importlib.import_module(f"{__name__}.{module}") if module else audit_of(study))
    audits.append(importlib.import_module(f"{__name__}.{registry.CROSS_STUDY_AUDIT['audit_module']}"))
    return audits


def audit_of_study(study_key: str) -> Any:
    """The audit of one registered study (its module, or its declared audit), for its chapter."""
    from .. import registry
    from .declared import audit_of

    table = registry.studies()
    found = table[table["study_key"] == study_key]
    if len(found) != 1:
        raise KeyError(f"data/evidence_overview/studies.csv: {len(found)} rows with study_key {study_key!r}")
    module = found.iloc[0]["audit_module"]
    return importlib.import_module(f"{__name__}.{module}") if module else audit_of(found.iloc[0])
