"""One figure style for the whole book: palette, sizes, labels and deterministic output.

Chapters build figures with `new_figure` and publish them with `glue_figure`; the book's
`{glue:figure}` directive adds caption and alt text. The backend is left to the kernel: forcing
Agg here would make glued figures text-only, and the page would show "<Figure size ...>". The data behind every figure is hashed with
`data_fingerprint` so that tests can compare figures across platforms without PNG bytes.
"""

from __future__ import annotations

import hashlib

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

# Okabe-Ito: distinguishable under the common forms of colour blindness.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
# Roles used across chapters, so a colour means the same thing everywhere.
COLOURS = {
    "os": PALETTE["blue"],
    "pfs": PALETTE["orange"],
    "flagged": PALETTE["vermillion"],
    "consistent": PALETTE["green"],
    "inconsistent": PALETTE["vermillion"],
    "ambiguous": PALETTE["yellow"],
    "not-checkable": "#999999",
    "reconstruction": PALETTE["purple"],
    "treatment": PALETTE["sky"],
    "assessment": PALETTE["black"],
    # Answers of a critical-appraisal checklist (the risk-of-bias traffic light).
    "yes": PALETTE["green"],
    "no": PALETTE["vermillion"],
    "unclear": PALETTE["yellow"],
    "not applicable": "#999999",
}
WIDTHS = {"full": 7.0, "half": 4.5}

_STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    # No timestamps or random ids in saved files: two builds give the same bytes.
    "svg.hashsalt": "sarcoma-review",
    "pdf.compression": 0,
}


def apply_style() -> None:
    plt.rcParams.update(_STYLE)
    plt.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=list(PALETTE.values())[1:])


def new_figure(width: str = "full", height: float = 3.6, **subplot_kw):
    """A figure and axes in the book's style; `width` is "full" or "half"."""
    apply_style()
    return plt.subplots(figsize=(WIDTHS[width], height), **subplot_kw)


def data_fingerprint(frame: pd.DataFrame) -> str:
    """A short stable hash of the data a figure plots (for nbval, instead of PNG bytes)."""
    csv = frame.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    return hashlib.sha256(csv.encode("utf-8")).hexdigest()[:16]


def glue_figure(name: str, fig, plotted: pd.DataFrame) -> None:
    """Glue a figure for `{glue:figure}` and, as `<name>_data`, the fingerprint of its data.

    The figure is closed so that the notebook does not display it a second time.
    """
    from myst_nb import glue

    glue(name, fig, display=False)
    glue(f"{name}_data", data_fingerprint(plotted), display=False)
    plt.close(fig)
