"""Audit of the comparator series and benchmarks the four source papers quote.

Case reports 000, 002 and 003 and the AICE cohort 001 justify their treatments against earlier
series (Pierce et al. and Chapiro et al. on embolization of sarcoma liver metastases, Krzyston et
al. on liver-directed therapy for leiomyosarcoma) and against systemic-therapy benchmarks. A quoted
figure cannot be recomputed from the quoting paper, so most rows are not-checkable; what can be
checked is the arithmetic the quoting paper itself prints (a partition of 28 patients, PFS not
exceeding OS), agreement between printings, and whether a figure one paper quotes matches what
another paper of the corpus prints. Figures quoted by 000 and 001 are also transcribed in those
papers' own folders and get their single-paper rows from those audits (see `_quoted_claims`); this
audit adds only the cross-paper checks for them. The table feeds the synthesis chapter, which reads
`comparator_table()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from claimcheck import rules
from claimcheck.checks import Check
from claimcheck.ledger import LedgerRow, ledger_row
from sarcoma_review import registry
from sarcoma_review.audits import lms_debtace_case
from sarcoma_review.audits import kernel
from sarcoma_review.audits.kernel import Claim
from sarcoma_review.datapackage import load_study, memoised_per_data_dir
from sarcoma_review.ledger import CONCLUSIONS_TABLE, with_judgements

STUDY = registry.CROSS_STUDY_AUDIT["data_folder"]
CLAIM_PREFIX = registry.CROSS_STUDY_AUDIT["claim_prefix"]
# Each row cites its own series (see `citation_keys`); the study as a whole has no single key.
CITATION_KEY = None

@memoised_per_data_dir
def _tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    return load_study(STUDY, data_dir)


def series_table(data_dir: Path | None = None) -> pd.DataFrame:
    return _tables(data_dir)["comparator_series"].copy()


def outcomes_table(data_dir: Path | None = None) -> pd.DataFrame:
    return _tables(data_dir)["comparator_outcomes"].copy()


def comparator_table(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per quoted number with its series' citation, source and design: the long table the
    synthesis chapter filters (e.g. measure == 'pfs.median')."""
    series = series_table(data_dir).drop(columns=["context", "location"])
    return outcomes_table(data_dir).merge(series, on="series_id", how="left", validate="many_to_one")


def _outcome(outcomes: pd.DataFrame, outcome_id: str) -> dict[str, str]:
    return outcomes.set_index("outcome_id").loc[outcome_id].to_dict() | {"outcome_id": outcome_id}


def _reported(outcome: dict[str, str]) -> str:
    return kernel.reported(outcome)


def _series_claim(item_id: str, check: Check, *, series: dict[str, str], location: str, quantity: str,
           reported: str, inputs: Sequence[str]) -> Claim:
    # The study is the quoted series when the quoting paper identifies it, else the quoting paper.
    study = series["citation_key"] or registry.study_of_source(series["quoted_in"])
    row = ledger_row(claim_id=f"{CLAIM_PREFIX}.{item_id}.{check.rule}", source=series["quoted_in"], study=study,
                     location=location, quantity=quantity, reported=reported, check=check)
    return Claim(row, tuple(inputs) + (series["series_id"],))


def _source_number(source_file: str) -> str:
    """How quantity columns name a source text: the number its file name starts with ('001')."""
    return source_file.split("_", 1)[0]


def _who(series: dict[str, str]) -> str:
    """How a quantity column names the series: its first author where the citation gives one."""
    citation = series["citation_as_given"]
    if series["citation_key"] and not citation.startswith("Reference"):
        return citation.split(",")[0].split(" ")[0] + " et al. (as quoted)"
    return f"{series['series_id']} (as quoted in {_source_number(series['quoted_in'])})"


def _with_context(check: Check, context: str) -> Check:
    """The same check, verdict untouched, with what the quoting paper says put before its explanation."""
    return replace(check, explanation=f"{context}{check.explanation}")


