"""The outcome of checking one printed number with one rule, and the record of the rule call.

Every ledger rule is a plain function decorated with `ledger_rule`: the decorator registers it
by name in `RULE_FUNCTIONS` and attaches to each `Check` it returns a `RuleCall`, the rule's name
and the arguments it was called with. A call can be run again with one argument changed, which
is how `diagnosis` tries the single slips that would reconcile an inconsistent number and how
`decisions` reads the inputs a conclusion rests on.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, TypeVar, cast, overload

__all__ = [
    "Verdict",
    "VERDICTS",
    "ROLES",
    "RuleCall",
    "Bounds",
    "Check",
    "RULE_FUNCTIONS",
    "RULE_ROLES",
    "ledger_rule",
]

Verdict = Literal["consistent", "inconsistent", "ambiguous", "not-checkable"]
VERDICTS: tuple[Verdict, ...] = ("consistent", "inconsistent", "ambiguous", "not-checkable")

#: What a rule's parameter is, for the slips `diagnosis` tries on it (see `ledger_rule`).
ROLES = ("n", "lower", "upper", "p", "alpha")


@dataclass(frozen=True)
class RuleCall:
    """A rule call as made: the rule's name and every argument by parameter name (defaults filled in)."""

    rule: str
    arguments: Mapping[str, Any]

    def rerun(self, **changes: Any) -> Check | list[Check]:
        """The same rule on the same arguments, with `changes` (parameter -> value) substituted."""
        unknown = set(changes) - set(self.arguments)
        if unknown:
            raise TypeError(f"{self.rule} has no parameter {sorted(unknown)}")
        checks: Check | list[Check] = RULE_FUNCTIONS[self.rule](**{**self.arguments, **changes})
        return checks

    @property
    def roles(self) -> Mapping[str, str]:
        """Parameter -> role ("n", "lower", "upper", "p", "alpha") declared by the rule."""
        return RULE_ROLES.get(self.rule, {})


class Bounds(TypedDict, total=False):
    """A check's recomputed range, passed to `Check` as ``**bounds`` (empty: no single number)."""

    low: float
    high: float


@dataclass(frozen=True)
class Check:
    """What a rule found: the value it recomputed, its verdict and a one-line reason.

    Parameters
    ----------
    rule : str
        The rule's name.
    recomputed : str
        The recomputed value with its working, as published: text, because it carries the
        precision the rule worked to ("37.17% (42/113)", "HR 4.54 = exp(1.513)").
    verdict : {"consistent", "inconsistent", "ambiguous", "not-checkable"}
        See `VERDICTS`.
    explanation : str
        Why, in one line: for an inconsistency the printed value, the recomputed value and why no
        rounding reconciles them.
    low, high : float, optional
        Where the rule computes a single number: its least and greatest value over the rounding
        intervals of the printed inputs (equal when the inputs are exact counts); both None
        where the rule computes no number.
    call : RuleCall, optional
        How the rule was called (set by `ledger_rule`; not part of equality).

    Raises
    ------
    ValueError
        For an unknown verdict, an explanation of several lines, one bound without the other, or
        a range that is not finite or whose low exceeds its high.

    Examples
    --------
    >>> from claimcheck.rules import percent_of_n
    >>> check = percent_of_n(42, 113, "37.2")
    >>> (check.verdict, check.recomputed, round(check.low, 3))
    ('consistent', '37.1681% (42/113)', 37.168)
    """

    rule: str
    recomputed: str
    verdict: Verdict
    explanation: str
    low: float | None = None
    high: float | None = None
    call: RuleCall | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")
        if "\n" in self.explanation:
            raise ValueError("a check's explanation must be one line")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{self.rule}: give both ends of the recomputed range or neither")
        if self.low is not None and self.high is not None:
            if not (math.isfinite(self.low) and math.isfinite(self.high)):
                raise ValueError(f"{self.rule}: the recomputed range must be finite, got {self.low}, {self.high}")
            if self.low > self.high + 1e-12 * max(1.0, abs(self.high)):
                raise ValueError(f"{self.rule}: recomputed range {self.low} > {self.high}")

    def noted(self, note: str, separator: str = "; ") -> Check:
        """The same check, verdict and call untouched, with `note` added to its explanation."""
        return dataclasses.replace(
            self, explanation=f"{self.explanation}{separator}{note}" if note else self.explanation
        )


#: rule name -> the decorated rule function; `RuleCall.rerun` looks rules up here.
RULE_FUNCTIONS: dict[str, Callable[..., Any]] = {}
#: rule name -> {parameter: role} as declared in `ledger_rule(roles=...)`.
RULE_ROLES: dict[str, Mapping[str, str]] = {}


def _attach(result: Any, call: RuleCall) -> Any:
    """Attach `call` to each check of `result` that is this rule's own and carries no call yet.

    A composite rule (cox_row) returns the checks of the rules it calls, each already recording
    its own call; a rule that returns another rule's check unchanged keeps that rule's record.
    """
    if isinstance(result, Check):
        if result.rule == call.rule and result.call is None:
            return dataclasses.replace(result, call=call)
        return result
    if isinstance(result, list):
        return [_attach(item, call) for item in result]
    return result


Rule = TypeVar("Rule", bound=Callable[..., Any])


@overload
def ledger_rule(function: Rule, *, roles: Mapping[str, str] | None = None) -> Rule: ...
@overload
def ledger_rule(function: None = None, *, roles: Mapping[str, str] | None = None) -> Callable[[Rule], Rule]: ...
def ledger_rule(
    function: Callable[..., Any] | None = None, *, roles: Mapping[str, str] | None = None
) -> Callable[..., Any]:
    """Register a rule and record every call of it on the checks it returns.

    `roles` names the parameters that some slips apply to: "n" a sample size or denominator
    (tried at n ± 1 and at the paper's other denominators), "lower"/"upper" the limits of one
    interval (tried swapped), "p" a printed two-sided P (tried as one-sided), "alpha" the level of
    the printed interval (tried at 90% and 99%).
    """

    def decorate(rule: Rule) -> Rule:
        signature = inspect.signature(rule)
        declared = dict(roles or {})
        for parameter, role in declared.items():
            if parameter not in signature.parameters:
                raise TypeError(f"{rule.__name__} has no parameter {parameter!r} to give the role {role!r}")
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in signature.parameters.values()):
            raise TypeError(f"{rule.__name__}: a recorded rule takes named parameters only")

        @functools.wraps(rule)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return _attach(rule(*bound.args, **bound.kwargs), RuleCall(rule.__name__, dict(bound.arguments)))

        known = RULE_FUNCTIONS.get(rule.__name__)
        if known is not None and known.__module__ != rule.__module__:
            raise ValueError(f"rule {rule.__name__!r} is defined in both {known.__module__} and {rule.__module__}")
        RULE_FUNCTIONS[rule.__name__] = recorded
        RULE_ROLES[rule.__name__] = declared
        return cast(Rule, recorded)

    return decorate(function) if function is not None else decorate
