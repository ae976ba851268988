"""Start a new study: `make new-study NAME=<folder> SOURCE=<source text>`.

What a study is made of, and where each part lives (ARCHITECTURE.md, "Adding a study"):

- ``data/<NAME>/``: its tables and their descriptor ``resources.json`` (merged into the package by
  `sarcoma_review.datapackage`, the one loader): an empty table of printed numbers
  (``text_numbers.csv``, with its verbatim ``context`` column), an empty ``claims.csv`` of declared
  claims, an empty ``conclusions.csv`` and ``exclusions.csv``;
- ``chapters/<NAME>.md``: its chapter, from ``book_tools/templates/study_chapter.md``: design and
  level of evidence glued from the registry, the audit's findings and ledger rows, the
  not-medical-advice line;
- its registry rows: ``data/evidence_overview/studies.csv`` (empty ``audit_module``: the ledger
  audits it from its declared claims, `sarcoma_review.audits.declared`) and ``sources.csv``;
- a bibliography stub in ``references.bib``.

What only a reader of the paper can write (the label, design, level of evidence, the patients and
the setting, the bibliographic fields) is left as a placeholder that starts ``TO FILL``. Validation
refuses such a cell, so nothing is published until a maintainer has replaced every one
(`sarcoma_review.datapackage`'s placeholder check, and ``tests/test_new_study.py`` for the chapter
and the bibliography). Nothing outside these files is edited: the table of contents and the
package's resources follow the registry and the study's own descriptor.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "templates" / "study_chapter.md"
PLACEHOLDER = "TO FILL"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_PATTERN = re.compile(r"^[a-z0-9]+$")
PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9]*$")
SOURCE_PATTERN = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
STUDIES = Path("data/evidence_overview/studies.csv")
SOURCES = Path("data/evidence_overview/sources.csv")
BIBLIOGRAPHY = Path("references.bib")
# Prefixes no study may take: the cross-study audit's (sarcoma_review.registry.CROSS_STUDY_AUDIT).
RESERVED_PREFIXES = ("comp",)

# The study's tables: (file, resource-name suffix, schema, title, description).
TABLES = (
    ("text_numbers.csv", "text-numbers", "schemas/text_numbers.schema.json",
     "numbers printed in the text",
     "Every number the paper prints, one row per printing, in the shared text-block schema, each with "
     "its location and a verbatim excerpt (context) that contains it."),
    ("claims.csv", "claims", "schemas/claims.schema.json",
     "the claims declared as data",
     "Claims of this study that need no reasoning of their own, one per row: the rule, its inputs by "
     "number_id, and a note (sarcoma_review/audits/kernel.py, declared_claims). Every printed number no "
     "claim reads gets a not-checkable row (sarcoma_review/audits/unread.py). Declarations of the review, "
     "not numbers the paper prints."),
    ("conclusions.csv", "conclusions", "schemas/conclusions.schema.json",
     "whether each inconsistency no rule can judge changes a conclusion",
     "The decision (changes-conclusion, no-change, not-applicable) of each inconsistent ledger row of "
     "this study whose rule cannot make it itself, with the reason and the paper's words it rests on. "
     "Judgements of the review, not numbers the paper prints."),
    ("appraisal.csv", "appraisal", "schemas/checklist.schema.json",
     "the review's critical appraisal (JBI checklist)",
     "The review's answer to each item of the JBI checklist for this design (jbi_case_report or "
     "jbi_case_series), with its reason, where the paper supports it, a verbatim excerpt and the ledger "
     "claims it rests on; read with data/appraisal/checklists.csv (sarcoma_review/appraisal.py), which "
     "refuses a study without a checklist. Judgements of the review, not numbers the paper prints."),
    ("exclusions.csv", "exclusions", "schemas/exclusions.schema.json",
     "numbers of the text that are not quantities of the paper",
     "Numbers of the source text that are not quantities of the paper (reference markers, the reference "
     "list, affiliations, numbering, page furniture), each with its reason category, for the coverage "
     "gate (tests/test_source_coverage.py)."),
)


class ScaffoldError(ValueError):
    """The study cannot be created as asked; nothing was written."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _schema_columns(root: Path, schema: str) -> list[str]:
    return [field["name"] for field in json.loads((root / "data" / schema).read_text(encoding="utf-8"))["fields"]]


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _append(path: Path, text: str) -> None:
    existing = path.read_text(encoding="utf-8")
    path.write_text(existing + ("" if existing.endswith("\n") else "\n") + text, encoding="utf-8")


def seeds_dir(root: Path) -> Path:
    """Where the source texts are: ``../shared/seeds`` beside the repository (as the descriptor's
    ``sources`` paths say)."""
    return root.parent / "shared" / "seeds"


