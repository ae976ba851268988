"""Every printed number accounted for: the machine reading of each source text against data/.

``source_reader`` reads every number of a source text by rule; this module says, for each one,
whether the review accounts for it (the coverage gate, ``tests/test_source_coverage.py``, and the
coverage table of the audit dashboard):

* **transcribed**: a row of ``data/`` covers that place in the text and one of its value cells
  prints the same number (same digits; a date the same day, month or year);
* **excluded**: a row of the study's exclusion table (``data/<study>/exclusions.csv``) names it,
  with one of the reason categories of ``CATEGORIES``;
* otherwise it is **missing**, and the gate fails with
  ``<source>:<offset>: the number '…' in "…" has no ledger value and no exclusion; expected …``.

Where a row stands in the text
------------------------------
* A row with a verbatim excerpt (column ``context``) covers every place where its excerpt
  occurs in one of its resource's source texts (``source_reader.locate``: the fragments of an
  excerpt in order, the words it leaves out not covered). A passage the extraction prints twice
  (a figure legend repeated in the running text) is covered by one row.
* A row of a paper's table carries no excerpt. Its resource says in ``datapackage.json`` where
  the table stands (``"sourceTable"``, see ``TableAnchor``): the table's title, the columns that
  hold the row's label as printed, and, for a table of cells, the column that names the cell's
  column header. The row then covers its label cell and its value cells, and every row of the
  table covers the table's column headers.

Which cells are values: ``VALUE_COLUMNS`` (printed numbers, their intervals and dates, and the
columns that copy a printed label such as a Table 1 category ``≤35``).

The confidence level of an interval ("95% CI") is transcribed once per study, as the row with key
``ci.level``; each later "95% CI" counts as transcribed where a row covering it transcribes the
interval it labels and the level equals that row's.

Agreement
---------
Where the reader recognises a reporting pattern (``source_reader.PATTERN_KINDS``), the
transcription at that place must say the same thing with the same roles: the estimate and its
interval in one row, a count and its percentage in one row (or two rows of one key), a P value
with its bound (``<0.001`` is not ``0.001``), a Cox row's β, HR, CI and P in one table row. A
disagreement fails the gate.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from claimcheck import source_reader
from claimcheck.source_reader import Comparable, Number, Pattern, Span
from .datapackage import current_data_dir
from .datapackage import descriptor as package_descriptor

EXCLUSIONS_FILE = "exclusions.csv"
# The reason categories of an exclusion (the enum of the exclusion tables' `category` column).
CATEGORIES = (
    "reference-marker",
    "reference-list-entry",
    "affiliation",
    "address",
    "postcode-or-telephone",
    "figure-panel-or-section-numbering",
    "page-furniture",
    "citation-year",
)
CATEGORY_LABELS = {
    "reference-marker": "reference marker",
    "reference-list-entry": "reference-list entry",
    "affiliation": "affiliation",
    "address": "address",
    "postcode-or-telephone": "postcode or telephone",
    "figure-panel-or-section-numbering": "figure-panel or section numbering",
    "page-furniture": "page furniture",
    "citation-year": "citation year",
}
# Cells that print a number of the paper (and columns that copy a printed label).
VALUE_COLUMNS = (
    "printed", "printed_upper", "ci_lower", "ci_upper", "low", "high", "long_mm", "short_mm",
    "out_of", "n", "date", "count", "percent", "median", "range_lower", "range_upper", "beta",
    "hr", "p", "target_lesion", "timing_as_printed", "recist_printed",
)
CONTEXT_COLUMN = "context"
CI_LEVEL_KEY = "ci.level"
# Which cell holds which role of a reporting pattern. A text-block row holds its number in
# `printed` and says what it is in `unit`.
ESTIMATE_UNITS = {"pct_ci": ("percent",), "median_ci": ("months",), "hr_ci_p": ("ratio",),
                  "cox_row": ("ratio",)}
INTERVAL_COLUMNS = (("ci_lower", "ci_upper"), ("low", "high"), ("range_lower", "range_upper"))


# ---------------------------------------------------------------------------------------------
# The transcription, as places in the source texts


@dataclass(frozen=True)
class TableAnchor:
    """Where the rows of a table resource stand in the source text (``"sourceTable"``).

    Attributes
    ----------
    title : str
        How the table's title line starts (``"Table 5"``); a title printed again for the
        continuation of the table (``"Table 1 (Continued)."``) starts another block of it.
    row_label : tuple of str
        Columns whose values, joined with a space, are the row's label cell as printed
        (``["variable", "comparison"]`` -> ``"Distant metastasis Yes vs no"``).
    group_label : str
        Optional column naming the group header line the row stands under (Table 1: the
        ``characteristic`` "Age (year)" above the rows "≤35" and ">35"); a row with an empty
        label is that header line itself (``Maximum diameter (cm)  10.7 (1.5–25.3)``).
    column_label : str
        Optional column naming the column header of the row's cell (Table 5: ``grade`` "A" is
        the column headed "A (N, %)").
    side_by_side : bool
        The table prints two columns of rows side by side; the label may stand in any cell and
        its values in the cell after it.
    unprinted_labels : tuple of str
        Labels the table does not print (Table 1's ``median (range)``): such a row is its
        group header line.
    """

    title: str
    row_label: tuple[str, ...]
    group_label: str = ""
    column_label: str = ""
    side_by_side: bool = False
    unprinted_labels: tuple[str, ...] = ()

    @classmethod
    def from_descriptor(cls, spec: dict) -> "TableAnchor":
        return cls(spec["title"], tuple(spec["rowLabel"]), spec.get("groupLabel", ""),
                   spec.get("columnLabel", ""), bool(spec.get("sideBySide", False)),
                   tuple(spec.get("unprintedLabels", ())))

    def label_columns(self) -> tuple[str, ...]:
        """The columns that copy the printed label, whose numbers ("≤35") count as values."""
        return self.row_label + ((self.group_label,) if self.group_label else ())


@dataclass
class Row:
    """One row of data/ and the places it covers in its source texts."""

    file: str                    # data/<study>/<table>.csv
    line: int                    # editor line, header = 1
    record: dict[str, str]
    sources: tuple[str, ...]     # file names of the resource's source texts
    extra_value_columns: tuple[str, ...] = ()     # a table's label columns
    spans: dict[str, list[Span]] = field(default_factory=dict)   # by source file name

    @functools.cached_property
    def values(self) -> set[str]:
        """Every value its value cells print, as ``source_reader`` reads them."""
        found: set[str] = set()
        for name in VALUE_COLUMNS + self.extra_value_columns:
            for number in source_reader.values_of(self.record.get(name) or ""):
                found.update(number.values)
        return found

    @property
    def study(self) -> str:
        return self.file.split("/")[1]

    def covers(self, source: str, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.spans.get(source, ()))

    def cell(self, name: str) -> str:
        return (self.record.get(name) or "").strip()


def _source_names(resource: dict) -> tuple[str, ...]:
    return tuple(Path(source["path"]).name for source in resource.get("sources", []))


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    line = 2
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _text_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each line of ``text``."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _cells(offset: int, line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each tab-separated cell of a line starting at ``offset``."""
    cells, position = [], offset
    for cell in line.split("\t"):
        cells.append((position, position + len(cell), cell))
        position += len(cell) + 1
    return cells


_FOOTNOTE_MARK = re.compile(r"\[[#*†‡§a-z]\]|[*†‡§]$")


def _same(printed: str, label: str) -> bool:
    """Whether a printed cell is a row label (a footnote mark such as ``[#]`` aside)."""
    printed = _FOOTNOTE_MARK.sub("", printed.strip())
    return bool(label) and source_reader.comparable(printed) == source_reader.comparable(label)


def table_blocks(text: str, title: str) -> list[list[tuple[int, str]]]:
    """The tab-separated lines of each printing of the table whose title line starts ``title``
    (its header line first)."""
    title_line = re.compile(rf"^\**{re.escape(title)}(?![\dA-Za-z])")
    lines = _text_lines(text)
    blocks = []
    for index, (_, line) in enumerate(lines):
        if not title_line.match(line):
            continue
        block: list[tuple[int, str]] = []
        for offset, following in lines[index + 1:]:
            if "\t" in following:
                block.append((offset, following))
            elif following.strip() and block:
                break
        if block:
            blocks.append(block)
    return blocks


def _anchor_spans(anchor: TableAnchor, record: dict[str, str], text: str) -> list[Span]:
    """The cells of ``text`` a table row covers: its header lines, label cell and value cells."""
    label = " ".join(record.get(c, "").strip() for c in anchor.row_label if record.get(c, "").strip())
    if label in anchor.unprinted_labels:
        label = ""
    group = record.get(anchor.group_label, "").strip() if anchor.group_label else ""
    for block in table_blocks(text, anchor.title):
        header_offset, header = block[0]
        spans: list[Span] = [(header_offset, header_offset + len(header))]
        in_group = not group
        for offset, line in block[1:]:
            cells = _cells(offset, line)
            if group and _same(cells[0][2], group):
                in_group = True
                if not label:
                    return spans + [(offset, offset + len(line))]
                continue
            if not in_group:
                continue
            for index, (start, end, cell) in enumerate(cells):
                if not _same(cell, label) or (index > 0 and not anchor.side_by_side):
                    continue
                if anchor.column_label:
                    column = record.get(anchor.column_label, "").strip()
                    headers = [c for _, _, c in _cells(header_offset, header)]
                    wanted = [k for k, h in enumerate(headers) if h.split(" ")[0] == column]
                    if not wanted or wanted[0] >= len(cells):
                        return []
                    value = cells[wanted[0]]
                    return spans + [(start, end), (value[0], value[1])]
                if anchor.side_by_side:
                    value = cells[index + 1] if index + 1 < len(cells) else (end, end, "")
                    return spans + [(start, value[1])]
                return spans + [(offset, offset + len(line))]
    return []


def transcribed_rows(data_dir: Path, texts: dict[str, str]) -> list[Row]:
    """Every row of data/ that prints a number, with the places it covers in ``texts``."""
    descriptor = package_descriptor(data_dir)
    comparables = {name: source_reader.comparable_text(text) for name, text in texts.items()}
    rows: list[Row] = []
    for resource in descriptor["resources"]:
        if Path(resource["path"]).name == EXCLUSIONS_FILE:
            continue
        anchor = (TableAnchor.from_descriptor(resource["sourceTable"]) if "sourceTable" in resource
                  else None)
        sources = tuple(name for name in _source_names(resource) if name in texts)
        path = data_dir / resource["path"]
        for line, record in _read_csv(path):
            row = Row(f"data/{resource['path']}", line, record, sources,
                      extra_value_columns=anchor.label_columns() if anchor else ())
            for source in sources:
                if (record.get(CONTEXT_COLUMN) or "").strip():
                    located = source_reader.locate(record[CONTEXT_COLUMN], comparables[source])
                    spans = [span for occurrence in located for span in occurrence]
                elif anchor is not None:
                    spans = _anchor_spans(anchor, record, texts[source])
                else:
                    spans = []
                if spans:
                    row.spans[source] = spans
            if row.spans:
                rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Exclusions


@dataclass
class Exclusion:
    """One row of an exclusion table and the numbers it excludes."""

    file: str
    line: int
    record: dict[str, str]
    spans: list[Span] = field(default_factory=list)     # where it applies in its source
    found: bool = True                                   # its context (and until) occur in the source

    @property
    def category(self) -> str:
        return self.record["category"]

    @property
    def source(self) -> str:
        return self.record["source"]

    def excludes(self, number: Number) -> bool:
        if not any(a <= number.start and number.end <= b for a, b in self.spans):
            return False
        printed = (self.record.get("printed") or "").strip()
        if printed:
            wanted = [n.values for n in source_reader.values_of(printed)]
            return number.values in wanted
        return True


def _exclusion_spans(record: dict[str, str], text: str, comparable: Comparable) -> list[Span] | None:
    """Where an exclusion applies: each occurrence of its context (to the end of ``until`` when
    given), narrowed to the matches of its ``pattern``; None when the context does not occur."""
    context = (record.get("context") or "").strip()
    until = (record.get("until") or "").strip()
    if context:
        regions: list[Span] = []
        for occurrence in source_reader.locate(context, comparable):
            start, end = occurrence[0][0], occurrence[-1][1]
            if until:
                following = source_reader.locate(until, comparable)
                ends = [o[-1][1] for o in following if o[0][0] >= start]
                if not ends:
                    continue
                end = min(ends)
            regions.append((start, end))
        if not regions:
            return None
    else:
        regions = [(0, len(text))]
    pattern = (record.get("pattern") or "").strip()
    if not pattern:
        return regions
    # A match counts where it overlaps the covered text: the context of "^{6,7}" ends at the 7.
    return [match.span() for match in re.finditer(pattern, text)
            if any(match.start() < end and start < match.end() for start, end in regions)]


def exclusion_rows(data_dir: Path, texts: dict[str, str]) -> list[Exclusion]:
    descriptor = package_descriptor(data_dir)
    comparables: dict[str, Comparable] = {}
    found: list[Exclusion] = []
    for resource in descriptor["resources"]:
        if Path(resource["path"]).name != EXCLUSIONS_FILE:
            continue
        for line, record in _read_csv(data_dir / resource["path"]):
            exclusion = Exclusion(f"data/{resource['path']}", line, record)
            source = record["source"]
            if source not in texts:
                continue
            if source not in comparables:
                comparables[source] = source_reader.comparable_text(texts[source])
            spans = _exclusion_spans(record, texts[source], comparables[source])
            exclusion.spans, exclusion.found = spans or [], spans is not None
            found.append(exclusion)
    return found


# ---------------------------------------------------------------------------------------------
# The verdict on each number


@dataclass(frozen=True)
class Accounted:
    """What the review says about one number the reader found."""

    source: str
    number: Number
    status: str                  # "transcribed", "excluded" or "missing"
    category: str = ""           # for "excluded"
    rows: tuple[str, ...] = ()   # "data/<file>:<line>" of the rows that transcribe it


@dataclass
class CoverageReport:
    """The coverage of every source text, and what the gate found wrong."""

    numbers: list[Accounted]
    problems: list[str]
    sources: tuple[str, ...]
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)

    def counts(self) -> dict[str, Counter]:
        """For each source: numbers found, transcribed, excluded (and by category), missing."""
        by_source: dict[str, Counter] = {source: Counter() for source in self.sources}
        for accounted in self.numbers:
            counter = by_source[accounted.source]
            counter["found"] += 1
            counter[accounted.status] += 1
            if accounted.category:
                counter[accounted.category] += 1
        return by_source


