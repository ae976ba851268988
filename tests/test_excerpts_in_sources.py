"""Every excerpt in data/ (column ``context``) is the paper's own text.

``ExcerptCheck`` (sarcoma_review/transcription_checks.py) holds each transcribed value to its
excerpt; this test holds each excerpt to the source paper it names in data/datapackage.json, so a
value is tied to the paper through two independent copies.

The comparison (``claimcheck.source_reader.locate``, which the coverage gate uses too) forgives
what text extraction changes and nothing else: white space (lines wrap), LaTeX math markup
(``$P < 0.05$``, ``\\geq``), HTML superscripts (reference numbers), Markdown links, and the kind of
dash. An excerpt may leave words out where it says so (``...`` or ``…``), may join the cells of a
table row with `` | ``, and may run on across a table or figure that the extracted text puts in the
middle of its sentence (at most two such interruptions); its pieces must stand in order.

The papers live outside the repository (``../shared/seeds/``, see the README, "The source papers"): where they are
absent the test is skipped with that reason, and the value-in-excerpt check still runs.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from claimcheck.source_reader import comparable, comparable_text, locate, occurs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def excerpt_rows() -> list[tuple[str, int, str, list[str]]]:
    """(file, line, excerpt, the source papers it may come from) for every row with an excerpt.

    A row that names its source text (column ``source_file``, as the appraisal tables do, whose
    rows quote different papers) is held to that paper alone; other rows to any of the papers
    their resource lists."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    found = []
    for resource in package["resources"]:
        sources = [ROOT / source["path"] for source in resource["sources"]]
        with (DATA / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                if row.get("context", "").strip():
                    named = row.get("source_file", "").strip()
                    # a paper the resource does not list leaves no paper to find the excerpt in
                    paths = [s for s in sources if s.name == named] if named else sources
                    found.append((resource["path"], line, row["context"], [str(s) for s in paths]))
    return found


ROWS = excerpt_rows()
SOURCES_PRESENT = all(Path(path).is_file() for *_, paths in ROWS for path in paths)


def test_there_are_excerpts_to_check() -> None:
    assert len(ROWS) > 500


@pytest.mark.skipif(not SOURCES_PRESENT, reason="source papers not found at ../shared/seeds/")
def test_every_excerpt_occurs_in_its_source_paper() -> None:
    texts = {path: comparable_text(Path(path).read_text(encoding="utf-8"))
             for path in {path for *_, paths in ROWS for path in paths}}
    missing = [f"data/{file}:{line}:context: {excerpt[:100]!r}"
               for file, line, excerpt, paths in ROWS
               if not any(locate(excerpt, texts[path]) for path in paths)]
    assert not missing, "excerpts not found in their source paper:\n" + "\n".join(missing)


@pytest.mark.parametrize("fragment, source, expected", [
    ("11 patients (9.7%) were at stage III",                                 # runs on across a table
     "11 patients (9.7%) were at\n\nTable 1 Baseline\tCharacteristics\n\nstage III", True),
    ("11 patients (9.7%) were at stage III", "11 patients (9.7%) were at stage IV", False),
    ("P < 0.05", "($P < 0.05$)", True),
    ("0–1 vs ≥ 2", r"0–1 vs \geq 2", True),
    ("Chapiro et al reported", "Chapiro et al<sup>11</sup> reported", True),
    ("as shown in Table 3", "as shown in [Table 3](#)", True),
    ("median OS of 21.2 months", "median OS of 21.3 months", False),
    ("median OS of 21.2 months", "median OS of 21.3 months, or 12 months", False),
])
def test_the_comparison_forgives_extraction_and_nothing_else(fragment, source, expected) -> None:
    assert occurs(comparable(fragment), comparable(source)) is expected


@pytest.mark.parametrize("excerpt, source, expected", [
    ("Jan 2018 | Initial diagnosis", "Jan 2018\n\tInitial diagnosis\n", True),   # table cells in order
    ("Jan 2018 | Initial diagnosis", "Initial diagnosis\n\tJan 2018\n", False),  # ... not reversed
    ("underwent AICE treatment ... between November 2011",
     "underwent AICE treatment at the Fifth Medical Center between November 2011", True),
    ("between November 2011 ... underwent AICE treatment",
     "underwent AICE treatment at the Fifth Medical Center between November 2011", False),
])
def test_the_pieces_of_an_excerpt_stand_in_order(excerpt, source, expected) -> None:
    assert bool(locate(excerpt, source)) is expected
