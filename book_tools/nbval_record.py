"""A pytest plugin that keeps what nbval's fresh execution of each approved notebook produced.

nbval executes every cell of ``tests/approved/*.ipynb`` in a new kernel and compares its outputs
with the approved ones. ``make test`` then hands that execution to the determinism test
(tests/test_determinism.py), as the second of the two independent executions of every chapter
it compares (the first is the one the strict build renders, from the execution cache): so a
chapter is executed twice per ``make test``, not four times, and each check still sees a fresh
execution of this run.

``pytest --nbval -p book_tools.nbval_record --record-executions DIR`` writes ``DIR/<notebook>.json``:
the notebook's code cells in order, each with its source and the outputs nbval received. A
notebook whose kernel failed to run a cell is written too (with the outputs it had), and nbval
fails the run anyway. With pytest-xdist (``--dist loadfile``: all cells of a notebook in one
worker, as nbval's one kernel per notebook needs), each worker writes the notebooks it ran.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

RECORD_VERSION = 1


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--record-executions", metavar="DIR", type=Path, default=None,
                     help="write the outputs of nbval's execution of each notebook to DIR/<notebook>.json")


class Recorder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notebooks: dict[Path, list[dict]] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        yield
        if call.when != "call" or not hasattr(item, "test_outputs") or not hasattr(item, "cell"):
            return
        outputs = item.test_outputs if item.test_outputs is not None else []
        self.notebooks.setdefault(Path(item.path), []).append(
            {"source": item.cell.source, "outputs": [dict(output) for output in outputs]})

    def pytest_sessionfinish(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for notebook, cells in self.notebooks.items():
            record = {"version": RECORD_VERSION, "notebook": notebook.name, "cells": cells}
            (self.folder / f"{notebook.stem}.json").write_text(json.dumps(record, sort_keys=True) + "\n",
                                                             encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    folder = config.getoption("--record-executions")
    if folder is not None:
        config.pluginmanager.register(Recorder(folder.resolve()), "nbval-execution-recorder")
