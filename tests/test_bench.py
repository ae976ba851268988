"""The benchmark's machinery: the copy, the chapter edit, the execution count, the verdicts."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import jupytext
import nbformat
import pytest

from book_tools import bench, repo_copy

CHAPTER = textwrap.dedent("""\
    ---
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

    # A chapter

    ```{code-cell} ipython3
    x = 1
    ```

    Some prose with a fence-like thing: `x`.

    ```{code-cell} ipython3
    :tags: [remove-cell]
    y = x + 1
    y
    ```

    The end.
    """)


def test_edit_chapter_changes_only_the_last_code_cell_by_a_comment(tmp_path):
    chapter = tmp_path / "c.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    before = [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"]
    bench.edit_chapter(chapter)
    after = [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"]
    assert after[:-1] == before[:-1]
    assert after[-1] == before[-1] + "\n# benchmark: a harmless edit"
    assert chapter.read_text(encoding="utf-8").endswith("```\n\nThe end.\n")


def test_edit_chapter_refuses_a_chapter_without_code(tmp_path):
    chapter = tmp_path / "prose.md"
    chapter.write_text("# Only prose\n", encoding="utf-8")
    with pytest.raises(ValueError):
        bench.edit_chapter(chapter)


def test_notebook_chapters_follow_the_toc_and_skip_plain_pages(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: A\n    chapters:\n"
        "      - file: chapters/b\n      - file: chapters/plain\n      - file: chapters/a\n", encoding="utf-8")
    for name in ("index.md", "chapters/a.md", "chapters/b.md"):
        (tmp_path / name).write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "chapters/plain.md").write_text("# No code\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in bench.notebook_chapters(tmp_path)]
    assert found == ["index.md", "chapters/b.md", "chapters/a.md"]


def test_copy_repo_leaves_out_derived_state_and_links_the_venv(tmp_path, monkeypatch):
    fake = tmp_path / "repo"
    for name in ("_build/html/x", ".git/HEAD", "data/a.csv", "chapters/c.md", ".venv/bin/python",
                 "sarcoma_review/__pycache__/m.pyc", "sarcoma_review/m.py"):
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text("x", encoding="utf-8")
    monkeypatch.setattr(bench, "ROOT", fake)
    copy = bench.copy_repo(tmp_path / "copy")
    assert (copy / "data/a.csv").exists() and (copy / "sarcoma_review/m.py").exists()
    assert not (copy / "_build").exists() and not (copy / ".git").exists()
    assert not (copy / "sarcoma_review/__pycache__").exists()
    assert (copy / ".venv").is_symlink() and (copy / ".venv").resolve() == (fake / ".venv").resolve()
    assert (copy / repo_copy.VENV_STAMP).exists()


def test_execution_count_comes_from_the_cache_database(tmp_path):
    """executed_since sees exactly the notebooks whose cache record is new or replaced."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(tmp_path / bench.CACHE_DB))
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.ipynb"
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{name} = 1")])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, path)
        paths.append(path)
        cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path)), check_validity=False, overwrite=True)
    before = bench.cache_records(tmp_path)
    assert sorted(before) == ["a.ipynb", "b.ipynb"]
    assert bench.executed_since(tmp_path, before) == []
    time.sleep(0.01)
    notebook = nbformat.read(paths[1], as_version=4)
    notebook.cells[0].source += "\n# edited"
    cache.cache_notebook_bundle(CacheBundleIn(notebook, str(paths[1])), check_validity=False, overwrite=True)
    assert bench.executed_since(tmp_path, before) == ["b.ipynb"]


def _report(cold, noop, floor, executed, edited="chapters/a.md"):
    steps = [bench.Step("cold", cold, True), bench.Step("noop", noop, True),
             bench.Step("edit-chapter", 1.0, True, executed=executed), bench.Step("floor", floor, True)]
    return bench.summarise(steps, ["index.md", edited], edited)["verdicts"]


def test_verdicts_apply_the_targets_at_their_boundaries():
    ok = _report(cold=20.0, noop=2.0, floor=10.0, executed=["chapters/a.md"])
    assert ok["cold_within_2x_floor"] and ok["noop_within_10pct_of_cold"] and ok["edit_chapter_only_that_chapter"]
    bad = _report(cold=20.1, noop=2.1, floor=10.0, executed=["chapters/a.md", "index.md"])
    assert not bad["cold_within_2x_floor"]
    assert not bad["noop_within_10pct_of_cold"]
    assert not bad["edit_chapter_only_that_chapter"]
    assert not _report(cold=20.0, noop=1.0, floor=10.0, executed=[])["edit_chapter_only_that_chapter"]
