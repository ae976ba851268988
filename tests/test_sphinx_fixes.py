"""The LaTeX build prints render.py's tables and lists as text, and leaves equations alone."""

from __future__ import annotations

import pandas as pd

from claimcheck.ledger import LEDGER_COLUMNS
from sarcoma_review import dashboard, render
from book_tools.sphinx_fixes import is_text_mode

ROW = dict.fromkeys(LEDGER_COLUMNS, "x") | {"claim_id": "aice.t2-all.counts_sum_to_total", "verdict": "inconsistent"}


def test_every_latex_output_of_render_is_text_mode():
    frame = pd.DataFrame([ROW])
    outputs = [
        render.ledger_table(frame)._repr_latex_(),
        render.findings_box(frame)._repr_latex_(),
        render.InconsistencyList(frame, dashboard.chapter_of)._repr_latex_(),
        render.download_links({"claims.csv": "claims.csv"})._repr_latex_(),
    ]
    assert all(is_text_mode(latex) for latex in outputs)


def test_equations_are_not_taken_for_text():
    for equation in (r"x^2 + y^2", r"\frac{a}{b}", r"\begin{aligned} a &= b \end{aligned}", r"\hat{S}(t)"):
        assert not is_text_mode(equation)
