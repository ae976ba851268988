"""The claims template: another paper's numbers, one claim a row, checked into a ledger.

A template is a table a person can fill in a spreadsheet and save as CSV (UTF-8). Each row is one
claim: which rule checks it and the rule's inputs exactly as the paper prints them.

======================  ==========  ========================================================
column                  required    what it holds
======================  ==========  ========================================================
``claim_id``            yes         a name for the claim, unique in the template
``rule``                yes         a rule's name (``python -m claimcheck rules`` lists them)
``location``            yes         where the number stands ("Table 2, row Male")
``quantity``            no          what the printed number claims to be
``reported``            no          the claim as printed; by default its inputs, as given
``source``              no          the paper (a file name or a citation)
``study``               no          the study, if the paper reports several
``note``                no          anything a reader of the verdict should know; added to
                                    the explanation
*an input's name*       per rule    one column per input, named as the rule names it
                                    (``count``, ``denominator``, ``percent``, ...)
======================  ==========  ========================================================

A row fills the input columns of its own rule and leaves the others empty. Every cell is read as
text, so a printed ``19.0`` keeps its last digit. How a cell is written depends on the input's
kind (`INPUT_KINDS`): a count is a whole number (``113``), a printed number is written as printed
(``32.7``, ``<0.001``, ``−0.5``), a date as printed (``June 2022``), a labelled list as
``label=value; label=value`` and a plain list as ``value; value``. Rules whose inputs cannot be
written in a cell (lesion lists, quoted series) are listed by ``rules`` as not usable from a
template. A few rules take an input named ``quantity`` (``pfs_not_exceeding_os``: ``median`` or
``rate``); for them the ``quantity`` cell is also that input.

A malformed template is refused whole, with one `TemplateError` naming the row (the spreadsheet's
row number: the header is row 1) and the column, what is wrong and what was expected. No ledger
is written from a template with a wrong cell.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogue import all_rules
from .checks import RULE_FUNCTIONS, Check
from .dates import PartialDate, parse_date
from .ledger import LEDGER_COLUMNS, LedgerRow, ledger_frame, ledger_row
from .printed import Printed, parse_printed

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "INPUT_KINDS",
    "TemplateError",
    "RuleInput",
    "rule_inputs",
    "template_rules",
    "input_columns",
    "check_frame",
]

REQUIRED_COLUMNS = ("claim_id", "rule", "location")
OPTIONAL_COLUMNS = ("quantity", "reported", "source", "study", "note")

#: kind -> how a cell of that kind is written (the "expected" half of an error message).
INPUT_KINDS: dict[str, str] = {
    "count": "a whole number, such as 113",
    "number": "a number, such as 0.05",
    "printed": "a number as printed, such as 32.7, 45.1%, <0.001 or −0.5",
    "date": "a date as printed, such as June 13, 2022, Jun 2022 or 2011",
    "text": "text",
    "flag": "true or false",
    "choice": "one of the values listed for this input",
    "labelled counts": "label=count pairs separated by ';', such as male=68; female=45",
    "labelled printed": "label=number pairs separated by ';', such as male=60.2; female=39.8",
    "labelled dates": "label=date pairs separated by ';', such as resection=Dec 2011; first TACE=Jun 2022",
    "labelled text": "label=text pairs separated by ';'",
    "dates": "dates separated by ';', such as April 13, 2022; August 24, 2022",
    "printed list": "numbers as printed, separated by ';'",
    "texts": "texts separated by ';'",
}

_PRINTED_LIKE = {Printed, str, int, float}


class TemplateError(ValueError):
    """A template cell (or header) that cannot be read: where, what is wrong, what was expected.

    Parameters
    ----------
    row : int
        The spreadsheet row: 1 is the header, 2 the first claim.
    column : str
        The column's name (or the header's text for a missing column).
    what : str
        What is wrong.
    expected : str
        What was expected instead.
    """

    def __init__(self, row: int, column: str, what: str, expected: str) -> None:
        self.row = row
        self.column = column
        self.what = what
        self.expected = expected
        super().__init__(f"{row}:{column}: {what}; expected {expected}")

    def located(self, file: str) -> str:
        """The one-line message with the file in front: ``FILE:ROW:COLUMN: what; expected what``."""
        return f"{file}:{self}"


@dataclass(frozen=True)
class RuleInput:
    """One input of a rule as a template column: its name, kind, whether required, its choices."""

    name: str
    kind: str | None  # None: cannot be written in a cell
    required: bool
    default: Any = None
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        """How a cell of this input is written, for an error's "expected" half."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return INPUT_KINDS[self.kind] if self.kind else "an input a template cannot hold"


def _without_none(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)


