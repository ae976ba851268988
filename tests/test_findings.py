"""A sentence that states a finding is printed only while the published ledger shows it.

The mechanism (`sarcoma_review.findings`) is tested here on small ledgers written for each test;
`tests/test_build.py::test_a_finding_sentence_follows_the_data` shows it on a real build, and the
last test below keeps the chapters from typing a finding around glued numbers again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_review import findings
from sarcoma_review.findings import FindingError

ROOT = Path(__file__).resolve().parent.parent
SUM = "aice.t2-all.counts_sum_to_total"


def ledger(**verdicts: str) -> pd.DataFrame:
    """A ledger holding only the claims named, e.g. ledger(**{SUM: "inconsistent"})."""
    return pd.DataFrame({"claim_id": list(verdicts), "verdict": list(verdicts.values())})


NUMBERS = {"subtype_sum": "114", "n": "113"}
SUBTYPES = findings.finding(
    "Their counts add up to {subtype_sum}, not {n}.", inconsistent=[SUM],
    otherwise=findings.finding("Their counts add up to {n}, the number of patients.", consistent=[SUM]))


def test_the_sentence_is_printed_while_the_ledger_shows_the_finding():
    assert findings.text(SUBTYPES, NUMBERS, ledger(**{SUM: "inconsistent"})) == "Their counts add up to 114, not 113."


def test_the_alternative_is_printed_when_the_data_no_longer_show_it():
    said = findings.text(SUBTYPES, {"subtype_sum": "113", "n": "113"}, ledger(**{SUM: "consistent"}))
    assert said == "Their counts add up to 113, the number of patients."


def test_without_an_alternative_the_build_stops_naming_the_sentence_and_the_claim():
    guarded = findings.finding("Their counts add up to {subtype_sum}, not {n}.", inconsistent=[SUM])
    with pytest.raises(FindingError) as error:
        findings.text(guarded, {"subtype_sum": "113", "n": "113"}, ledger(**{SUM: "consistent"}))
    message = str(error.value)
    assert "'Their counts add up to 113, not 113.'" in message
    assert SUM in message and "inconsistent" in message and "now says consistent" in message


def test_an_alternative_is_checked_like_the_sentence():
    # The fallback asserts consistency; a third verdict supports neither sentence.
    with pytest.raises(FindingError, match="the number of patients.*now says ambiguous"):
        findings.text(SUBTYPES, NUMBERS, ledger(**{SUM: "ambiguous"}))


def test_every_claim_of_a_sentence_must_hold():
    both = findings.finding("Rows {a} and {b} do not hold together.", inconsistent=["x.a.rule", "x.b.rule"])
    numbers = {"a": "A", "b": "B"}
    assert findings.text(both, numbers, ledger(**{"x.a.rule": "inconsistent", "x.b.rule": "inconsistent"}))
    with pytest.raises(FindingError, match="x.b.rule"):
        findings.text(both, numbers, ledger(**{"x.a.rule": "inconsistent", "x.b.rule": "consistent"}))


def test_a_claim_may_accept_several_verdicts():
    either = findings.Finding("The paper leaves it open.", {"x.a.rule": ("ambiguous", "inconsistent")})
    for verdict in ("ambiguous", "inconsistent"):
        assert findings.text(either, {}, ledger(**{"x.a.rule": verdict})) == "The paper leaves it open."


def test_an_unknown_claim_id_is_an_error_even_with_an_alternative():
    typo = findings.finding("Their counts add up to {subtype_sum}, not {n}.",
                            inconsistent=["aice.t2.total.counts_sum_to_total"], otherwise="")
    with pytest.raises(FindingError, match=r"aice\.t2\.total\.counts_sum_to_total.*does not hold"):
        findings.text(typo, NUMBERS, ledger(**{SUM: "inconsistent"}))


def test_a_missing_number_is_named():
    with pytest.raises(FindingError, match=r"\{subtype_sum\}"):
        findings.text(SUBTYPES, {"n": "113"}, ledger(**{SUM: "inconsistent"}))


def test_a_finding_must_name_a_claim_and_real_verdicts():
    with pytest.raises(ValueError, match="names no ledger claim"):
        findings.finding("No claim at all.")
    with pytest.raises(ValueError, match="verdicts"):
        findings.Finding("A made-up verdict.", {"x.a.rule": ("wrong",)})
    with pytest.raises(ValueError, match="twice"):
        findings.finding("Twice.", inconsistent=["x.a.rule"], ambiguous=["x.a.rule"])


def test_render_returns_every_named_text():
    said = findings.render({"sum": SUBTYPES, "plain": "The paper prints {n} patients."}, NUMBERS,
                           ledger(**{SUM: "inconsistent"}))
    assert said == {"sum": "Their counts add up to 114, not 113.", "plain": "The paper prints 113 patients."}


# Wordings that state a finding. Typed in a chapter's prose next to a glued number, they would
# outlive the data; such sentences are declared as findings in the chapter's code and glued.
FINDING_WORDS = re.compile(r"add up to|, not \{glue|outside (?:its|their) own|do(?:es)? not hold together|"
                           r"is dated before|printed twice and differently|cannot be in that order|"
                           r"matching the printed categories|depends on how", re.IGNORECASE)


def _prose(markdown: str) -> str:
    """A MyST notebook's Markdown without its code cells (where findings are declared)."""
    return re.sub(r"```\{code-cell\}.*?\n```", "", markdown, flags=re.DOTALL)


@pytest.mark.parametrize("page", sorted([ROOT / "index.md", *(ROOT / "chapters").glob("*.md")]),
                         ids=lambda p: p.name)
def test_no_page_types_a_finding_into_its_prose(page):
    prose = " ".join(_prose(page.read_text(encoding="utf-8")).split())  # a phrase may span lines
    typed = [prose[max(0, m.start() - 60):m.end() + 60] for m in FINDING_WORDS.finditer(prose)]
    assert not typed, (f"{page.name} states a finding in its prose; declare it with sarcoma_review.findings "
                       "and glue it instead:\n" + "\n".join(typed))


def test_the_prose_check_can_fail():
    assert FINDING_WORDS.search(_prose("Their counts add up to {glue:text}`aice_subtype_sum`, not "
                                       "{glue:text}`aice_n`.\n"))
    assert not FINDING_WORDS.search(_prose("```{code-cell} ipython3\nfindings.finding('add up to')\n```\n"))
