"""How ledger rows appear in the book: a findings box and the ledger table.

Each object renders as HTML on the web and as LaTeX in the PDF, so the same cell serves
both builds. Every text cell is escaped: a paper's words are data, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from .ledger import LEDGER_COLUMNS, LedgerRow

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


_FILTER_SCRIPT = """
<script>
(function () {
  var box = document.getElementById("%(id)s-filter");
  var verdict = document.getElementById("%(id)s-verdict");
  var rows = document.querySelectorAll("#%(id)s tbody tr");
  var count = document.getElementById("%(id)s-count");
  function apply() {
    var needle = box.value.toLowerCase(), wanted = verdict.value, shown = 0;
    rows.forEach(function (row) {
      var ok = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0)
            && (!wanted || row.getAttribute("data-verdict") === wanted);
      row.style.display = ok ? "" : "none";
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " rows shown";
  }
  box.addEventListener("input", apply);
  verdict.addEventListener("change", apply);
  apply();
})();
</script>
"""


class LedgerTable:
    """The ledger as a filterable HTML table, with a static longtable for the PDF."""

    HTML_COLUMNS = ("claim_id", "location", "quantity", "reported", "recomputed", "rule", "verdict", "explanation")
    LATEX_COLUMNS = ("claim_id", "reported", "recomputed", "verdict")

    def __init__(self, rows, table_id: str = "ledger", anchors: bool = True):
        self.frame = _frame(rows)
        self.table_id = table_id
        self.anchors = anchors

    def _repr_html_(self) -> str:
        tid = html.escape(self.table_id)
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in self.HTML_COLUMNS)
        body = []
        for record in self.frame.to_dict(orient="records"):
            anchor = f' id="{html.escape(record["claim_id"])}"' if self.anchors else ""
            cells = "".join(f"<td>{html.escape(str(record[c]))}</td>" for c in self.HTML_COLUMNS)
            body.append(f'<tr{anchor} data-verdict="{html.escape(record["verdict"])}" '
                        f'class="verdict-{html.escape(record["verdict"])}">{cells}</tr>')
        options = "".join(f'<option value="{v}">{v}</option>'
                          for v in ("consistent", "inconsistent", "ambiguous", "not-checkable"))
        controls = (f'<div class="ledger-controls"><label for="{tid}-filter">Filter rows: </label>'
                    f'<input type="search" id="{tid}-filter" placeholder="claim id, word or number"> '
                    f'<label for="{tid}-verdict">Verdict: </label><select id="{tid}-verdict">'
                    f'<option value="">all</option>{options}</select> '
                    f'<span id="{tid}-count" aria-live="polite"></span></div>')
        table = (f'<div class="ledger-scroll"><table class="table ledger-table" id="{tid}">'
                 f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
        return controls + table + _FILTER_SCRIPT % {"id": tid}

    def _repr_latex_(self) -> str:
        header = " & ".join(rf"\textbf{{{c.replace('_', ' ')}}}" for c in self.LATEX_COLUMNS)
        lines = [" & ".join(latex_breakable_id(rec[c]) if c == "claim_id" else latex_escape(rec[c])
                            for c in self.LATEX_COLUMNS) + r" \\"
                 for rec in self.frame.to_dict(orient="records")]
        return ("{\\scriptsize\n\\begin{longtable}{p{0.34\\linewidth}p{0.14\\linewidth}p{0.30\\linewidth}p{0.12\\linewidth}}\n"
                f"{header} \\\\ \\hline\n\\endhead\n" + "\n".join(lines) + "\n\\end{longtable}}")

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
