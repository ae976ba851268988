"""The outcome of checking one printed number with one rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["consistent", "inconsistent", "ambiguous", "not-checkable"]
VERDICTS: tuple[Verdict, ...] = ("consistent", "inconsistent", "ambiguous", "not-checkable")


@dataclass(frozen=True)
class Check:
    """What a rule found: the value it recomputed, its verdict and a one-line reason.

    `recomputed` is text because it is published as is: it carries the precision the
    rule worked to, e.g. "37.17% (42/113)" or "HR 4.54 = exp(1.513)".
    """

    rule: str
    recomputed: str
    verdict: Verdict
    explanation: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")
        if "\n" in self.explanation:
            raise ValueError("a check's explanation must be one line")
