"""Keep the notebook execution cache honest about inputs it cannot see.

Jupyter Book's execution cache keys on a notebook's code cells only. The chapters also
read data/ and call the review's code and the checking library, so a change there must
re-execute them: the fingerprint of those inputs (`sarcoma_review.fingerprint`) is kept in the
build folder and, when it changes, the execution cache and the Sphinx environment are dropped
so that every chapter is read and executed again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Iterator

from sarcoma_review.fingerprint import (FINGERPRINT_FILE, TRACKED_INPUTS, input_files, inputs_fingerprint,
                                        shown_path, source_texts)

ROOT = Path(__file__).resolve().parent.parent
# Everything the HTML is built from: the inputs of the publication, the Sphinx extensions and
# the rest of the build tooling, the book's configuration, and the pages the table of contents
# lists (see book_sources).
BOOK_FILES = TRACKED_INPUTS + ("book_tools", "_config.yml", "_toc.template.yml", "references.bib", "_static")
# The table of contents: a template, whose part with ``registry_chapters`` gets one chapter per row
# of that registry table after its own chapters, written where Jupyter Book reads it (the
# Makefile's ``--toc``). A book without a template (a test's probe book) uses its ``_toc.yml``.
TOC_TEMPLATE = "_toc.template.yml"
TOC_FILE = "_toc.yml"
REGISTRY_CHAPTERS = "registry_chapters"
HTML_FINGERPRINT_FILE = ".html-built-from"
DERIVED_STATE = (".jupyter_cache", ".doctrees")


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


def _toc_files(entry: dict) -> Iterator[str]:
    if "file" in entry:
        yield entry["file"]
    for key in ("parts", "chapters", "sections"):
        for child in entry.get(key, []) or []:
            yield from _toc_files(child)


class TocError(ValueError):
    """The registry names a chapter the book cannot list, or a page still holds a placeholder."""


# What `make new-study` (book_tools/scaffold.py) leaves for a maintainer to fill; validation refuses
# it in data/, and the book refuses it in the bibliography and the pages.
PLACEHOLDER = "TO FILL"


def placeholder_problems(root: Path = ROOT) -> list[str]:
    """Every line of references.bib and of the pages of the table of contents that still holds a
    placeholder of ``make new-study``, as ``<file>:<line>: ...``."""
    found = []
    for path in [root / "references.bib", *toc_pages(root)]:
        if not path.is_file():
            continue
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PLACEHOLDER in text:
                found.append(f"{path.relative_to(root).as_posix()}:{line}: {text.strip()[:80]!r} holds a "
                             f"placeholder of make new-study; expected what the paper says")
    return found


def table_of_contents(root: Path = ROOT) -> dict:
    """The book's table of contents: the template with the registry's study chapters filled in.

    A registry row whose chapter has no page under chapters/ is refused with its file, line and
    column, before Jupyter Book would fail on it with less to say.
    """
    import csv

    import yaml

    template = root / TOC_TEMPLATE
    if not template.is_file():
        return yaml.safe_load((root / TOC_FILE).read_text(encoding="utf-8"))
    toc = yaml.safe_load(template.read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        registry = part.pop(REGISTRY_CHAPTERS, None)
        if registry is None:
            continue
        with (root / registry).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for line, row in enumerate(rows, start=2):
            chapter = f"chapters/{row['chapter']}"
            if not any((root / f"{chapter}{suffix}").is_file() for suffix in (".md", ".ipynb")):
                raise TocError(f"{registry}:{line}:chapter: {row['chapter']!r} has no page; expected "
                               f"{chapter}.md (make new-study writes one)")
            part["chapters"] = [*part.get("chapters", []), {"file": chapter}]
    return toc


def write_toc(build_dir: Path, root: Path = ROOT) -> Path:
    """Write the table of contents to ``build_dir/_toc.yml`` (only when it changed, so that
    Sphinx does not see a new file on every build); returns its path."""
    import yaml

    path = build_dir / TOC_FILE
    text = yaml.safe_dump(table_of_contents(root), sort_keys=False, allow_unicode=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        build_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def toc_files(root: Path = ROOT) -> list[str]:
    """The documents of the table of contents in book order, the root first (without extension)."""
    toc = table_of_contents(root)
    return [toc["root"], *_toc_files(toc)]


def source_of(root: Path, doc: str) -> Path:
    for suffix in (".md", ".ipynb", ".rst"):
        if (root / f"{doc}{suffix}").exists():
            return root / f"{doc}{suffix}"
    if (root / doc).exists():
        return root / doc
    raise FileNotFoundError(f"the table of contents lists {doc!r}, which has no .md, .ipynb or .rst file")


def toc_pages(root: Path = ROOT) -> list[Path]:
    """The page files ``_toc.yml`` lists, root first, in order (as Jupyter Book finds them)."""
    return [source_of(root, doc) for doc in toc_files(root)]


def book_sources(root: Path = ROOT) -> tuple[str, ...]:
    return BOOK_FILES + tuple(page.relative_to(root).as_posix() for page in toc_pages(root))


def source_digests(root: Path = ROOT) -> dict[str, str]:
    """SHA-256 of every file the HTML is built from, by path relative to ``root``."""
    return {shown_path(path, root): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in [*input_files(root, book_sources(root)), *source_texts(root)]}


def _built_from(build_dir: Path) -> dict[str, str]:
    stamp = build_dir / HTML_FINGERPRINT_FILE
    try:
        return json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def html_is_current(build_dir: Path, root: Path = ROOT) -> bool:
    """Whether ``build_dir/html`` was built, strictly and successfully, from the sources as they are.

    ``make book`` then skips Jupyter Book altogether: even with nothing to do, Sphinx spends
    seconds loading its environment and rewriting the search index. The digests are written
    only after a build that passed, so a failed build is never skipped on the next run.
    """
    return (build_dir / "html" / "index.html").is_file() and _built_from(build_dir) == source_digests(root)


def touch_changed_pages(build_dir: Path, root: Path = ROOT) -> list[str]:
    """Give every page whose content changed since the last good build the current time.

    Sphinx decides what to re-read by modification time, so a page restored with an older time
    (``git stash pop``, ``cp -p``) would keep its old HTML. Returns the pages touched.
    """
    before = _built_from(build_dir)
    if not before:
        return []
    pages = {page.relative_to(root).as_posix() for page in toc_pages(root)}
    changed = sorted(path for path, digest in source_digests(root).items()
                     if path in pages and before.get(path) != digest)
    for path in changed:
        os.utime(root / path)
    return changed


def mark_html_built(build_dir: Path, root: Path = ROOT) -> None:
    (build_dir / HTML_FINGERPRINT_FILE).write_text(json.dumps(source_digests(root), indent=0, sort_keys=True) + "\n",
                                                   encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--reset-if-changed", metavar="BUILD_DIR", type=Path,
                        help="drop BUILD_DIR's derived state if the inputs changed; write BUILD_DIR/_toc.yml")
    action.add_argument("--is-current", metavar="FOLDER", type=Path,
                        help="exit 0 if FOLDER's fingerprint matches the inputs, else 1")
    action.add_argument("--html-is-current", metavar="BUILD_DIR", type=Path,
                        help="exit 0 if BUILD_DIR/html was built from the book's sources as they are, else 1")
    action.add_argument("--mark-html-built", metavar="BUILD_DIR", type=Path)
    action.add_argument("--touch-changed-pages", metavar="BUILD_DIR", type=Path)
    args = parser.parse_args()
    if args.is_current is not None:
        return 0 if is_current(args.is_current) else 1
    if args.html_is_current is not None:
        return 0 if html_is_current(args.html_is_current) else 1
    if args.touch_changed_pages is not None:
        touch_changed_pages(args.touch_changed_pages)
        return 0
    if args.mark_html_built is not None:
        mark_html_built(args.mark_html_built)
        return 0
    reset_if_changed(args.reset_if_changed)
    # Every Jupyter Book run of the Makefile starts here, and reads the table of contents written now.
    try:
        write_toc(args.reset_if_changed)
    except TocError as error:
        print(f"make: {error}", file=sys.stderr)
        return 1
    problems = placeholder_problems()
    for problem in problems:
        print(f"make: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
