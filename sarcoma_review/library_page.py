"""The numbers of the page "Check another paper's numbers": the checking library's command line
run on its packaged illustration and on an invented paragraph, as a reader would run it.

The page runs the real command line (a fresh ``python -m claimcheck`` process), not the library's
functions, so that what it shows is what a reader gets from the command it documents.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from importlib.resources import as_file, files
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd

#: The template's columns that are not a rule's inputs (``claimcheck.template`` documents them).
FIXED_COLUMNS = ("claim_id", "rule", "location", "quantity", "reported", "source", "study", "note")


@dataclass(frozen=True)
class ExampleRun:
    """The illustration's template, the ledger ``check`` wrote for it, and its exit status."""

    template: pd.DataFrame
    ledger: pd.DataFrame
    exit_status: int


def run_claimcheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The command line exactly as a reader types it, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "claimcheck", *arguments],
                          capture_output=True, text=True, encoding="utf-8", check=False)


def _frame(csv_text: str) -> pd.DataFrame:
    # Every cell as text, as the template is read: "25.0" keeps its last digit.
    return pd.read_csv(StringIO(csv_text), dtype=str, keep_default_na=False)


def example_run() -> ExampleRun:
    """``claimcheck check`` on the packaged illustration (invented numbers).

    Exit status 0 or 1 is a verdict; anything else means the page's example itself is broken,
    which stops the build.
    """
    example = files("claimcheck") / "examples" / "illustration.csv"
    with as_file(example) as path:
        template = pd.read_csv(path, dtype=str, keep_default_na=False)
        run = run_claimcheck("check", str(path))
    if run.returncode not in (0, 1):
        raise RuntimeError(f"claimcheck check failed on the page's example: {run.stderr}")
    return ExampleRun(template, _frame(run.stdout), run.returncode)


def draft_of(paragraph: str) -> pd.DataFrame:
    """``claimcheck draft`` on a paragraph written to a file, as a reader would give it a paper."""
    with TemporaryDirectory() as folder:
        paper = Path(folder) / "invented-paper.txt"
        paper.write_text(paragraph, encoding="utf-8")
        drafted = run_claimcheck("draft", str(paper))
    if drafted.returncode != 0:
        raise RuntimeError(f"claimcheck draft failed on the page's example: {drafted.stderr}")
    return _frame(drafted.stdout)


def with_filled_inputs(template: pd.DataFrame, column: str, separator: str = " = ") -> pd.DataFrame:
    """The template's fixed columns and one column listing each row's filled input cells.

    A template has one column per input of any rule, mostly empty: shown whole it would not fit
    the PDF's line, so each row's inputs are shown as ``name = cell`` in one column.
    """
    inputs = [c for c in template.columns if c not in FIXED_COLUMNS]
    filled = ["; ".join(f"{c}{separator}{row[c]}" for c in inputs if row[c]) for _, row in template.iterrows()]
    return template.assign(**{column: filled}).loc[:, ["claim_id", "rule", "location", "reported", column]]


def inconsistent_in_words(ledger: pd.DataFrame) -> str:
    """Each inconsistent row of a ledger as a clause: id, location, verdict and explanation."""
    clauses = [f"{row.claim_id} ({row.location}) is {row.verdict}: {row.explanation}."
               for row in ledger.itertuples() if row.verdict == "inconsistent"]
    return "; ".join(clauses) or "no claim is inconsistent"


def input_kinds() -> pd.DataFrame:
    """How each kind of rule input is written in a template cell (``claimcheck.template``)."""
    from claimcheck import template

    return pd.DataFrame({"kind": list(template.INPUT_KINDS),
                         "how to write the cell": list(template.INPUT_KINDS.values())})
