"""The evidence overview: the studies side by side, and their survival times kept apart by kind.

Three kinds of numbers are shown together but never pooled: the medians of the AICE cohort
(with their CIs), the medians that the papers quote from earlier series (cited as quoted,
ranges where they print ranges), and single-patient durations from the case reports.
"""

from __future__ import annotations

import re

import pandas as pd

from claimcheck.printed import parse_printed
from . import registry
from .datapackage import load_study, load_table
from .figures import COLOURS, new_figure

KINDS = ("AICE cohort", "Series quoted by the papers", "Case reports (one patient each)")
ENDPOINTS = {"os": "OS", "pfs": "PFS"}


def _overview_times(row: pd.Series) -> list[tuple[str, str]]:
    """The survival times a study's registry row asks the overview to plot, as (key, endpoint
    label) pairs: its ``overview_times`` reads 'os.median=OS; pfs.median=PFS'."""
    pairs = [pair.split("=", 1) for pair in row["overview_times"].split("; ") if pair]
    return [(key, endpoint) for key, endpoint in pairs]


def _is_cohort(row: pd.Series) -> bool:
    """A cohort's medians carry confidence intervals; a case report's durations are one patient's."""
    return int(row["n_patients"]) > 1


def studies() -> pd.DataFrame:
    """The registry's studies, without the columns that say where their files are."""
    return registry.studies().drop(columns=list(registry.LAYOUT_COLUMNS))


def studies_table() -> pd.DataFrame:
    """The studies as the overview shows them: six columns that fit the page (the citable CSV,
    overview-studies, keeps every column of the registry but where the study's files are)."""
    table = studies()
    return pd.DataFrame({
        "Study": table["label"],
        "Design and level of evidence": table["design"] + "\n" + table["level_of_evidence"],
        "Patients": table["n_patients"],
        "Disease": table["histology"] + "\n" + table["setting"],
        "Procedure": table["procedure"],
        "Outcomes reported": table["outcomes_reported"],
    })


def _text_numbers(study: str) -> pd.DataFrame:
    tables = load_study(study)
    frames = [t for t in tables.values() if {"key", "printed", "number_id"} <= set(t.columns)]
    return pd.concat(frames, ignore_index=True)


def _first_printing(numbers: pd.DataFrame, key: str, study: str) -> pd.Series:
    rows = numbers[numbers["key"] == key]
    if rows.empty:
        raise KeyError(f"data/{study}: no printed number with key {key!r}")
    return rows.iloc[0]


def _quoting_study(source_file: str) -> str:
    return registry.study_short_label(registry.study_of_source(source_file))


def _value(text: str) -> float | None:
    return parse_printed(text).value if text else None


def survival_times() -> pd.DataFrame:
    """One row per plotted survival time: kind, label, endpoint, estimate, low, high, as printed."""
    rows = []
    registered = registry.studies()
    cohorts = registered.apply(_is_cohort, axis=1)
    for _, study in registered[cohorts].iterrows():
        numbers = _text_numbers(study["data_folder"])
        label = f"{registry.study_label(study['study_key'])}, {study['n_patients']} patients"
        for key, endpoint in _overview_times(study):
            printed = _first_printing(numbers[numbers["ci_lower"] != ""], key, study["data_folder"])
            rows.append({"kind": KINDS[0], "label": label, "endpoint": endpoint,
                         "estimate": _value(printed["printed"]), "low": _value(printed["ci_lower"]),
                         "high": _value(printed["ci_upper"]), "printed": printed["printed"],
                         "interval": "95% CI", "where": printed["location"], "series_id": ""})
    outcomes = load_table("comparators/comparator_outcomes.csv")
    series = load_table("comparators/comparator_series.csv").set_index("series_id")
    for measure, endpoint in (("os.median", "OS"), ("pfs.median", "PFS")):
        for row in outcomes[outcomes["measure"] == measure].itertuples():
            point = parse_printed(row.printed).value if _is_point(row.printed) else None
            low = _value(row.low)
            high = _value(row.high)
            quoted_in = _quoting_study(series.loc[row.series_id, "quoted_in"])
            rows.append({"kind": KINDS[1], "label": f"{short_citation(series.loc[row.series_id])} (quoted in {quoted_in})",
                         "endpoint": endpoint, "estimate": point, "low": low, "high": high,
                         "printed": row.printed, "interval": _interval_kind(row.printed),
                         "where": row.location, "series_id": row.series_id})
    for _, study in registered[~cohorts].iterrows():
        for key, endpoint in _overview_times(study):
            printed = _first_printing(_text_numbers(study["data_folder"]), key, study["data_folder"])
            rows.append({"kind": KINDS[2], "label": registry.study_label(study["study_key"]), "endpoint": endpoint,
                         "estimate": _value(printed["printed"]), "low": None, "high": None,
                         "printed": printed["printed"], "interval": "", "where": printed["location"],
                         "series_id": ""})
    frame = pd.DataFrame(rows)
    # A figure quoted twice by the same paper (abstract and discussion) is one data point.
    return frame.drop_duplicates(subset=["kind", "label", "endpoint", "printed"]).reset_index(drop=True)


