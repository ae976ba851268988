"""Hostile text in any field renders as text, never as markup (HTML) or commands (LaTeX).

Every text field of FindingsBox, LedgerTable, DataTable and DownloadLinks receives each hostile string;
the HTML output is parsed and must hold no element, attribute or script the renderer did not
write itself, and the hostile text must come back verbatim as text. The LaTeX output must hold
no unescaped special character coming from the data.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from claimcheck.ledger import LEDGER_COLUMNS, LedgerRow
from sarcoma_review.render import DataTable, DownloadLinks, FindingsBox, LedgerTable, latex_escape

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</td></tr></table><b>injected</b>",
    "javascript:alert(1)",
    "&lt;already escaped&gt; &amp;",
    "\\input{/etc/passwd}",
    "100% & more_than #1 {x} $y$ ~z ^w \\\\ \\end{itemize}",
    "<0.001",
]
# Elements and attributes the renderers write themselves; anything else came from the data.
ALLOWED_TAGS = {"div", "p", "ul", "li", "a", "code", "label", "input", "select", "option", "span",
                "table", "caption", "thead", "tbody", "tr", "th", "td", "script", "button", "output"}
ALLOWED_ATTRS = {"class", "href", "id", "for", "type", "placeholder", "value", "data-verdict",
                 "scope", "download", "aria-live", "data-cite", "data-grid-options", "hidden"}


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def parse(markup: str) -> Collector:
    collector = Collector()
    collector.feed(markup)
    collector.close()
    return collector


def assert_inert_html(markup: str, hostile: str, expected_scripts: int) -> Collector:
    page = parse(markup)
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED_TAGS, f"unexpected element(s) {tags - ALLOWED_TAGS} for {hostile!r}"
    for tag, attrs in page.tags:
        assert set(attrs) <= ALLOWED_ATTRS, f"unexpected attribute(s) on <{tag}> for {hostile!r}: {attrs}"
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href") or ""
        assert not href.lower().lstrip().startswith("javascript:"), f"a link runs script: {href!r}"
    assert len(page.scripts) == expected_scripts, f"a script element came from the data: {hostile!r}"
    return page


def hostile_row(text: str, verdict: str = "inconsistent") -> LedgerRow:
    values = {column: f"{column} {text}" for column in LEDGER_COLUMNS}
    values["verdict"] = verdict
    values["explanation"] = f"printed 1.0, recomputed 2.0: {text}"
    return LedgerRow(**values)


LATEX_SPECIAL = re.compile(r"(?<!\\)[&%$#_{}~^]")


def assert_inert_latex(latex: str, hostile: str):
    escaped = latex_escape(hostile)
    # Claim ids get line-break points (\allowbreak{}) from the renderer itself, not from the data.
    assert escaped in latex.replace(r"\allowbreak{}", ""), f"{hostile!r} is not in the LaTeX output in its escaped form"
    assert not LATEX_SPECIAL.search(escaped.replace(r"\textbackslash{}", "").replace(
        r"\textasciitilde{}", "").replace(r"\textasciicircum{}", "").replace(
        r"\textless{}", "").replace(r"\textgreater{}", "")), escaped
    # no command of the hostile text survives: every backslash of it became \textbackslash{}
    assert "\\input{" not in latex and "\\end{itemize}\\" not in escaped
    assert "<" not in escaped and ">" not in escaped


@pytest.mark.parametrize("text", HOSTILE)
def test_findings_box_escapes_every_field(text):
    box = FindingsBox([hostile_row(text)], ledger_href=f"ledger.html{text}", title=f"Title {text}")
    page = assert_inert_html(box._repr_html_(), text, expected_scripts=0)
    shown = "".join(page.text)
    for expected in (f"claim_id {text}", f"location {text}", f"printed 1.0, recomputed 2.0: {text}", f"Title {text}"):
        assert expected in shown, f"{expected!r} was not rendered as text"
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links == [f"ledger.html{text}#claim_id {text}"]
    latex = box._repr_latex_()
    for field in (f"claim_id {text}", f"location {text}", f"Title {text}"):
        assert_inert_latex(latex, field)


@pytest.mark.parametrize("text", HOSTILE)
def test_ledger_table_escapes_every_field(text):
    verdict_text = f"inconsistent {text}"   # even the verdict is data, and may be corrupt
    table = LedgerTable([hostile_row(text), hostile_row(text, verdict=verdict_text)], table_id=f"ledger{text}",
                        citation=f"Authors {text}", caption=f"Caption {text}")
    page = assert_inert_html(table._repr_html_(), text, expected_scripts=0)
    shown = "".join(page.text)
    for column in table.html_columns():
        if column not in ("verdict", "explanation"):
            assert f"{column} {text}" in shown, f"column {column} is not rendered as text"
    assert verdict_text in shown and f"Caption {text}" in shown
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and "data-verdict" in attrs]
    assert [r["data-verdict"] for r in rows] == ["inconsistent", verdict_text]
    assert rows[0]["id"] == f"claim_id {text}"
    (grid,) = [attrs for tag, attrs in page.tags if tag == "table"]
    # Attributes come back verbatim: the id, the citation the script reads, valid JSON options.
    assert grid["id"] == f"ledger{text}" and grid["data-cite"] == f"Authors {text}"
    assert json.loads(grid["data-grid-options"])["pageLength"] == 25
    permalinks = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert permalinks[0] == f"#claim_id {text}"
    latex = table._repr_latex_()
    for column in LedgerTable.LATEX_COLUMNS:
        if column != "verdict":
            assert_inert_latex(latex, f"{column} {text}")
    assert_inert_latex(latex, f"Caption {text}")


def test_ledger_table_shows_labels_and_keeps_the_source_file():
    row = LedgerRow(claim_id="aice.x.rule", source="001_b310b963ff8f79a5.txt", study="li2025aice",
                    location="Table 1", quantity="q", reported="1", recomputed="1", recomputed_low="1",
                    recomputed_high="1", rule="rule", verdict="consistent", decision="", diagnosis="",
                    explanation="e")
    page = parse(LedgerTable([row], citation="c")._repr_html_())
    header = [t for t in page.text if t in ("source", "source file", "study")]
    assert header == ["source", "source file", "study"]
    assert "Li et al. 2025 (AICE cohort), full text" in page.text
    assert "Li et al. 2025 (AICE cohort)" in page.text and "001_b310b963ff8f79a5.txt" in page.text
    chapter = parse(LedgerTable([row], anchors=False, citation="c")._repr_html_())
    links = [attrs["href"] for tag, attrs in chapter.tags if tag == "a"]
    assert links == ["ledger.html#aice.x.rule"]  # a chapter's rows link to the ledger page
    assert not [attrs for tag, attrs in chapter.tags if tag == "tr" and "id" in attrs]


@pytest.mark.parametrize("text", HOSTILE)
def test_download_links_escape_label_path_and_root(text):
    links = DownloadLinks({f"label {text}": f"tables/{text}.csv"}, root_href=f"../{text}")
    page = assert_inert_html(links._repr_html_(), text, expected_scripts=0)
    assert f"label {text}" in "".join(page.text)
    (href,) = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert href == f"../{text}tables/{text}.csv"
    latex = links._repr_latex_()
    assert_inert_latex(latex, f"label {text}")
    assert_inert_latex(latex, f"tables/{text}.csv")


@pytest.mark.parametrize("text", HOSTILE)
def test_data_table_escapes_header_cells_caption_and_id(text):
    import pandas as pd

    frame = pd.DataFrame({f"column {text}": [f"cell {text}", None], "n": [1.25, 3.0]})
    table = DataTable(frame, table_id=f"table{text}", caption=f"Caption {text}", precision=1)
    page = assert_inert_html(table._repr_html_(), text, expected_scripts=0)
    shown = "".join(page.text)
    header = f"column {text}".replace("_", " ")  # headers read "level of evidence", not level_of_evidence
    for expected in (header, f"cell {text}", f"Caption {text}", "\u2014", "1.2", "3.0"):
        assert expected in shown, f"{expected!r} was not rendered as text"
    (table_tag,) = [attrs for tag, attrs in page.tags if tag == "table"]
    assert table_tag["id"] == f"table{text}"
    latex = table._repr_latex_()
    for field in (header, f"cell {text}", f"Caption {text}"):
        assert_inert_latex(latex, field)


def test_data_table_html_is_deterministic_and_latex_fits_the_line():
    """No random ids (a pandas Styler writes a new uuid into every table at every run), one id
    per table, and LaTeX columns that add up to the line width, each wide enough for its
    longest word (within 30% of the line)."""
    import pandas as pd

    frame = pd.DataFrame({"label": ["Li et al. 2025 (AICE cohort)", "Case report 2013"],
                          "histology": ["Undifferentiated pleomorphic sarcoma", "Leiomyosarcoma"],
                          "n": ["113", "1"]})
    first, second = DataTable(frame, "table-x", "c"), DataTable(frame.copy(), "table-x", "c")
    assert first._repr_html_() == second._repr_html_()
    assert first._repr_html_().count(" id=") == 1
    styler_html = frame.style.hide(axis="index").set_table_attributes('id="table-x"').to_html()
    assert styler_html.count(" id=") > 1 or 'id="T_' in styler_html  # what the renderer replaced
    widths = first.column_widths()
    assert abs(sum(widths) - 1) < 1e-9 and len(widths) == 3
    char_pt, line_pt = DataTable._CHAR_PT[first.latex_font_size()], DataTable._LINE_PT
    assert widths[1] * line_pt >= len("Undifferentiated") * char_pt
    assert first._repr_latex_().startswith("{\\footnotesize\n\\begin{longtable}")
    assert "\\caption{c}" in first._repr_latex_()


def test_latex_escape_covers_every_special():
    assert latex_escape("\\input{/etc/passwd}") == r"\textbackslash{}input\{/etc/passwd\}"
    assert latex_escape("50% & a_b #1 $x$ ~ ^") == r"50\% \& a\_b \#1 \$x\$ \textasciitilde{} \textasciicircum{}"
    assert latex_escape("<0.001") == r"\textless{}0.001"


def test_collector_would_catch_unescaped_markup():
    """The checks above can fail: unescaped hostile text is detected."""
    with pytest.raises(AssertionError):
        assert_inert_html('<ul><li><img src=x onerror=alert(1)></li></ul>', "x", expected_scripts=0)
    with pytest.raises(AssertionError):
        assert_inert_html("<div><script>alert(1)</script></div>", "x", expected_scripts=0)
    with pytest.raises(AssertionError):
        assert_inert_latex(r"\item \input{/etc/passwd}", "\\input{/etc/passwd}")
