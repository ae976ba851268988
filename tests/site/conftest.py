"""Checks of the built site as a reader meets it. They run after the strict build."""

from __future__ import annotations

from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}: run make book first")
    return SITE


def content_pages(site: Path) -> list[Path]:
    skipped = {"genindex.html", "search.html"}
    return sorted(p for p in site.rglob("*.html")
                  if p.name not in skipped and "_static" not in p.parts and "_sources" not in p.parts)
