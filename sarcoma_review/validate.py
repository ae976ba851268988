"""Command line: ``python -m sarcoma_review.validate [data_dir]``.

Prints every problem in data/, one per line, and exits 1; or prints what was validated and
exits 0. The format of a problem line is described in ``sarcoma_review.datapackage``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .datapackage import DATA_DIR, check_package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sarcoma_review.validate",
                                     description="Validate the data package in data/.")
    parser.add_argument("data_dir", nargs="?", type=Path, default=DATA_DIR,
                        help="folder holding datapackage.json (default: the repository's data/)")
    arguments = parser.parse_args(argv)
    report = check_package(arguments.data_dir)
    if report.problems:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"{arguments.data_dir}: {report.resources_validated} resources and "
          f"{report.rows_validated} rows valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
