"""The command line: ``python -m claimcheck`` (or ``claimcheck``) check, rules and draft.

``check FILE.csv`` reads a claims template (`template`) and writes its ledger, the columns of
`ledger.LEDGER_COLUMNS`, as CSV or JSON, to standard output or ``--output``. ``rules`` lists
every rule of the catalogue with its inputs and what it checks. ``draft PAPER.txt`` writes a
draft template from a paper's text (`draft`), for a person to review before checking it.

Exit status: 0 when every claim was checked and none is inconsistent; 1 when one or more is
inconsistent (0 with ``--report-only``); 2 when the template, the text or the command is
malformed, with one line on standard error, ``FILE:ROW:COLUMN: what; expected what`` for a
template. Nothing is written when the status is 2.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .catalogue import all_rules
from .draft import draft_frame
from .template import TemplateError, check_frame, rule_inputs, template_rules

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXIT_OK", "EXIT_INCONSISTENT", "EXIT_MALFORMED", "rules_table", "main"]

EXIT_OK = 0
EXIT_INCONSISTENT = 1
EXIT_MALFORMED = 2


class _Malformed(Exception):
    """A one-line message for standard error, and exit status 2."""


def _read_template(path: str) -> pd.DataFrame:
    import pandas as pd

    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a spreadsheet's UTF-8 export may start with a BOM
    except FileNotFoundError:
        raise _Malformed(f"{path}: no such file; expected a claims template (CSV)") from None
    except UnicodeDecodeError as error:
        raise _Malformed(f"{path}: not UTF-8 text ({error.reason}); expected a CSV saved as UTF-8") from None
    if not text.strip():
        raise _Malformed(f"{path}:1:claim_id: empty file; expected a header row and one claim per row")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise _Malformed(f"{path}: not a readable CSV ({error}); expected one claim per row") from None


def _write(frame: pd.DataFrame, form: str, output: str | None, stdout: TextIO) -> None:
    if form == "json":
        text = json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2) + "\n"
    else:
        text = frame.to_csv(index=False, lineterminator="\n")
    if output is None:
        stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _check(arguments: argparse.Namespace, stdout: TextIO) -> int:
    template = _read_template(arguments.file)
    try:
        ledger = check_frame(template)
    except TemplateError as error:
        raise _Malformed(error.located(arguments.file)) from None
    _write(ledger, arguments.format, arguments.output, stdout)
    if arguments.report_only:
        return EXIT_OK
    return EXIT_INCONSISTENT if (ledger["verdict"] == "inconsistent").any() else EXIT_OK


def rules_table() -> pd.DataFrame:
    """Every rule of the catalogue: its inputs, whether a template can use it, what it checks.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule``, ``inputs`` (``name (kind)``, optional ones in brackets with their
        default), ``template`` (``yes`` or ``no``), ``summary`` and ``method``.
    """
    import pandas as pd

    usable = template_rules()
    rows = []
    for name, info in all_rules().items():
        shown = []
        for spec in rule_inputs(name):
            kind = spec.kind or "not a cell"
            shown.append(f"{spec.name} ({kind})" if spec.required else f"[{spec.name} ({kind}) = {spec.default!r}]")
        rows.append(
            {
                "rule": name,
                "inputs": ", ".join(shown),
                "template": "yes" if name in usable else "no",
                "summary": info.summary,
                "method": info.method,
            }
        )
    return pd.DataFrame(rows, columns=["rule", "inputs", "template", "summary", "method"])


def _rules(arguments: argparse.Namespace, stdout: TextIO) -> int:
    table = rules_table()
    if arguments.format == "text":
        for row in table.itertuples(index=False):
            usable = "" if row.template == "yes" else "  (not usable from a template)"
            stdout.write(f"{row.rule}{usable}\n  {row.summary}\n  inputs: {row.inputs}\n\n")
    else:
        _write(table, arguments.format, None, stdout)
    return EXIT_OK


def _draft(arguments: argparse.Namespace, stdout: TextIO) -> int:
    try:
        text = Path(arguments.file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _Malformed(f"{arguments.file}: no such file; expected a paper's text") from None
    except UnicodeDecodeError as error:
        raise _Malformed(f"{arguments.file}: not UTF-8 text ({error.reason}); expected plain text") from None
    frame = draft_frame(text, source=Path(arguments.file).name)
    _write(frame, "csv", arguments.output, stdout)
    print(
        f"claimcheck draft: {len(frame)} draft rows from {arguments.file}; a DRAFT: review every rule, input "
        "and location (and give the rows without a rule one) before `claimcheck check`",
        file=sys.stderr,
    )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimcheck",
        description="Recompute the numbers a paper prints, with their printed precision, and say whether they agree.",
    )
    parser.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check a claims template and write its ledger")
    check.add_argument("file", help="the claims template (CSV, UTF-8)")
    check.add_argument("--format", choices=["csv", "json"], default="csv", help="the ledger's format (csv)")
    check.add_argument("--output", help="write the ledger here instead of to standard output")
    check.add_argument("--report-only", action="store_true", help="exit 0 even when a claim is inconsistent")
    check.set_defaults(run=_check)

    rules = commands.add_parser("rules", help="list the rules, their inputs and what they check")
    rules.add_argument("--format", choices=["text", "csv", "json"], default="text")
    rules.set_defaults(run=_rules)

    draft = commands.add_parser("draft", help="a draft claims template from a paper's plain text")
    draft.add_argument("file", help="the paper's text (UTF-8)")
    draft.add_argument("--output", help="write the draft here instead of to standard output")
    draft.set_defaults(run=_draft)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program's name (default: ``sys.argv[1:]``).
    stdout : text stream, optional
        Where the ledger, the rules or the draft go without ``--output`` (default: ``sys.stdout``).

    Returns
    -------
    int
        0 (no claim inconsistent, or ``--report-only``), 1 (a claim inconsistent) or 2 (a malformed
        template, text or command; one line on standard error, nothing written).

    Examples
    --------
    >>> import io
    >>> main(["rules", "--format", "csv"], stdout=io.StringIO())
    0
    """
    stdout = stdout or sys.stdout
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:  # argparse prints its usage message itself
        return EXIT_MALFORMED if stop.code else EXIT_OK
    try:
        status: int = arguments.run(arguments, stdout)
    except _Malformed as error:
        print(error, file=sys.stderr)
        return EXIT_MALFORMED
    return status
