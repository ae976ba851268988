"""CITATION.cff is valid, and the validator `make test` uses does reject a broken one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"



def validate(path: Path) -> subprocess.CompletedProcess:
    if not CFFCONVERT.exists():
        pytest.fail("cffconvert is missing: `make citation` creates .venv-cff (make test runs it first)")
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)


def test_citation_file_is_valid():
    result = validate(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_citation_file_without_a_title_is_rejected(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text("\n".join(line for line in (ROOT / "CITATION.cff").read_text().splitlines()
                                if not line.startswith("title:")) + "\n")
    assert validate(broken).returncode != 0
