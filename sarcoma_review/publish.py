"""Write what readers download and cite: the claims ledger and the citable tables.

Everything is computed from data/ alone and written byte-for-byte reproducibly (fixed
column order, LF line endings, no timestamps), into a folder the book serves at its root.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pandas as pd

from .audits import all_audits
from .ledger import build_ledger, ledger_frame

TABLES_DIR = "tables"


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def citable_tables() -> dict[str, pd.DataFrame]:
    """Every table a reader may cite, by its stable label, across all studies."""
    tables: dict[str, pd.DataFrame] = {}
    for audit in all_audits():
        for label, frame in getattr(audit, "citable_tables", dict)().items():
            if label in tables:
                raise ValueError(f"table label {label!r} is used by two studies")
            tables[label] = frame
    return tables


def publish(out_dir: Path) -> dict[str, int]:
    ledger = ledger_frame(build_ledger())
    tables = citable_tables()
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    _write_csv(ledger, staging / "claims.csv")
    (staging / "claims.json").write_text(
        json.dumps(ledger.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for label, frame in sorted(tables.items()):
        _write_csv(frame, staging / TABLES_DIR / f"{label}.csv")
    # Swap in whole: a failure above leaves the previous, complete publication untouched
    # rather than a half-written one.
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
    return {"claims": len(ledger), "tables": len(tables)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    counts = publish(parser.parse_args().out_dir)
    print(f"published {counts['claims']} ledger rows and {counts['tables']} citable tables")


if __name__ == "__main__":
    main()
