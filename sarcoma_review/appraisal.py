"""The review's appraisal of its studies: risk of bias, certainty of the evidence, Summary of Findings.

The judgements are data (``data/appraisal/``), each with its reason, the place in the paper that
supports it, a verbatim excerpt where there is one, and the ledger claims it rests on:

* ``checklists.csv``: the JBI critical appraisal checklist of each study, for case series
  (Munn et al. 2020) applied to the AICE cohort (sources 001 and 004 together) and for case reports
  (JBI Manual for Evidence Synthesis, chapter 7) applied to the three case reports;
* ``outcomes.csv`` and ``certainty.csv``: the GRADE rating of each outcome, from its starting
  level and a judgement on each of the five domains that can lower it (Guyatt et al. 2008; the
  GRADE Handbook);
* ``findings.csv``: what each study found for each outcome, in words whose numbers are
  placeholders filled from the study's own tables.

The tools' own words are kept here, as their publications state them, so that an item or a
level is written once. The resulting certainty is computed from the domain judgements, never
typed. What the tables cannot say on their own (every item of the right checklist answered, a
judgement that fits its domain, placeholders that name one row) is checked when they are loaded,
and errors are ``file:line:column`` lines like those of ``datapackage.py``. A cited claim id must
exist in the ledger; that is checked where the ledger is built (``ledger.build_ledger``), since
the ledger is computed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import registry, render
from .datapackage import DataError, Problem, current_data_dir, load_study, load_table
from .datapackage import _shown as shown_path

FOLDER = "appraisal"
CHECKLISTS_FILE = f"{FOLDER}/checklists.csv"
OUTCOMES_FILE = f"{FOLDER}/outcomes.csv"
CERTAINTY_FILE = f"{FOLDER}/certainty.csv"
FINDINGS_FILE = f"{FOLDER}/findings.csv"
# A study's own checklist rows may stand in its folder instead (what `make new-study` writes, so that
# a new study edits no shared table): data/<data_folder>/appraisal.csv, schema
# data/schemas/checklist.schema.json, read with the shared table as one.
STUDY_CHECKLIST = "appraisal.csv"
# Where each checklist row is written (its file and editor line), for the problems that name it.
ORIGIN = ("_file", "_line")
# The tables whose rows may cite ledger claims (column claim_ids, separated by spaces).
CITING_FILES = (CHECKLISTS_FILE, CERTAINTY_FILE)

ANSWERS = ("yes", "no", "unclear", "not applicable")


@dataclass(frozen=True)
class Checklist:
    name: str
    citation: str                           # key in references.bib
    items: tuple[tuple[str, str], ...]      # (short label for figure axes, the question as JBI states it)

    def question(self, item: int) -> str:
        return self.items[item - 1][1]


CHECKLISTS = {
    "jbi_case_series": Checklist(
        "JBI critical appraisal checklist for case series", "munn2020caseseries", (
            ("Inclusion criteria", "Were there clear criteria for inclusion in the case series?"),
            ("Condition measured", "Was the condition measured in a standard, reliable way for all "
                                   "participants included in the case series?"),
            ("Valid identification", "Were valid methods used for identification of the condition for "
                                     "all participants included in the case series?"),
            ("Consecutive inclusion", "Did the case series have consecutive inclusion of participants?"),
            ("Complete inclusion", "Did the case series have complete inclusion of participants?"),
            ("Demographics", "Was there clear reporting of the demographics of the participants in the study?"),
            ("Clinical information", "Was there clear reporting of clinical information of the participants?"),
            ("Outcomes reported", "Were the outcomes or follow up results of cases clearly reported?"),
            ("Site information", "Was there clear reporting of the presenting site(s)/clinic(s) "
                                 "demographic information?"),
            ("Statistical analysis", "Was statistical analysis appropriate?"),
        )),
    "jbi_case_report": Checklist(
        "JBI critical appraisal checklist for case reports", "moola2020jbi", (
            ("Demographics", "Were patient's demographic characteristics clearly described?"),
            ("History, timeline", "Was the patient's history clearly described and presented as a timeline?"),
            ("Condition at presentation", "Was the current clinical condition of the patient on "
                                          "presentation clearly described?"),
            ("Diagnostic tests", "Were diagnostic tests or assessment methods and the results clearly described?"),
            ("Intervention", "Was the intervention(s) or treatment procedure(s) clearly described?"),
            ("Condition after", "Was the post-intervention clinical condition clearly described?"),
            ("Adverse events", "Were adverse events (harms) or unanticipated events identified and described?"),
            ("Takeaway lessons", "Does the case report provide takeaway lessons?"),
        )),
}

# GRADE (Guyatt et al. 2008; GRADE Handbook, section 5): four levels of certainty; randomised
# trials start high, non-randomised studies low; each domain lowers the level by the judgement's
# number of levels, and certainty cannot fall below very low.
LEVELS = ("very low", "low", "moderate", "high")
DOMAINS = ("risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias")
RATING_DOWN = {"not serious": 0, "serious": 1, "very serious": 2}
PUBLICATION_BIAS_RATING_DOWN = {"undetected": 0, "strongly suspected": 1}
GRADE_CITATIONS = ("guyatt2008grade", "schunemann2013gradehandbook")

# "{row_id}" or "{row_id.column}" in a finding: a value of the study's own tables.
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_-]+)(?:\.([a-z_]+))?\}")
# The column that holds the value a row's id stands for, when a placeholder names none.
VALUE_COLUMNS = ("printed", "date", "response_as_printed", "recist_printed")


def rating_down(domain: str, judgement: str) -> int:
    """Levels a judgement lowers the certainty by (KeyError for a judgement its domain does not take)."""
    scale = PUBLICATION_BIAS_RATING_DOWN if domain == "publication bias" else RATING_DOWN
    return scale[judgement]


def certainty_level(start: str, downgrades: int) -> str:
    """The GRADE level reached from ``start`` after rating down ``downgrades`` levels."""
    return LEVELS[max(LEVELS.index(start) - downgrades, 0)]


# --------------------------------------------------------------------------- loading and checks

def _file(relative: str, data_dir: Path) -> str:
    """A table's path as problems show it (relative to the working directory, like datapackage's)."""
    return shown_path(current_data_dir(data_dir) / relative)


def _line(index: int) -> int:
    """Editor line of a DataFrame row (header = line 1; validation refuses line breaks in cells)."""
    return int(index) + 2


def _raw(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {CHECKLISTS_FILE: _checklists(data_dir),
            **{name: load_table(name, data_dir) for name in (OUTCOMES_FILE, CERTAINTY_FILE, FINDINGS_FILE)}}


def _checklists(data_dir: Path) -> pd.DataFrame:
    """The shared checklist table and every study's own ``appraisal.csv``, as one table whose
    ``_file`` and ``_line`` say where each row is written."""
    files = [CHECKLISTS_FILE, *(f"{folder}/{STUDY_CHECKLIST}" for folder in registry.studies(data_dir)["data_folder"]
                                if (current_data_dir(data_dir) / folder / STUDY_CHECKLIST).is_file())]
    frames = []
    for name in files:
        frame = load_table(name, data_dir)
        frames.append(frame.assign(_file=_file(name, data_dir), _line=[_line(index) for index in frame.index]))
    return pd.concat(frames, ignore_index=True)


def problems(data_dir: Path | None = None) -> list[Problem]:
    """What the appraisal tables cannot say on their own, one Problem per fault."""
    tables = _raw(data_dir)
    found: list[Problem] = []
    found += _checklist_problems(tables[CHECKLISTS_FILE], data_dir)
    found += _excerpt_source_problems(tables, data_dir)
    found += _certainty_problems(tables[CERTAINTY_FILE], tables[OUTCOMES_FILE], data_dir)
    found += _finding_problems(tables[FINDINGS_FILE], tables[OUTCOMES_FILE], data_dir)
    return found


def _checklist_problems(checklists: pd.DataFrame, data_dir: Path) -> list[Problem]:
    shown = _file(CHECKLISTS_FILE, data_dir)
    found = []
    for key, folder in zip(registry.studies()["study_key"], registry.studies()["data_folder"]):
        rows = checklists[checklists["study_key"] == key]
        if rows.empty:
            found.append(Problem(shown, "-", "study_key", f"study {key!r} has no checklist",
                                 f"every study of evidence_overview/studies.csv appraised, here or in "
                                 f"data/{folder}/{STUDY_CHECKLIST}"))
            continue
        tools = list(dict.fromkeys(rows["tool"]))
        if len(tools) > 1:
            other = rows[rows["tool"] != tools[0]].iloc[0]
            found.append(Problem(other["_file"], other["_line"], "tool",
                                 f"study {key!r} is appraised with {' and '.join(tools)}", "one checklist per study"))
            continue
        checklist = CHECKLISTS[tools[0]]
        answered = set()
        for _, row in rows.iterrows():
            item = int(row["item"])
            if item > len(checklist.items):
                found.append(Problem(row["_file"], row["_line"], "item",
                                     f"item {item} is not an item of the {checklist.name}",
                                     f"an item from 1 to {len(checklist.items)}"))
            answered.add(item)
        missing = [i for i in range(1, len(checklist.items) + 1) if i not in answered]
        if missing:
            found.append(Problem(rows.iloc[0]["_file"], "-", "item",
                                 f"study {key!r} has no answer for item(s) {', '.join(map(str, missing))} "
                                 f"of the {checklist.name}",
                                 "one row for every item of the checklist"))
    return found


def _excerpt_source_problems(tables: dict[str, pd.DataFrame], data_dir: Path) -> list[Problem]:
    """An excerpt names its source text, and a study's row quotes one of that study's texts."""
    owner = dict(zip(registry.sources()["source_file"], registry.sources()["study_key"]))
    found = []
    for name in (CHECKLISTS_FILE, CERTAINTY_FILE, FINDINGS_FILE):
        for index, row in tables[name].iterrows():
            shown, line = (row["_file"], row["_line"]) if "_file" in row.index else (_file(name, data_dir), _line(index))
            if row.get("context", "") and not row["source_file"]:
                found.append(Problem(shown, line, "source_file",
                                     "an excerpt (context) without the source text it is quoted from",
                                     "the source_file that prints the excerpt"))
            study = row.get("study_key", "")
            if study and row["source_file"] and owner.get(row["source_file"]) != study:
                found.append(Problem(shown, line, "source_file",
                                     f"{row['source_file']} is a text of {owner.get(row['source_file'])!r}, "
                                     f"not of {study!r}",
                                     f"a source text of {study} (evidence_overview/sources.csv)"))
    return found


def _certainty_problems(certainty: pd.DataFrame, outcomes: pd.DataFrame, data_dir: Path) -> list[Problem]:
    shown = _file(CERTAINTY_FILE, data_dir)
    found = []
    for index, row in certainty.iterrows():
        try:
            rating_down(row["domain"], row["judgement"])
        except KeyError:
            scale = PUBLICATION_BIAS_RATING_DOWN if row["domain"] == "publication bias" else RATING_DOWN
            found.append(Problem(shown, _line(index), "judgement",
                                 f"{row['judgement']!r} is not a judgement of the domain {row['domain']!r}",
                                 f"one of: {', '.join(scale)}"))
    for outcome in outcomes["outcome"]:
        rated = set(certainty.loc[certainty["outcome"] == outcome, "domain"])
        missing = [d for d in DOMAINS if d not in rated]
        if missing:
            found.append(Problem(shown, "-", "domain",
                                 f"outcome {outcome!r} has no judgement on {', '.join(missing)}",
                                 "a row for each of the five GRADE domains"))
    return found


def _finding_problems(findings: pd.DataFrame, outcomes: pd.DataFrame, data_dir: Path) -> list[Problem]:
    shown = _file(FINDINGS_FILE, data_dir)
    found = []
    for outcome in outcomes["outcome"]:
        if not (findings["outcome"] == outcome).any():
            found.append(Problem(shown, "-", "outcome", f"outcome {outcome!r} has no finding",
                                 "at least one study's finding per outcome"))
    for index, row in findings.iterrows():
        rows = _study_rows(_folder_of(row["study_key"], data_dir), data_dir)
        for match in PLACEHOLDER.finditer(row["statement"]):
            problem = _placeholder_problem(match, rows, row["study_key"])
            if problem:
                found.append(Problem(shown, _line(index), "statement", *problem))
    return found


def _placeholder_problem(match: re.Match, rows: dict[str, list[pd.Series]], study: str) -> tuple[str, str] | None:
    row_id, column = match.group(1), match.group(2)
    folder = _folder_of(study)
    candidates = rows.get(row_id, [])
    if len(candidates) != 1:
        what = "names no row" if not candidates else f"names {len(candidates)} rows"
        return (f"placeholder {match.group(0)} {what} of data/{folder}/",
                f"the id (first column) of exactly one row of data/{folder}/")
    row = candidates[0]
    if column is not None and column not in row.index:
        return (f"placeholder {match.group(0)}: the row has no column {column!r}",
                f"one of its columns: {', '.join(row.index)}")
    if not _value(row, column):
        return (f"placeholder {match.group(0)} is an empty cell", "a cell that holds a value")
    return None


def _folder_of(study_key: str, data_dir: Path | None = None) -> str:
    studies = registry.studies(data_dir).set_index("study_key")
    return str(studies.loc[study_key, "data_folder"])


def _study_rows(folder: str, data_dir: Path | None = None) -> dict[str, list[pd.Series]]:
    """Every row of a study folder's tables by its id (the first column), with its table's name."""
    return _study_rows_in(folder, current_data_dir(data_dir))


@functools.lru_cache(maxsize=8)
def _study_rows_in(folder: str, data_dir: Path) -> dict[str, list[pd.Series]]:
    rows: dict[str, list[pd.Series]] = {}
    for name, table in load_study(folder, data_dir).items():
        id_column = table.columns[0]
        for _, row in table.iterrows():
            rows.setdefault(row[id_column], []).append(row.rename(name))
    return rows


def _value(row: pd.Series, column: str | None) -> str:
    if column is not None:
        return str(row.get(column, ""))
    for name in VALUE_COLUMNS:
        if name in row.index and row[name]:
            return str(row[name])
    return ""


@functools.lru_cache(maxsize=4)
def _checked(data_dir: Path) -> dict[str, pd.DataFrame]:
    found = problems(data_dir)
    if found:
        raise DataError(found)
    return _raw(data_dir)


def tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """The four appraisal tables, after validation and the checks of ``problems``."""
    return {name: frame.drop(columns=list(ORIGIN), errors="ignore")
            for name, frame in _checked(current_data_dir(data_dir)).items()}


def cited_claim_problems(claim_ids: set[str], data_dir: Path | None = None) -> list[Problem]:
    """Every claim id an appraisal row cites that is not in the ledger (``claim_ids``).

    A package without appraisal tables (a test's toy package) cites nothing; from the real one,
    validation refuses to lose a table its descriptor lists."""
    found = []
    for name in CITING_FILES:
        if not (current_data_dir(data_dir) / name).is_file():
            continue
        table = _checklists(current_data_dir(data_dir)) if name == CHECKLISTS_FILE else load_table(name, data_dir)
        for index, row in table.iterrows():
            shown, line = (row["_file"], row["_line"]) if "_file" in row.index else (_file(name, data_dir), _line(index))
            for claim_id in row["claim_ids"].split():
                if claim_id not in claim_ids:
                    found.append(Problem(shown, line, "claim_ids",
                                         f"{claim_id!r} is not a claim id of the ledger",
                                         "a claim_id of the published claims.csv (make publish)"))
    return found


def check_cited_claims(claim_ids: set[str], data_dir: Path | None = None) -> None:
    found = cited_claim_problems(claim_ids, data_dir)
    if found:
        raise DataError(found)


# --------------------------------------------------------------------------- risk of bias

def checklist_answers(data_dir: Path | None = None) -> pd.DataFrame:
    """Every checklist answer with the study's label and the item's wording, in book order."""
    frame = tables(data_dir)[CHECKLISTS_FILE]
    order = {key: n for n, key in enumerate(registry.studies()["study_key"])}
    frame["item"] = frame["item"].astype(int)
    frame = (frame.assign(_order=frame["study_key"].map(order))
             .sort_values(["_order", "item"], kind="stable").drop(columns="_order").reset_index(drop=True))
    frame.insert(1, "study", frame["study_key"].map(registry.study_label))
    frame.insert(3, "checklist", frame["tool"].map(lambda tool: CHECKLISTS[tool].name))
    frame.insert(5, "question", [CHECKLISTS[t].question(i) for t, i in zip(frame["tool"], frame["item"])])
    return frame


def answer_counts(study_key: str, data_dir: Path | None = None) -> dict[str, int]:
    answers = checklist_answers(data_dir)
    counts = answers.loc[answers["study_key"] == study_key, "answer"].value_counts()
    return {answer: int(counts.get(answer, 0)) for answer in ANSWERS}


def study_checklist(study_key: str, data_dir: Path | None = None) -> dict[str, object]:
    """A study's checklist as its chapter shows it: the tool, the counts, and one row per item."""
    answers = checklist_answers(data_dir)
    rows = answers[answers["study_key"] == study_key]
    tool = CHECKLISTS[rows["tool"].iloc[0]]
    table = pd.DataFrame({
        "Item": rows["item"].astype(str),
        "Question (JBI wording)": rows["question"],
        "Answer": rows["answer"],
        "Reason": rows["reason"],
        "Where in the paper": [_where(r) for r in rows.itertuples()],
    })
    return {"checklist": tool.name, "citation": tool.citation, "items": len(tool.items),
            "counts": answer_counts(study_key, data_dir), "table": table}


def _where(row) -> str:
    lines = [f"{registry.source_label(row.source_file)}: {row.location}" if row.source_file else row.location]
    if row.context:
        lines.append(f"“{row.context}”")
    if row.claim_ids:
        lines.append("Ledger: " + ", ".join(row.claim_ids.split()))
    return "\n".join(lines)


ANSWER_SYMBOLS = {"yes": "+", "no": "−", "unclear": "?", "not applicable": "NA"}


def risk_of_bias_figure(data_dir: Path | None = None):
    """The traffic light: one panel per checklist, studies by items, each answer a coloured disc
    carrying its symbol (so it reads without colour too). Returns (figure, plotted data)."""
    from matplotlib.lines import Line2D

    from .figures import COLOURS, new_figure

    answers = checklist_answers(data_dir)
    tools = list(dict.fromkeys(answers["tool"]))
    studies_per_tool = [answers.loc[answers["tool"] == tool, "study_key"].nunique() for tool in tools]
    fig, axes = new_figure(height=1.9 + 0.55 * sum(studies_per_tool) + 1.0 * len(tools), nrows=len(tools),
                           gridspec_kw={"height_ratios": [n + 1.6 for n in studies_per_tool]})
    axes = list(axes) if len(tools) > 1 else [axes]
    for ax, tool in zip(axes, tools):
        checklist = CHECKLISTS[tool]
        subset = answers[answers["tool"] == tool]
        studies = list(dict.fromkeys(subset["study"]))
        for row in subset.itertuples():
            y = studies.index(row.study)
            ax.scatter(row.item, y, s=330, color=COLOURS[row.answer], edgecolor="white", linewidth=0.8, zorder=3)
            ax.text(row.item, y, ANSWER_SYMBOLS[row.answer], ha="center", va="center", fontsize=9,
                    fontweight="bold", color="#000000" if row.answer in ("unclear", "not applicable") else "#FFFFFF",
                    zorder=4)
        ax.set_xticks(range(1, len(checklist.items) + 1),
                      [f"{n}. {label}" for n, (label, _) in enumerate(checklist.items, start=1)],
                      rotation=35, ha="right", fontsize=7.5)
        ax.set_yticks(range(len(studies)), studies, fontsize=8)
        ax.set_xlim(0.4, len(checklist.items) + 0.6)
        ax.set_ylim(len(studies) - 0.4, -0.6)
        ax.grid(False)
        ax.set_title(checklist.name, fontsize=9, loc="left")
        ax.set_ylabel("Study")
        ax.set_xlabel("Checklist item, numbered as in the JBI checklist", fontsize=8)
    handles = [Line2D([], [], marker="o", linestyle="none", markersize=10, color=COLOURS[answer],
                      label=f"{ANSWER_SYMBOLS[answer]}  {answer}") for answer in ANSWERS]
    fig.legend(handles=handles, loc="lower center", ncol=len(ANSWERS), fontsize=8, title="Answer",
               title_fontsize=8, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig, answers[["study", "checklist", "item", "answer"]]


# --------------------------------------------------------------------------- certainty (GRADE)

def outcomes(data_dir: Path | None = None) -> pd.DataFrame:
    return tables(data_dir)[OUTCOMES_FILE]


def certainty(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per outcome: starting level, the judgement on each domain, and the certainty reached."""
    appraisal = tables(data_dir)
    judgements = appraisal[CERTAINTY_FILE]
    rows = []
    for outcome in appraisal[OUTCOMES_FILE].itertuples():
        rated = judgements[judgements["outcome"] == outcome.outcome].set_index("domain")
        downgrades = sum(rating_down(domain, rated.loc[domain, "judgement"]) for domain in DOMAINS)
        rows.append({"outcome": outcome.name, "starting level": outcome.starting_level,
                     **{domain: rated.loc[domain, "judgement"] for domain in DOMAINS},
                     "levels rated down": downgrades,
                     "certainty": certainty_level(outcome.starting_level, downgrades)})
    return pd.DataFrame(rows)


def certainty_reasons(data_dir: Path | None = None) -> pd.DataFrame:
    """Every domain judgement with its reason and support, outcome by outcome (the citable detail)."""
    appraisal = tables(data_dir)
    names = dict(zip(appraisal[OUTCOMES_FILE]["outcome"], appraisal[OUTCOMES_FILE]["name"]))
    frame = appraisal[CERTAINTY_FILE]
    frame.insert(1, "outcome_name", frame["outcome"].map(names))
    frame.insert(4, "levels_rated_down", [rating_down(d, j) for d, j in zip(frame["domain"], frame["judgement"])])
    return frame


# --------------------------------------------------------------------------- summary of findings

@dataclass(frozen=True)
class Finding:
    study_key: str
    study: str
    text: str                 # the statement with its numbers filled in
    row_ids: tuple[str, ...]  # the rows whose values it shows


def fill(statement: str, study_key: str, data_dir: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """``statement`` with each placeholder replaced by its value, and the ids of the rows used."""
    rows = _study_rows(_folder_of(study_key), data_dir)
    used: list[str] = []

    def value(match: re.Match) -> str:
        problem = _placeholder_problem(match, rows, study_key)
        if problem:  # unreachable after tables(): kept so that fill() can never print a wrong number
            raise DataError([Problem(_file(FINDINGS_FILE, data_dir), "-", "statement", *problem)])
        used.append(match.group(1))
        return _value(rows[match.group(1)][0], match.group(2))

    return PLACEHOLDER.sub(value, statement), tuple(dict.fromkeys(used))


def findings(data_dir: Path | None = None) -> dict[str, list[Finding]]:
    """Outcome -> what each study found, in book order of the studies."""
    order = list(registry.studies()["study_key"])
    frame = tables(data_dir)[FINDINGS_FILE]
    result: dict[str, list[Finding]] = {}
    for outcome in outcomes(data_dir)["outcome"]:
        rows = frame[frame["outcome"] == outcome]
        rows = rows.assign(_order=rows["study_key"].map(order.index)).sort_values("_order")
        result[outcome] = [Finding(r.study_key, registry.study_label(r.study_key), *fill(r.statement, r.study_key, data_dir))
                           for r in rows.itertuples()]
    return result


def _quantity(key: str) -> str:
    """The quantity a key names, whether a count or a percentage of it is printed."""
    return re.sub(r"\.(n|pct)$", "", key)


def related_row_ids(study_key: str, row_ids: tuple[str, ...], data_dir: Path | None = None) -> set[str]:
    """The rows shown, and every other printing of the same quantity in the study (same key)."""
    rows = _study_rows(_folder_of(study_key), data_dir)
    keys = {_quantity(row["key"]) for row_id in row_ids for row in rows.get(row_id, []) if row.get("key", "")}
    related = set(row_ids)
    related |= {row_id for row_id, printings in rows.items()
                for row in printings if row.get("key", "") and _quantity(row["key"]) in keys}
    return related


def inconsistencies(ledger: pd.DataFrame, finding: Finding, data_dir: Path | None = None) -> pd.DataFrame:
    """The inconsistent ledger rows about the numbers of one finding (claim id ``<prefix>.<row id>.<rule>``)."""
    related = related_row_ids(finding.study_key, finding.row_ids, data_dir)
    rows = ledger[(ledger["study"] == finding.study_key) & (ledger["verdict"] == "inconsistent")]
    return rows[rows["claim_id"].map(lambda c: c.split(".")[1] in related)]


def _footnotes(data_dir: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Outcome -> footnote markers of its certainty, and the footnotes (identical texts share one)."""
    appraisal = tables(data_dir)
    judgements = appraisal[CERTAINTY_FILE]
    texts: list[str] = []
    markers: dict[str, list[str]] = {}
    for outcome in appraisal[OUTCOMES_FILE].itertuples():
        notes = [f"Starts at {outcome.starting_level}: {outcome.starting_reason}"]
        for row in judgements[judgements["outcome"] == outcome.outcome].itertuples():
            down = rating_down(row.domain, row.judgement)
            if down:
                levels = {1: "one level", 2: "two levels"}[down]
                notes.append(f"{row.domain.capitalize()}, {row.judgement} (rated down {levels}): {row.reason}")
        markers[outcome.outcome] = []
        for note in notes:
            if note not in texts:
                texts.append(note)
            markers[outcome.outcome].append(_marker(texts.index(note)))
    return markers, [f"{_marker(n)}. {text}" for n, text in enumerate(texts)]


def _marker(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index]


def summary_of_findings(ledger: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    """The Summary of Findings, one row per outcome, as the citable CSV holds it."""
    studies = registry.studies().set_index("study_key")
    rated = certainty(data_dir).set_index("outcome")
    markers, notes = _footnotes(data_dir)
    note_of = {note.split(". ", 1)[0]: note.split(". ", 1)[1] for note in notes}
    rows = []
    for outcome in outcomes(data_dir).itertuples():
        found = findings(data_dir)[outcome.outcome]
        claims = pd.concat([inconsistencies(ledger, f, data_dir) for f in found])
        rows.append({
            "outcome": outcome.name,
            "measure": outcome.measure,
            "studies": "; ".join(f.study for f in found),
            "n_studies": len(found),
            "patients": int(sum(int(studies.loc[f.study_key, "n_patients"]) for f in found)),
            "what_was_found": " | ".join(f"{f.study}: {f.text}" for f in found),
            "certainty": rated.loc[outcome.name, "certainty"],
            "certainty_reasons": " | ".join(f"{m}. {note_of[m]}" for m in markers[outcome.outcome]),
            "n_inconsistent_claims": len(claims),
            "inconsistent_claims": " ".join(claims["claim_id"]),
        })
    return pd.DataFrame(rows)


def summary_of_findings_view(ledger: pd.DataFrame, data_dir: Path | None = None):
    """The Summary of Findings as the overview shows it: the table and its footnotes."""
    studies = registry.studies().set_index("study_key")
    markers, notes = _footnotes(data_dir)
    rated = certainty(data_dir).set_index("outcome")
    rows = []
    for outcome in outcomes(data_dir).itertuples():
        found = findings(data_dir)[outcome.outcome]
        patients = sum(int(studies.loc[f.study_key, "n_patients"]) for f in found)
        claims = []
        for f in found:
            for (quantity, reported), group in inconsistencies(ledger, f, data_dir).groupby(
                    ["quantity", "reported"], sort=False):
                places = f" (in {len(group)} places)" if len(group) > 1 else ""
                claims.append(f"• {registry.study_short_label(f.study_key)}: {quantity}, printed {reported}"
                              f"{places}; ledger: {', '.join(group['claim_id'])}")
        rows.append({
            "Outcome": f"{outcome.name}\n({outcome.measure})",
            "Studies (patients)": f"{len(found)} ({patients})",
            "What was found": "\n".join(f"• {f.study}: {f.text}" for f in found),
            "Certainty (GRADE)": f"{rated.loc[outcome.name, 'certainty'].capitalize()} "
                                 f"[{', '.join(markers[outcome.outcome])}]",
            "Inconsistencies the ledger found in these numbers": "\n".join(claims) or "none",
        })
    frame = pd.DataFrame(rows)
    return render.data_table(frame, "table-summary-of-findings",
                             "Summary of Findings: TACE and AICE for soft-tissue sarcoma, outcome by outcome "
                             "(tables/overview-summary-of-findings.csv)",
                             widths=(0.13, 0.09, 0.41, 0.10, 0.27), notes=notes)


def certainty_view(data_dir: Path | None = None):
    """The GRADE rating in brief: a column per outcome, a row per step from the starting level to
    the certainty reached (outcomes as columns, so that the table fits a page)."""
    rated = certainty(data_dir).set_index("outcome")
    rated["certainty"] = rated["certainty"].str.capitalize()
    steps = ["starting level", *DOMAINS, "certainty"]
    frame = rated[steps].T.reset_index(names="Domain")
    frame["Domain"] = frame["Domain"].str.capitalize()
    columns = len(frame.columns) - 1
    return render.data_table(frame, "table-certainty",
                             "Certainty of the evidence (GRADE), from the starting level through the five domains "
                             "(tables/overview-certainty.csv)", widths=(0.2, *[0.8 / columns] * columns))


def items_view(data_dir: Path | None = None):
    """The questions behind the item numbers of the traffic light, checklist by checklist."""
    answers = checklist_answers(data_dir)
    rows = []
    for tool in dict.fromkeys(answers["tool"]):
        checklist = CHECKLISTS[tool]
        for item, (_, question) in enumerate(checklist.items, start=1):
            given = answers[(answers["tool"] == tool) & (answers["item"] == item)]
            rows.append({"Checklist": checklist.name.replace("JBI critical appraisal checklist for ", "JBI, "),
                         "Item": str(item), "Question (JBI wording)": question,
                         "Answers": "; ".join(f"{registry.study_short_label(k)}: {a}"
                                              for k, a in zip(given["study_key"], given["answer"]))})
    return render.data_table(pd.DataFrame(rows), "table-checklist-items",
                             "The items of the JBI checklists, as JBI words them, and each study's answers "
                             "(tables/overview-risk-of-bias.csv)", widths=(0.16, 0.06, 0.45, 0.33))


def study_checklist_view(study_key: str, data_dir: Path | None = None):
    checklist = study_checklist(study_key, data_dir)
    prefix = _folder_of(study_key).replace("_", "-")
    return render.data_table(checklist["table"], f"table-{prefix}-checklist",
                             f"{checklist['checklist']}: {registry.study_label(study_key)} "
                             "(tables/overview-risk-of-bias.csv)", widths=(0.05, 0.22, 0.08, 0.33, 0.32))


def chapter_numbers(study_key: str, data_dir: Path | None = None) -> dict[str, object]:
    """What a study chapter's appraisal section glues: the checklist, its number of items and
    the answers counted ("5 yes, 2 no and 3 unclear"; an answer given to no item is left out)."""
    checklist = study_checklist(study_key, data_dir)
    parts = [f"{n} {answer}" for answer, n in checklist["counts"].items() if n]
    summary = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return {"checklist": checklist["checklist"], "items": checklist["items"], "answers": summary}


def overview_numbers(ledger: pd.DataFrame, data_dir: Path | None = None) -> dict[str, object]:
    """The numbers the overview's appraisal sections glue."""
    sof = summary_of_findings(ledger, data_dir)
    rated = certainty(data_dir)
    levels = rated["certainty"].value_counts()
    numbers: dict[str, object] = {
        "outcomes": len(rated),
        "very_low": int(levels.get("very low", 0)),
        "low": int(levels.get("low", 0)),
        "sof_inconsistent": int(sof["n_inconsistent_claims"].sum()),
        "checklist_items": len(checklist_answers(data_dir)),
    }
    for row in outcomes(data_dir).itertuples():
        numbers[f"certainty_{row.outcome}"] = rated.set_index("outcome").loc[row.name, "certainty"]
    return numbers


def citable_tables(ledger: pd.DataFrame, data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return {
        "overview-summary-of-findings": summary_of_findings(ledger, data_dir),
        "overview-risk-of-bias": checklist_answers(data_dir),
        "overview-certainty": certainty(data_dir),
        "overview-certainty-reasons": certainty_reasons(data_dir),
    }
