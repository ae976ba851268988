"""How the review is cited: its metadata in CITATION.cff, its version, and .zenodo.json.

CITATION.cff is the metadata citation managers and GitHub read; its `version` is a copy of
`sarcoma_review.__version__` (the one place the version is kept), written there by `make
release` and held to it by a test. `.zenodo.json` (Zenodo's deposit metadata) is generated
from CITATION.cff by `zenodo_metadata`, so the two cannot disagree either.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from . import __version__

ROOT = Path(__file__).resolve().parent.parent
CITATION_FILE = ROOT / "CITATION.cff"
ZENODO_FILE = ROOT / ".zenodo.json"
# The licences of CITATION.cff (SPDX ids) as Zenodo names them.
ZENODO_LICENCES = {"CC-BY-4.0": "cc-by-4.0", "MIT": "mit"}


def version() -> str:
    return __version__


@lru_cache(maxsize=4)
def _citation(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def citation(path: Path = CITATION_FILE) -> dict:
    """CITATION.cff as a dict."""
    return dict(_citation(path))


def authors_text(meta: dict) -> str:
    names = []
    for author in meta["authors"]:
        names.append(author.get("name") or " ".join(p for p in (author.get("given-names"),
                                                                 author.get("family-names")) if p))
    return ", ".join(names)


def citation_prefix(path: Path = CITATION_FILE) -> str:
    """"Authors (year). Title, version x.y.z": what a citation of any part of the review starts with."""
    meta = citation(path)
    year = str(meta.get("date-released", ""))[:4]
    return f"{authors_text(meta)} ({year}). {meta['title']}, version {version()}"


def zenodo_metadata(path: Path = CITATION_FILE) -> dict:
    """Zenodo's deposit metadata, every field taken from CITATION.cff."""
    meta = citation(path)
    licences = meta["license"] if isinstance(meta["license"], list) else [meta["license"]]
    creators = [{"name": author.get("name") or f"{author['family-names']}, {author['given-names']}"}
                for author in meta["authors"]]
    record = {
        "title": meta["title"],
        "description": " ".join(meta["abstract"].split()),
        "upload_type": "dataset" if meta.get("type") == "dataset" else "software",
        "creators": creators,
        "version": str(meta["version"]),
        "publication_date": str(meta["date-released"]),
        # Zenodo takes one licence per record: the text and data licence, which covers the ledger.
        "license": ZENODO_LICENCES[licences[-1]],
        "keywords": list(meta.get("keywords", [])),
    }
    return record


def zenodo_json(path: Path = CITATION_FILE) -> str:
    return json.dumps(zenodo_metadata(path), ensure_ascii=False, indent=2) + "\n"
