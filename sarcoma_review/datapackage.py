"""Loading the transcribed tables in data/.

Every cell is read as text: printed numbers keep their printed precision ("15.10" is not
"15.1"), and an empty cell means "not printed".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_table(relative_path: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One CSV of data/, every column as text."""
    return pd.read_csv(data_dir / relative_path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_study(study: str, data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """All tables of one study folder, keyed by file stem."""
    return {path.stem: load_table(str(path.relative_to(data_dir)), data_dir)
            for path in sorted((data_dir / study).glob("*.csv"))}