def _scalar_kind(annotation: Any) -> str | None:
    members = set(_without_none(annotation))
    if members == {bool}:
        return "flag"
    if members == {int}:
        return "count"
    if members == {float}:
        return "number"
    if members == {str}:
        return "text"
    if _PRINTED_LIKE <= members | {Printed} and members <= _PRINTED_LIKE:
        return "printed"
    if members == {PartialDate, str}:
        return "date"
    # recist.MeasurementText: one diameter or several, as text
    if str in members and all(m is str or typing.get_origin(m) is Sequence for m in members):
        return "text"
    return None


def _kind(annotation: Any) -> tuple[str | None, tuple[str, ...]]:
    members = _without_none(annotation)
    if len(members) == 1 and typing.get_origin(members[0]) is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(members[0]))
    scalar = _scalar_kind(annotation)
    if scalar is not None:
        return scalar, ()
    for member in members:  # dates.Labelled is a Mapping or a sequence of pairs: the Mapping reads
        origin = typing.get_origin(member)
        if origin is Mapping and typing.get_args(member)[0] is str:
            value = _scalar_kind(typing.get_args(member)[1])
            labelled = {"count": "labelled counts", "printed": "labelled printed", "date": "labelled dates"}
            if value in labelled:
                return labelled[value], ()
            if value == "text":
                return "labelled text", ()
        if origin is Sequence:
            value = _scalar_kind(typing.get_args(member)[0])
            listed = {"date": "dates", "printed": "printed list", "text": "texts"}
            if value in listed:
                return listed[value], ()
    return None, ()


def rule_inputs(rule: str) -> list[RuleInput]:
    """The inputs of a rule, in its parameter order, each with the kind of cell it is written in.

    Parameters
    ----------
    rule : str
        A rule's name (a key of `catalogue.all_rules()`).

    Returns
    -------
    list of RuleInput
        ``kind`` is None for an input no template cell can hold.

    Examples
    --------
    >>> [(i.name, i.kind, i.required) for i in rule_inputs("percent_of_n")][:3]
    [('count', 'count', True), ('denominator', 'count', True), ('percent', 'printed', True)]
    """
    function = inspect.unwrap(RULE_FUNCTIONS[rule])
    hints = typing.get_type_hints(function)
    inputs = []
    for parameter in inspect.signature(function).parameters.values():
        kind, choices = _kind(hints[parameter.name])
        required = parameter.default is inspect.Parameter.empty
        inputs.append(RuleInput(parameter.name, kind, required, None if required else parameter.default, choices))
    return inputs


def template_rules() -> dict[str, list[RuleInput]]:
    """The rules a template can use (every required input fits a cell), with their inputs."""
    usable = {}
    for rule in sorted(all_rules()):
        inputs = rule_inputs(rule)
        if all(i.kind is not None for i in inputs if i.required):
            usable[rule] = [i for i in inputs if i.kind is not None]
    return usable


@functools.cache
def _usable() -> dict[str, dict[str, RuleInput]]:
    return {rule: {i.name: i for i in inputs} for rule, inputs in template_rules().items()}


