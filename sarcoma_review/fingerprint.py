"""What the publication is computed from, and one fingerprint of it all.

`make publish` writes the fingerprint beside the ledger, and every page that reads the published
ledger refuses it when the fingerprint no longer matches the tree (`publish.published_ledger`):
so no page shows a number computed from other data or code. The build tooling
(`book_tools.build_inputs`) uses the same fingerprint to reset the execution cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The data, the checking library and the review's code, and the lock; CITATION.cff: the pages
# cite the review by its metadata; releases/: the release notes and the ledger diffs the book
# publishes.
TRACKED_INPUTS = ("data", "lib/claimcheck", "sarcoma_review", "requirements.txt", "CITATION.cff", "releases")
# Beside a publication (and in the build folder): which inputs it was computed from; not served
# (it starts with a dot).
FINGERPRINT_FILE = ".inputs-fingerprint"


def input_files(root: Path, names: tuple[str, ...]) -> Iterator[Path]:
    for name in names:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        yield from (path for path in files if "__pycache__" not in path.parts)


def source_texts(root: Path = ROOT) -> list[Path]:
    """The source papers beside the repository (``../shared/seeds/*.txt``), where present: the
    coverage of the dashboard counts their numbers, so they are inputs of the publication."""
    return sorted((root.parent / "shared" / "seeds").glob("*.txt"))


def shown_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else f"../shared/seeds/{path.name}"


def inputs_fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in [*input_files(root, TRACKED_INPUTS), *source_texts(root)]:
        digest.update(shown_path(path, root).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
