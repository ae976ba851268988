"""How ledger rows appear in the book: a findings box and the ledger table.

Each object renders as HTML on the web and as LaTeX in the PDF, so the same cell serves
both builds. Every text cell is escaped: a paper's words are data, never markup.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from claimcheck.ledger import LEDGER_COLUMNS, LedgerRow

NOT_CONSISTENT = ("inconsistent", "ambiguous")

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in str(text))


def latex_breakable_id(text: str) -> str:
    """A claim id in LaTeX that may break after its dots and underscores: ids are longer than a
    table column, and LaTeX would otherwise print them over the next column."""
    return latex_escape(text).replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}")


def _frame(rows: Iterable[LedgerRow] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(rows, pd.DataFrame):
        return rows.reindex(columns=list(LEDGER_COLUMNS))
    return pd.DataFrame([r.as_dict() for r in rows], columns=list(LEDGER_COLUMNS))


# A word this long with dots or hyphens in it (a claim id, a rule name, a compound) may break
# after them in the PDF: a column is often narrower than the word.
_BREAKABLE_WORD = re.compile(r"^\S{16,}$")


def _latex_word(word: str) -> str:
    if _BREAKABLE_WORD.match(word) and any(mark in word for mark in "._-"):
        return latex_breakable_id(word).replace("-", r"-\allowbreak{}")
    return latex_escape(word)


def _cell_text(value, precision: int | None, na_rep: str) -> str:
    """One cell as the reader sees it: missing values as `na_rep`, floats to `precision`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return na_rep
    if isinstance(value, float) and precision is not None:
        return f"{value:.{precision}f}"
    return str(value)


