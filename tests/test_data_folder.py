"""The review reads another copy of data/ in one explicit way: `datapackage.reading_from`.

No module global, no environment variable read at import, and no function default that a caller
would have to rewrite: a loader called without ``data_dir`` reads the folder of the innermost
`reading_from` block, and the repository's data/ outside any.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import sarcoma_review
from data_copies import reduced_package
from sarcoma_review import datapackage
from sarcoma_review.audits import lms_tace_rfa_case, ups_calf_case

REPO_DATA = (Path(__file__).resolve().parent.parent / "data").resolve()




def test_a_loader_reads_the_block_s_folder_and_the_repository_s_outside_it(tmp_path: Path) -> None:
    copy = reduced_package(tmp_path / "data", "lms_tace_rfa_case")
    path = copy / "lms_tace_rfa_case" / "text_case.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first_id = lines[1].split(",", 1)[0]
    path.write_text(lines[0] + lines[1], encoding="utf-8")  # the copy keeps one printed number only
    assert datapackage.current_data_dir() == REPO_DATA.resolve()
    repository_numbers = len(lms_tace_rfa_case.text_numbers())
    assert repository_numbers > 1
    with datapackage.reading_from(copy) as folder:
        assert folder == copy.resolve() == datapackage.current_data_dir()
        assert list(lms_tace_rfa_case.text_numbers()["number_id"]) == [first_id]
        with datapackage.reading_from(REPO_DATA):
            assert len(lms_tace_rfa_case.text_numbers()) == repository_numbers
        assert len(lms_tace_rfa_case.text_numbers()) == 1
    # The memo is per folder: the repository's tables were never replaced by the copy's.
    assert len(lms_tace_rfa_case.text_numbers()) == repository_numbers
    assert datapackage.current_data_dir() == REPO_DATA.resolve()


def test_an_explicit_data_dir_wins_over_the_block(tmp_path: Path) -> None:
    copy = reduced_package(tmp_path / "data", "ups_calf_case")
    with datapackage.reading_from(copy):
        assert datapackage.current_data_dir(REPO_DATA) == REPO_DATA
        assert ups_calf_case.tables()["events"].equals(datapackage.load_study("ups_calf_case", REPO_DATA)["events"])


def test_the_block_ends_even_when_its_body_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), datapackage.reading_from(tmp_path):
        raise RuntimeError("boom")
    assert datapackage.current_data_dir() == REPO_DATA.resolve()


def _review_functions():
    for info in pkgutil.walk_packages(sarcoma_review.__path__, "sarcoma_review."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            target = inspect.unwrap(value) if callable(value) else None
            if inspect.isfunction(target) and target.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", target


def test_no_function_of_the_review_has_a_data_folder_as_a_default() -> None:
    # A default bound to a folder at import would need rewriting to point the review elsewhere.
    found = [name for name, function in _review_functions()
             for parameter in inspect.signature(function).parameters.values()
             if parameter.name == "data_dir" and parameter.default not in (None, inspect.Parameter.empty)
             or isinstance(parameter.default, Path) and parameter.default.resolve().is_relative_to(REPO_DATA)]
    assert found == []
    assert len(list(_review_functions())) > 100  # the walk saw the review's functions
