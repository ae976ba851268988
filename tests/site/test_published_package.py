"""What readers download is a valid Frictionless data package (`frictionless validate`), and
the validation fails on a published table with a wrong type (shown on a copy of the site)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

from sarcoma_review import __version__

FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")


def validate(descriptor: Path) -> subprocess.CompletedProcess:
    return subprocess.run([FRICTIONLESS, "validate", str(descriptor)], capture_output=True, text=True)


def test_the_published_package_is_valid(site):
    descriptor = site / "datapackage.json"
    result = validate(descriptor)
    assert result.returncode == 0, result.stdout + result.stderr
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert package["version"] == __version__
    described = {r["path"] for r in package["resources"]}
    published = {p.relative_to(site).as_posix() for p in site.glob("tables/*.csv")}
    assert published <= described, f"published but not described: {sorted(published - described)}"
    assert {"claims.csv", "rules.csv", "sources.csv"} <= described


def test_validation_fails_on_a_table_with_a_wrong_type(site, tmp_path):
    copy = tmp_path / "site"
    copy.mkdir()
    for name in ("datapackage.json", "claims.csv", "rules.csv", "sources.csv"):
        shutil.copyfile(site / name, copy / name)
    shutil.copytree(site / "tables", copy / "tables")
    assert validate(copy / "datapackage.json").returncode == 0  # the copy as published is valid
    table = copy / "tables" / "audit-claims-by-source.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("total")] = "many"  # an integer column
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = validate(copy / "datapackage.json")
    assert result.returncode != 0
    assert "audit-claims-by-source" in result.stdout and "type-error" in result.stdout, result.stdout
