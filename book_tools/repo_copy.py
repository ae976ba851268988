"""Run a copy of the repository on the copy's own code.

The venv installs the checking library (lib/) and the review (sarcoma_review/, book_tools/) in
editable mode, pointing at the tree it was built from. A copy of the repository (the build tests,
the release test, `make bench`) shares that venv through a symlink, so its processes would import
the real tree's code: a test of the copy would pass or fail on code it did not copy. Instead every
process of a copy runs with ``PYTHONPATH`` set to the copy's source folders. Those come before the
editable installs, whose import hook Python consults only after ``sys.path``
(tests/test_repo_copy.py shows both).

A copy never installs anything either: `make` is given a venv stamp of the copy (``VENV_STAMP``),
so that it cannot decide to re-install the shared venv, and its editable installs with it, from
the copy.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the packages stand in a tree: claimcheck in lib/, sarcoma_review and book_tools at the top.
SOURCE_FOLDERS = ("lib", ".")
# The copy's venv stamp: exists, so the Makefile's venv step has nothing to do in a copy.
VENV_STAMP = ".copy-venv-ok"


def python_path(repo: Path) -> str:
    """The ``PYTHONPATH`` under which a process imports ``repo``'s code, not the installed tree's."""
    return os.pathsep.join(str((repo / folder).resolve()) for folder in SOURCE_FOLDERS)


def environment(repo: Path) -> dict[str, str]:
    """The environment of a process run in a copy: the copy's code, no enclosing make's flags
    (a test run by make would pass its jobserver on)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env["PYTHONPATH"] = python_path(repo)
    return env


def link_venv(copy: Path, venv: Path | None = None) -> None:
    """Symlink the real venv into ``copy`` and give the copy a venv stamp of its own."""
    (copy / ".venv").symlink_to(venv or ROOT / ".venv")
    (copy / VENV_STAMP).write_text("a copy of the repository uses the real .venv as it is\n")


def make_command(*arguments: str) -> list[str]:
    """``make`` with these arguments, as run in a copy (with the copy's venv stamp)."""
    return ["make", *arguments, f"VENV_STAMP={VENV_STAMP}"]
