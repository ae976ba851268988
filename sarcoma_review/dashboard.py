"""Summaries of the ledger for the audit dashboard: claims by source and verdict, rules fired, and
the coverage of every number the sources print."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from claimcheck.checks import VERDICTS
from . import registry
from .figures import COLOURS, new_figure


def claims_by_source_and_verdict(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows: source text, by the label readers see and by file name (column source_file, as in
    claims.csv's source column); columns: the four verdicts and the total."""
    table = (ledger.groupby(["source", "verdict"]).size().unstack(fill_value=0)
             .reindex(columns=list(VERDICTS), fill_value=0))
    sources = list(dict.fromkeys(ledger["source"]))  # book order, not alphabetical
    table = table.reindex(sources)
    table["total"] = table.sum(axis=1)
    table = table.rename_axis(index="source_file", columns=None).reset_index()
    table.insert(0, "source", table["source_file"].map(registry.source_label))
    return table


def rules_fired(ledger: pd.DataFrame) -> pd.DataFrame:
    """How often each rule was applied, and with what verdicts."""
    table = (ledger.groupby(["rule", "verdict"]).size().unstack(fill_value=0)
             .reindex(columns=list(VERDICTS), fill_value=0))
    table["total"] = table.sum(axis=1)
    return (table.sort_values(["total", "inconsistent"], ascending=False, kind="stable")
            .rename_axis(index="rule", columns=None).reset_index())


def verdict_chart(ledger: pd.DataFrame):
    """Stacked horizontal bars of ledger rows per source by verdict; returns (figure, plotted data)."""
    table = claims_by_source_and_verdict(ledger)
    fig, ax = new_figure(height=1.2 + 0.45 * max(len(table), 1))
    left = pd.Series(0, index=table.index)
    for verdict in VERDICTS:
        ax.barh(table["source"], table[verdict], left=left, color=COLOURS[verdict], label=verdict,
                edgecolor="white", linewidth=0.5)
        left = left + table[verdict]
    ax.invert_yaxis()
    ax.set_xlabel("Ledger rows (printed number × rule), count")
    ax.set_ylabel("Source text")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig, table


def chapter_of(claim_id: str) -> str:
    """The chapter that discusses a claim, by its claim-id prefix (the study registry's)."""
    prefix = claim_id.split(".", 1)[0]
    chapters = registry.chapter_of_prefix()
    if prefix not in chapters:
        raise KeyError(f"claim_id {claim_id!r}: no chapter is known for the prefix {prefix!r}; expected one of "
                       f"{', '.join(chapters)} (data/evidence_overview/studies.csv, claim_prefix)")
    return chapters[prefix]


# The order in which the dashboard lists inconsistencies: those that change a conclusion first.
DECISION_ORDER = ("changes-conclusion", "no-change", "not-applicable")
INCONSISTENCY_COLUMNS = ["claim_id", "source", "study", "location", "quantity", "reported", "recomputed",
                         "decision", "diagnosis", "explanation"]


def inconsistencies(ledger: pd.DataFrame) -> pd.DataFrame:
    """Every inconsistent claim: those that change a conclusion first, then in ledger order."""
    found = ledger.loc[ledger["verdict"] == "inconsistent", INCONSISTENCY_COLUMNS]
    rank = found["decision"].map({d: i for i, d in enumerate(DECISION_ORDER)})
    if rank.isna().any():
        raise ValueError(f"inconsistent rows without a known decision: {list(found.loc[rank.isna(), 'claim_id'])}")
    return found.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def decision_changing(ledger: pd.DataFrame) -> pd.DataFrame:
    """The inconsistencies that change a conclusion of the paper, in ledger order."""
    found = inconsistencies(ledger)
    return found[found["decision"] == "changes-conclusion"].reset_index(drop=True)


def other_inconsistencies(ledger: pd.DataFrame) -> pd.DataFrame:
    """The inconsistencies that change no conclusion (no-change, not-applicable)."""
    found = inconsistencies(ledger)
    return found[found["decision"] != "changes-conclusion"].reset_index(drop=True)


def inconsistencies_by_decision(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows: decision; columns: inconsistencies, of which with a near-miss diagnosis."""
    found = inconsistencies(ledger)
    return pd.DataFrame([{"decision": decision, "inconsistencies": int((found["decision"] == decision).sum()),
                          "with a near-miss diagnosis": int(((found["decision"] == decision)
                                                             & (found["diagnosis"] != "")).sum())}
                         for decision in DECISION_ORDER])


def coverage_by_source() -> pd.DataFrame:
    """How every number the machine reading finds in each source text is accounted for.

    One row per source text in book order, labelled for readers (the file name in its own
    column), then a row for all of them: numbers found, transcribed in data/, excluded (in total
    and by reason category), missing, and the percentage accounted for (see
    ``sarcoma_review.coverage``). Where the source texts are not beside the repository
    (``../shared/seeds/``) nothing can be counted, and every count says "not measured" rather
    than print a number that was not measured.
    """
    from . import coverage, registry

    sources = registry.sources()
    columns = ["found", "transcribed", "excluded", *coverage.CATEGORIES, "missing", "accounted-percent"]
    try:
        counts = {row["source_file"]: row for row in coverage.coverage_rows(coverage.measure())}
    except FileNotFoundError:
        counts = {file: dict.fromkeys(columns, "not measured") for file in sources["source_file"]}
    table = pd.DataFrame([{"source": label, "source_file": file, **{c: counts[file][c] for c in columns}}
                          for file, label in zip(sources["source_file"], sources["label"])])
    measured = all(isinstance(v, int) for v in table["found"])
    total = {c: int(table[c].sum()) if measured else "not measured" for c in columns[:-1]}
    total["accounted-percent"] = (f"{100 * (total['found'] - total['missing']) / total['found']:.1f}"
                                  if measured and total["found"] else "not measured")
    table.loc[len(table)] = {"source": "All source texts", "source_file": "", **total}
    return table


def coverage_page_table(covered: pd.DataFrame) -> pd.DataFrame:
    """The coverage table as the page shows it: one row per count, one column per source text
    (fifteen counts do not fit across a page; five sources do). The CSV keeps the wide shape."""
    from .coverage import CATEGORY_LABELS

    counts = covered.drop(columns="source_file").set_index("source")
    shown = counts.rename(columns={category: f"excluded: {label}" for category, label in CATEGORY_LABELS.items()})
    shown = shown.rename(columns={"accounted-percent": "accounted for (%)"})
    return shown.T.rename_axis(index="count", columns=None).reset_index()


def citable_tables(ledger: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        "audit-claims-by-source": claims_by_source_and_verdict(ledger),
        "audit-rules-fired": rules_fired(ledger),
        "audit-inconsistencies": inconsistencies(ledger),
        "audit-coverage-by-source": coverage_by_source(),
        "audit-decision-changing": decision_changing(ledger),
        "audit-inconsistencies-by-decision": inconsistencies_by_decision(ledger),
    }
