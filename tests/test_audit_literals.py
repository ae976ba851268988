"""No audit retypes a printed value: a ledger row's `reported` is looked up in the data row.

A printed value typed into audit code would go on being published after the transcription it
repeats was corrected, or keep a typo the data do not have. So the `reported=` argument of every
call in `sarcoma_review/audits/` is an expression of the data, never a string literal, and the
literal parts of an f-string there hold no digit (a digit in a literal part is a retyped number).
"""

from __future__ import annotations

import ast
from pathlib import Path

AUDITS = Path(__file__).resolve().parent.parent / "sarcoma_review" / "audits"


def _retyped(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "reported":
                continue
            value = keyword.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.append(f"line {value.lineno}: reported={value.value!r}")
            elif isinstance(value, ast.JoinedStr):
                literal = "".join(part.value for part in value.values if isinstance(part, ast.Constant))
                if any(ch.isdigit() for ch in literal):
                    found.append(f"line {value.lineno}: reported=f-string with {literal!r}")
    return found


def test_no_audit_retypes_a_printed_value_as_reported() -> None:
    modules = sorted(AUDITS.glob("*.py"))
    assert len(modules) >= 5
    found = {path.name: _retyped(ast.parse(path.read_text(encoding="utf-8"))) for path in modules}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_check_finds_a_retyped_value() -> None:
    assert _retyped(ast.parse('claim("x", check, reported="50 mg")')) == ["line 1: reported='50 mg'"]
    assert _retyped(ast.parse('claim("x", check, reported=f"TACE July 2011; {a}")')) == [
        "line 1: reported=f-string with 'TACE July 2011; '"]
    assert _retyped(ast.parse('claim("x", check, reported=f"{n} printed dates")')) == []
    assert _retyped(ast.parse('claim("x", check, reported=number["printed"])')) == []