class DataTable:
    """A table a reader may cite, the same in the HTML and the PDF (the one table renderer).

    HTML: a plain ``<table>`` with a caption and header cells, every cell escaped, and nothing
    random in it (a pandas ``Styler`` writes a fresh uuid into every id), so that an approved
    notebook changes only when the table's content does. Cells wrap between words, and a table
    still wider than the page scrolls inside its own box. LaTeX: a longtable (it breaks across
    pages) of wrapping columns whose widths add up to the line width, captioned so that the PDF
    numbers it ("Table 1.2").

    Options: ``widths`` (each column's share of the PDF's line, also guiding the browser;
    computed from the text when omitted), ``notes`` (footnotes printed under the table, each
    starting with its own marker, "a. ..."), ``code_columns`` (printed in a fixed-width font,
    breakable after the dots of a claim id). A line break inside a cell starts a new line in
    both builds.
    """

    def __init__(self, frame: pd.DataFrame, table_id: str, caption: str, precision: int | None = None,
                 na_rep: str = "\u2014", css_class: str = "table data-table", empty: str = "none",
                 widths: Sequence[float] | None = None, notes: Sequence[str] = (),
                 code_columns: Sequence[str] = ()):
        self.empty = empty  # the one row of a table without rows
        self.frame = frame.reset_index(drop=True)
        self.table_id = table_id
        self.caption = caption
        self.precision = precision
        self.na_rep = na_rep
        self.css_class = css_class
        columns = len(self.frame.columns)
        if widths is not None:
            if len(widths) != columns:
                raise ValueError(f"table {table_id}: {len(widths)} widths for {columns} columns")
            if sum(widths) > 1.0 + 1e-9:
                raise ValueError(f"table {table_id}: column widths add up to {sum(widths):.2f} of the line")
        self.widths = list(widths) if widths is not None else None
        self.notes = list(notes)
        self.code_columns = {list(self.frame.columns).index(c) for c in code_columns}

    def _header(self) -> list[str]:
        return [str(c).replace("_", " ") for c in self.frame.columns]

    def _rows(self) -> list[list[str]]:
        return [[_cell_text(v, self.precision, self.na_rep) for v in record]
                for record in self.frame.itertuples(index=False, name=None)]

    def _html_cell(self, column: int, text: str) -> str:
        lines = "<br>".join(html.escape(line) for line in text.split("\n"))
        return f"<code>{lines}</code>" if column in self.code_columns and text else lines

    def _repr_html_(self) -> str:
        tid = html.escape(self.table_id)
        cols = ""
        if self.widths is not None:
            total = sum(self.widths)
            cols = "<colgroup>" + "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in self.widths) + "</colgroup>"
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in self._header())
        body = "".join("<tr>" + "".join(f"<td>{self._html_cell(i, c)}</td>" for i, c in enumerate(row)) + "</tr>"
                       for row in self._rows())
        if not body:
            body = f'<tr><td colspan="{len(self.frame.columns)}">{html.escape(self.empty)}</td></tr>'
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        notes = f'<ul class="data-table-notes" id="{tid}-notes">{notes}</ul>' if notes else ""
        return (f'<div class="data-table-box"><table class="{html.escape(self.css_class)}" '
                f'id="{tid}"><caption>{html.escape(self.caption)}</caption>{cols}'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{notes}")

    # Rough text widths, for sizing columns: points per character at each LaTeX font size, the
    # line width of Sphinx's manual class (6.5 in) and the padding LaTeX puts around a cell.
    _CHAR_PT = {r"\footnotesize": 4.4, r"\scriptsize": 3.8}
    _LINE_PT = 468.0
    _PADDING_PT = 12.0

    def column_widths(self) -> list[float]:
        """Each column's share of the line width (they add up to 1, or to the given widths).

        Unless given, first every column gets room for its longest word, which LaTeX cannot
        always break (up to 30% of the line); the rest is shared in proportion to the square
        root of each column's longest text, so that long prose columns get most of it without
        starving the short ones.
        """
        if self.widths is not None:
            return self.widths
        char_pt = self._CHAR_PT[self.latex_font_size()]
        columns = list(zip(self._header(), *self._rows()))
        need, extra = [], []
        for cells in columns:
            longest_word = max((len(w) for c in cells for w in c.split()), default=1)
            need.append(min(longest_word * char_pt + self._PADDING_PT, 0.3 * self._LINE_PT) / self._LINE_PT)
            extra.append(math.sqrt(max((len(c) for c in cells), default=1)))
        if sum(need) >= 1:
            return [n / sum(need) for n in need]
        spare = 1 - sum(need)
        return [n + spare * e / sum(extra) for n, e in zip(need, extra)]

    def latex_font_size(self) -> str:
        return r"\footnotesize" if len(self.frame.columns) <= 6 else r"\scriptsize"

    def _latex_cell(self, column: int, text: str) -> str:
        if column in self.code_columns:
            return r"\newline ".join(rf"\texttt{{{latex_breakable_id(line)}}}" for line in text.split("\n") if line)
        return r"\newline ".join(" ".join(_latex_word(word) for word in line.split(" ")) for line in text.split("\n"))

    def _repr_latex_(self) -> str:
        spec = "".join(rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{\dimexpr {w:.3f}\linewidth-2\tabcolsep\relax}}"
                       for w in self.column_widths())
        header = " & ".join(rf"\textbf{{{latex_escape(c)}}}" for c in self._header()) + r" \\"
        rows = self._rows()
        # A rule under every row when rows run over several lines: they would otherwise run together.
        end = r" \\ \hline" if any("\n" in c for row in rows for c in row) else r" \\"
        lines = [" & ".join(self._latex_cell(i, c) for i, c in enumerate(row)) + end for row in rows]
        if end.endswith("hline"):
            lines[-1] = lines[-1].removesuffix(r" \hline")
        if not lines:
            lines = [rf"\multicolumn{{{len(self.frame.columns)}}}{{l}}{{{latex_escape(self.empty)}}} \\"]
        notes = ""
        if self.notes:
            notes = ("\\begin{itemize}\n" + "\n".join(rf"\item[] {latex_escape(n)}" for n in self.notes)
                     + "\n\\end{itemize}\n")
        return (f"{{{self.latex_font_size()}\n\\begin{{longtable}}{{{spec}}}\n"
                rf"\caption{{{latex_escape(self.caption)}}}\\" "\n"
                rf"\hline {header} \hline" "\n\\endfirsthead\n"
                rf"\hline {header} \hline" "\n\\endhead\n"
                + "\n".join(lines) + "\n\\hline\n\\end{longtable}\n" + notes + "}")

    def __repr__(self) -> str:
        return f"DataTable({self.table_id!r}, {len(self.frame)} rows)"


def data_table(frame: pd.DataFrame, table_id: str, caption: str, **options) -> DataTable:
    return DataTable(frame, table_id, caption, **options)


class FindingsBox:
    """The inconsistent (and, optionally, ambiguous) claims of a study, each linked to its ledger row."""

    def __init__(self, rows, ledger_href: str = "ledger.html", verdicts=("inconsistent",),
                 title: str = "What the audit found"):
        frame = _frame(rows)
        self.findings = frame[frame["verdict"].isin(verdicts)]
        self.ledger_href = ledger_href
        self.title = title

    def _repr_html_(self) -> str:
        if self.findings.empty:
            items = "<li>No inconsistency was found among this study's printed numbers.</li>"
        else:
            items = "\n".join(
                f'<li><a href="{html.escape(self.ledger_href)}#{html.escape(r.claim_id)}">'
                f"<code>{html.escape(r.claim_id)}</code></a> ({html.escape(r.location)}): "
                f"{html.escape(r.explanation)}</li>"
                for r in self.findings.itertuples())
        return (f'<div class="admonition attention findings-box"><p class="admonition-title">'
                f"{html.escape(self.title)}</p><ul>{items}</ul></div>")

    def _repr_latex_(self) -> str:
        if self.findings.empty:
            body = r"\item No inconsistency was found among this study's printed numbers."
        else:
            body = "\n".join(
                rf"\item \texttt{{{latex_breakable_id(r.claim_id)}}} ({latex_escape(r.location)}): "
                f"{latex_escape(r.explanation)}" for r in self.findings.itertuples())
        return (rf"\par\noindent\textbf{{{latex_escape(self.title)}}}" "\n"
                r"\begin{itemize}\small" "\n" f"{body}\n" r"\end{itemize}")

    def __repr__(self) -> str:
        return f"FindingsBox({len(self.findings)} findings)"