def _matches(value: str, available: set[str]) -> bool:
    if value in available:
        return True
    if value.startswith("--"):      # a month and day printed without its year ("April 13, ...")
        return any(a.endswith(value[1:]) and len(a) == 10 for a in available)
    return False


def _shown_source(source: str) -> str:
    return f"../shared/seeds/{source}"


def _context(text: str, number: Number | Pattern, width: int = 40) -> str:
    before = text[max(0, number.start - width):number.start]
    after = text[number.end:number.end + width]
    return re.sub(r"\s+", " ", f"…{before}{text[number.start:number.end]}{after}…")


def _ci_levels(rows: Iterable[Row]) -> dict[str, set[str]]:
    """The confidence level each study folder transcribes (key ``ci.level``)."""
    levels: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.record.get("key") == CI_LEVEL_KEY:
            levels[row.file.split("/")[1]].update(
                v for n in source_reader.values_of(row.record.get("printed", "")) for v in n.values)
    return levels


def _has_interval(row: Row) -> bool:
    return any(row.cell(lower) and row.cell(upper) for lower, upper in INTERVAL_COLUMNS)


def _level_rows(number: Number, covering: list[Row], levels: dict[str, set[str]],
                reading: source_reader.Reading) -> tuple[str, ...]:
    """Rows that transcribe the interval a "95% CI" label names, at a study level it equals."""
    if not any(p.kind in ("ci_level", "pct_ci", "median_ci", "hr_ci_p") and p.parts.get("level") is number
               for p in reading.patterns):
        return ()
    return tuple(f"{row.file}:{row.line}" for row in covering
                 if _has_interval(row) and number.values[0] in levels.get(row.file.split("/")[1], set()))


