"""Row checks that catch a mistyped transcription before any rule sees it.

Two Frictionless checks, run by ``datapackage.check_package`` beside its own:

* ``ExcerptCheck``: a row that carries a verbatim excerpt of the paper (column ``context``) must
  print its numbers inside that excerpt. Every number in the value columns (``printed``,
  ``ci_lower``, ``low``, ``long_mm``, ``date`` ... see ``EXCERPT_CHECKED_COLUMNS``) has to occur in
  the excerpt with the same digits and the same sign; a number the paper spells out ("no patient",
  "six months", "threefold") matches its word, and the words of a value (the month of a date,
  "IIIB", "first, third") must occur too. The excerpt is the transcriber's second, independent copy of the same
  printed text: a last digit typed wrong, a value pasted into the neighbouring row or a sign added
  shows up as a value its own quotation does not contain. (The excerpts themselves are checked
  against the source papers by ``tests/test_excerpts_in_sources.py``.)
* ``PrintedUnitCheck``: in a text-block table (columns ``printed`` and ``unit``) the printed value
  must be possible for its unit: a count is a whole number, a P value lies between 0 and 1, and
  nothing is negative except a temperature or a unitless number. A rule would otherwise receive
  ``"<0.05"`` as a count or ``"-113"`` patients and fail with a traceback instead of a message that
  names the cell.

Neither check judges whether the paper is right: an estimate outside its own confidence interval,
or a percentage that does not match its count, is a finding for the ledger, not bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import attrs
from frictionless import errors
from frictionless.checklist import Check

from claimcheck import source_reader

EXCERPT_COLUMN = "context"
EXCERPT_CHECKED_COLUMNS = ("printed", "printed_upper", "ci_lower", "ci_upper", "low", "high",
                           "long_mm", "short_mm", "out_of", "n", "date")
# Two columns of one row that the paper prints next to each other: "6/10", "65 × 52 mm",
# "28.3%-46.8%". Each may occur alone elsewhere in the excerpt; together they must be adjacent.
EXCERPT_PAIRED_COLUMNS = (("printed", "out_of"), ("long_mm", "short_mm"), ("ci_lower", "ci_upper"),
                          ("low", "high"))

# Spelled-out numbers, as the machine reading of the sources knows them (one vocabulary for both);
# "no" and "none" print a zero ("no patient achieved CR").
NUMBER_WORDS = {word: str(value) for word, value in source_reader.NUMBER_WORDS.items()}
_FOLD_WORD = re.compile(r"^(?P<number>[a-z]+)fold$")
_MINUS_SIGNS = "-−"
# A number, with a minus sign only where it cannot be a hyphen or dash between two numbers
# ("2-5" is a range, "(-0.5" and "CI: −0.2" are negative), or a word.
_TOKEN = re.compile(r"(?P<minus>(?<![\w.)%])[-−])?(?P<digits>\d+(?:\.\d+)?)|(?P<word>[A-Za-z]+)")
_WORD = re.compile(r"[A-Za-z]+")
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# "(4) ECOG performance status ≤ 3": the number of a list item is not a printed quantity.
_LIST_MARKER = re.compile(r"^\s*\(\d+\)\s*")
# How a bound is printed just before its number, as a symbol or in words.
BOUND_SPELLINGS = source_reader.BOUND_SPELLINGS
_BOUND_OF_SYMBOL = {"<": "below", "≤": "below", ">": "above", "≥": "above"}


@dataclass(frozen=True)
class PrintedNumber:
    negative: bool
    digits: str
    start: int       # where the number, with its minus sign, begins in the (normalised) text

    def __str__(self) -> str:
        return ("-" if self.negative else "") + self.digits


def _normalised(text: str) -> str:
    return _THOUSANDS_SEPARATOR.sub("", text.replace("·", "."))


def printed_numbers(text: str, words: bool = True) -> list[PrintedNumber]:
    """The numbers printed in (normalised) ``text``, in order; spelled-out ones too if ``words``."""
    found = []
    for match in _TOKEN.finditer(text):
        if match["digits"] is not None:
            found.append(PrintedNumber(match["minus"] is not None, match["digits"], match.start()))
        elif words:
            word = match["word"].lower()
            fold = _FOLD_WORD.match(word)
            word = fold["number"] if fold and fold["number"] in NUMBER_WORDS else word
            if word in NUMBER_WORDS:
                found.append(PrintedNumber(False, NUMBER_WORDS[word], match.start()))
    return found


def numbers_in(text: str) -> list[tuple[bool, str]]:
    """The numbers printed in ``text`` as (negative, digits), spelled-out numbers included.

    >>> numbers_in("68 (60.2%) were male; HR −0.5, three months, threefold, 13,400")
    [(False, '68'), (False, '60.2'), (True, '0.5'), (False, '3'), (False, '3'), (False, '13400')]
    """
    return [(n.negative, n.digits) for n in printed_numbers(_normalised(text))]


def _bound_before(text: str, position: int) -> str | None:
    """"below" or "above" if the bound printed just before ``position`` says so."""
    before = text[:position].rstrip().lower()
    for direction, spellings in BOUND_SPELLINGS.items():
        if any(before.endswith(spelling) for spelling in spellings):
            return direction
    return None


def excerpt_problem(value: str, excerpt: str, side_by_side: bool = True) -> str | None:
    """Why ``value`` cannot be the number printed in ``excerpt``, or None if it can.

    A value with several numbers ("2–3", "65×52") must find them side by side and in order,
    unless not ``side_by_side`` (a date from a list that prints the year once, "April 13,
    August 24, December 16, 2022"); a bound ("<0.05", ">20") must be printed before its number, as a symbol or
    in words ("less than six").

    >>> excerpt_problem("60.2", "of whom 68 (60.2%) were male") is None
    True
    >>> print(excerpt_problem("60.3", "of whom 68 (60.2%) were male"))
    60.3 does not occur in the excerpt (it prints 68, 60.2)
    """
    value = _normalised(value.strip())
    wanted = printed_numbers(value, words=False)
    if not wanted:
        return _words_problem(value, excerpt)
    excerpt = _LIST_MARKER.sub("", _normalised(excerpt))
    available = printed_numbers(excerpt)
    shown_available = ", ".join(map(str, available)) or "no number"
    key = [(n.negative, n.digits) for n in wanted]
    if side_by_side:
        runs = [i for i in range(len(available) - len(key) + 1)
                if [(n.negative, n.digits) for n in available[i:i + len(key)]] == key]
    else:
        present = {(n.negative, n.digits) for n in available}
        runs = [0] if all(k in present for k in key) else []
    if not runs:
        for number in wanted:
            if (number.negative, number.digits) not in {(n.negative, n.digits) for n in available}:
                if (not number.negative, number.digits) in {(n.negative, n.digits) for n in available}:
                    return (f"{number} occurs in the excerpt only with the opposite sign "
                            f"(it prints {shown_available})")
                return f"{number} does not occur in the excerpt (it prints {shown_available})"
        return (f"{' '.join(map(str, wanted))} do not occur side by side in the excerpt "
                f"(it prints {shown_available})")
    bound = _BOUND_OF_SYMBOL.get(value[:1])
    if bound is not None and not any(_bound_before(excerpt, available[i].start) == bound for i in runs):
        return (f"the excerpt does not print {value[:1]!r} ({bound}) before {wanted[0]} "
                f"(it prints {shown_available})")
    return _words_problem(value, excerpt)    # the month of a date, the word of "IIIB"


def _words_problem(value: str, excerpt: str) -> str | None:
    """Each word of the value (or the number it spells) must be in the excerpt."""
    excerpt_words = {word.lower() for word in _WORD.findall(excerpt)}
    excerpt_numbers = set(numbers_in(excerpt))
    for word in _WORD.findall(value):
        lowered = word.lower()
        if lowered == "and" or lowered in excerpt_words:
            continue
        spelled = numbers_in(lowered)
        if spelled and spelled[0] in excerpt_numbers:
            continue
        return f"{word!r} does not occur in the excerpt"
    return None


class _CellProblem(errors.CellError):
    """A Frictionless cell error whose note says what is wrong (datapackage words it for readers)."""

    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}": {note}'


class ExcerptMismatchError(_CellProblem):
    type = "excerpt-mismatch"
    title = "Excerpt Mismatch"
    description = "A transcribed value does not occur in the row's verbatim excerpt."


@attrs.define(kw_only=True, repr=False)
class ExcerptCheck(Check):
    """The values of a row occur in its excerpt (see the module docstring)."""

    type = "excerpt-mismatch"
    Errors = [ExcerptMismatchError]

    def validate_row(self, row: Any) -> Iterable[ExcerptMismatchError]:
        if EXCERPT_COLUMN not in row.field_names:
            return
        excerpt = row[EXCERPT_COLUMN]
        if not isinstance(excerpt, str) or not excerpt.strip():
            return
        for name in EXCERPT_CHECKED_COLUMNS:
            if name not in row.field_names:
                continue
            cell = row[name]
            if cell is None or str(cell).strip() in ("", "-"):
                continue
            # A date may come from a list that prints the year once ("April 13, August 24, ..., 2022").
            is_date = name == "date" or (name == "printed" and "unit" in row.field_names and row["unit"] == "date")
            problem = excerpt_problem(str(cell), excerpt, side_by_side=not is_date)
            if problem is not None:
                yield ExcerptMismatchError.from_row(row, note=problem, field_name=name)
                return
        for first, second in EXCERPT_PAIRED_COLUMNS:
            if first not in row.field_names or second not in row.field_names:
                continue
            pair = [str(row[name]).strip() if row[name] is not None else "" for name in (first, second)]
            if not all(pair):
                continue
            problem = excerpt_problem(" ".join(digits for _, digits in numbers_in(" ".join(pair))), excerpt)
            if problem is not None:
                note = f"{first} {pair[0]} and {second} {pair[1]} are not printed together: {problem}"
                yield ExcerptMismatchError.from_row(row, note=note, field_name=second)


# ---------------------------------------------------------------------------------------------
# Values impossible for their unit
# ---------------------------------------------------------------------------------------------

SIGNED_UNITS = frozenset({"celsius", "none"})
_P_VALUE = re.compile(r"^[<>≤≥=]?\s*(?P<number>\d+(?:\.\d+)?|\.\d+)$")


def unit_problem(printed: str, unit: str) -> str | None:
    """Why ``printed`` is impossible for ``unit``, or None.

    >>> unit_problem("<0.05", "count")
    'a count must be a whole number, not 0.05'
    >>> unit_problem("-113", "count")
    "a negative number ('-113') is impossible for unit count"
    """
    text = _normalised(printed.strip())
    numbers = [(n.negative, n.digits) for n in printed_numbers(text, words=False)]
    if unit not in SIGNED_UNITS:
        leading_minus = text[:1] in _MINUS_SIGNS or re.search(r"[<>≤≥=]\s*[-−]", text)
        if leading_minus or any(negative for negative, _ in numbers):
            return f"a negative number ({printed!r}) is impossible for unit {unit}"
    if unit == "count":
        for _, digits in numbers:
            if "." in digits:
                return f"a count must be a whole number, not {digits}"
    if unit == "p":
        match = _P_VALUE.match(text)
        if match is None:
            return f"{printed!r} is not a P value such as 0.032, <0.001 or 0.05"
        if float(match["number"]) > 1:
            return f"a P value lies between 0 and 1, not {match['number']}"
    return None


class PrintedUnitError(_CellProblem):
    type = "printed-unit"
    title = "Printed Unit Error"
    description = "A printed value is impossible for its unit."


@attrs.define(kw_only=True, repr=False)
class PrintedUnitCheck(Check):
    """In a text-block table, ``printed`` (and its interval) must be possible for ``unit``."""

    type = "printed-unit"
    Errors = [PrintedUnitError]

    def validate_row(self, row: Any) -> Iterable[PrintedUnitError]:
        if "printed" not in row.field_names or "unit" not in row.field_names:
            return
        unit = row["unit"]
        if not isinstance(unit, str) or unit == "date":
            return
        for name in ("printed", "ci_lower", "ci_upper"):
            if name not in row.field_names:
                continue
            cell = row[name]
            if cell is None or str(cell).strip() == "":
                continue
            # An interval bound is a plain number; only the printed value can carry "<" or words.
            problem = unit_problem(str(cell), "none" if unit == "p" and name != "printed" else unit)
            if problem is not None:
                yield PrintedUnitError.from_row(row, note=problem, field_name=name)


# ---------------------------------------------------------------------------------------------
# A printed range and its two ends, transcribed in the same row
# ---------------------------------------------------------------------------------------------

RANGE_END_COLUMNS = (("ci_lower", "ci_upper"), ("low", "high"))
_RANGE = re.compile(r"^(?P<lower>\d+(?:\.\d+)?)\s*(?:–|-|to)\s*(?P<upper>\d+(?:\.\d+)?)$")


def range_ends_problem(printed: str, lower: str, upper: str) -> str | None:
    """Why ``lower``/``upper`` are not the ends of the printed range ``printed``, or None.

    Only a value that is a bare range ("2–3", "50-70") is compared, and its ends must be filled
    in: the rules read them. "37.2" with a CI prints its ends elsewhere in the sentence.

    >>> print(range_ends_problem("1–2", "2", "2"))
    the printed range 1–2 starts at 1, not 2
    """
    match = _RANGE.match(_normalised(printed.strip()))
    if match is None:
        return None
    if not lower:
        return f"the printed range {printed} starts at {match['lower']}, not at an empty cell"
    if not upper:
        return f"the printed range {printed} ends at {match['upper']}, not at an empty cell"
    if lower != match["lower"]:
        return f"the printed range {printed} starts at {match['lower']}, not {lower}"
    if upper != match["upper"]:
        return f"the printed range {printed} ends at {match['upper']}, not {upper}"
    return None


class RangeEndsError(_CellProblem):
    type = "range-ends"
    title = "Range Ends Error"
    description = "The ends transcribed for a printed range are not the range's ends."


@attrs.define(kw_only=True, repr=False)
class RangeEndsCheck(Check):
    """A printed range ("3–4") and its ends in the same row (``ci_lower``/``ci_upper`` or
    ``low``/``high``) agree: two copies of one printed text, typed separately."""

    type = "range-ends"
    Errors = [RangeEndsError]

    def validate_row(self, row: Any) -> Iterable[RangeEndsError]:
        if "printed" not in row.field_names:
            return
        printed = row["printed"]
        if not isinstance(printed, str):
            return
        for lower_name, upper_name in RANGE_END_COLUMNS:
            if lower_name not in row.field_names or upper_name not in row.field_names:
                continue
            lower, upper = (str(row[name] or "").strip() for name in (lower_name, upper_name))
            problem = range_ends_problem(printed, lower, upper)
            if problem is not None:
                wrong = lower_name if "starts" in problem else upper_name
                yield RangeEndsError.from_row(row, note=problem, field_name=wrong)
