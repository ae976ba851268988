"""The audit kernel: the helpers every study's audit shares, defined once."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from claimcheck import rules
from sarcoma_review.audits import kernel

AUDITS = Path(__file__).resolve().parent.parent / "sarcoma_review" / "audits"


def test_a_study_builds_its_claim_ids_source_and_key() -> None:
    study = kernel.Study("tacerfa", "003_9e5745cdb1230c39.txt", "cancerimaging2013tacerfa")
    check = rules.same_quantity_agrees({"Figure 2 caption": "2.1", "Case description": "2.1"})
    claim = study.claim("rp-mass-suv", check, location="Figure 2 caption", quantity="SUVmax", reported="SUVmax 2.1",
                        inputs=["a", "b"])
    assert claim.row.claim_id == "tacerfa.rp-mass-suv.same_quantity_agrees"
    assert (claim.row.source, claim.row.study, claim.row.verdict, claim.inputs) == (
        "003_9e5745cdb1230c39.txt", "cancerimaging2013tacerfa", "consistent", ("a", "b"))
    other = study.row("x", check, location="l", quantity="q", reported="r", source="004_13266a4e37850657.txt",
                      study="li2025aice")
    assert (other.source, other.study) == ("004_13266a4e37850657.txt", "li2025aice")


def test_a_note_keeps_the_call_and_may_settle_the_verdict() -> None:
    check = rules.same_quantity_agrees({"a": "8", "b": "9"})
    noted = kernel.with_note(check, "; the paper explains why", verdict="ambiguous")
    assert noted.explanation == check.explanation + "; the paper explains why"
    assert (noted.verdict, noted.call) == ("ambiguous", check.call)
    assert kernel.with_note(check, "x", separator=" / ").explanation.endswith(" / x")
    assert kernel.with_note(check, "x").verdict == check.verdict == "inconsistent"


def test_numbers_are_looked_up_by_id_and_read_with_their_unit() -> None:
    frame = pd.DataFrame({"number_id": ["a", "b", "b"], "printed": ["8", "50", "51"], "unit": ["months", "mg", "mg"]})
    assert kernel.number(frame, "a") == {"number_id": "a", "printed": "8", "unit": "months"}
    with pytest.raises(KeyError, match="2 printed numbers with number_id 'b'"):
        kernel.number(frame, "b")
    with pytest.raises(KeyError, match="0 printed numbers with number_id 'c'"):
        kernel.number(frame, "c")
    assert kernel.reported({"printed": "15.1", "unit": "percent"}) == "15.1%"
    assert kernel.reported({"printed": "100–300", "unit": "um"}) == "100–300 µm"
    assert kernel.reported({"printed": "3", "unit": "vials"}) == "3 vials"
    assert kernel.reported({"printed": "1", "unit": "years"}, {"years": " year(s)"}) == "1 year(s)"


def test_counts_printed_as_words() -> None:
    assert [kernel.digits(w) for w in ("Thirty-two", " two ", "12", "first")] == ["32", "2", "12", "first"]
    assert kernel.count("Six") == 6
    with pytest.raises(ValueError):
        kernel.count("many")


def test_no_audit_keeps_a_copy_of_a_kernel_helper() -> None:
    copies = re.compile(r"^(class Claim\b|def (_claim|_with_note|_number|as_digits|_int|_numeric_text)\(|"
                        r"(NUMBER_WORDS|UNIT_SUFFIX) = )", re.MULTILINE)
    found = {path.name: copies.findall(path.read_text(encoding="utf-8"))
             for path in AUDITS.glob("*.py") if path.name != "kernel.py"}
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert not re.search(r"from sarcoma_review\.audits\.lms_debtace_case import Claim",
                         "".join(p.read_text(encoding="utf-8") for p in AUDITS.glob("*.py")))


def _declared(rows: list[dict[str, str]]) -> list[kernel.Claim]:
    numbers = pd.DataFrame({"number_id": ["dose-first", "dose-later", "age", "beads"],
                            "location": ["Case, paragraph 1", "Treatment, paragraph 1", "Case, paragraph 1", "Treatment"],
                            "key": ["dose", "dose", "age", "beads"], "printed": ["50", "50", "62", "100–300"],
                            "unit": ["mg", "mg", "years", "um"], "ci_lower": ["", "", "", "100"],
                            "ci_upper": ["", "", "", "300"]})
    columns = ["claim_id", "rule", "inputs", "labels", "quantity", "note"]
    table = pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns)
    return kernel.declared_claims(kernel.Study("toy", "002_d137fbd7bd065c84.txt", "cui2025debtace"), table, numbers,
                                  "data/toy/claims.csv")


def test_declared_claims_become_ledger_rows_from_their_numbers() -> None:
    agree, stated = _declared([
        {"claim_id": "toy.dose-later.same_quantity_agrees", "rule": "same_quantity_agrees",
         "inputs": "dose-first; dose-later", "labels": "first session; later sessions", "quantity": "Dose per session"},
        {"claim_id": "toy.age.not_checkable", "rule": "not_checkable", "inputs": "age", "note": "stated once"}])
    assert (agree.row.claim_id, agree.row.verdict, agree.row.location, agree.row.reported, agree.row.quantity) == (
        "toy.dose-later.same_quantity_agrees", "consistent", "Treatment, paragraph 1", "50 mg", "Dose per session")
    assert agree.inputs == ("dose-first", "dose-later")
    (disagree,) = _declared([{"claim_id": "toy.age.same_quantity_agrees", "rule": "same_quantity_agrees",
                              "inputs": "dose-first; age", "labels": "the dose; the age", "note": "a toy"}])
    assert disagree.row.verdict == "inconsistent" and disagree.row.explanation.endswith("; a toy")
    assert "the dose" in disagree.row.explanation and "the age" in disagree.row.explanation
    assert (stated.row.verdict, stated.row.quantity, stated.row.reported, stated.row.explanation) == (
        "not-checkable", "age", "62 years", "stated once")
    (beads,) = _declared([{"claim_id": "toy.beads.same_quantity_agrees", "rule": "same_quantity_agrees",
                           "inputs": "beads"}])
    assert beads.row.reported == "100–300 µm"


@pytest.mark.parametrize("row, message", [
    ({"claim_id": "toy.dose.not_checkable", "rule": "not_checkable", "inputs": "dose", "note": "x"},
     "data/toy/claims.csv:2:inputs: dose is not a number_id of the study; expected the number_id of a row"),
    ({"claim_id": "toy.age.same_quantity_agrees", "rule": "not_checkable", "inputs": "age", "note": "x"},
     "data/toy/claims.csv:2:claim_id: 'toy.age.same_quantity_agrees' does not name the claim; "
     "expected toy.<one of its inputs>.not_checkable"),
    ({"claim_id": "other.age.not_checkable", "rule": "not_checkable", "inputs": "age", "note": "x"},
     "data/toy/claims.csv:2:claim_id: 'other.age.not_checkable' does not name the claim"),
    ({"claim_id": "toy.age.not_checkable", "rule": "not_checkable", "inputs": "age"},
     "data/toy/claims.csv:2:note: empty; expected why nothing in the paper recomputes it"),
    ({"claim_id": "toy.age.same_quantity_agrees", "rule": "same_quantity_agrees", "inputs": "age; dose-first",
      "labels": "only one"}, "data/toy/claims.csv:2:labels: 1 labels for 2 inputs"),
])
def test_a_declared_claim_that_cannot_be_computed_is_refused_with_file_line_and_column(row, message) -> None:
    from sarcoma_review.datapackage import DataError

    with pytest.raises(DataError) as caught:
        _declared([row])
    assert str(caught.value).startswith(message)
