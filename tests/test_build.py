"""The book's build fails loudly and never publishes a stale number.

Each test copies the repository's build machinery into a temporary folder, with a table of
contents holding one probe page, and runs the real `make book` there. The tests share nothing
and run concurrently (`make unit`: pytest-xdist, tests/conftest.py).

A copy whose data the test leaves alone starts with the publication of an identical copy, made
once per test process (`publication`), as a contributor's tree does after its first build:
`make publish` in the copy still compares that publication's fingerprint with the copy's inputs
and computes it again where they differ (every test that edits data/ shows it does).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book_tools import repo_copy

ROOT = Path(__file__).resolve().parent.parent
# CITATION.cff: the published data package and the pages cite the review by its metadata. The
# checking library (lib/), the review and the build tooling are copied and run from the copy
# (repo_copy.environment): an edit of the copy's code is what the copy's build runs.
COPIED = ("Makefile", "_config.yml", "references.bib", "requirements.txt", "pyproject.toml", "lib",
          "sarcoma_review", "book_tools", "data", "mk", "CITATION.cff")

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

(probe)=
# Probe
"""


def copy_machinery(book: Path) -> Path:
    book.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, book / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, book / name)
    repo_copy.link_venv(book, ROOT / ".venv")
    return book


@pytest.fixture(scope="session")
def publication(tmp_path_factory) -> Path:
    """`make publish` in a copy of the machinery: the publication every unedited copy would compute."""
    book = copy_machinery(tmp_path_factory.mktemp("publication") / "book")
    done = make_in_copy(book, "publish", timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return book / "_build" / "published"


def make_book_copy(tmp_path: Path, page_body: str, published: Path | None = None) -> Path:
    """A copy with one probe page; with ``published``, that publication already in its _build/."""
    book = copy_machinery(tmp_path / "book")
    if published is not None:
        shutil.copytree(published, book / "_build" / "published")
    (book / "_toc.yml").write_text("format: jb-book\nroot: probe\n")
    (book / "probe.md").write_text(HEADER + page_body)
    return book


def stub_targets(pages: list[Path]) -> str:
    """MyST targets for the labels that `pages` reference but do not define, so that a copy of a
    few chapters builds strictly without the chapters their cross-references point to."""
    texts = [page.read_text(encoding="utf-8") for page in pages]
    defined = {label for text in texts for label in re.findall(r"^\(([\w-]+)\)=$", text, flags=re.M)}
    referenced = {match.group(2) or match.group(3) for text in texts
                  for match in re.finditer(r"\{ref\}`(?:([^`<]*)<([\w-]+)>|([\w-]+))`", text)}
    return "".join(f"({label})=\n## Stands in for {label}\n\n" for label in sorted(referenced - defined))


def page_text(page: Path) -> str:
    return " ".join(BeautifulSoup(page.read_text(), "html.parser").get_text(" ").split())


def make_in_copy(book: Path, target: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(repo_copy.make_command(target), cwd=book, capture_output=True, text=True,
                          env=repo_copy.environment(book), timeout=timeout)


def make_book(book: Path) -> subprocess.CompletedProcess:
    return make_in_copy(book, "book")


def test_a_clean_probe_page_builds_from_the_copy_s_code(tmp_path, publication):
    book = make_book_copy(tmp_path, "```{code-cell} ipython3\n"
                                    "import claimcheck, sarcoma_review\n"
                                    "print(6 * 7, claimcheck.__file__, sarcoma_review.__file__)\n```\n",
                          publication)
    result = make_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = (book / "_build/html/probe.html").read_text()
    assert "42" in page
    # The chapter's kernel imported the copy's library and review, not the trees the venv's
    # editable installs point at.
    assert str(book / "lib" / "claimcheck" / "__init__.py") in page
    assert str(book / "sarcoma_review" / "__init__.py") in page


def test_an_unchanged_book_is_not_rebuilt_and_a_changed_one_is(tmp_path, publication):
    book = make_book_copy(tmp_path, "```{code-cell} ipython3\nprint(6 * 7)\n```\n", publication)
    assert make_book(book).returncode == 0
    again = make_book(book)
    assert again.returncode == 0 and "is up to date with the sources" in again.stdout
    page = book / "probe.md"
    page.write_text(page.read_text().replace("6 * 7", "6 * 8"))
    os.utime(page, (0, 0))      # an old modification time must not hide the change
    changed = make_book(book)
    assert changed.returncode == 0 and "up to date with the sources" not in changed.stdout
    assert "48" in (book / "_build/html/probe.html").read_text()


@pytest.mark.parametrize(
    "body, symptom",
    [
        ("```{code-cell} ipython3\nraise RuntimeError('probe failure')\n```\n", "probe failure"),
        ("See {ref}`a-label-that-does-not-exist`.\n", "a-label-that-does-not-exist"),
        ("The value is {glue:text}`a_glue_key_that_was_never_glued`.\n", "a_glue_key_that_was_never_glued"),
    ],
    ids=["failing-cell", "broken-cross-reference", "missing-glue-key"],
)
def test_make_book_fails(tmp_path, publication, body, symptom):
    book = make_book_copy(tmp_path, body, publication)
    result = make_book(book)
    assert result.returncode != 0
    assert symptom in result.stdout + result.stderr


def test_a_failed_build_fails_again_when_rerun(tmp_path, publication):
    """Sphinx re-reads only changed pages; a second run must not pass by forgetting the warning."""
    book = make_book_copy(tmp_path, "See {ref}`a-label-that-does-not-exist`.\n", publication)
    assert make_book(book).returncode != 0
    assert make_book(book).returncode != 0


def test_editing_data_changes_the_published_number(tmp_path, publication):
    """The execution cache keys on code only; an edit of a transcribed CSV must still reach the page."""
    body = (
        "```{code-cell} ipython3\n"
        "from myst_nb import glue\n"
        "from sarcoma_review.datapackage import load_table\n"
        "table = load_table('aice_cohort/table1_baseline.csv').set_index('row_id')\n"
        "glue('probe_count', table.loc['t1-age-le35', 'count'], display=False)\n"
        "```\n\nPatients aged 35 or younger: {glue:text}`probe_count`.\n"
    )
    book = make_book_copy(tmp_path, body, publication)
    page = book / "_build/html/probe.html"
    assert make_book(book).returncode == 0
    assert "Patients aged 35 or younger: 37" in page_text(page)
    published = (book / "_build/published/claims.csv").read_text(encoding="utf-8")
    assert "113 = 37 + 76" in published

    table = book / "data" / "aice_cohort" / "table1_baseline.csv"
    table.write_text(table.read_text().replace("baseline.age[<=35],37,32.7", "baseline.age[<=35],38,32.7"))
    result = make_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = page_text(page)
    assert "Patients aged 35 or younger: 38" in text and "younger: 37" not in text
    # The publication the copy started with was recomputed from the edited table.
    published = (book / "_build/published/claims.csv").read_text(encoding="utf-8")
    assert "114 = 38 + 76" in published and "113 = 37 + 76" not in published


def test_a_table_restored_with_an_old_modification_time_is_published_again(tmp_path):
    """`git stash pop` or `cp -p` can put back a file older than the publication it contradicts:
    make publish compares fingerprints, not modification times."""
    book = make_book_copy(tmp_path, "No code.\n")

    def publish() -> str:
        done = make_in_copy(book, "publish", timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return (book / "_build/published/claims.csv").read_text(encoding="utf-8")

    table = book / "data" / "aice_cohort" / "table1_baseline.csv"
    original = table.read_text(encoding="utf-8")
    table.write_text(original.replace("baseline.age[<=35],37,32.7", "baseline.age[<=35],38,32.7"), encoding="utf-8")
    edited = publish()
    assert "114 = 38 + 76" in edited and "113 = 37 + 76" not in edited

    table.write_text(original, encoding="utf-8")
    os.utime(table, (0, 0))            # older than the publication of the edited table
    restored = publish()
    assert restored != edited and "113 = 37 + 76" in restored


def test_a_finding_sentence_follows_the_data(tmp_path):
    """A sentence that states a finding is rendered from the published ledger (sarcoma_review/findings.py).

    With one count of the AICE cohort's Table 2 lowered by one (fibrosarcoma 9 -> 8), the counts add
    up to the 113 patients and the ledger row aice.t2-all.counts_sum_to_total turns consistent. The
    chapter, built for real, must no longer say that they add up to 113 "not 113".
    """
    chapters = ("aice_cohort", "glossary", "bibliography")
    book = make_book_copy(tmp_path, "The AICE chapter, built from edited data.\n\n"
                          + stub_targets([ROOT / "chapters" / f"{chapter}.md" for chapter in chapters]))
    (book / "chapters").mkdir()
    for chapter in chapters:
        shutil.copy2(ROOT / "chapters" / f"{chapter}.md", book / "chapters" / f"{chapter}.md")
    (book / "_toc.yml").write_text("format: jb-book\nroot: probe\nchapters:\n  - file: chapters/aice_cohort\n"
                                   "  - file: chapters/glossary\n  - file: chapters/bibliography\n")
    # The Results text prints the same count ("9 (8.0%) had fibrosarcoma"): it is edited with the table.
    for name, old, new in (("table2_subtypes.csv", "subtype[fibrosarcoma],9,8.0", "subtype[fibrosarcoma],8,8.0"),
                           ("results.csv", "subtype[fibrosarcoma].n,9,", "subtype[fibrosarcoma].n,8,"),
                           ("results.csv", "9 (8.0%) had fibrosarcoma", "8 (8.0%) had fibrosarcoma")):
        table = book / "data" / "aice_cohort" / name
        original = table.read_text(encoding="utf-8")
        assert old in original, (name, old)
        table.write_text(original.replace(old, new), encoding="utf-8")

    result = make_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    published = (book / "_build/published/claims.csv").read_text(encoding="utf-8")
    assert "aice.t2-all.counts_sum_to_total,001_b310b963ff8f79a5.txt" in published
    assert re.search(r"aice\.t2-all\.counts_sum_to_total,[^\n]*,consistent,", published)
    text = page_text(book / "_build/html/chapters/aice_cohort.html")
    assert "counts add up to 113, the number of patients." in text
    assert "not 113" not in text