def findings_box(rows, **options) -> FindingsBox:
    return FindingsBox(rows, **options)


# The data grid's options (DataTables, through itables' ITable; _static/ledger_grid.js starts
# it). The book's order is kept until a reader sorts; a column whose header has the class
# "filter-list" gets a search list of its values (exact: "consistent" does not also match
# "inconsistent"), every column a sort control.
GRID_OPTIONS = {
    "classes": ["display", "compact"],
    "order": [],
    "autoWidth": False,
    "pageLength": 25,
    "lengthMenu": [10, 25, 100, {"label": "all", "value": -1}],
    "layout": {"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging"},
    "ordering": {"indicators": False, "handler": False},
    "columnControl": ["order"],
    "columnDefs": [{"targets": "filter-list", "columnControl": ["order", ["searchList"]]},
                   {"targets": "no-sort", "orderable": False, "searchable": False, "columnControl": []}],
}
# Columns a reader filters by picking values (issue 15 adds `decision`).
FILTER_LIST_COLUMNS = ("source", "study", "rule", "verdict", "decision")


def _study_labels() -> dict[str, str]:
    """Labels of the review's studies, and of the studies its papers quote (comparator rows)."""
    from .registry import _bibliography, studies

    return {**_bibliography(), **dict(zip(studies()["study_key"], studies()["label"]))}


def _source_labels() -> dict[str, str]:
    from .registry import sources

    return dict(zip(sources()["source_file"], sources()["label"]))


class LedgerTable:
    """Ledger rows as a data grid on the web (sorting, a search list per column, paging,
    "cite this row") and as a static longtable in the PDF.

    The HTML is a complete static table: the grid is made from it in the browser, so each row
    keeps its id (a claim's permalink, ``ledger.html#<claim_id>``) for readers without script
    and for the link checker. Readers see the source's and the study's labels; the source file
    keeps a column of its own. On the ledger page (``anchors=True``) every ledger column is
    shown; in a study's chapter, the columns that vary within a study.
    """

    CHAPTER_COLUMNS = ("claim_id", "location", "quantity", "reported", "recomputed", "rule", "verdict",
                       "explanation")
    LATEX_COLUMNS = ("claim_id", "reported", "recomputed", "verdict")

    def __init__(self, rows, table_id: str = "claims-ledger", anchors: bool = True,
                 caption: str = "Ledger rows (claims.csv): each printed number, the rule applied and its verdict",
                 ledger_href: str | None = None, citation: str | None = None):
        from .citation import citation_prefix

        self.frame = _frame(rows)
        self.table_id = table_id
        self.anchors = anchors
        self.caption = caption
        # A claim's permalink is its row on the ledger page, from any page.
        self.ledger_href = ("" if anchors else "ledger.html") if ledger_href is None else ledger_href
        self.citation = citation_prefix() if citation is None else citation

    def html_columns(self) -> list[str]:
        """The ledger columns shown, in ledger order ("source" stands for label and file)."""
        if self.anchors:
            return list(self.frame.columns)
        extra = [c for c in self.frame.columns if c not in LEDGER_COLUMNS or c == "decision"]
        return [c for c in self.frame.columns if c in self.CHAPTER_COLUMNS or c in extra]

    def _repr_html_(self) -> str:
        columns = self.html_columns()
        studies, sources = _study_labels(), _source_labels()
        heads = []
        for column in columns:
            css = ' class="filter-list"' if column in FILTER_LIST_COLUMNS else ""
            heads.append(f'<th scope="col"{css}>{html.escape(column.replace("_", " "))}</th>')
            if column == "source":
                heads.append('<th scope="col">source file</th>')
        heads.append('<th scope="col" class="no-sort">cite</th>')
        body = []
        for record in self.frame.to_dict(orient="records"):
            claim = html.escape(str(record["claim_id"]))
            cells = []
            for column in columns:
                value = str(record[column])
                if column == "claim_id":  # the row's header: screen readers name the row by it
                    cells.append(f'<th scope="row"><a class="claim-permalink" '
                                 f'href="{html.escape(self.ledger_href)}#{claim}">{claim}</a></th>')
                elif column == "source":
                    cells.append(f"<td>{html.escape(sources.get(value, value))}</td>"
                                 f"<td><code>{html.escape(value)}</code></td>")
                elif column == "study":
                    cells.append(f"<td>{html.escape(studies.get(value, value))}</td>")
                else:
                    cells.append(f"<td>{html.escape(value)}</td>")
            cells.append("<td></td>")  # _static/ledger_grid.js puts the "cite" button of each shown row here
            anchor = f' id="{claim}"' if self.anchors else ""
            verdict = html.escape(str(record["verdict"]))
            body.append(f'<tr{anchor} data-verdict="{verdict}">{"".join(cells)}</tr>')
        options = html.escape(json.dumps(GRID_OPTIONS, sort_keys=True), quote=True)
        return (f'<div class="ledger-grid-box"><table class="table ledger-table ledger-grid" '
                f'id="{html.escape(self.table_id)}" data-cite="{html.escape(self.citation)}" '
                f'data-grid-options="{options}"><caption>{html.escape(self.caption)}</caption>'
                f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                '<output class="cite-text" hidden></output></div>')

    def _repr_latex_(self) -> str:
        header = " & ".join(rf"\textbf{{{c.replace('_', ' ')}}}" for c in self.LATEX_COLUMNS)
        lines = [" & ".join(latex_breakable_id(rec[c]) if c == "claim_id" else latex_escape(rec[c])
                            for c in self.LATEX_COLUMNS) + r" \\"
                 for rec in self.frame.to_dict(orient="records")]
        return ("{\\scriptsize\n\\begin{longtable}{p{0.34\\linewidth}p{0.14\\linewidth}p{0.30\\linewidth}p{0.12\\linewidth}}\n"
                f"\\caption{{{latex_escape(self.caption)}}}\\\\\n"
                f"{header} \\\\ \\hline\n\\endfirsthead\n{header} \\\\ \\hline\n\\endhead\n"
                + "\n".join(lines) + "\n\\end{longtable}}")

    def __repr__(self) -> str:
        return f"LedgerTable({len(self.frame)} rows)"


