"""Two clean builds give the same bytes: the ledger, every downloadable table, every figure's data.

* `python -m sarcoma_review.publish` runs twice, in fresh interpreters with different
  PYTHONHASHSEED values, into two folders; every file must be byte-identical (and the set of
  files the same).
* every chapter notebook is executed twice, each execution in its own interpreter and kernel with
  its own PYTHONHASHSEED; every glued value -- numbers, tables, and the `<figure>_data`
  fingerprints `figures.glue_figure` writes -- must be identical. Run alone, the test makes both
  executions (jupytext -> nbclient, in a temporary copy of the book). In `make test` it is handed
  the two executions that run already (ARCHITECTURE.md, "One make test, two executions"): the
  strict build's, from the execution cache (`PYTHONHASHSEED=1`), and nbval's fresh execution of
  the approved notebooks (`PYTHONHASHSEED=4242`, kept by `book_tools.nbval_record`), both of this
  run; `SHARED_EXECUTIONS=<build folder>` names them, and the test refuses either when its code
  differs from the chapters'.
* a figure saved by two processes as SVG, PDF and PNG gives the same bytes, with the metadata
  that carries dates fixed.

Run alone: `pytest tests/test_determinism.py` (about a minute; see ARCHITECTURE.md, Trust gates).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from book_tools import repo_copy

# In one pytest-xdist worker: the tests share two publications and two saved figure sets.
pytestmark = pytest.mark.xdist_group("determinism")

ROOT = Path(__file__).resolve().parent.parent
HASH_SEEDS = ("1", "4242")
GLUE_MIME_PREFIX = "application/papermill.record/"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
# Set by `make test`: the build folder whose execution cache and nbval record (book_tools.nbval_record)
# hold this run's two executions of every chapter.
SHARED_EXECUTIONS = "SHARED_EXECUTIONS"
NBVAL_RECORD = "nbval-executions"


def _env(seed: str) -> dict[str, str]:
    # This tree's code, also when the tree is a copy that shares another tree's venv (make bench).
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": repo_copy.python_path(ROOT)}
    return env


def _run(args: list[str], seed: str, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=_env(seed), capture_output=True, text=True,
                          timeout=timeout, check=False)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------
# The published ledger and tables
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def publications(tmp_path_factory) -> list[Path]:
    """Two publications of the current tree, from two interpreters with different hash seeds."""
    root = tmp_path_factory.mktemp("published")
    outs = [root / f"published-{seed}" for seed in HASH_SEEDS]
    with ThreadPoolExecutor(len(outs)) as pool:
        done = list(pool.map(lambda pair: _run([sys.executable, "-m", "sarcoma_review.publish", str(pair[1])], pair[0]),
                             zip(HASH_SEEDS, outs)))
    for result in done:
        assert result.returncode == 0, result.stderr[-3000:]
    return outs


def test_publish_is_byte_identical_across_processes_and_hash_seeds(publications):
    first, second = publications
    names = _files(first)
    assert {"claims.csv", "claims.json"} <= set(names)
    assert names == _files(second), "the two builds published different sets of files"
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors, f"files differ between two builds: {mismatch + errors}"
    assert len(match) == len(names)


# ------------------------------------------------------------------------------------------
# Everything the chapters glue, figure-data fingerprints included
# ------------------------------------------------------------------------------------------

def notebook_chapters() -> list[Path]:
    import jupytext

    chapters = [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]
    return [c for c in chapters if c.exists() and jupytext.read(c).metadata.get("kernelspec") is not None]


def chapter_sources() -> list[Path]:
    """Notebook chapters that glue a figure: run alone, the test executes only those (nbval covers
    the others against their approvals); with shared executions it compares every chapter."""
    return [c for c in notebook_chapters()
            if "glue_figure(" in c.read_text(encoding="utf-8") or "{glue:figure}" in c.read_text(encoding="utf-8")]


EXECUTE = textwrap.dedent("""\
    # Execute MyST chapters, each in a fresh kernel, and print their glued values as JSON
    # (run by test_determinism; one such driver per hash seed).
    import json, sys
    from pathlib import Path
    import jupytext
    import nbformat
    import tempfile
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    published, chapters = sys.argv[1], sys.argv[2:]
    # Read the publication made by this test, not the repository's _build/published (which
    # may be stale or missing); it was made moments ago from this tree.
    setup = ("from pathlib import Path as _P\\n"
             "import sarcoma_review.publish as _publish\\n"
             f"_publish.PUBLISHED_DIR = _P({published!r})\\n"
             f"_publish.published_ledger.__defaults__ = (_P({published!r}),)\\n"
             f"_publish.inputs_fingerprint = lambda *a, **k: (_P({published!r}) / '.inputs-fingerprint').read_text().strip()")
    everything = {}
    for path in chapters:
        notebook = jupytext.read(path)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(setup))
        # IPC sockets in a private folder: two executions run at once, and kernels on TCP can
        # race for the same port ("Address already in use").
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tempfile.mkdtemp()) / "kernel"))
        NotebookClient(notebook, km=km, timeout=600,
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
        glued = {}
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name is not None:
                    glued[name] = {mime[len("%(prefix)s"):]: data for mime, data in output.get("data", {}).items()}
        everything[path] = glued
    print(json.dumps(everything, sort_keys=True))
    """) % {"prefix": GLUE_MIME_PREFIX}


def execute_glued(book_copy: Path, chapters: list[Path], seed: str, published: Path) -> list[dict]:
    targets = [str(book_copy / chapter.relative_to(ROOT)) for chapter in chapters]
    result = _run([sys.executable, "-c", EXECUTE, str(published), *targets], seed, cwd=book_copy, timeout=1800)
    assert result.returncode == 0, f"a chapter failed to execute:\n{result.stderr[-3000:]}"
    everything = json.loads(result.stdout.strip().splitlines()[-1])
    return [everything[target] for target in targets]


def _book_copy(tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    copy.mkdir()
    for item in ("index.md", "chapters", "_toc.yml", "_toc.template.yml", "_config.yml", "references.bib"):
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, copy / item)
        elif source.exists():
            shutil.copy2(source, copy / item)
    return copy


def _comparable(glued: dict) -> dict:
    """Glued values without image bytes (PNG is compared in test_saved_figures_are_byte_identical)."""
    return {name: {mime: data for mime, data in mimes.items() if mime not in IMAGE_MIMES}
            for name, mimes in glued.items()}


def _glued(cells) -> dict:
    """Glued values of executed cells, by glue key: {key: {mime (prefix removed): data}}."""
    glued = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                glued[name] = {mime[len(GLUE_MIME_PREFIX):]: data for mime, data in output.get("data", {}).items()}
    return glued


def _code(cells) -> list[str]:
    return [cell["source"].strip() for cell in cells if cell.get("cell_type", "code") == "code"]


def cached_execution(build: Path, chapter: Path) -> dict:
    """The strict build's execution of ``chapter``, from the execution cache in ``build``."""
    import jupytext
    from jupyter_cache import get_cache

    cache = get_cache(str(build / ".jupyter_cache"))
    record = cache.get_cached_project_nb(str(chapter.resolve()))
    assert record is not None, f"{chapter.name}: the execution cache in {build} holds no execution of its code"
    cells = cache.get_cache_bundle(record.pk).nb.cells
    assert _code(cells) == _code(jupytext.read(chapter).cells), f"{chapter.name}: cached code differs"
    return _glued(cells)


def nbval_execution(build: Path, chapter: Path) -> dict:
    """nbval's execution of ``chapter``'s approved notebook, as book_tools.nbval_record kept it."""
    import jupytext

    record_file = build / NBVAL_RECORD / f"{chapter.stem}.json"
    assert record_file.is_file(), f"{chapter.name}: nbval kept no execution at {record_file}"
    cells = json.loads(record_file.read_text(encoding="utf-8"))["cells"]
    assert _code(cells) == _code(jupytext.read(chapter).cells), (
        f"{chapter.name}: nbval executed other code than the chapter's ({record_file})")
    return _glued(cells)


def two_executions(tmp_path: Path, publications: list[Path]) -> tuple[list[Path], list[dict]]:
    """The chapters compared and their glued values, two per chapter: [first, second, first, ...]."""
    shared = os.environ.get(SHARED_EXECUTIONS)
    if shared:
        build = Path(shared)
        chapters = notebook_chapters()
        return chapters, [glued for chapter in chapters
                          for glued in (cached_execution(build, chapter), nbval_execution(build, chapter))]
    chapters = chapter_sources()
    if not chapters:
        pytest.skip("no chapter glues a figure yet: figure-data determinism not exercised")
    copies = [_book_copy(tmp_path, f"book-{seed}") for seed in HASH_SEEDS]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda job: execute_glued(job[0], chapters, job[1], job[2]),
                             zip(copies, HASH_SEEDS, publications)))
    return chapters, [glued for pair in zip(*runs) for glued in pair]