def _arithmetic_claims(outcomes: pd.DataFrame, series: pd.DataFrame) -> list[Claim]:
    by_id = series.set_index("series_id")
    get = lambda series_id: by_id.loc[series_id].to_dict() | {"series_id": series_id}  # noqa: E731
    claims = []

    pierce = get("pierce2018")
    parts = ["pierce-bland", "pierce-radioembolization", "pierce-tace", "pierce-combined"]
    total = _outcome(outcomes, "pierce-n")
    claims.append(_series_claim("pierce-n", rules.counts_sum_to_total(
        {_outcome(outcomes, part)["measure"].split(".")[-1]: int(_outcome(outcomes, part)["printed"]) for part in parts},
        int(total["printed"])), series=pierce, location=total["location"],
        quantity=f"{_who(pierce)}: patients by embolization technique", reported=_reported(total),
        inputs=["pierce-n", *parts]))

    for subset_id, total_id in (("pierce-lms", "pierce-n"), ("chapiro-lms", "chapiro-n"),
                                ("krzyston-ablation", "krzyston-n")):
        subset, whole = _outcome(outcomes, subset_id), _outcome(outcomes, total_id)
        owner = get(subset["series_id"])
        check = rules.subset_within_total(int(subset["printed"]), int(whole["printed"]))
        claims.append(_series_claim(subset_id, check, series=owner, location=subset["location"],
                             quantity=f"{_who(owner)}: {subset['measure'].split('.')[-1].replace('_', ' ')} within the "
                                      f"{whole['printed']} patients",
                             reported=f"{subset['printed']} of {whole['printed']}", inputs=[subset_id, total_id]))

    for prefix in ("pierce", "chapiro"):
        pfs, overall = _outcome(outcomes, f"{prefix}-pfs"), _outcome(outcomes, f"{prefix}-os")
        owner = get(pfs["series_id"])
        claims.append(_series_claim(f"{prefix}-pfs", rules.pfs_not_exceeding_os(pfs["printed"], overall["printed"]),
                             series=owner, location=pfs["location"], quantity=f"{_who(owner)}: median PFS vs median OS",
                             reported=f"PFS {pfs['printed']}, OS {overall['printed']} months",
                             inputs=[f"{prefix}-pfs", f"{prefix}-os"]))

    chapiro, pierce_n, chapiro_n = get("chapiro2015"), _outcome(outcomes, "pierce-n"), _outcome(outcomes, "chapiro-n")
    sizes = {name: int(number["printed"]) for name, number in (("Chapiro", chapiro_n), ("Pierce", pierce_n))}
    claims.append(_series_claim("chapiro-n", rules.comparable_quantities(
        f"'another larger study' of {sizes['Chapiro']} patients",
        *(rules.ComparedQuantity(f"{name} et al. {size} patients", "patients in the series", size, size)
          for name, size in sizes.items()),
        relation="exceeds"),
        series=chapiro, location=chapiro_n["location"], quantity="Chapiro et al. (as quoted): size vs Pierce et al.",
        reported=f"{chapiro_n['printed']} patients", inputs=["chapiro-n", "pierce-n"]))

    return claims


def _cross_claims(outcomes: pd.DataFrame, series: pd.DataFrame, data_dir: Path) -> list[Claim]:
    by_id = series.set_index("series_id")
    get = lambda series_id: by_id.loc[series_id].to_dict() | {"series_id": series_id}  # noqa: E731
    claims = []
    ups = get("ups-refs-21-22")
    abstract, discussion = _outcome(outcomes, "ups-pfs-abstract"), _outcome(outcomes, "ups-pfs-discussion")
    claims.append(_series_claim("ups-pfs-abstract", rules.same_quantity_agrees(
        {"Abstract": (abstract["low"], abstract["high"]), "Discussion": (discussion["low"], discussion["high"])}),
        series=ups, location=abstract["location"], quantity="Quoted PFS range of TACE series, Abstract vs Discussion",
        reported=_reported(abstract), inputs=["ups-pfs-abstract", "ups-pfs-discussion"]))

    quoted_medians = outcomes[outcomes["measure"].isin(["pfs.median", "os.median"])
                              & outcomes["series_id"].isin(["pierce2018", "chapiro2015"])]
    range_check = rules.quoted_range_matches_quoted_series(
        discussion["low"], discussion["high"], "pfs.median",
        [rules.QuotedValue(row.series_id, row.measure, row.printed) for row in quoted_medians.itertuples()])
    claims.append(_series_claim("ups-pfs-discussion", _with_context(
        range_check, f"the range {discussion['printed']} months is called the PFS medians of references 21 and 22, "
                     "which 000 does not list; compared with the medians 002 quotes: "),
        series=ups, location=discussion["location"], quantity="Quoted PFS range of TACE series vs the series 002 quotes",
        reported=_reported(discussion),
        inputs=["ups-pfs-discussion", "chapiro-pfs", "chapiro-os", "pierce-pfs", "pierce-os"]))

    quoted = _outcome(outcomes, "ups-debtace-pfs")
    numbers = lms_debtace_case.text_numbers(data_dir).set_index("number_id")
    claims.append(_series_claim("ups-debtace-pfs", rules.same_quantity_agrees(
        {"000, Discussion (quoting reference 20)": quoted["printed"],
         "002, Abstract": numbers.loc["abs-disease-control", "printed"],
         "002, Introduction": numbers.loc["intro-pfs", "printed"]}),
        series=get("ups-ref-20-debtace"), location=quoted["location"],
        quantity="PFS of the DEB-TACE plus anlotinib case as quoted by 000 vs as printed by 002",
        reported=_reported(quoted), inputs=["ups-debtace-pfs"]))

    ref25 = get("aice-ref25-doxorubicin")
    ref25_orr, ref25_pfs = _outcome(outcomes, "ref25-orr"), _outcome(outcomes, "ref25-pfs")
    # What 001's sentence attributes to reference 25, and what its reference list gives as reference 25's title.
    claims.append(_series_claim("aice-ref25-doxorubicin", rules.cited_reference_topic(
        "reference 25",
        {"disease": "soft-tissue sarcoma", "treatment": "first-line systemic doxorubicin"},
        {"disease": "osteosarcoma", "treatment": "intra-arterial chemotherapy"}),
        series=ref25, location=ref25_orr["location"], quantity="Source of the first-line doxorubicin benchmark",
        reported=f"ORR {_reported(ref25_orr)}, PFS ~{_reported(ref25_pfs)}", inputs=["ref25-orr", "ref25-pfs"]))
    return claims


