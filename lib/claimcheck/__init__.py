"""claimcheck: recompute the numbers a paper prints, and say whether they agree.

A printed number keeps its printed precision: ``"8.9"`` stands for any value from 8.85 up to
8.95 (`printed`). A rule takes printed values and returns a `Check`: what was recomputed, the
recomputed range as numbers, a verdict (``consistent``, ``inconsistent``, ``ambiguous``,
``not-checkable``) and its explanation (`rules`, `dates`, `recist`; every rule is described in
`catalogue.all_rules()`). `ledger_row` turns a check into a row of a claims ledger, with the
near miss that would reconcile an inconsistency (`diagnosis`) and whether it changes a
conclusion (`decisions`). `source_reader` finds the numbers a text prints and the reporting
patterns they form. `check_frame` checks a claims template (`template`: one claim a row, the
rule's inputs as printed) into a ledger, and `python -m claimcheck` does it from the command line
(`cli`), lists the rules and drafts a template from a paper's text (`draft`).

The library reads no file and locates no data: its callers pass it the numbers as printed. (The
worked examples of its catalogue run the rules on literal values, several of them taken from
the evidence review's sources.)
"""

# Released with the evidence review under the review's version (sarcoma_review/__init__.py);
# `make release` sets both, and tests/test_release.py holds them equal.
__version__ = "0.2.0"

from .catalogue import all_rules
from .checks import VERDICTS, Check, RuleCall, Verdict, ledger_rule
from .decisions import DECISIONS, Decision, decide
from .diagnosis import Context, diagnose
from .ledger import LEDGER_COLUMN_DESCRIPTIONS, LEDGER_COLUMNS, LedgerRow, format_bound, ledger_frame, ledger_row
from .printed import Printed, as_printed, parse_printed
from .rules import RuleInfo
from .template import TemplateError, check_frame

__all__ = [
    "DECISIONS",
    "LEDGER_COLUMNS",
    "LEDGER_COLUMN_DESCRIPTIONS",
    "VERDICTS",
    "Check",
    "Context",
    "Decision",
    "LedgerRow",
    "Printed",
    "RuleCall",
    "RuleInfo",
    "TemplateError",
    "Verdict",
    "__version__",
    "all_rules",
    "as_printed",
    "check_frame",
    "decide",
    "diagnose",
    "format_bound",
    "ledger_frame",
    "ledger_row",
    "ledger_rule",
    "parse_printed",
]