def test_chapters_glue_identical_values_and_figure_data_in_two_executions(tmp_path, publications):
    chapters, results = two_executions(tmp_path, publications)
    fingerprints = 0
    for index, chapter in enumerate(chapters):
        first, second = results[2 * index], results[2 * index + 1]
        assert sorted(first) == sorted(second), f"{chapter.name}: different glue keys in two executions"
        differing = sorted(k for k in first if _comparable({k: first[k]}) != _comparable({k: second[k]}))
        assert not differing, f"{chapter.name}: glued values differ between two executions: {differing}"
        data_keys = [k for k in first if k.endswith("_data")]
        fingerprints += len(data_keys)
        for key in data_keys:
            assert first[key]["text/plain"] == second[key]["text/plain"]
    if fingerprints == 0:
        pytest.skip("no chapter glues a figure yet: figure-data determinism not exercised")


# ------------------------------------------------------------------------------------------
# Saved figure files
# ------------------------------------------------------------------------------------------

SAVE = textwrap.dedent("""\
    # Draw one figure in the book's style and save it in every format (run by test_determinism).
    import sys
    from pathlib import Path
    import matplotlib
    matplotlib.use("Agg")
    import pandas as pd
    from sarcoma_review import figures
    out = Path(sys.argv[1])
    data = pd.DataFrame({"months": [0, 6, 12, 24, 36], "survival": [1.0, 0.81, 0.66, 0.42, 0.3]})
    fig, ax = figures.new_figure("half")
    ax.step(data["months"], data["survival"], where="post", color=figures.COLOURS["os"], label="OS")
    ax.set_xlabel("Months"); ax.set_ylabel("Survival"); ax.legend(); ax.set_title("A figure")
    fixed = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {}}
    for fmt, metadata in fixed.items():
        fig.savefig(out / f"figure.{fmt}", metadata=metadata)
    # the control: the same SVG without the salt figures.py sets
    matplotlib.rcParams["svg.hashsalt"] = None
    fig.savefig(out / "figure-unsalted.svg", metadata={"Date": None})
    print(figures.data_fingerprint(data))
    """)


