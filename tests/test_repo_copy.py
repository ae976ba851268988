"""A copy of the repository runs the copy's code, not the code the venv's editable installs
point at (book_tools/repo_copy.py): the build tests, the release test and `make bench` rely on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from book_tools import repo_copy

ROOT = Path(__file__).resolve().parent.parent
# The tree the venv's editable installs point at: the one whose .venv this is. It is ROOT, unless
# this tree is itself a copy that shares another tree's venv through a symlink (make bench).
INSTALLED = Path(sys.prefix).resolve().parent
WHERE = "import claimcheck, sarcoma_review, book_tools; print(claimcheck.__file__, sarcoma_review.__file__, book_tools.__file__)"


def _fake_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "copy"
    for init in ("lib/claimcheck/__init__.py", "sarcoma_review/__init__.py", "book_tools/__init__.py"):
        (tree / init).parent.mkdir(parents=True)
        (tree / init).write_text('"""the copy\'s"""\n', encoding="utf-8")
    return tree


def _where(env: dict[str, str], cwd: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", WHERE], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout.split()


def test_a_copy_imports_its_own_packages(tmp_path):
    tree = _fake_tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = _where(repo_copy.environment(tree), elsewhere)
    assert found == [str(tree / "lib/claimcheck/__init__.py"), str(tree / "sarcoma_review/__init__.py"),
                     str(tree / "book_tools/__init__.py")]


def test_without_it_the_editable_installs_win(tmp_path):
    """What the copy's environment prevents: a chapter's kernel runs in the copy's chapters/ and
    would import the installed tree's packages, every one of them."""
    tree = _fake_tree(tmp_path)
    (tree / "chapters").mkdir()
    env = {k: v for k, v in repo_copy.environment(tree).items() if k != "PYTHONPATH"}
    found = _where(env, tree / "chapters")
    assert found == [str(INSTALLED / "lib/claimcheck/__init__.py"), str(INSTALLED / "sarcoma_review/__init__.py"),
                     str(INSTALLED / "book_tools/__init__.py")]


def test_make_in_a_copy_has_a_venv_stamp_of_its_own(tmp_path):
    tree = _fake_tree(tmp_path)
    repo_copy.link_venv(tree, ROOT / ".venv")
    assert (tree / ".venv").resolve() == (ROOT / ".venv").resolve()
    assert (tree / repo_copy.VENV_STAMP).is_file()
    assert repo_copy.make_command("book") == ["make", "book", f"VENV_STAMP={repo_copy.VENV_STAMP}"]