def measure(data_dir: Path | None = None, texts: dict[str, str] | None = None) -> CoverageReport:
    """Account for every number of every source text the descriptor names.

    Parameters
    ----------
    data_dir : Path
        The data package (its descriptor names the source texts, relative to it).
    texts : dict of str to str, optional
        Source texts by file name, instead of reading them (a test adds a number to a copy).

    Returns
    -------
    CoverageReport
        One entry per number found, and one line per problem (missing number, disagreement,
        exclusion that excludes nothing or is not found), in the project's error format.
    """
    data_dir = current_data_dir(data_dir)
    if texts is None:
        texts = source_texts(data_dir)
    rows = transcribed_rows(data_dir, texts)
    exclusions = exclusion_rows(data_dir, texts)
    levels = _ci_levels(rows)
    problems: list[str] = []
    accounted: list[Accounted] = []
    used: Counter = Counter()
    patterns: dict[str, list[Pattern]] = {}
    for exclusion in exclusions:
        if not exclusion.found:
            problems.append(f"{exclusion.file}:{exclusion.line}:context: {exclusion.record['context']!r} "
                            f"(until {exclusion.record.get('until') or '-'!r}) does not occur in "
                            f"{exclusion.source}; expected verbatim text of that source")
    for source, text in texts.items():
        reading = source_reader.read(text)
        patterns[source] = list(reading.patterns)
        source_rows = [row for row in rows if source in row.spans]
        source_exclusions = [e for e in exclusions if e.source == source]
        verdicts: dict[int, Accounted] = {}
        for number in reading.numbers:
            covering = [row for row in source_rows if row.covers(source, number.start, number.end)]
            transcribing = tuple(f"{row.file}:{row.line}" for row in covering
                                 if all(_matches(v, row.values) for v in number.values))
            if not transcribing:
                available = set().union(*(row.values for row in covering)) if covering else set()
                if covering and all(_matches(v, available) for v in number.values):
                    transcribing = tuple(f"{row.file}:{row.line}" for row in covering)
            if not transcribing:
                transcribing = _level_rows(number, covering, levels, reading)
            if transcribing:
                verdict = Accounted(source, number, "transcribed", rows=transcribing)
            else:
                excluding = next((e for e in source_exclusions if e.excludes(number)), None)
                if excluding is not None:
                    used[(excluding.file, excluding.line)] += 1
                    verdict = Accounted(source, number, "excluded", excluding.category)
                else:
                    verdict = Accounted(source, number, "missing")
                    study = _study_of(source, exclusions, data_dir)
                    problems.append(
                        f"{_shown_source(source)}:{number.start}: the number {number.text!r} in "
                        f"\"{_context(text, number)}\" has no ledger value and no exclusion; expected "
                        f"a row of data/ whose excerpt (column context) covers this place and prints "
                        f"{' and '.join(number.values)}, or a row of data/{study}/{EXCLUSIONS_FILE} "
                        f"that excludes it with one of the categories {', '.join(CATEGORIES)}")
            verdicts[id(number)] = verdict
            accounted.append(verdict)
        problems.extend(_disagreements(source, text, reading, source_rows, verdicts))
    for exclusion in exclusions:
        if exclusion.found and not used[(exclusion.file, exclusion.line)]:
            problems.append(f"{exclusion.file}:{exclusion.line}:-: exclusion "
                            f"{exclusion.record['exclusion_id']!r} excludes no number of "
                            f"{exclusion.source} that is not transcribed; expected every exclusion "
                            f"to exclude at least one number (correct it or delete the row)")
    return CoverageReport(accounted, problems, tuple(texts), patterns)


