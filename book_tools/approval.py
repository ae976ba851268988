"""Approved executed notebooks: the outputs a reviewer accepted, which nbval re-checks.

MyST chapters hold no outputs. `approve` converts each chapter to a notebook with jupytext,
executes it and stores it under tests/approved/. `check` fails when a chapter's code no
longer matches its approved notebook, so an unreviewed change cannot pass `make test`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
APPROVED_DIR = ROOT / "tests" / "approved"
EXECUTION_TIMEOUT_SECONDS = 600


def approved_path(chapter: Path) -> Path:
    return APPROVED_DIR / f"{chapter.stem}.ipynb"


def _code_sources(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]


def _is_notebook(chapter: Path) -> bool:
    return jupytext.read(chapter).metadata.get("kernelspec") is not None


def approve(chapters: list[Path]) -> None:
    APPROVED_DIR.mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        if not _is_notebook(chapter):
            continue
        notebook = jupytext.read(chapter)
        # Executed where Jupyter Book executes it, so relative paths mean the same.
        # No timing metadata: an approval changes only when an output does.
        NotebookClient(notebook, timeout=EXECUTION_TIMEOUT_SECONDS, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(chapter.resolve().parent)}}).execute()
        # Numbered cell ids, not jupytext's random ones: a re-approval then changes only the
        # outputs that changed, and two branches' approvals merge.
        for number, cell in enumerate(notebook.cells):
            cell.id = f"cell-{number}"
        nbformat.write(notebook, approved_path(chapter))
        print(f"approved {chapter} -> {approved_path(chapter).relative_to(ROOT)}")


def stale_approvals(chapters: list[Path]) -> list[str]:
    problems = []
    notebooks = [c for c in chapters if _is_notebook(c)]
    for chapter in notebooks:
        target = approved_path(chapter)
        if not target.exists():
            problems.append(f"{chapter}: no approved notebook at {target.relative_to(ROOT)}")
        elif _code_sources(jupytext.read(chapter)) != _code_sources(nbformat.read(target, as_version=4)):
            problems.append(f"{chapter}: its code differs from {target.relative_to(ROOT)}")
    expected = {approved_path(c).name for c in notebooks}
    for orphan in sorted(APPROVED_DIR.glob("*.ipynb")):
        if orphan.name not in expected:
            problems.append(f"{orphan.relative_to(ROOT)}: approved notebook of a chapter that no longer exists")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("approve", "check"))
    parser.add_argument("chapters", nargs="+", type=Path)
    args = parser.parse_args()
    if args.action == "approve":
        approve(args.chapters)
        return
    problems = stale_approvals(args.chapters)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("The approved outputs are out of date: review the change, then run make approve.", file=sys.stderr)
        sys.exit(1)
    print(f"approved notebooks match the code of {len(args.chapters)} chapters")


if __name__ == "__main__":
    main()