def input_columns() -> list[str]:
    """Every input column a template may have: the inputs of the usable rules, sorted."""
    return sorted({name for inputs in _usable().values() for name in inputs})


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _items(text):
        label, equals, value = item.partition("=")
        if not equals or not label.strip() or not value.strip():
            raise ValueError(f"{item!r} is not label=value")
        pairs.append((label.strip(), value.strip()))
    return pairs


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _count(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def _printed(text: str) -> str:
    parse_printed(text)  # refuses what is not one printed number; the rule gets the text
    return text


def _date(text: str) -> str:
    parse_date(text)
    return text


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ValueError(f"{text!r} is not true or false")


_READERS: dict[str, Callable[[str], Any]] = {
    "count": _count,
    "number": float,
    "printed": _printed,
    "date": _date,
    "text": str,
    "flag": _flag,
    "labelled counts": lambda t: {k: _count(v) for k, v in _pairs(t)},
    "labelled printed": lambda t: {k: _printed(v) for k, v in _pairs(t)},
    "labelled dates": lambda t: {k: _date(v) for k, v in _pairs(t)},
    "labelled text": lambda t: dict(_pairs(t)),
    "dates": lambda t: [_date(v) for v in _items(t)],
    "printed list": lambda t: [_printed(v) for v in _items(t)],
    "texts": _items,
}


def _read_cell(spec: RuleInput, text: str, row: int) -> Any:
    try:
        if spec.kind == "choice":
            if text not in spec.choices:
                raise ValueError(f"{text!r} is not a choice")
            return text
        assert spec.kind is not None
        value = _READERS[spec.kind](text)
    except ValueError:
        raise TemplateError(row, spec.name, f"cannot read {text!r} as input {spec.name!r}", spec.expected) from None
    if spec.kind.startswith(("labelled", "dates", "printed list", "texts")) and not value:
        raise TemplateError(row, spec.name, f"no values in {text!r}", spec.expected)
    return value


def _check_header(columns: Sequence[str]) -> None:
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(input_columns())
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise TemplateError(1, column, f"no column {column!r}", "the columns " + ", ".join(REQUIRED_COLUMNS))
    for column in columns:
        if column not in known:
            raise TemplateError(
                1,
                column,
                f"unknown column {column!r}",
                "claim_id, rule, location, an optional "
                + ", ".join(OPTIONAL_COLUMNS)
                + ", or an input of a rule (python -m claimcheck rules)",
            )
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise TemplateError(1, column, f"column {column!r} appears twice", "each column once")
        seen.add(column)


def _arguments(record: Mapping[str, str], row: int) -> tuple[str, dict[str, Any]]:
    rule = record["rule"]
    usable = _usable()
    if rule not in usable:
        if rule in RULE_FUNCTIONS:
            what = f"rule {rule!r} takes inputs a template cannot hold"
        else:
            what = f"unknown rule {rule!r}" if rule else "no rule"
        raise TemplateError(row, "rule", what, "a rule that python -m claimcheck rules marks as usable")
    specs = usable[rule]
    arguments: dict[str, Any] = {}
    for column, text in record.items():
        own = column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS
        if not text or (own and column not in specs):
            continue
        if column not in specs:
            raise TemplateError(
                row, column, f"rule {rule} takes no input {column!r}", "an empty cell, or inputs " + ", ".join(specs)
            )
        arguments[column] = _read_cell(specs[column], text, row)
    for name, spec in specs.items():
        if spec.required and name not in arguments:
            raise TemplateError(row, name, f"rule {rule} needs input {name!r}", spec.expected)
    return rule, arguments


def _reported(record: Mapping[str, str], arguments: Mapping[str, Any]) -> str:
    if record.get("reported"):
        return record["reported"]
    return "; ".join(f"{name}={record[name]}" for name in arguments)


def _records(frame: pd.DataFrame) -> Iterable[tuple[int, dict[str, str]]]:
    columns = [str(c) for c in frame.columns]
    for position, values in enumerate(frame.itertuples(index=False, name=None)):
        record = {}
        for column, value in zip(columns, values, strict=True):
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            record[column] = text.strip()
        yield position + 2, record


def check_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Check every claim of a template and return its ledger, one row per check.

    Parameters
    ----------
    frame : pandas.DataFrame
        A template (see the module's documentation): one claim per row, columns ``claim_id``,
        ``rule``, ``location``, optional ``quantity``, ``reported``, ``source``, ``study``,
        ``note`` and one column per rule input. Read it with ``dtype=str`` and
        ``keep_default_na=False`` so that printed numbers keep their trailing zeros.

    Returns
    -------
    pandas.DataFrame
        The ledger: the columns `ledger.LEDGER_COLUMNS` (those of the review's ``claims.csv``),
        every value text. A rule that makes several checks (``cox_row``) gives one row per
        check, its ``claim_id`` followed by the check's rule.

    Raises
    ------
    TemplateError
        For the first malformed cell or header, naming its row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> template = pd.DataFrame(
    ...     [{"claim_id": "male", "rule": "percent_of_n", "location": "Table 1",
    ...       "count": "68", "denominator": "113", "percent": "60.2"}]
    ... )
    >>> check_frame(template)[["claim_id", "recomputed", "verdict"]].to_dict("records")
    [{'claim_id': 'male', 'recomputed': '60.1770% (68/113)', 'verdict': 'consistent'}]
    """
    columns = [str(c) for c in frame.columns]
    _check_header(columns)
    rows: list[LedgerRow] = []
    claim_rows: dict[str, int] = {}
    calls = []
    for row, record in _records(frame):
        claim_id = record["claim_id"]
        if not claim_id:
            raise TemplateError(row, "claim_id", "no claim id", "a name for the claim, unique in the template")
        if claim_id in claim_rows:
            raise TemplateError(
                row, "claim_id", f"claim id {claim_id!r} is already used in row {claim_rows[claim_id]}", "a unique id"
            )
        claim_rows[claim_id] = row
        if not record["location"]:
            raise TemplateError(row, "location", "no location", "where the number stands, such as Table 2, row Male")
        calls.append((row, record, *_arguments(record, row)))
    for row, record, rule, arguments in calls:
        try:
            result: Check | list[Check] = RULE_FUNCTIONS[rule](**arguments)
        except (ValueError, TypeError) as error:
            raise TemplateError(row, "rule", f"{rule} refused the inputs: {error}", "inputs the rule accepts") from None
        checks = result if isinstance(result, list) else [result]
        for check in checks:
            claim_id = record["claim_id"] if len(checks) == 1 else f"{record['claim_id']}.{check.rule}"
            rows.append(
                ledger_row(
                    claim_id=claim_id,
                    source=record.get("source", ""),
                    study=record.get("study", ""),
                    location=record["location"],
                    quantity=record.get("quantity", ""),
                    reported=_reported(record, arguments),
                    check=check.noted(f"note: {record['note']}") if record.get("note") else check,
                )
            )
    ledger = ledger_frame(rows)
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    return ledger