def _study_of(source: str, exclusions: list[Exclusion], data_dir: Path) -> str:
    """The study folder whose exclusion table is the place for a source's exclusions."""
    descriptor = package_descriptor(data_dir)
    for resource in descriptor["resources"]:
        if Path(resource["path"]).name == EXCLUSIONS_FILE and source in _source_names(resource):
            return resource["path"].split("/")[0]
    return "<study>"


def source_texts(data_dir: Path | None = None) -> dict[str, str]:
    """The source texts of the exclusion tables' resources, by file name, read from the paths the
    descriptor gives (``../shared/seeds/...``, relative to the folder that holds data/).
    Raises FileNotFoundError naming the first missing one."""
    data_dir = current_data_dir(data_dir)
    descriptor = package_descriptor(data_dir)
    texts: dict[str, str] = {}
    for resource in descriptor["resources"]:
        if Path(resource["path"]).name != EXCLUSIONS_FILE:
            continue
        for source in resource["sources"]:
            path = data_dir.resolve().parent / source["path"]
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


# ---------------------------------------------------------------------------------------------
# Agreement between the reader's patterns and the transcription


def _row_estimates(row: Row, units: tuple[str, ...], column: str) -> set[tuple[str, ...]]:
    """Values of the row's estimate of one of ``units`` (or in table column ``column``)."""
    found = set()
    if row.cell("unit") in units:
        found.update(n.values for n in source_reader.values_of(row.cell("printed")))
    if column and row.cell(column):
        found.update(n.values for n in source_reader.values_of(row.cell(column)))
    return found


