"""The not-checkable fallback shared by the case-report audits.

Each case audit wires its rules to its text-block rows by ``number_id``. A row that no rule reads
(a number added to data/ after the coverage gate found it missing, for example) must still get a
ledger row: every printed number is in the ledger, at least as not-checkable with a reason. An
audit calls ``unread_numbers`` after its own claims and turns each result into a row with its own
claim builder, so that claim ids and sources keep that audit's conventions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from claimcheck import rules
from claimcheck.checks import Check

# Why a number cannot be recomputed, by what its key says it is (the first match wins).
REASONS = (
    (lambda key: key == "recist.version", "the version of the response criteria the paper names"),
    (lambda key: key.startswith("ext."), "quoted from another publication; nothing in this paper recomputes it"),
    (lambda key: key.endswith(".scale_bar"), "a scale bar, checkable only on the image itself"),
    (lambda key: key.endswith("_labels"), "the numbers the paper gives its target lesions: labels, not quantities"),
)
DEFAULT_REASON = ("printed once, and nothing else the paper prints restates it or can be computed into it; "
                  "no rule of this review reads it")


def reason_for(key: str) -> str:
    """The not-checkable reason for a number with this canonical ``key``."""
    return next((reason for applies, reason in REASONS if applies(key)), DEFAULT_REASON)


def unread_numbers(numbers: pd.DataFrame, read: Iterable[str]) -> list[tuple[dict[str, Any], Check]]:
    """The text-block rows whose ``number_id`` no claim reads, each with a not-checkable check.

    Parameters
    ----------
    numbers : DataFrame
        The audit's text-block rows (columns of ``data/schemas/text_numbers.schema.json``).
    read : iterable of str
        The ``number_id`` of every row the audit's claims already read.

    Returns
    -------
    list of (dict, Check)
        The unread rows, in table order, with the check their ledger row gets.
    """
    already = set(read)
    return [(record, rules.not_checkable(reason_for(record["key"])))
            for record in numbers.to_dict(orient="records") if record["number_id"] not in already]