def short_citation(series_row: pd.Series) -> str:
    """'Pierce et al. 2018' from the citation as the quoting paper gives it."""
    cited = str(series_row.get("citation_as_given", ""))
    author = re.search(r"((?:van der |van |de )?[A-Z][A-Za-z'\-]+) [A-Z]{1,3}[,.]", cited)
    year = re.search(r"\b(?:19|20)\d{2}\b", cited) or re.search(r"(?:19|20)\d{2}", str(series_row.get("citation_key", "")))
    if not author or not year:
        return str(series_row.get("population") or series_row.name)[:45]
    return f"{author.group(1)} et al. {year.group(0)}"


def _interval_kind(printed: str) -> str:
    if printed.startswith(("<", ">", "≤", "≥")):
        return "bound"
    return "range" if "–" in printed or "-" in printed[1:] else ""


def _is_point(text: str) -> bool:
    try:
        parsed = parse_printed(text)
    except ValueError:
        return False
    return parsed.comparator is None


def survival_figure(times: pd.DataFrame):
    """Survival times by kind, each kind in its own panel, so they are compared but not pooled."""
    heights = [max(len(times[times["kind"] == kind]), 1) for kind in KINDS]
    fig, axes = new_figure(height=1.0 + 0.32 * sum(heights), nrows=len(KINDS), sharex=True,
                           gridspec_kw={"height_ratios": heights})
    for ax, kind in zip(axes, KINDS):
        subset = times[times["kind"] == kind].reset_index(drop=True)
        labels = [f"{r.label}: {r.endpoint}" for r in subset.itertuples()]
        for y, r in enumerate(subset.itertuples()):
            colour = COLOURS["os"] if r.endpoint == "OS" else COLOURS["pfs"] if r.endpoint == "PFS" else COLOURS["assessment"]
            if pd.notna(r.low) or pd.notna(r.high):
                low = r.low if pd.notna(r.low) else 0.0
                high = r.high if pd.notna(r.high) else low
                # A bound ("<12 months") is drawn dashed, so it does not read as an interval.
                style = "--" if r.interval == "bound" else "-"
                ax.plot([low, high], [y, y], color=colour, linewidth=2.5, alpha=0.7, linestyle=style,
                        solid_capstyle="butt")
            if pd.notna(r.estimate):
                marker = "o" if kind == KINDS[0] else "D" if kind == KINDS[1] else "s"
                ax.plot(r.estimate, y, marker=marker, color=colour, markersize=6, linestyle="none")
        ax.set_yticks(range(len(subset)), labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(kind, fontsize=9, loc="left")
    axes[-1].set_xlabel("Time (months)")
    fig.tight_layout()
    return fig, times[["kind", "label", "endpoint", "estimate", "low", "high", "interval"]]


def citable_tables(ledger: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The overview's tables; with the ledger, the appraisal's too (its Summary of Findings lists
    the ledger's inconsistencies)."""
    from . import appraisal

    tables = {"overview-studies": studies(), "overview-survival-times": survival_times()}
    if ledger is not None:
        tables |= appraisal.citable_tables(ledger)
    return tables
