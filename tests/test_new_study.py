"""`make new-study`: a new study from the scaffold edits no shared file, and appears everywhere.

The end-to-end test scaffolds a study in a copy of the repository (run on the copy's own code,
`book_tools.repo_copy`), fills in what only a reader of the paper can write (three printed numbers,
two claims, the registry row, the bibliography entry and the appraisal), runs `make book`, and
finds the study in the published ledger, on the dashboard, in the overview and in the table of
contents. A listing of the copy with content hashes, before and after, shows which files a new
study edits. The unit tests check the scaffold's refusals.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from book_tools import repo_copy, scaffold
from sarcoma_review import appraisal, datapackage

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NEW_SOURCE = "005_0123456789abcdef.txt"
# A made-up case report, written for this test: an illustration, not a source of the review.
NEW_TEXT = """Abstract
A 54-year-old man with a recurrent leiomyosarcoma of the thigh received transarterial chemoembolization.

Case presentation
A 54-year-old man presented with a painful mass of the left thigh. MRI showed a lesion of 6.2 cm.
"""
NAME, KEY, PREFIX = "lms_thigh_case", "test2026thigh", "thigh"
LABEL = "Test et al. 2026 (LMS of the thigh, an illustration)"
NUMBERS = [
    # number_id, location, context, key, printed, unit, ci_lower, ci_upper
    ["abstract-age", "Abstract", "A 54-year-old man with a recurrent leiomyosarcoma", "age", "54", "years", "", ""],
    ["case-age", "Case presentation", "A 54-year-old man presented with a painful mass", "age", "54", "years", "", ""],
    ["case-size", "Case presentation", "MRI showed a lesion of 6.2 cm", "tumour.size", "6.2", "cm", "", ""],
]
CLAIMS = [
    # claim_id, rule, inputs, labels, quantity, note
    [f"{PREFIX}.case-age.same_quantity_agrees", "same_quantity_agrees", "case-age; abstract-age", "", "", ""],
    [f"{PREFIX}.case-size.not_checkable", "not_checkable", "case-size", "", "",
     "a single measurement at presentation"],
]
FILLED = {"design": "Single case report",
          "level_of_evidence": "Very low: a single case report (an illustration made up for a test)",
          "n_patients": "1", "n_location": "Case presentation", "histology": "Leiomyosarcoma of the thigh",
          "setting": "Recurrence", "procedure": "Transarterial chemoembolization",
          "outcomes_reported": "None (an illustration)"}


def _csv_rows(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _repository_copy(tmp_path: Path) -> Path:
    """The repository's files (as git sees them) in <tmp>/repo, with <tmp>/shared/seeds beside it
    holding the real source texts and the made-up one."""
    copy = tmp_path / "repo"
    for name in _tracked_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    seeds = tmp_path / "shared" / "seeds"
    seeds.mkdir(parents=True)
    for seed in SEEDS.iterdir():
        (seeds / seed.name).symlink_to(seed)
    (seeds / NEW_SOURCE).write_text(NEW_TEXT, encoding="utf-8")
    repo_copy.link_venv(copy, ROOT / ".venv")
    return copy


def _listing(root: Path) -> dict[str, str]:
    """Every file of ``root`` with the SHA-256 of its content, without the build and caches."""
    skipped = {"_build", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*"))
            if path.is_file() and not skipped & set(path.relative_to(root).parts)}


def _fill_placeholders(copy: Path) -> None:
    """What a maintainer writes after `make new-study`: the registry row, the bibliography (the
    label, given as LABEL, is already in the chapter's title and the sources row)."""
    studies = copy / scaffold.STUDIES
    with studies.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1] |= FILLED | {"label": LABEL}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    studies.write_text(buffer.getvalue(), encoding="utf-8")
    bibliography = copy / scaffold.BIBLIOGRAPHY
    text = bibliography.read_text(encoding="utf-8")
    for placeholder, value in (("the authors", "Test, A."), ("the title", "A made-up case report for a test"),
                               ("the journal", "Journal of Tests"), ("the year", "2026"),
                               ("the DOI", "10.0000/test.2026")):
        text = text.replace(f"{scaffold.PLACEHOLDER}: {placeholder}", value)
    bibliography.write_text(text, encoding="utf-8")
    chapter = copy / "chapters" / f"{NAME}.md"
    assert scaffold.PLACEHOLDER not in chapter.read_text(encoding="utf-8")  # --label gave the title