def _row_interval(row: Row) -> set[tuple[str, ...]]:
    return {tuple(v for cell in (row.cell(lower), row.cell(upper))
                  for n in source_reader.values_of(cell) for v in n.values)
            for lower, upper in INTERVAL_COLUMNS if row.cell(lower) and row.cell(upper)}


def _row_p(row: Row) -> set[tuple[str, tuple[str, ...]]]:
    cells = [row.cell("printed")] if row.cell("unit") == "p" else []
    cells += [row.cell("p")] if row.cell("p") else []
    return {(n.bound, n.values) for cell in cells for n in source_reader.values_of(cell)}


def _key_stem(row: Row) -> str:
    key = row.cell("key")
    return re.sub(r"\.(?:n|pct)$", "", key)


def _agrees(pattern: Pattern, rows: list[Row]) -> str | None:
    """Why the rows at a pattern's place do not say what the pattern prints, or None."""
    parts = pattern.parts
    if pattern.kind == "n_pct":
        n, pct = parts["n"].values, parts["pct"].values
        counts = [r for r in rows if n in _row_estimates(r, ("count",), "count")]
        percents = [r for r in rows if pct in _row_estimates(r, ("percent",), "percent")]
        if any(c is p or (_key_stem(c) and _key_stem(c) == _key_stem(p)) for c in counts for p in percents):
            return None
        return (f"no row here transcribes {n[0]} as a count and {pct[0]} as its percentage "
                f"(in one row, or in two rows of one key)")
    if pattern.kind in ESTIMATE_UNITS:
        estimate, interval = parts["estimate"].values, parts["ci"].values
        column = "hr" if pattern.kind in ("hr_ci_p", "cox_row") else ""
        together = [r for r in rows if estimate in _row_estimates(r, ESTIMATE_UNITS[pattern.kind], column)
                    and interval in _row_interval(r)]
        if not together:
            return (f"no row here transcribes {estimate[0]} ({', '.join(ESTIMATE_UNITS[pattern.kind])}) "
                    f"with its interval {'–'.join(interval)}")
        if pattern.kind == "cox_row":
            beta = parts["beta"].values
            if not any(beta in _row_estimates(r, (), "beta") for r in together):
                return f"the row with HR {estimate[0]} does not transcribe β {beta[0]}"
        if pattern.kind == "cox_row":    # in the text, the P of a unit is read as a p_value pattern too
            return _p_problem(parts["p"], together)
        return None
    if pattern.kind == "p_value":
        return _p_problem(parts["p"], rows)
    return None