def ledger_table(rows, **options) -> LedgerTable:
    return LedgerTable(rows, **options)


class DownloadLinks:
    """Links to files the build serves at the site root (claims.csv, tables/*.csv).

    They are not Sphinx documents, so a Markdown link would be flagged as a broken
    reference; the PDF prints the paths instead, which a reader can append to the site URL.
    """

    def __init__(self, files: dict[str, str], root_href: str = "../"):
        self.files = files
        self.root_href = root_href

    def _repr_html_(self) -> str:
        items = "".join(f'<li><a href="{html.escape(self.root_href + path)}" download>'
                        f"{html.escape(label)}</a> (<code>{html.escape(path)}</code>)</li>"
                        for label, path in self.files.items())
        return f'<ul class="download-links">{items}</ul>'

    def _repr_latex_(self) -> str:
        items = "\n".join(rf"\item {latex_escape(label)}: \texttt{{{latex_escape(path)}}} at the site root"
                          for label, path in self.files.items())
        return "\\begin{itemize}\n" + items + "\n\\end{itemize}"

    def __repr__(self) -> str:
        return f"DownloadLinks({list(self.files.values())})"


def download_links(files: dict[str, str], root_href: str = "../") -> DownloadLinks:
    return DownloadLinks(files, root_href)


class InconsistencyList:
    """Every inconsistent claim, linked to its ledger row and to the chapter that discusses it."""

    def __init__(self, rows: pd.DataFrame, chapter_of, ledger_href: str = "ledger.html"):
        self.rows = rows
        self.chapter_of = chapter_of
        self.ledger_href = ledger_href

    def _repr_html_(self) -> str:
        items = "\n".join(
            f'<li><a href="{html.escape(self.ledger_href)}#{html.escape(r.claim_id)}"><code>'
            f"{html.escape(r.claim_id)}</code></a> ({html.escape(r.location)}; chapter "
            f'<a href="{html.escape(self.chapter_of(r.claim_id))}.html">'
            f"{html.escape(self.chapter_of(r.claim_id).replace('_', ' '))}</a>): {html.escape(r.explanation)}</li>"
            for r in self.rows.itertuples())
        return f'<ol class="inconsistency-list">{items}</ol>'

    def _repr_latex_(self) -> str:
        items = "\n".join(rf"\item \texttt{{{latex_breakable_id(r.claim_id)}}} ({latex_escape(r.location)}): "
                           f"{latex_escape(r.explanation)}" for r in self.rows.itertuples())
        return "\\begin{enumerate}\\small\n" + (items or r"\item none") + "\n\\end{enumerate}"

    def __repr__(self) -> str:
        return f"InconsistencyList({len(self.rows)} claims)"
