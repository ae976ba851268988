"""The published data package describes every column it publishes, with its type."""

from __future__ import annotations

import pandas as pd
import pytest

from claimcheck.checks import VERDICTS
from claimcheck.ledger import LEDGER_COLUMN_DESCRIPTIONS, LEDGER_COLUMNS, ledger_frame
from sarcoma_review import __version__, published_package
from sarcoma_review.ledger import build_ledger
from sarcoma_review.publish import citable_tables


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return ledger_frame(build_ledger())


@pytest.fixture(scope="module")
def descriptor(ledger) -> dict:
    return published_package.package_descriptor(ledger, citable_tables(ledger))


def test_every_ledger_column_has_a_description():
    assert list(LEDGER_COLUMN_DESCRIPTIONS) == list(LEDGER_COLUMNS)
    assert all(len(text.split()) >= 4 for text in LEDGER_COLUMN_DESCRIPTIONS.values())


def test_every_column_of_every_published_table_has_a_type_and_a_description(descriptor):
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] in ("string", "integer", "number", "boolean"), (resource["name"], field)
            assert field["description"].strip(), (resource["name"], field["name"])


def test_a_column_without_a_description_is_refused_with_its_table_and_name():
    with pytest.raises(published_package.MissingDescription, match=r"tables/new-table\.csv: column 'novel'"):
        published_package.column_description("new-table", "novel")


def test_a_ledger_column_without_a_description_is_refused(ledger):
    with pytest.raises(published_package.MissingDescription, match=r"claims\.csv: ledger column 'undescribed'"):
        published_package.package_descriptor(ledger.assign(undescribed="x"), {})


def test_claims_have_a_primary_key_a_verdict_enum_and_foreign_keys(descriptor, ledger):
    claims = descriptor["resources"][0]
    assert claims["path"] == "claims.csv" and claims["schema"]["primaryKey"] == ["claim_id"]
    verdict = next(f for f in claims["schema"]["fields"] if f["name"] == "verdict")
    assert verdict["constraints"]["enum"] == list(VERDICTS)
    assert [f["name"] for f in claims["schema"]["fields"]] == list(ledger.columns)
    references = {tuple(k["fields"]): k["reference"] for k in claims["schema"]["foreignKeys"]}
    assert references == {("rule",): {"resource": "rules", "fields": ["rule"]},
                          ("source",): {"resource": "sources", "fields": ["source_file"]}}
    # what the keys point to holds every value the ledger uses
    assert set(ledger["rule"]) <= set(published_package.rules_table()["rule"])
    assert set(ledger["source"]) <= set(published_package.sources_table()["source_file"])
    assert list(published_package.sources_table().columns) == ["source_file", "citation_key", "part", "label"]


def test_the_package_carries_the_version_and_the_licence(descriptor):
    assert descriptor["version"] == __version__
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert all(r["encoding"] == "utf-8" for r in descriptor["resources"])


def test_column_types_follow_the_table(descriptor):
    types = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    assert types["audit-claims-by-source"]["total"] == "integer"
    assert types["ups-recist"]["change from baseline (%)"] == "number"
    assert types["aice-cox-os"]["p_printed"] == "string"  # "<0.001" stays text