def _p_problem(p: Number, rows: list[Row]) -> str | None:
    wanted = (p.bound, p.values)
    if any(wanted in _row_p(r) for r in rows):
        return None
    printed = {f"{b}{v[0]}" for r in rows for b, v in _row_p(r) if v == p.values}
    if printed:
        return f"the P value {p.text.strip()!r} is transcribed as {', '.join(sorted(printed))}, without its bound"
    return f"no row here transcribes the P value {p.text.strip()!r} as a P value"


def _disagreements(source: str, text: str, reading: source_reader.Reading, rows: list[Row],
                   verdicts: dict[int, Accounted]) -> Iterator[str]:
    for pattern in reading.patterns:
        statuses = {verdicts[id(n)].status for n in pattern.parts.values()}
        if statuses != {"transcribed"}:
            continue     # excluded numbers are not the paper's results; missing ones fail already
        covering = [r for r in rows if any(r.covers(source, n.start, n.end) for n in pattern.parts.values())]
        problem = _agrees(pattern, covering)
        if problem is not None:
            yield (f"{_shown_source(source)}:{pattern.start}: the reader reads {pattern.text!r} in "
                   f"\"{_context(text, pattern)}\" as {_describe(pattern)}, but {problem}; expected "
                   f"the transcription to give each number the role the paper prints it in")


