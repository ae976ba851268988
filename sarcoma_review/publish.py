"""Write what readers download and cite: the claims ledger, the citable tables, and the data
package that describes them (datapackage.json, with rules.csv and sources.csv).

Everything is computed from data/ alone and written byte-for-byte reproducibly (fixed
column order, LF line endings, no timestamps), into a folder the book serves at its root.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from claimcheck.ledger import ledger_frame
from . import published_package
from .audits import all_audits
from .fingerprint import FINGERPRINT_FILE, inputs_fingerprint
from .ledger import build_ledger

TABLES_DIR = "tables"
# SARCOMA_REVIEW_PUBLISHED_DIR lets a test build against a publication made elsewhere.
PUBLISHED_DIR = Path(os.environ.get("SARCOMA_REVIEW_PUBLISHED_DIR")
                     or Path(__file__).resolve().parent.parent / "_build" / "published")


class StalePublication(RuntimeError):
    """The published ledger was computed from other inputs than the ones in the tree now."""


def published_ledger(published_dir: Path = PUBLISHED_DIR) -> pd.DataFrame:
    """claims.csv as published, refusing a missing or stale one so no page shows old numbers."""
    claims = published_dir / "claims.csv"
    stamp = published_dir / FINGERPRINT_FILE
    if not claims.exists() or not stamp.exists():
        raise StalePublication(f"{claims} is missing: run `make publish`")
    if stamp.read_text().strip() != inputs_fingerprint():
        raise StalePublication(f"{claims} was computed from other data or code than the tree has now: run `make publish`")
    return pd.read_csv(claims, dtype=str, keep_default_na=False, encoding="utf-8")


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def citable_tables(ledger: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table a reader may cite, by its stable label: each study's, and the audit summaries."""
    from . import dashboard, overview

    ledger = ledger_frame(build_ledger()) if ledger is None else ledger
    tables: dict[str, pd.DataFrame] = {}
    producers = [getattr(audit, "citable_tables", dict) for audit in all_audits()]
    producers.append(lambda: overview.citable_tables(ledger))
    producers.append(lambda: dashboard.citable_tables(ledger))
    for produce in producers:
        for label, frame in produce().items():
            if label in tables:
                raise ValueError(f"table label {label!r} is used twice")
            tables[label] = frame
    return tables


NUMERIC_COLUMNS = ("recomputed_low", "recomputed_high")


def json_records(ledger: pd.DataFrame) -> list[dict[str, object]]:
    """The ledger for claims.json: text as in claims.csv, the recomputed range as numbers (null when empty)."""
    records = ledger.to_dict(orient="records")
    for record in records:
        for column in NUMERIC_COLUMNS:
            record[column] = float(record[column]) if record[column] != "" else None
    return records


def publish(out_dir: Path) -> dict[str, int]:
    from .release import check_no_retired_ids, publish_releases

    ledger = ledger_frame(build_ledger())
    check_no_retired_ids(ledger)  # a claim id, once published, is never given to another claim
    tables = citable_tables(ledger)
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    _write_csv(ledger, staging / "claims.csv")
    (staging / "claims.json").write_text(
        json.dumps(json_records(ledger), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for label, frame in sorted(tables.items()):
        _write_csv(frame, staging / TABLES_DIR / f"{label}.csv")
    # rules.csv and sources.csv (what claims.csv's foreign keys point to) and datapackage.json
    published_package.write_side_tables(staging, _write_csv)
    published_package.write_package(staging, ledger, tables)
    publish_releases(staging)  # every release's ledger and diff, under releases/
    (staging / FINGERPRINT_FILE).write_text(inputs_fingerprint() + "\n")
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
