"""A draft claims template from a paper's text, for a person to review before it is checked.

`draft_frame` reads the text with `source_reader.read_patterns` and turns each recognised
reporting pattern into one template row (`template`), its inputs copied from the printed
numbers and its rule guessed from the pattern's kind:

=============  ===============================  ==================================================
pattern        printed as                       draft row
=============  ===============================  ==================================================
``n_pct``      ``68 (60.2%)``                   ``percent_of_n``: count, percent; the denominator
                                                guessed from the nearest stated n before it
                                                (``n = 113``, ``113 patients``), else left empty
``pct_ci``     ``37.2% (95% CI: 28.3%–46.8%)``  ``estimate_inside_ci`` (``binomial_ci_method``
                                                needs the count and n, which the pattern lacks)
``median_ci``  ``19.0 months (95% CI: ...)``    ``estimate_inside_ci``
``hr_ci_p``    ``HR=1.7; 95% CI: 1.1–2.7;       ``wald_p_from_ci`` when a P is printed, else
               P=0.014``                        ``ci_symmetric_on_log_scale``
``cox_row``    a row under ``β HR 95% CI P``    ``cox_row``
``p_value``    ``P < 0.001`` on its own         no rule: a P alone is checked against something
                                                the pattern does not hold
=============  ===============================  ==================================================

Every draft row says in its ``note`` that it is a draft, which guesses it rests on, and what
the pattern printed; its ``location`` is the line and the character offsets in the text. A
machine reading misses what a paper prints in words and may mistake a unit's role, so a draft
is where checking starts, never a ledger: a person confirms each rule, input and location
(and fills a rule for the rows that have none) before ``python -m claimcheck check``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .source_reader import Number, Pattern, read_patterns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DRAFT_COLUMNS", "draft_rows", "draft_frame"]

DRAFT_COLUMNS = (
    "claim_id",
    "rule",
    "location",
    "quantity",
    "reported",
    "source",
    "note",
    "count",
    "denominator",
    "percent",
    "estimate",
    "lower",
    "upper",
    "beta",
    "hr",
    "beta_or_hr",
    "hr_or_beta",
    "ci_lower",
    "ci_upper",
    "p",
    "alpha",
)

# A stated sample size before a percentage: "(n = 113)", "n=51", "113 patients", "of the 113".
_STATED_N = re.compile(r"\bn\s*=\s*(?P<n>\d+)|\b(?P<m>\d+)\s+(?:patients|cases|subjects|participants)\b", re.IGNORECASE)


def _printed(number: Number, index: int = 0) -> str:
    value = number.values[index]
    return f"{number.bound}{value}" if number.bound and index == 0 else value


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _stated_n(text: str, pattern: Pattern) -> tuple[str, str] | None:
    """The last sample size stated before the pattern, in its paragraph, and where it stands."""
    paragraph_start = text.rfind("\n\n", 0, pattern.start) + 1
    found = None
    for match in _STATED_N.finditer(text, paragraph_start, pattern.start):
        found = (match["n"] or match["m"], match.group(0))
    return found


def _alpha(pattern: Pattern) -> str:
    level = pattern.parts.get("level")
    if level is None or level.values[0] == "95":
        return ""
    return f"{1 - float(level.values[0]) / 100:g}"


def _row(text: str, pattern: Pattern) -> dict[str, str] | None:
    parts = pattern.parts
    row: dict[str, str] = {}
    guesses: list[str] = []
    if pattern.kind == "n_pct":
        row.update(rule="percent_of_n", count=_printed(parts["n"]), percent=_printed(parts["pct"]))
        stated = _stated_n(text, pattern)
        if stated is not None:
            row["denominator"] = stated[0]
            guesses.append(f"denominator {stated[0]} guessed from '{stated[1]}' before it")
        else:
            guesses.append("no stated n found before it: fill the denominator")
    elif pattern.kind in ("pct_ci", "median_ci"):
        ci = parts["ci"]
        row.update(
            rule="estimate_inside_ci", estimate=_printed(parts["estimate"]), lower=ci.values[0], upper=ci.values[1]
        )
        guesses.append(
            "binomial_ci_method checks the interval's method if the count and n are known"
            if pattern.kind == "pct_ci"
            else "median_ci_symmetry also asks how the interval was computed"
        )
    elif pattern.kind == "hr_ci_p":
        ci = parts["ci"]
        limits = {"ci_lower": ci.values[0], "ci_upper": ci.values[1]}
        if "p" in parts:
            row.update(rule="wald_p_from_ci", beta_or_hr=_printed(parts["estimate"]), p=_printed(parts["p"]), **limits)
            row["alpha"] = _alpha(pattern)
        else:
            row.update(rule="ci_symmetric_on_log_scale", hr_or_beta=_printed(parts["estimate"]), **limits)
        guesses.append("the estimate read as a hazard ratio (estimate_scale hr)")
    elif pattern.kind == "cox_row":
        ci = parts["ci"]
        row.update(
            rule="cox_row",
            beta=_printed(parts["beta"]),
            hr=_printed(parts["estimate"]),
            ci_lower=ci.values[0],
            ci_upper=ci.values[1],
            p=_printed(parts["p"]),
        )
    elif pattern.kind == "p_value":
        row.update(rule="", p=_printed(parts["p"]))
        guesses.append("a P value alone: choose a rule and add what it is checked against")
    else:
        return None
    note = "DRAFT, to be reviewed: rule " + (f"{row['rule']} guessed" if row["rule"] else "not guessed")
    note += f" from a {pattern.kind} pattern"
    if guesses:
        note += "; " + "; ".join(guesses)
    row["note"] = note
    return row


def _balanced(text: str) -> str:
    """The pattern's text without a closing bracket it does not open ("1.7; 95% CI: 1.1–2.7)")."""
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