def _quoted_claims(outcomes: pd.DataFrame, series: pd.DataFrame, covered: set[str]) -> list[Claim]:
    """A not-checkable row for every number quoted by 002 or 003 that no rule above reads as its
    main subject. Numbers quoted by 000 and 001 (those with a `quoting_number_id`) already get their
    not-checkable row, and any arithmetic of their own, from those papers' audits; repeating it here
    would put the same printed number and rule in the ledger twice."""
    by_id = series.set_index("series_id")
    claims = []
    for record in outcomes.to_dict(orient="records"):
        if record["outcome_id"] in covered or record["quoting_number_id"]:
            continue
        owner = by_id.loc[record["series_id"]].to_dict() | {"series_id": record["series_id"]}
        number = owner["reference_number"]
        plural = "references" if any(mark in number for mark in "–-, ") else "reference"
        where = f"from {plural} {number}" if number else "without a citation"
        qualifier = f" ({record['qualifier']})" if record["qualifier"] else ""
        claims.append(_series_claim(record["outcome_id"], rules.not_checkable(
            f"quoted by {_source_number(owner['quoted_in'])} {where}; the quoting paper prints nothing to "
            "recompute it from"),
            series=owner, location=record["location"],
            quantity=f"{_who(owner)}: {record['measure']}{qualifier}", reported=_reported(record),
            inputs=[record["outcome_id"]]))
    return claims


# Outcomes that are the subject of a substantive rule above and need no separate not-checkable row.
SUBJECTS_OF_RULES = frozenset({
    "pierce-n", "pierce-bland", "pierce-radioembolization", "pierce-tace", "pierce-combined", "pierce-lms",
    "chapiro-lms", "krzyston-ablation", "pierce-pfs", "chapiro-pfs", "chapiro-n",
})


def _repeated_claims(outcomes: pd.DataFrame, series: pd.DataFrame) -> list[Claim]:
    """A quoted number the quoting paper prints again ("In a study involving 28 patients ... Among
    these 28 patients"): each later printing against the first. Numbers quoted by 000 and 001 are
    compared in those papers' audits (see `_quoted_claims`)."""
    by_id = series.set_index("series_id")
    claims = []
    own = outcomes[outcomes["quoting_number_id"] == ""]
    for (series_id, measure), printings in own.groupby(["series_id", "measure"], sort=False):
        first, *later = printings.to_dict(orient="records")
        owner = by_id.loc[series_id].to_dict() | {"series_id": series_id}
        for record in later:
            claims.append(_series_claim(record["outcome_id"], rules.same_quantity_agrees(
                {f"{first['location']} ({first['outcome_id']})": first["printed"],
                 f"{record['location']} ({record['outcome_id']})": record["printed"]}),
                series=owner, location=record["location"], quantity=f"{_who(owner)}: {measure}, printed again",
                reported=_reported(record), inputs=[record["outcome_id"], first["outcome_id"]]))
    return claims


@memoised_per_data_dir
def claims(data_dir: Path) -> tuple[Claim, ...]:
    outcomes, series = outcomes_table(data_dir), series_table(data_dir)
    found = _arithmetic_claims(outcomes, series) + _cross_claims(outcomes, series, data_dir)
    repeated = _repeated_claims(outcomes, series)
    found += repeated
    found += _quoted_claims(outcomes, series, set(SUBJECTS_OF_RULES) | {c.inputs[0] for c in repeated})
    return tuple(found)


def ledger_rows(data_dir: Path | None = None) -> list[LedgerRow]:
    return with_judgements([claim.row for claim in claims(data_dir)], _tables(data_dir).get(CONCLUSIONS_TABLE), STUDY)


def claim_inputs(data_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    return {claim.row.claim_id: claim.inputs for claim in claims(data_dir)}


def citation_keys(data_dir: Path | None = None) -> dict[str, str]:
    """For each claim_id, the BibTeX key of the series it quotes ('' when the quoting paper gives
    no resolvable reference: cite the quoting paper then)."""
    keys = series_table(data_dir).set_index("series_id")["citation_key"]
    return {claim.row.claim_id: keys[claim.inputs[-1]] for claim in claims(data_dir)}


def citable_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return {"comparator-series": series_table(data_dir), "comparator-outcomes": outcomes_table(data_dir)}
