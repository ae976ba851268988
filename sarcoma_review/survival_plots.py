"""Figures for cohort studies: forest plots of Cox models, medians with their CIs, and survival
curves reconstructed from printed summaries.

Each builder takes a tidy table of printed values and returns ``(figure, plotted)``, where
``plotted`` is the exact data drawn (for ``figures.glue_figure`` and its fingerprint). A row the
ledger flags is drawn in the book's "flagged" colour with a hollow marker, so the figure and the
ledger tell the same story.

The reconstructed curves are **not** Kaplan-Meier curves: no patient-level data exist. They are
the smooth (Weibull) or stepwise-constant-hazard (piecewise exponential) curves that pass through,
or closest to, the printed median and landmark rates; they show what those printed numbers imply
together, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, NullFormatter

from claimcheck.stats import fit_weibull_to_summary, piecewise_exponential_from_points, weibull_survival
from .figures import COLOURS, PALETTE, new_figure

FOREST_COLUMNS = ("label", "hr", "ci_lower", "ci_upper", "flagged")
MEDIAN_COLUMNS = ("outcome", "group", "median", "ci_lower", "ci_upper", "flagged")
SUMMARY_COLUMNS = ("outcome", "months", "survival", "kind")


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs columns {list(columns)}; missing {missing}")


def forest_plot(panels: Mapping[str, pd.DataFrame], implied_column: str | None = "hr_implied"):
    """One forest plot per panel (e.g. {"Overall survival": ..., "Progression-free survival": ...}).

    Each panel frame has columns label, hr, ci_lower, ci_upper (numbers) and flagged (bool); an
    optional `implied_column` (e.g. exp(β)) is drawn on flagged rows as a small cross where it
    differs from the printed HR, so a reader sees which of the two disagrees. The x axis is logarithmic.
    """
    for name, frame in panels.items():
        _require(frame, FOREST_COLUMNS, f"forest panel {name!r}")
    height = 1.2 + 0.32 * sum(len(f) for f in panels.values()) + 0.4 * len(panels)
    fig, axes = new_figure("full", height, nrows=len(panels), sharex=True, squeeze=False)
    plotted = []
    for ax, (name, frame) in zip(axes[:, 0], panels.items()):
        y = np.arange(len(frame))[::-1]
        for yi, row in zip(y, frame.itertuples()):
            colour = COLOURS["flagged"] if row.flagged else PALETTE["black"]
            ax.plot([row.ci_lower, row.ci_upper], [yi, yi], color=colour, linewidth=1.4)
            ax.plot(row.hr, yi, marker="s", markersize=6, color=colour,
                    markerfacecolor="white" if row.flagged else colour, linestyle="none")
            implied = getattr(row, implied_column) if implied_column and implied_column in frame.columns else None
            # exp(β) is drawn only on flagged rows: on the others it rounds to the printed HR anyway.
            if row.flagged and implied is not None and not pd.isna(implied) and abs(implied - row.hr) > 0.05:
                ax.plot(implied, yi, marker="x", markersize=7, color=COLOURS["flagged"], linestyle="none")
            plotted.append({"panel": name, "label": row.label, "hr": row.hr, "ci_lower": row.ci_lower,
                            "ci_upper": row.ci_upper, "flagged": bool(row.flagged),
                            "implied": None if implied is None or pd.isna(implied) else float(implied)})
        ax.axvline(1.0, color=PALETTE["black"], linewidth=0.8, linestyle="--")
        ax.set_yticks(y, [f"{label}{' (flagged)' if flag else ''}" for label, flag in zip(frame["label"], frame["flagged"])])
        ax.set_title(name, loc="left")
        ax.set_xscale("log")
        ax.grid(axis="y", visible=False)
    axes[-1, 0].set_xlabel("Hazard ratio with 95% CI (log scale; dashed line: no effect)")
    ticks = [0.5, 1, 2, 4, 8]
    axes[-1, 0].xaxis.set_major_locator(FixedLocator(ticks))
    axes[-1, 0].xaxis.set_major_formatter(FixedFormatter([f"{t:g}" for t in ticks]))
    axes[-1, 0].xaxis.set_minor_formatter(NullFormatter())
    axes[-1, 0].set_xlim(0.4, 10)
    handles = [Line2D([], [], marker="s", color=PALETTE["black"], label="printed HR and 95% CI"),
               Line2D([], [], marker="s", color=COLOURS["flagged"], markerfacecolor="white",
                      label="row with an inconsistency in the ledger")]
    if implied_column:
        handles.append(Line2D([], [], marker="x", linestyle="none", color=COLOURS["flagged"],
                              label="exp(β), where it differs from the printed HR"))
    fig.legend(handles=handles, fontsize=7, loc="lower center", ncol=len(handles), frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig, pd.DataFrame(plotted)


def median_ci_plot(frame: pd.DataFrame):
    """Median survival (months) with its 95% CI per group, OS and PFS side by side.

    Columns: outcome ("OS"/"PFS"), group, median, ci_lower, ci_upper (numbers), flagged (bool).
    A median outside its own CI shows as a hollow marker off its bar.
    """
    _require(frame, MEDIAN_COLUMNS, "median plot")
    groups = list(dict.fromkeys(frame["group"]))
    fig, ax = new_figure("full", 1.0 + 0.45 * len(groups))
    offsets = {"OS": 0.15, "PFS": -0.15}
    colours = {"OS": COLOURS["os"], "PFS": COLOURS["pfs"]}
    for row in frame.itertuples():
        y = len(groups) - 1 - groups.index(row.group) + offsets[row.outcome]
        edge = COLOURS["flagged"] if row.flagged else colours[row.outcome]
        ax.plot([row.ci_lower, row.ci_upper], [y, y], color=colours[row.outcome], linewidth=2)
        ax.plot(row.median, y, marker="o", markersize=6, linestyle="none", color=edge,
                markerfacecolor="white" if row.flagged else colours[row.outcome], markeredgewidth=1.6)
    ax.set_yticks(range(len(groups))[::-1], groups)
    ax.set_xlabel("Median survival with 95% CI (months)")
    ax.plot([], [], color=COLOURS["os"], marker="o", label="overall survival")
    ax.plot([], [], color=COLOURS["pfs"], marker="o", label="progression-free survival")
    ax.plot([], [], color=COLOURS["flagged"], marker="o", markerfacecolor="white", linestyle="none",
            label="flagged by the ledger")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig, frame.loc[:, list(MEDIAN_COLUMNS)].reset_index(drop=True)


def reconstruct_from_summaries(summary: pd.DataFrame, horizon: float, step: float = 0.25,
                               label: str = "") -> pd.DataFrame:
    """Survival curves reconstructed from printed summaries, per outcome, on a grid of months.

    `summary` has columns outcome, months, survival (fraction) and kind ("median" or "landmark").
    Returns long columns outcome, model ("Weibull" least squares on the log-log scale, or
    "piecewise exponential" through every printed point), months, survival.
    """
    _require(summary, SUMMARY_COLUMNS, "reconstruction")
    grid = np.arange(0.0, horizon + step / 2, step)
    out = []
    for outcome, points in summary.groupby("outcome", sort=False):
        median = float(points.loc[points["kind"] == "median", "months"].iloc[0])
        landmarks = {float(r.months): float(r.survival) for r in points.itertuples() if r.kind == "landmark"}
        shape, scale, _ = fit_weibull_to_summary(median, landmarks)
        curve = piecewise_exponential_from_points(list(zip(points["months"], points["survival"])))
        for model, values in (("Weibull", weibull_survival(grid, shape, scale)),
                              ("piecewise exponential", [curve.survival(t) for t in grid])):
            out.append(pd.DataFrame({"outcome": outcome, "model": f"{model}{label}", "months": grid,
                                     "survival": np.asarray(values, dtype=float)}))
    return pd.concat(out, ignore_index=True)


def reconstruction_plot(summary: pd.DataFrame, curves: pd.DataFrame, intervals: pd.DataFrame | None = None):
    """Reconstructed curves with the printed points they come from (and printed CIs, if given).

    `intervals` has columns outcome, months, lower, upper (fractions) and flagged (bool): the printed
    95% CI of a landmark rate, drawn as a vertical bar; a flagged point is drawn hollow.
    """
    fig, ax = new_figure("full", 3.8)
    colours = {"OS": COLOURS["os"], "PFS": COLOURS["pfs"]}
    styles = ["-", ":", "--", "-."]
    models = list(dict.fromkeys(curves["model"]))
    for (outcome, model), curve in curves.groupby(["outcome", "model"], sort=False):
        ax.plot(curve["months"], curve["survival"], linestyle=styles[models.index(model) % len(styles)],
                color=colours[outcome], linewidth=1.5, label=f"{outcome}, {model} (reconstruction)")
    if intervals is not None:
        for row in intervals.itertuples():
            ax.plot([row.months, row.months], [row.lower, row.upper], color=colours[row.outcome],
                    linewidth=4, alpha=0.35, solid_capstyle="butt")
    flagged = set()
    if intervals is not None and "flagged" in intervals.columns:
        flagged = {(r.outcome, r.months) for r in intervals.itertuples() if r.flagged}
    for row in summary.itertuples():
        hollow = (row.outcome, row.months) in flagged
        ax.plot(row.months, row.survival, marker="D" if row.kind == "median" else "o", markersize=6,
                linestyle="none", color=COLOURS["flagged"] if hollow else colours[row.outcome],
                markerfacecolor="white" if hollow else colours[row.outcome])
    ax.plot([], [], marker="o", linestyle="none", color=PALETTE["black"], label="printed rate (median: diamond)")
    ax.plot([], [], linewidth=4, alpha=0.35, color=PALETTE["black"], label="printed 95% CI of a rate")
    ax.set_xlabel("Months since first AICE")
    ax.set_ylabel("Survival probability")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, float(curves["months"].max()))
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    plotted = curves.copy()
    return fig, plotted
