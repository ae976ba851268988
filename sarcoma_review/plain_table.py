"""A table of text as escaped HTML (web) and a longtable (PDF), for the appraisal's tables.

A pandas ``Styler`` shows in HTML but prints in the PDF as ``<pandas.io.formats.style.Styler at
0x...>``. Issue 19 builds the book's one shared table renderer; until it is merged, the tables
that need to be real tables in both builds go through ``show_table`` alone, so that switching them
to the shared renderer is a change to this one function.

Every cell is text and is escaped (a paper's words are data, never markup); a line break inside a
cell starts a new line in both builds. Columns named in ``code_columns`` print in a fixed-width
font and may break after the dots of a claim id.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from .render import latex_breakable_id, latex_escape


class PlainTable:
    """A DataFrame of text as a scrolling, wrapping HTML table and a LaTeX longtable."""

    def __init__(self, frame: pd.DataFrame, table_id: str, widths: Sequence[float] | None = None,
                 notes: Sequence[str] = (), code_columns: Sequence[str] = (), font: str = "footnotesize"):
        self.frame = frame.astype(str).reset_index(drop=True)
        self.table_id = table_id
        columns = len(self.frame.columns)
        self.widths = list(widths) if widths is not None else [1.0 / columns] * columns
        if len(self.widths) != columns:
            raise ValueError(f"table {table_id}: {len(self.widths)} widths for {columns} columns")
        if sum(self.widths) > 1.0 + 1e-9:
            raise ValueError(f"table {table_id}: column widths add up to {sum(self.widths):.2f} of the line")
        self.notes = list(notes)
        self.code_columns = set(code_columns)
        self.font = font

    def _html_cell(self, column: str, text: str) -> str:
        lines = "<br>".join(html.escape(line) for line in text.split("\n"))
        return f"<code>{lines}</code>" if column in self.code_columns and text else lines

    def _repr_html_(self) -> str:
        tid = html.escape(self.table_id)
        # The PDF's column widths, as shares of the table, guide the browser's layout too.
        total = sum(self.widths)
        cols = "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in self.widths)
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{self._html_cell(c, record[c])}</td>" for c in self.frame.columns) + "</tr>"
            for record in self.frame.to_dict(orient="records"))
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        notes = f'<ul class="plain-table-notes" id="{tid}-notes">{notes}</ul>' if notes else ""
        return (f'<div class="plain-table-scroll"><table class="table plain-table" id="{tid}">'
                f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                f"</table></div>{notes}")

    def _latex_cell(self, column: str, text: str) -> str:
        if column in self.code_columns:
            return r"\newline ".join(rf"\texttt{{{latex_breakable_id(line)}}}" for line in text.split("\n") if line)
        return r"\newline ".join(latex_escape(line) for line in text.split("\n"))

    def _repr_latex_(self) -> str:
        spec = "".join(rf">{{\raggedright\arraybackslash}}p{{\dimexpr {w:.3f}\linewidth-2\tabcolsep\relax}}"
                       for w in self.widths)
        header = " & ".join(rf"\textbf{{{latex_escape(str(c))}}}" for c in self.frame.columns)
        # A rule under every row: rows of several wrapped lines would otherwise run together.
        rows = [" & ".join(self._latex_cell(c, record[c]) for c in self.frame.columns) + r" \\ \hline"
                for record in self.frame.to_dict(orient="records")]
        notes = ""
        if self.notes:
            notes = ("\\begin{itemize}\n" + "\n".join(rf"\item[] {latex_escape(n)}" for n in self.notes)
                     + "\n\\end{itemize}\n")
        return (f"{{\\{self.font}\n\\setlength{{\\tabcolsep}}{{3pt}}\n\\begin{{longtable}}{{{spec}}}\n"
                f"{header} \\\\ \\hline\n\\endhead\n" + "\n".join(rows) + "\n\\end{longtable}\n"
                + notes + "}")

    def __repr__(self) -> str:
        return f"PlainTable({self.table_id}: {len(self.frame)} rows)"


def show_table(frame: pd.DataFrame, table_id: str, widths: Sequence[float] | None = None,
               notes: Sequence[str] = (), code_columns: Sequence[str] = ()) -> PlainTable:
    """The one entry point: ``frame`` (text cells) as a table with a stable id, column ``widths``
    as fractions of the PDF's line, and ``notes`` (each starting with its own marker, "a. ...")
    printed under it."""
    return PlainTable(frame, table_id, widths, notes, code_columns)
