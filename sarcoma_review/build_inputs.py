"""Keep the notebook execution cache honest about inputs it cannot see.

Jupyter Book's execution cache keys on a notebook's code cells only. The chapters also
read data/ and call this package, so a change there must re-execute them: we fingerprint
those inputs and, when the fingerprint changes, drop the execution cache and the Sphinx
environment so that every chapter is read and executed again.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKED_INPUTS = ("data", "sarcoma_review", "requirements.txt")
FINGERPRINT_FILE = ".inputs-fingerprint"
DERIVED_STATE = (".jupyter_cache", ".doctrees")


def inputs_fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in TRACKED_INPUTS:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def reset_if_changed(build_dir: Path, root: Path = ROOT) -> bool:
    """Drop derived build state when the inputs changed; returns whether it did."""
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp = build_dir / FINGERPRINT_FILE
    current = inputs_fingerprint(root)
    previous = stamp.read_text().strip() if stamp.exists() else None
    changed = previous != current
    if changed:
        for name in DERIVED_STATE:
            shutil.rmtree(build_dir / name, ignore_errors=True)
        if previous is not None:
            print("data/ or the package changed since the last build: re-executing every chapter")
    stamp.write_text(current + "\n")
    return changed


def is_current(folder: Path, root: Path = ROOT) -> bool:
    """Whether ``folder`` holds a fingerprint of the inputs as they are now.

    ``make publish`` asks this instead of comparing modification times: a file restored with its
    old time (``git stash pop``, ``cp -p``) is older than the publication it no longer matches.
    """
    stamp = folder / FINGERPRINT_FILE
    return stamp.is_file() and stamp.read_text().strip() == inputs_fingerprint(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--reset-if-changed", metavar="BUILD_DIR", type=Path)
    action.add_argument("--is-current", metavar="FOLDER", type=Path,
                        help="exit 0 if FOLDER's fingerprint matches the inputs, else 1")
    args = parser.parse_args()
    if args.is_current is not None:
        return 0 if is_current(args.is_current) else 1
    reset_if_changed(args.reset_if_changed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
