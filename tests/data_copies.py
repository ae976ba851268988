"""Copies of data/ reduced to some studies, for tests that change printed numbers.

A reduced package keeps the shared schemas, the named study folders, and the entries of
data/datapackage.json whose files lie in those folders: a test can corrupt or edit it without
touching the repository, and without depending on the other studies' tables.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def reduced_package(root: Path, *studies: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_DATA / "schemas", root / "schemas")
    package = json.loads((REPO_DATA / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["path"].split("/", 1)[0] in studies]
    missing = set(studies) - {r["path"].split("/", 1)[0] for r in package["resources"]}
    if missing:
        raise ValueError(f"data/datapackage.json describes no table of {sorted(missing)}")
    for study in studies:
        shutil.copytree(REPO_DATA / study, root / study)
    (root / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return root
