"""book_tools.nbval_record keeps nbval's execution of a notebook: each code cell's source and the
outputs nbval received, glued values included (the determinism test compares those in make test)."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat

CELLS = ["from myst_nb import glue\nglue('answer', 6 * 7, display=False)", "print('side effect')", "x = 1"]


def test_nbval_s_execution_is_kept_cell_by_cell(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page"),
                                               *(nbformat.v4.new_code_cell(source) for source in CELLS)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "page.ipynb")
    record = tmp_path / "record"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", "-p", "book_tools.nbval_record", "--record-executions", str(record),
                           "page.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    kept = json.loads((record / "page.json").read_text(encoding="utf-8"))
    assert kept["notebook"] == "page.ipynb"
    assert [cell["source"] for cell in kept["cells"]] == CELLS
    glue_cell, print_cell, quiet_cell = kept["cells"]
    (glued,) = glue_cell["outputs"]
    assert glued["metadata"]["scrapbook"]["name"] == "answer"
    assert glued["data"]["application/papermill.record/text/plain"] == "42"
    assert [(o["name"], o["text"]) for o in print_cell["outputs"]] == [("stdout", "side effect\n")]
    assert quiet_cell["outputs"] == []


def test_without_the_option_nothing_is_written(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "page.ipynb")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", "-p", "book_tools.nbval_record", "page.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.ipynb"]