def _inside_another(pattern: Pattern, patterns: list[Pattern]) -> bool:
    return any(
        other is not pattern and other.kind != "p_value" and other.start <= pattern.start and pattern.end <= other.end
        for other in patterns
    )


def draft_rows(text: str, source: str = "") -> list[dict[str, str]]:
    """The draft template rows of a text, in text order (see the module's documentation).

    Parameters
    ----------
    text : str
        The paper's text, as plain text.
    source : str, optional
        The paper's name, copied to each row's ``source``.

    Returns
    -------
    list of dict
        One dict per recognised pattern, with the keys of `DRAFT_COLUMNS` (empty where not
        known); claim ids ``draft-001``, ``draft-002``, ...

    Examples
    --------
    >>> rows = draft_rows("Of 113 patients, 68 (60.2%) were male.")
    >>> [(r["rule"], r["count"], r["denominator"], r["percent"]) for r in rows]
    [('percent_of_n', '68', '113', '60.2')]
    """
    patterns = read_patterns(text)
    rows: list[dict[str, str]] = []
    for pattern in patterns:
        if pattern.kind == "p_value" and _inside_another(pattern, patterns):
            continue  # its P is already an input of the larger unit's row
        row = _row(text, pattern)
        if row is None:
            continue
        line = _line(text, pattern.start)
        rows.append(
            {
                **dict.fromkeys(DRAFT_COLUMNS, ""),
                **row,
                "claim_id": f"draft-{len(rows) + 1:03d}",
                "location": f"line {line}, characters {pattern.start}–{pattern.end}",
                "reported": _balanced(pattern.text.strip()),
                "source": source,
            }
        )
    return rows


def draft_frame(text: str, source: str = "") -> pd.DataFrame:
    """`draft_rows` as a template frame: the columns `DRAFT_COLUMNS`, less inputs no row uses.

    Parameters
    ----------
    text : str
        The paper's text.
    source : str, optional
        The paper's name, copied to each row's ``source``.

    Returns
    -------
    pandas.DataFrame
        A template (`template.check_frame` reads it once a person has reviewed it).
    """
    import pandas as pd

    rows = draft_rows(text, source)
    fixed = ("claim_id", "rule", "location", "quantity", "reported", "source", "note")
    columns = [c for c in DRAFT_COLUMNS if c in fixed or any(r[c] for r in rows)]
    return pd.DataFrame(rows, columns=columns).reindex(columns=columns).fillna("")
