"""The checking library documents its public API: numpydoc sections, and examples that run.

The examples in the docstrings are run here (doctest), so a docstring cannot go on showing a
verdict the code no longer gives.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

import claimcheck
from claimcheck import all_rules
from claimcheck.checks import RULE_FUNCTIONS

LIBRARY = Path(claimcheck.__file__).parent
MODULES = sorted(f"claimcheck.{p.stem}" for p in LIBRARY.glob("*.py") if p.stem not in ("__init__", "__main__"))

# The public functions and classes the library's users call first (issue 16, step B).
DOCUMENTED = [
    "claimcheck.template.check_frame",
    "claimcheck.cli.main",
    "claimcheck.checks.Check",
    "claimcheck.printed.parse_printed",
    "claimcheck.ledger.ledger_row",
    "claimcheck.ledger.ledger_frame",
    "claimcheck.decisions.decide",
    "claimcheck.diagnosis.diagnose",
    "claimcheck.template.rule_inputs",
    "claimcheck.draft.draft_rows",
    "claimcheck.draft.draft_frame",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def _object(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("dotted", DOCUMENTED)
def test_the_public_api_has_numpydoc_sections(dotted):
    doc = inspect.getdoc(_object(dotted)) or ""
    assert "Parameters\n----------" in doc
    assert "Returns\n-------" in doc or inspect.isclass(_object(dotted))


@pytest.mark.parametrize("rule", sorted(all_rules()))
def test_every_rule_documents_its_parameters_and_result(rule):
    function = inspect.unwrap(RULE_FUNCTIONS[rule])
    doc = inspect.getdoc(function) or ""
    assert "Parameters\n----------" in doc and "Returns\n-------" in doc
    section = doc.split("Parameters\n----------", 1)[1].split("Returns\n-------", 1)[0]
    # numpydoc: "name : type" or "name, other : type" at the start of a line
    named = {
        name.strip()
        for line in section.splitlines()
        if line and not line.startswith(" ") and " : " in line
        for name in line.split(" : ", 1)[0].split(",")
    }
    assert named == set(inspect.signature(function).parameters), f"{rule}: parameters described {sorted(named)}"
