"""Swimmer (Gantt) timelines of a case report: treatments as bars, assessments as markers.

Every case-report chapter draws its patient's course the same way from an event table, one row
per event, with these columns:

| column | required | meaning |
| --- | --- | --- |
| `date` | yes | the date as printed ("Jun 13, 2022", "Jun 2022", "2018"), parsed by `dates.parse_date` |
| `kind` | yes | one of `MARKERS` (diagnosis, surgery, biopsy, recurrence, assessment, angiography only, follow-up, progression, death) or of `bar_kinds` (treatment) |
| `label` | yes | the short text shown next to the event |
| `end_date` | no | last day of a treatment given over a period (a course of sorafenib); empty for one-day events |
| `lane` | no | the row of the chart the event sits on; defaults to its `kind` |
| `annotation` | no | a response printed for an assessment ("SD", "PR"), drawn above its marker |

The x axis counts months (days / 30.4375) from a stated origin, e.g. the first TACE. A date printed
to the month or year is drawn at the middle of its span, with a thin whisker across every day it
can stand for, so a reader sees how precise the paper's dates are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import pandas as pd

from claimcheck.dates import DAYS_PER_MONTH, PartialDate, parse_date
from .figures import COLOURS, PALETTE, WIDTHS, apply_style

REQUIRED_COLUMNS = ("date", "kind", "label")
DEFAULT_BAR_KINDS = ("treatment",)
# A one-day treatment would be invisible at a scale of years; it is drawn this wide (months).
MIN_BAR_MONTHS = 0.6
# Labels of events closer than this (months) in one lane are staggered so they do not overprint.
LABEL_CROWDING_MONTHS = 6.0

MARKERS = {
    "diagnosis": "D",
    "surgery": "s",
    "biopsy": "^",
    "recurrence": "X",
    "assessment": "o",
    "angiography only": "d",
    "follow-up": "v",
    "progression": "P",
    "death": "x",
}
MARKER_COLOURS = {
    "diagnosis": PALETTE["black"],
    "surgery": PALETTE["blue"],
    "biopsy": PALETTE["purple"],
    "recurrence": COLOURS["flagged"],
    "assessment": COLOURS["assessment"],
    "angiography only": PALETTE["blue"],
    "follow-up": PALETTE["green"],
    "progression": COLOURS["flagged"],
    "death": PALETTE["black"],
}
# Kinds drawn as an outline only: a procedure without treatment (an angiography in which nothing was
# embolized) must not look like the filled markers of the events around it.
HOLLOW_KINDS = frozenset({"angiography only"})
# Line markers ("x", "+") have no face: their edge is the whole marker, so it takes the kind's colour
# and a heavier stroke; a white edge, right for filled markers on a busy lane, would make them invisible.
LINE_MARKERS = frozenset({"x", "+", "1", "2", "3", "4", "|", "_"})


def marker_style(kind: str) -> dict[str, object]:
    """The matplotlib marker arguments for an event kind; ValueError naming an unknown kind, so that
    a new kind is given its own marker rather than silently drawn like another."""
    if kind not in MARKERS:
        raise ValueError(f"no marker for event kind {kind!r}; known kinds: {', '.join(MARKERS)} "
                         "(or draw it as a bar by listing it in bar_kinds)")
    marker, colour = MARKERS[kind], MARKER_COLOURS[kind]
    if marker in LINE_MARKERS:
        return {"marker": marker, "color": colour, "markeredgecolor": colour, "markeredgewidth": 2.0}
    if kind in HOLLOW_KINDS:
        return {"marker": marker, "color": colour, "markerfacecolor": "white", "markeredgecolor": colour,
                "markeredgewidth": 1.5}
    return {"marker": marker, "color": colour, "markeredgecolor": "white", "markeredgewidth": 0.6}


def _text(value: object) -> str:
    """A cell as text; empty for None, NaN and blanks (optional columns may be missing or NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _months_from(origin: PartialDate, ordinal: float) -> float:
    return (ordinal - origin.midpoint_ordinal) / DAYS_PER_MONTH


def timeline_frame(events: pd.DataFrame, origin: PartialDate | str) -> pd.DataFrame:
    """What the chart plots, one row per event, in months from the middle of `origin`'s span.

    Columns: lane, kind, label, annotation, date, start, end (None unless a period), earliest and
    latest (the first and last day the printed start date can stand for). Stable order, so
    `figures.data_fingerprint` of this frame identifies the figure across platforms.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in events.columns]
    if missing:
        raise ValueError(f"the event table lacks column(s) {', '.join(missing)}; "
                         f"a timeline needs {', '.join(REQUIRED_COLUMNS)}")
    origin_date = origin if isinstance(origin, PartialDate) else parse_date(origin)
    rows = []
    for record in events.to_dict(orient="records"):
        start = parse_date(record["date"])
        end_text = _text(record.get("end_date"))
        end = parse_date(end_text) if end_text else None
        rows.append({
            "lane": _text(record.get("lane")) or record["kind"],
            "kind": record["kind"],
            "label": record["label"],
            "annotation": _text(record.get("annotation")),
            "date": start.text,
            "start": _months_from(origin_date, start.midpoint_ordinal),
            "end": None if end is None else _months_from(origin_date, end.midpoint_ordinal),
            "earliest": _months_from(origin_date, start.earliest.toordinal()),
            "latest": _months_from(origin_date, start.latest.toordinal() + 1),
        })
    return pd.DataFrame(rows, columns=["lane", "kind", "label", "annotation", "date", "start", "end",
                                       "earliest", "latest"])


def plot_timeline(
    events: pd.DataFrame,
    origin: PartialDate | str,
    *,
    origin_label: str,
    bar_kinds: Sequence[str] = DEFAULT_BAR_KINDS,
    lane_order: Sequence[str] | None = None,
    gap: tuple[float, float] | None = None,
    title: str | None = None,
    height: float | None = None,
    label_events: bool = True,
) -> tuple[plt.Figure, plt.Axes]:
    """Draw a swimmer timeline of `events` (see the module docstring for its columns).

    `origin` is the date month 0 stands for and `origin_label` names it in the axis label
    ("first TACE"). Events whose kind is in `bar_kinds` are drawn as bars (from `date` to
    `end_date`, or `MIN_BAR_MONTHS` wide), the others as markers. Lanes run top to bottom in
    `lane_order`, or in order of first appearance.

    `gap=(a, b)` cuts the empty stretch between month a and month b out of the x axis (a broken
    axis, marked with diagonal strokes), for a history that starts years before treatment.

    Returns the figure and the axes holding month 0; the caller glues the figure and closes it.
    """
    frame = timeline_frame(events, origin)
    for kind in dict.fromkeys(frame["kind"]):
        if kind not in bar_kinds:
            marker_style(kind)
    lanes = list(lane_order) if lane_order is not None else list(dict.fromkeys(frame["lane"]))
    unknown = sorted(set(frame["lane"]) - set(lanes))
    if unknown:
        raise ValueError(f"lane(s) {', '.join(unknown)} are not in lane_order {lanes}")
    low = float(frame[["start", "earliest"]].min().min()) - 2
    ends = frame["end"].dropna()
    high = max(float(frame["latest"].max()), float(ends.max()) if len(ends) else -math.inf) + 3
    if gap is not None:
        before, after = gap
        if not low < before < after < high:
            raise ValueError(f"gap {gap} must lie inside the plotted months {low:.1f} to {high:.1f}")
        if ((frame["start"] > before) & (frame["start"] < after)).any():
            raise ValueError(f"gap {gap} would hide events; choose a stretch with none")
        spans = [(low, before), (after, high)]
    else:
        spans = [(low, high)]
    figure_height = height or 0.75 * len(lanes) + 1.6
    apply_style()
    widths = [max(right - left, 0.12 * (high - low)) for left, right in spans]
    fig, axes = plt.subplots(1, len(spans), figsize=(WIDTHS["full"], figure_height), sharey=True,
                             gridspec_kw={"width_ratios": widths}, squeeze=False, layout="constrained")
    fig.get_layout_engine().set(wspace=0.02)
    axes = list(axes[0])
    y_of = {lane: len(lanes) - 1 - index for index, lane in enumerate(lanes)}
    for ax, (left, right) in zip(axes, spans):
        _draw_events(ax, frame, y_of, bar_kinds, label_events)
        ax.set_xlim(left, right)
        ax.grid(axis="y", visible=False)
    main = next(ax for ax, (left, right) in zip(axes, spans) if left <= 0 <= right)
    if len(axes) == 2:
        _mark_break(*axes)
        axes[0].xaxis.set_major_locator(MaxNLocator(2, integer=True))
    axes[0].set_yticks(list(y_of.values()), list(y_of.keys()))
    axes[0].set_ylim(-0.8, len(lanes) - 0.2)
    origin_text = origin.text if isinstance(origin, PartialDate) else str(origin)
    main.set_xlabel(f"Months from {origin_label} ({origin_text})")
    if title:
        fig.suptitle(title)
    handles: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    fig.legend(list(handles.values()), list(handles.keys()), loc="outside lower center",
               ncol=min(4, len(handles)), fontsize=8)
    return fig, main


def _draw_events(ax: plt.Axes, frame: pd.DataFrame, y_of: dict[str, int], bar_kinds: Sequence[str],
                 label_events: bool) -> None:
    seen_in_legend: set[str] = set()
    last_label_at: dict[str, tuple[float, int]] = {}
    for row in frame.itertuples():
        y = y_of[row.lane]
        # Events close together in one lane alternate their texts between two rows.
        previous = last_label_at.get(row.lane)
        tier = 0
        if previous is not None and abs(row.start - previous[0]) < LABEL_CROWDING_MONTHS:
            tier = 1 - previous[1]
        last_label_at[row.lane] = (row.start, tier)
        legend_label = row.kind if row.kind not in seen_in_legend else None
        seen_in_legend.add(row.kind)
        if row.kind in bar_kinds:
            end = row.end if row.end is not None and row.end == row.end else row.start + MIN_BAR_MONTHS
            ax.barh(y, max(end - row.start, MIN_BAR_MONTHS), left=row.start, height=0.45,
                    color=COLOURS["treatment"], edgecolor=PALETTE["black"], linewidth=0.6,
                    label=legend_label, zorder=3)
        else:
            ax.plot([row.earliest, row.latest], [y, y], color="#777777", linewidth=1.2,
                    solid_capstyle="butt", zorder=2)
            ax.plot(row.start, y, linestyle="none", markersize=7, label=legend_label, zorder=4,
                    **marker_style(row.kind))
        if row.annotation:
            ax.annotate(row.annotation, (row.start, y), xytext=(0, 7 + 10 * tier), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, fontweight="bold")
        if label_events:
            below = 13 if row.kind in bar_kinds else 8  # clear of the bar, which is taller than a marker
            ax.annotate(row.label, (row.start, y), xytext=(0, -below - 9 * tier), textcoords="offset points",
                        ha="center", va="top", fontsize=7, color="#333333")
    ax.axvline(0, color="#555555", linewidth=0.8, linestyle="--", zorder=1)


def _mark_break(left: plt.Axes, right: plt.Axes) -> None:
    """Diagonal strokes where the x axis is cut, and no spine across the cut."""
    left.spines["right"].set_visible(False)
    right.spines["left"].set_visible(False)
    right.tick_params(axis="y", left=False)
    stroke = {"marker": [(-1, -1.5), (1, 1.5)], "markersize": 8, "linestyle": "none",
              "color": PALETTE["black"], "mec": PALETTE["black"], "mew": 1, "clip_on": False}
    left.plot([1], [0], transform=left.transAxes, **stroke)
    right.plot([0], [0], transform=right.transAxes, **stroke)