@pytest.fixture(scope="module")
def saved_figures(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("figures")
    outs = [root / seed for seed in HASH_SEEDS]
    for out in outs:
        out.mkdir()
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda pair: _run([sys.executable, "-c", SAVE, str(pair[1])], pair[0]),
                             zip(HASH_SEEDS, outs)))
    for result in done:
        assert result.returncode == 0, result.stderr[-3000:]
    assert done[0].stdout == done[1].stdout, "the figure-data fingerprint differs"
    return outs


def test_saved_figures_are_byte_identical(saved_figures):
    for fmt in ("svg", "pdf", "png"):
        first, second = ((out / f"figure.{fmt}").read_bytes() for out in saved_figures)
        assert len(first) > 1000, f"{fmt} output is suspiciously small"
        assert first == second, f"figure.{fmt} differs between two processes (fixed metadata)"
    assert b'id="' in (saved_figures[0] / "figure.svg").read_bytes()


def test_figure_without_hashsalt_would_differ(saved_figures):
    """The SVG check above can fail: without the salt (figures._STYLE), two processes give different ids."""
    first, second = ((out / "figure-unsalted.svg").read_bytes() for out in saved_figures)
    assert first != second


# ------------------------------------------------------------------------------------------
# The executions make test shares (SHARED_EXECUTIONS): read back, and refused when stale
# ------------------------------------------------------------------------------------------

CHAPTER = """---
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
glue('answer', 42)
```
"""


def _kept(build: Path, source: str, value: str) -> None:
    glued = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "answer"}},
             "data": {GLUE_MIME_PREFIX + "text/plain": value}}
    (build / NBVAL_RECORD).mkdir(parents=True, exist_ok=True)
    (build / NBVAL_RECORD / "chapter.json").write_text(json.dumps({"cells": [{"source": source, "outputs": [glued]}]}))


def test_nbval_s_kept_execution_is_read_and_a_stale_one_refused(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    _kept(tmp_path, "glue('answer', 42)", "42")
    assert nbval_execution(tmp_path, chapter) == {"answer": {"text/plain": "42"}}
    _kept(tmp_path, "glue('answer', 41)", "41")       # executed before the chapter changed
    with pytest.raises(AssertionError, match="other code than the chapter's"):
        nbval_execution(tmp_path, chapter)
    (tmp_path / NBVAL_RECORD / "chapter.json").unlink()
    with pytest.raises(AssertionError, match="nbval kept no execution"):
        nbval_execution(tmp_path, chapter)


def test_a_chapter_missing_from_the_execution_cache_is_refused(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    from jupyter_cache import get_cache

    cache = get_cache(str(tmp_path / ".jupyter_cache"))
    cache.add_nb_to_project(str(chapter), read_data={"name": "myst_nb_md", "type": "plugin"})
    with pytest.raises(AssertionError, match="holds no execution of its code"):
        cached_execution(tmp_path, chapter)
