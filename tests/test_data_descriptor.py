"""Guards on the real descriptor, beyond what each table's own schema says."""

from __future__ import annotations

import json
import re

from sarcoma_review.datapackage import DATA_DIR


def resources():
    return json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def inline_fields():
    for resource in resources():
        schema = resource.get("schema")
        if isinstance(schema, dict):
            for field in schema["fields"]:
                yield resource["name"], field


def test_every_percentage_column_is_bounded_to_0_100():
    pct_columns = [(name, f) for name, f in inline_fields() if re.search(r"percent|pct", f["name"])]
    assert pct_columns, "expected percentage columns in the descriptor"
    for name, field in pct_columns:
        pattern = re.compile(field["constraints"]["pattern"])
        assert pattern.fullmatch("100") or pattern.fullmatch("100.0"), (name, field["name"])
        for out_of_range in ("104.2", "101", "-3.0", "1000"):
            assert not pattern.fullmatch(out_of_range), f"{name}.{field['name']} accepts {out_of_range}"


def test_every_resource_declares_utf8_and_its_source():
    for resource in resources():
        assert resource.get("encoding") == "utf-8", resource["name"]
        assert resource.get("sources"), resource["name"]