def _appraise(copy: Path) -> None:
    """The JBI case-report checklist of the new study, in its own folder."""
    items = ["Age and sex are given.", "No history beyond the recurrence is given.",
             "The mass and its size are described.", "MRI is named and its finding given.",
             "The procedure is named, without drug or dose.", "Nothing after the procedure is reported.",
             "No adverse event is reported.", "No lesson is drawn."]
    rows = [[KEY, "jbi_case_report", str(item), "yes" if item == 1 else "no", reason, "Case presentation",
             NEW_SOURCE, "", ""] for item, reason in enumerate(items, start=1)]
    checklist = copy / "data" / NAME / "appraisal.csv"
    checklist.write_text(checklist.read_text(encoding="utf-8") + _csv_rows(rows), encoding="utf-8")


def test_a_scaffolded_study_with_two_claims_is_in_the_ledger_dashboard_overview_and_contents(tmp_path):
    copy = _repository_copy(tmp_path)
    before = _listing(copy)
    env = repo_copy.environment(copy)
    created = subprocess.run(repo_copy.make_command("new-study", f"NAME={NAME}", f"SOURCE={NEW_SOURCE}",
                                                    f"KEY={KEY}", f"PREFIX={PREFIX}", f"LABEL={LABEL}"),
                             cwd=copy, env=env, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    # Until a maintainer fills the placeholders, validation refuses them, naming file, line and column.
    refused = subprocess.run([str(copy / ".venv/bin/python"), "-m", "sarcoma_review.validate"], cwd=copy, env=env,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
    assert "data/evidence_overview/studies.csv:6:design: 'TO FILL" in refused.stdout + refused.stderr

    folder = copy / "data" / NAME
    (folder / "text_numbers.csv").write_text((folder / "text_numbers.csv").read_text(encoding="utf-8")
                                             + _csv_rows(NUMBERS), encoding="utf-8")
    (folder / "claims.csv").write_text((folder / "claims.csv").read_text(encoding="utf-8") + _csv_rows(CLAIMS),
                                       encoding="utf-8")
    _fill_placeholders(copy)
    _appraise(copy)
    built = subprocess.run(repo_copy.make_command("book"), cwd=copy, env=env, capture_output=True, text=True,
                           timeout=3000)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    with (copy / "_build/published/claims.csv").open(encoding="utf-8", newline="") as handle:
        ledger = [row for row in csv.DictReader(handle) if row["study"] == KEY]
    # the two declared claims read all three numbers, so the not-checkable fallback adds no row
    assert {row["claim_id"]: row["verdict"] for row in ledger} == {
        f"{PREFIX}.case-age.same_quantity_agrees": "consistent",
        f"{PREFIX}.case-size.not_checkable": "not-checkable"}
    html = copy / "_build" / "html"
    chapter = (html / "chapters" / f"{NAME}.html").read_text(encoding="utf-8")
    assert LABEL in chapter and f"{PREFIX}.case-age.same_quantity_agrees" in chapter
    assert "not medical advice" in chapter and "Single case report" in chapter
    assert LABEL in (html / "chapters" / "audit_dashboard.html").read_text(encoding="utf-8")
    assert LABEL in (html / "chapters" / "evidence_overview.html").read_text(encoding="utf-8")
    # the table of contents: the navigation of every page links the new chapter, after the others
    index = (html / "index.html").read_text(encoding="utf-8")
    assert f'href="chapters/{NAME}.html"' in index
    assert index.index(f'href="chapters/{NAME}.html"') > index.index('href="chapters/lms_tace_rfa_case.html"')

    after = _listing(copy)
    edited = sorted(path for path in after if before.get(path) != after[path])
    removed = sorted(set(before) - set(after))
    allowed = {f"chapters/{NAME}.md", "data/evidence_overview/studies.csv", "data/evidence_overview/sources.csv",
               "references.bib"}
    assert not removed
    assert [path for path in edited if path not in allowed and not path.startswith(f"data/{NAME}/")] == []
    assert sorted(path for path in edited if path.startswith(f"data/{NAME}/")) == [
        f"data/{NAME}/{name}" for name in ("appraisal.csv", "claims.csv", "conclusions.csv", "exclusions.csv",
                                           "resources.json", "text_numbers.csv")]
    print("edited by a new study:", edited)


# ------------------------------------------------------------------------------- the refusals


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """What the scaffold reads and writes: data/, chapters/, references.bib, and ../shared/seeds."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "chapters", copy / "chapters")
    shutil.copy2(ROOT / "references.bib", copy / "references.bib")
    seeds = tmp_path / "shared" / "seeds"
    seeds.mkdir(parents=True)
    for seed in SEEDS.iterdir():
        (seeds / seed.name).symlink_to(seed)
    (seeds / NEW_SOURCE).write_text(NEW_TEXT, encoding="utf-8")
    return copy


@pytest.mark.parametrize(("arguments", "message"), [
    (("Bad-Name", NEW_SOURCE), r"NAME='Bad-Name': expected a folder and chapter name"),
    (("lms_debtace_case", NEW_SOURCE), r"NAME='lms_debtace_case': data/evidence_overview/studies.csv:4:data_folder "
                                       r"already has it \(study cui2025debtace\)"),
    (("new_case", NEW_SOURCE, "cui2025debtace"), r"KEY='cui2025debtace': data/evidence_overview/studies.csv:4:"
                                                 r"study_key already has it"),
    (("new_case", NEW_SOURCE, None, "debtace"), r"PREFIX='debtace': .*studies.csv:4:claim_prefix already has it"),
    (("new_case", NEW_SOURCE, None, "comp"), r"PREFIX='comp' is the cross-study audit's"),
    (("new_case", NEW_SOURCE, "moola2020jbi"), r"KEY='moola2020jbi': references.bib has an entry with this key"),
    (("new_case", "paper.txt"), r"SOURCE='paper.txt': expected the file name of a source text"),
    (("new_case", "009_ffffffffffffffff.txt"), r"SOURCE='009_ffffffffffffffff.txt': no such file in .*seeds"),
    (("new_case", "002_d137fbd7bd065c84.txt"), r"SOURCE='002_d137fbd7bd065c84.txt': data/evidence_overview/"
                                               r"sources.csv:5:source_file already gives it to study cui2025debtace"),
])
def test_the_scaffold_refuses_and_writes_nothing(small_copy, arguments, message):
    before = _listing(small_copy)
    with pytest.raises(scaffold.ScaffoldError, match=message):
        scaffold.create_study(small_copy, *arguments)
    assert _listing(small_copy) == before


def test_a_chapter_or_folder_of_that_name_is_refused(small_copy):
    (small_copy / "chapters" / "new_case.md").write_text("# x\n", encoding="utf-8")
    with pytest.raises(scaffold.ScaffoldError, match=r"chapters/new_case.md exists already"):
        scaffold.create_study(small_copy, "new_case", NEW_SOURCE)


def test_the_scaffolded_package_is_refused_until_its_placeholders_are_filled(small_copy, monkeypatch):
    written = scaffold.create_study(small_copy, "new_case", NEW_SOURCE)
    assert {path.as_posix() for path in written} >= {"data/new_case/resources.json", "chapters/new_case.md",
                                                      "references.bib", "data/evidence_overview/studies.csv"}
    monkeypatch.chdir(small_copy)
    found = [str(problem) for problem in datapackage.check_package(small_copy / "data").problems]
    # every placeholder of the registry and sources rows, located; nothing else of the new study's tables
    assert found and all(line.startswith(("data/evidence_overview/studies.csv:6:",
                                          "data/evidence_overview/sources.csv:7:")) for line in found), found
    assert any(line.startswith("data/evidence_overview/studies.csv:6:design: 'TO FILL") for line in found)
    assert any(line.startswith("data/evidence_overview/studies.csv:6:n_patients:") for line in found)
    assert "@article{newcase," in (small_copy / "references.bib").read_text(encoding="utf-8")


def test_a_scaffolded_study_is_not_published_without_its_checklist_and_its_rows_are_located(small_copy, monkeypatch):
    scaffold.create_study(small_copy, NAME, NEW_SOURCE, KEY, PREFIX, LABEL)
    studies = small_copy / scaffold.STUDIES
    text = studies.read_text(encoding="utf-8")
    for column, value in FILLED.items():
        text = text.replace({"design": "TO FILL: the design as the paper states it",
                             "level_of_evidence": "TO FILL: the level of evidence and the scale that ranks it",
                             "n_patients": "TO FILL: the number of patients"}.get(column, "TO FILL"), value, 1)
    studies.write_text(text, encoding="utf-8")
    monkeypatch.chdir(small_copy)
    with datapackage.reading_from(small_copy / "data"):
        assert datapackage.check_package().problems == []
        found = [str(problem) for problem in appraisal.problems()]
        assert found == [f"data/appraisal/checklists.csv:-:study_key: study {KEY!r} has no checklist; expected every "
                         f"study of evidence_overview/studies.csv appraised, here or in data/{NAME}/appraisal.csv"]
        checklist = small_copy / "data" / NAME / "appraisal.csv"
        checklist.write_text(checklist.read_text(encoding="utf-8") + _csv_rows(
            [[KEY, "jbi_case_report", str(item), "yes", "A reason of ten characters.", "Case presentation", "", "", ""]
             for item in range(1, 8)] + [[KEY, "jbi_case_series", "8", "yes", "A reason of ten characters.",
                                          "Case presentation", "", "", ""]]), encoding="utf-8")
        datapackage._validated.cache_clear()
        assert [str(problem) for problem in appraisal.problems()] == [
            f"data/{NAME}/appraisal.csv:9:tool: study {KEY!r} is appraised with jbi_case_report and jbi_case_series; "
            f"expected one checklist per study"]


def test_the_book_refuses_a_placeholder_left_in_the_bibliography_or_the_chapter(small_copy):
    from book_tools import build_inputs

    assert build_inputs.placeholder_problems(ROOT) == []
    (small_copy / "index.md").write_text("# Index\n", encoding="utf-8")
    shutil.copy2(ROOT / "_toc.template.yml", small_copy / "_toc.template.yml")
    scaffold.create_study(small_copy, NAME, NEW_SOURCE, KEY, PREFIX)
    found = build_inputs.placeholder_problems(small_copy)
    bibliography_lines = [line for line in found if line.startswith("references.bib:")]
    assert len(bibliography_lines) == 5 and "'author  = {TO FILL: the authors},' holds a placeholder" in found[0]
    assert [line for line in found if not line.startswith("references.bib:")] == [
        f"chapters/{NAME}.md:14: \"# TO FILL: the chapter's title\" holds a placeholder of make new-study; "
        f"expected what the paper says"]


def test_make_new_study_without_arguments_says_how_to_call_it():
    done = subprocess.run(["make", "-s", "new-study"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "MAKEFLAGS": ""})
    assert done.returncode != 0 and "usage: make new-study NAME=" in done.stderr
