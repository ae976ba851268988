"""What every study's audit needs, once: a claim and its builder, a study-specific note on a check,
the look-up of a printed number by its id, how a printed value and its unit read in the ledger,
and counts printed as words.

The audits keep only what is particular to a paper (which origin an interval counts from, a
misprint hypothesis, the RECIST course); each builds its rows with a `Study` made from its
registry row, so that its claim prefix, source and citation key are written in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from claimcheck import rules
from claimcheck.checks import Check, Verdict
from claimcheck.ledger import LedgerRow, ledger_row
from claimcheck.rules import NUMBER_WORDS as CARDINAL_WORDS

# Counts the papers print as words. The library knows one to ten; the AICE cohort also prints
# "Thirty-two". Ordinals ("the seventh session") are the library's `as_digits`.
NUMBER_WORDS: dict[str, int] = {**CARDINAL_WORDS, "thirty-two": 32}

# How a unit follows a printed value in the ledger's `reported` column ("8 months", "15.1%").
UNIT_TEXT: dict[str, str] = {
    "months": " months", "years": " years", "weeks": " weeks", "days": " days", "percent": "%", "count": "",
    "none": "", "score": "", "mg": " mg", "mg/m2": " mg/m²", "ug/day": " µg/day", "um": " µm", "Gy": " Gy",
    "cm": " cm", "celsius": " °C", "minutes": " min", "hours": " h",
}


@dataclass(frozen=True)
class Claim:
    """A ledger row and the data rows (number_id, event_id, outcome_id, ...) it was computed from."""

    row: LedgerRow
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Study:
    """Builds a study's ledger rows: claim id ``<claim_prefix>.<item_id>.<rule>``, its source text
    and citation key (the study registry's, data/evidence_overview/studies.csv)."""

    claim_prefix: str
    source: str
    citation_key: str

    def row(self, item_id: str, check: Check, *, location: str, quantity: str, reported: str,
            source: str | None = None, study: str | None = None) -> LedgerRow:
        return ledger_row(claim_id=f"{self.claim_prefix}.{item_id}.{check.rule}", source=source or self.source,
                          study=study or self.citation_key, location=location, quantity=quantity,
                          reported=reported, check=check)

    def claim(self, item_id: str, check: Check, *, location: str, quantity: str, reported: str,
              inputs: Sequence[str], source: str | None = None, study: str | None = None) -> Claim:
        return Claim(self.row(item_id, check, location=location, quantity=quantity, reported=reported,
                              source=source, study=study), tuple(inputs))


def with_note(check: Check, note: str, *, separator: str = "", verdict: Verdict | None = None) -> Check:
    """The same check, its call untouched, with a sentence about this paper added to its
    explanation; ``verdict`` replaces the verdict where the paper's own words settle it."""
    noted = check.noted(note, separator=separator)
    return replace(noted, verdict=verdict) if verdict is not None else noted


def number(frame: pd.DataFrame, number_id: str) -> dict[str, str]:
    """A printed number's row by its ``number_id``, with the id among its cells."""
    found = frame[frame["number_id"] == number_id]
    if len(found) != 1:
        raise KeyError(f"{len(found)} printed numbers with number_id {number_id!r}; expected exactly one")
    return found.iloc[0].to_dict() | {"number_id": number_id}


def reported(record: Mapping[str, str], units: Mapping[str, str] = UNIT_TEXT) -> str:
    """A printed value with its unit, as the ledger's ``reported`` column shows it ("8 months")."""
    return f"{record['printed']}{units.get(record['unit'], ' ' + record['unit'])}"


def digits(printed: str) -> str:
    """A count printed as a word ("Three", "thirty-two") as digits; anything else stripped, unchanged."""
    cleaned = str(printed).strip()
    word = cleaned.lower()
    return str(NUMBER_WORDS[word]) if word in NUMBER_WORDS else cleaned


def count(printed: str) -> int:
    """A printed count, digits or a word, as an integer."""
    return int(digits(printed))


# ---------------------------------------------------------------------------------------------
# claims declared as data: data/<study>/claims.csv (schema: data/schemas/claims.schema.json)

CLAIMS_TABLE = "claims"


def _compared_value(record: Mapping[str, str]) -> str | tuple[str, str]:
    """What same_quantity_agrees compares: a printed range by its two ends, anything else as printed."""
    low, high = record.get("ci_lower", ""), record.get("ci_upper", "")
    if low and high and record["printed"] == f"{low}–{high}":
        return (low, high)
    return record["printed"]


def declared_claims(study: Study, table: pd.DataFrame | None, numbers: pd.DataFrame, shown: str,
                    units: Mapping[str, str] = UNIT_TEXT) -> list[Claim]:
    """The claims a study declares in its ``claims.csv``, in the table's order.

    Each row names a rule and the printed numbers it reads by ``number_id``; the claim's location
    and reported value are those of the number its ``claim_id`` names. An input that is not a
    printed number of the study, or a claim id that does not name one of its inputs and its
    rule, is refused as ``<file>:<line>:<column>: ...``, so that no claim computes from a number
    that is not there.
    """
    if table is None:
        return []
    from ..datapackage import DataError, Problem

    known = set(numbers["number_id"])
    problems: list[Problem] = []
    claims: list[Claim] = []
    for line, record in enumerate(table.to_dict(orient="records"), start=2):
        inputs = record["inputs"].split("; ")
        prefix, item, rule = record["claim_id"].split(".", 1)[0], *record["claim_id"].split(".", 1)[1].rsplit(".", 1)
        missing = [number_id for number_id in inputs if number_id not in known]
        if missing:
            problems.append(Problem(shown, line, "inputs", f"{', '.join(missing)} is not a number_id of the study",
                                    "the number_id of a row of the study's text tables"))
            continue
        if prefix != study.claim_prefix or item not in inputs or rule != record["rule"]:
            problems.append(Problem(shown, line, "claim_id", f"{record['claim_id']!r} does not name the claim",
                                    f"{study.claim_prefix}.<one of its inputs>.{record['rule']}"))
            continue
        labels = record["labels"].split("; ") if record["labels"] else []
        if labels and len(labels) != len(inputs):
            problems.append(Problem(shown, line, "labels", f"{len(labels)} labels for {len(inputs)} inputs",
                                    "one label per input, or none"))
            continue
        found = {number_id: number(numbers, number_id) for number_id in inputs}
        own = found[item]
        if rule == "not_checkable":
            if not record["note"]:
                problems.append(Problem(shown, line, "note", "empty", "why nothing in the paper recomputes it"))
                continue
            check = rules.not_checkable(record["note"])
        else:
            names = labels or [found[number_id]["location"] for number_id in inputs]
            check = rules.same_quantity_agrees({name: _compared_value(found[number_id])
                                                for name, number_id in zip(names, inputs, strict=True)})
            if record["note"]:
                check = with_note(check, record["note"], separator="; ")
        claims.append(Claim(study.row(item, check, location=own["location"], quantity=record["quantity"] or own["key"],
                                      reported=reported(own, units)), tuple(inputs)))
    if problems:
        raise DataError(problems)
    return claims
