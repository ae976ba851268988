"""The three layers and the checking library's boundary.

`pyproject.toml` declares the contracts (`[tool.importlinter]`): the build and test tooling
(`book_tools`) may import the review (`sarcoma_review`) and the checking library (`claimcheck`),
the review may import the library, and the library neither; nor may it import the book's
toolchain (Sphinx, Jupyter, matplotlib, Frictionless, ...). import-linter checks them on the
import graph of this tree; a copy with one deliberately bad import shows that each contract can
fail.
"""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
from pathlib import Path

import pytest

import claimcheck
from book_tools import repo_copy

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = ROOT / ".venv" / "bin" / "lint-imports"
LIBRARY = ROOT / "lib" / "claimcheck"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """import-linter on `tree`'s packages (its pyproject.toml, its code), without a cache."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=tree, env=repo_copy.environment(tree),
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """The three packages and the contracts, copied."""
    tree = tmp_path / "tree"
    for name in ("lib/claimcheck", "sarcoma_review", "book_tools"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def _add_import(module: Path, statement: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")


def test_the_library_importing_the_review_breaks_the_layers(source_copy):
    assert lint_imports(source_copy).returncode == 0   # the copy alone keeps both contracts
    _add_import(source_copy / "lib" / "claimcheck" / "printed.py", "import sarcoma_review.ledger")
    result = lint_imports(source_copy)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "book_tools > sarcoma_review > claimcheck BROKEN" in result.stdout
    assert "claimcheck.printed -> sarcoma_review.ledger" in result.stdout


def test_the_review_importing_the_tooling_breaks_the_layers(source_copy):
    _add_import(source_copy / "sarcoma_review" / "publish.py", "from book_tools import build_inputs")
    result = lint_imports(source_copy)
    assert result.returncode == 1 and "sarcoma_review.publish -> book_tools.build_inputs" in result.stdout


def test_the_library_importing_a_plotting_library_breaks_its_contract(source_copy):
    _add_import(source_copy / "lib" / "claimcheck" / "stats.py", "import matplotlib.pyplot")
    result = lint_imports(source_copy)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "claimcheck needs no book, no data package and no plots BROKEN" in result.stdout
    assert "claimcheck.stats -> matplotlib" in result.stdout


# ------------------------------------------------------------------------------------------------
# The library itself: a public API, and no file of the repository


LIBRARY_MODULES = sorted(path.stem for path in LIBRARY.glob("*.py") if path.stem != "__init__")


@pytest.mark.parametrize("name", LIBRARY_MODULES)
def test_every_library_module_declares_its_public_names(name):
    module = importlib.import_module(f"claimcheck.{name}")
    assert isinstance(getattr(module, "__all__", None), list), f"claimcheck.{name} has no __all__"
    missing = [exported for exported in module.__all__ if not hasattr(module, exported)]
    assert not missing, f"claimcheck.{name}.__all__ names what it does not define: {missing}"
    assert len(module.__all__) == len(set(module.__all__))


def test_the_package_exports_its_api():
    assert claimcheck.__all__ and all(hasattr(claimcheck, name) for name in claimcheck.__all__)
    check = claimcheck.all_rules()["percent_of_n"].worked_example()[0]
    assert isinstance(check, claimcheck.Check) and check.verdict in claimcheck.VERDICTS


@pytest.mark.parametrize("name", LIBRARY_MODULES)
def test_the_library_locates_no_file(name):
    """No path relative to the library's own files (a data/ folder, the repository): the library
    takes its numbers from its callers."""
    tree = ast.parse((LIBRARY / f"{name}.py").read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert "__file__" not in names, f"claimcheck.{name} locates files relative to itself"