def _describe(pattern: Pattern) -> str:
    v = {role: number.text.strip() for role, number in pattern.parts.items()}
    if pattern.kind == "n_pct":
        return f"n = {v['n']} ({v['pct']})"
    if pattern.kind == "p_value":
        return f"P {v['p']}"
    words = {"pct_ci": "a percentage", "median_ci": "a duration in months", "hr_ci_p": "a hazard ratio",
             "cox_row": "a Cox row with HR"}[pattern.kind]
    described = f"{words} {v['estimate']} with its interval {v['ci']}"
    if "beta" in v:
        described = f"β {v['beta']}, " + described
    if "p" in v:
        described += f" and P {v['p']}"
    return described


# ---------------------------------------------------------------------------------------------
# The published table


def coverage_rows(report: CoverageReport) -> list[dict[str, object]]:
    """One row per source text: numbers found, transcribed, excluded (in total and by category),
    missing, and the percentage accounted for (transcribed or excluded)."""
    table = []
    for source, counts in report.counts().items():
        found = counts["found"]
        row: dict[str, object] = {"source_file": source, "found": found,
                                  "transcribed": counts["transcribed"], "excluded": counts["excluded"]}
        row.update({category: counts[category] for category in CATEGORIES})
        row["missing"] = counts["missing"]
        row["accounted-percent"] = f"{100 * (found - counts['missing']) / found:.1f}" if found else ""
        table.append(row)
    return table