def check_request(root: Path, name: str, source: str, key: str, prefix: str) -> None:
    """Refuse a study that cannot be created, saying why; nothing is written before this passes."""
    root = Path(root).resolve()
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(f"NAME={name!r}: expected a folder and chapter name of lower-case letters, digits "
                            f"and underscores, starting with a letter (e.g. lms_liver_case)")
    if not KEY_PATTERN.match(key):
        raise ScaffoldError(f"KEY={key!r}: expected a citation key of lower-case letters and digits "
                            f"(e.g. smith2024tace)")
    if not PREFIX_PATTERN.match(prefix):
        raise ScaffoldError(f"PREFIX={prefix!r}: expected a claim-id prefix of lower-case letters and digits, "
                            f"starting with a letter")
    studies = _rows(root / STUDIES)
    for column, value, what in (("data_folder", name, "NAME"), ("chapter", name, "NAME"),
                                ("study_key", key, "KEY"), ("claim_prefix", prefix, "PREFIX")):
        for line, row in enumerate(studies, start=2):
            if row[column] == value:
                raise ScaffoldError(f"{what}={value!r}: {STUDIES}:{line}:{column} already has it "
                                    f"(study {row['study_key']}); a new study needs its own")
    if prefix in RESERVED_PREFIXES:
        raise ScaffoldError(f"PREFIX={prefix!r} is the cross-study audit's; choose another")
    for path in (root / "data" / name, root / "chapters" / f"{name}.md"):
        if path.exists():
            raise ScaffoldError(f"NAME={name!r}: {path.relative_to(root)} exists already")
    if re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", (root / BIBLIOGRAPHY).read_text(encoding="utf-8")):
        raise ScaffoldError(f"KEY={key!r}: {BIBLIOGRAPHY} has an entry with this key already")
    if not SOURCE_PATTERN.match(source):
        raise ScaffoldError(f"SOURCE={source!r}: expected the file name of a source text, NNN_<16 hex digits>.txt")
    if not (seeds_dir(root) / source).is_file():
        raise ScaffoldError(f"SOURCE={source!r}: no such file in {seeds_dir(root)}; put the paper's text there first")
    for line, row in enumerate(_rows(root / SOURCES), start=2):
        if row["source_file"] == source:
            raise ScaffoldError(f"SOURCE={source!r}: {SOURCES}:{line}:source_file already gives it to study "
                                f"{row['study_key']}; a source text belongs to one study")


def _resources(root: Path, name: str, source: str, prefix: str, label: str) -> dict:
    return {"resources": [
        {"name": f"{prefix}-{suffix}", "path": f"{name}/{file}", "title": f"{label}: {title}",
         "description": description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
         "sources": [{"title": source, "path": f"../shared/seeds/{source}"}], "schema": schema}
        for file, suffix, schema, title, description in TABLES]}


def _bibliography_stub(key: str) -> str:
    return (f"@article{{{key},\n"
            f"  author  = {{{PLACEHOLDER}: the authors}},\n"
            f"  title   = {{{PLACEHOLDER}: the title}},\n"
            f"  journal = {{{PLACEHOLDER}: the journal}},\n"
            f"  year    = {{{PLACEHOLDER}: the year}},\n"
            f"  doi     = {{{PLACEHOLDER}: the DOI}},\n"
            f"}}\n")


def create_study(root: Path, name: str, source: str, key: str | None = None, prefix: str | None = None,
                 label: str | None = None) -> list[Path]:
    """Create the files of a new study; returns them (relative to ``root``), new and edited."""
    root = Path(root).resolve()  # its parent holds shared/seeds
    key = key or name.replace("_", "")
    prefix = prefix or key
    check_request(root, name, source, key, prefix)
    shown_label = label or f"{PLACEHOLDER}: the label readers see, e.g. Smith et al. 2024 (case report)"
    folder = root / "data" / name
    folder.mkdir(parents=True)
    for file, _suffix, schema, _title, _description in TABLES:
        (folder / file).write_text(_csv_line(_schema_columns(root, schema)), encoding="utf-8")
    (folder / "resources.json").write_text(
        json.dumps(_resources(root, name, source, prefix, label or name), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    chapter = root / "chapters" / f"{name}.md"
    chapter.write_text(string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        name=name.replace("_", "-"), name_folder=name, title=label or f"{PLACEHOLDER}: the chapter's title", key=key, prefix=prefix),
        encoding="utf-8")
    registry_row = {column: f"{PLACEHOLDER}" for column in _header(root / STUDIES)}
    registry_row |= {"study_key": key, "label": shown_label, "chapter": name, "sources": source,
                     "claim_prefix": prefix, "data_folder": name, "audit_module": "", "overview_times": "",
                     "design": f"{PLACEHOLDER}: the design as the paper states it",
                     "level_of_evidence": f"{PLACEHOLDER}: the level of evidence and the scale that ranks it",
                     "n_patients": f"{PLACEHOLDER}: the number of patients"}
    _append(root / STUDIES, _csv_line(list(registry_row.values())))
    source_row = {"source_file": source, "study_key": key, "part": "full text", "label": shown_label}
    _append(root / SOURCES, _csv_line([source_row[column] for column in _header(root / SOURCES)]))
    _append(root / BIBLIOGRAPHY, "\n" + _bibliography_stub(key))
    return [*(Path("data") / name / file for file, *_ in TABLES), Path("data") / name / "resources.json",
            chapter.relative_to(root), STUDIES, SOURCES, BIBLIOGRAPHY]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create the files of a new study (make new-study).")
    parser.add_argument("name", help="the study's data folder and chapter name, e.g. lms_liver_case")
    parser.add_argument("source", help="its source text, a file of ../shared/seeds/ not yet in sources.csv")
    parser.add_argument("--key", help="its citation key (default: NAME without underscores)")
    parser.add_argument("--prefix", help="its claim-id prefix, stable once published (default: the key)")
    parser.add_argument("--label", help="the label readers see (default: a placeholder to fill)")
    args = parser.parse_args(argv)
    try:
        written = create_study(ROOT, args.name, args.source, args.key, args.prefix, args.label)
    except ScaffoldError as error:
        print(f"make new-study: {error}", file=sys.stderr)
        return 2
    print("make new-study: wrote " + ", ".join(str(path) for path in written))
    print(f"Next: replace every '{PLACEHOLDER}' in them (validation refuses the registry's), transcribe the "
          f"printed numbers into data/{args.name}/text_numbers.csv and declare claims in claims.csv; then "
          f"make book. Appraise it in data/{args.name}/appraisal.csv (the book refuses a study without).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
