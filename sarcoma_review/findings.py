"""Sentences that state a finding, rendered from the published ledger so that they cannot go stale.

A sentence such as "Their counts add up to 114, not 113" asserts a ledger verdict: that
`aice.t2-all.counts_sum_to_total` is inconsistent. Typed as prose around glued numbers it would
go on printing "add up to 113, not 113" once the data no longer show the discrepancy. So a
chapter never types such a sentence. It declares it as a `Finding` (the sentence, with
`{placeholders}` for the chapter's glued numbers, and the claim ids whose verdicts it asserts),
and glues the text that `render` returns:

- every named claim has the asserted verdict in the published ledger: the sentence, filled in;
- otherwise, if the finding has an `otherwise`: that text instead (another `Finding`, checked
  the same way, or a plain string that asserts nothing about the ledger);
- otherwise `FindingError`, which stops the build, naming the sentence, the claim id, the verdict
  the sentence asserts and the verdict the ledger now holds.

A claim id that the ledger does not hold is always an error, so that a typo cannot hide a
sentence. The ledger is the published one (`book.ledger()`, i.e. `claims.csv` as readers
download it), not a recomputation.

In a chapter::

    says = findings.render({
        "subtype_sum": findings.finding(
            "Their counts add up to {subtype_sum}, not {n}.",
            inconsistent=["aice.t2-all.counts_sum_to_total"],
            otherwise=findings.finding("Their counts add up to {n}, the number of patients.",
                                       consistent=["aice.t2-all.counts_sum_to_total"])),
    }, numbers)
    for name, text in says.items():
        glue(f"aice_says_{name}", text, display=False)

and the prose reads {glue:text}`aice_says_subtype_sum`. A glued sentence is plain text: roles
such as {term} or {cite} stay in the surrounding prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from claimcheck.checks import VERDICTS

if TYPE_CHECKING:
    import pandas as pd


class FindingError(RuntimeError):
    """A chapter sentence asserts what the published ledger does not (or names no ledger row)."""


@dataclass(frozen=True)
class Finding:
    """A sentence and the verdicts it asserts: claim id -> the verdicts that support it."""

    text: str
    claims: Mapping[str, tuple[str, ...]]
    otherwise: Union["Finding", str, None] = field(default=None)

    def __post_init__(self) -> None:
        if not self.claims:
            raise ValueError(f"the finding {self.text!r} names no ledger claim; a sentence that asserts "
                             "nothing about the ledger is plain prose")
        for claim_id, verdicts in self.claims.items():
            unknown = set(verdicts) - set(VERDICTS)
            if not verdicts or unknown:
                raise ValueError(f"the finding {self.text!r}: claim {claim_id} is given verdicts "
                                 f"{sorted(unknown) or '(none)'}; expected some of {VERDICTS}")


def finding(text: str, *, inconsistent: Iterable[str] = (), ambiguous: Iterable[str] = (),
            consistent: Iterable[str] = (), not_checkable: Iterable[str] = (),
            otherwise: Finding | str | None = None) -> Finding:
    """A `Finding` that asserts one verdict per claim, named by keyword (`inconsistent=[...]`)."""
    claims: dict[str, tuple[str, ...]] = {}
    for verdict, ids in (("inconsistent", inconsistent), ("ambiguous", ambiguous),
                         ("consistent", consistent), ("not-checkable", not_checkable)):
        for claim_id in ids:
            if claim_id in claims:
                raise ValueError(f"the finding {text!r} names claim {claim_id} twice")
            claims[claim_id] = (verdict,)
    return Finding(text, claims, otherwise)


def _fill(text: str, numbers: Mapping[str, object]) -> str:
    try:
        return text.format_map(numbers)
    except KeyError as missing:
        raise FindingError(f"the sentence {text!r} uses {{{missing.args[0]}}}, which is not among the "
                           "chapter's numbers") from None


def text(item: Finding | str, numbers: Mapping[str, object] | None = None,
         ledger: "pd.DataFrame | None" = None) -> str:
    """What the chapter may print for `item`: its sentence, its `otherwise`, or a FindingError."""
    numbers = {} if numbers is None else numbers
    if isinstance(item, str):
        return _fill(item, numbers)
    if ledger is None:
        from .book import ledger as published_ledger

        ledger = published_ledger()
    verdicts = dict(zip(ledger["claim_id"], ledger["verdict"]))
    sentence = _fill(item.text, numbers)
    for claim_id, supporting in item.claims.items():
        if claim_id not in verdicts:
            raise FindingError(f"the sentence {sentence!r} cites claim {claim_id}, which the published "
                               "ledger (claims.csv) does not hold")
    failed = {claim_id: verdicts[claim_id] for claim_id, supporting in item.claims.items()
              if verdicts[claim_id] not in supporting}
    if not failed:
        return sentence
    if item.otherwise is not None:
        return text(item.otherwise, numbers, ledger)
    claim_id, now = next(iter(failed.items()))
    asserted = " or ".join(item.claims[claim_id])
    raise FindingError(f"the sentence {sentence!r} states that claim {claim_id} is {asserted}, but the "
                       f"published ledger now says {now}: rewrite the sentence, or give its finding an "
                       "`otherwise` for when the data no longer show it")


def render(items: Mapping[str, Finding | str], numbers: Mapping[str, object] | None = None,
           ledger: "pd.DataFrame | None" = None) -> dict[str, str]:
    """name -> the text to glue, for every finding of a chapter (see the module docstring)."""
    if ledger is None:
        from .book import ledger as published_ledger

        ledger = published_ledger()
    return {name: text(item, numbers, ledger) for name, item in items.items()}

