"""A machine reading of a paper's text: every number it prints, where it stands, and the standard
reporting patterns it forms.

This is the review's second, independent extractor (double data extraction, Cochrane Handbook
chapter 5): the transcriptions in ``data/`` were typed by hand, this module reads the same text
by rule, and ``sarcoma_review.coverage`` compares the two. It knows nothing of ``data/``, the
book or its libraries (standard library only), so that it can check any paper's text.

What counts as a number
-----------------------
``read_numbers`` finds, with its character offsets in the text as given:

* digits: integers and decimals (``113``, ``19.0``, ``13,400``, ``0·5``), with a minus sign only
  where it cannot be a hyphen or a dash (``−0.5``, ``(-0.5``);
* spelled-out numbers: ``three``, ``Thirty-two``, ``twofold``, ``three-fold``, ``no patient``
  (zero), ``none``, ``once daily``;
* ranges and sizes, read as one number with several values: ``2–3``, ``28.3%–46.8%``,
  ``20% to 30%``, ``65 × 52 mm``, ``9×4.5×4.5cm``;
* bounds, a number with the symbol or the words before it: ``<0.05``, ``$P < 0.05$``, ``≥ 10``,
  ``\\leq 3``, ``more than six``, ``up to ~40–50%``;
* percentages (``45.1%``, ``\\%``), and a power of ten as part of its number (``50 \\times 10^9``);
* dates: ``June 13, 2022``, ``Jun 2022``, ``5 October 2024``, a month and day of a list
  (``April 13, August 24, ... 2022``), and a year on its own (``in 2020``);
* numbers inside markup, each marked with it: LaTeX (``$P=0.006$``, ``^{6,7}``), HTML
  superscripts (``<sup>1–4</sup>``) and Unicode superscript digits (``¹``, ``²¹``).

Digits that are part of a name or code are not numbers: ``CD34``, ``Ki-67``, ``MSTS-93``,
``T2-weighted``, ``G3``, ``v5.0``, ``mg/m²`` and ``mg/m2`` (a unit's exponent), ``χ^2``,
``Nos.82460527``, ``yww307@163.com``. Ordinals (``first``, ``seventh``) and Roman numerals
(stage ``IV``) are words, not numbers, and are not read.

Reporting patterns
------------------
``read_patterns`` groups numbers into the units papers print them in, each with named parts:

=================  ===============================================  ==============================
kind               printed as                                       parts
=================  ===============================================  ==============================
``n_pct``          ``68 (60.2%)``, ``17 (15.0)``, ``(3 cases, 2.7%)``  ``n``, ``pct``
``pct_ci``         ``37.2% (95% CI: 28.3%–46.8%)``                  ``estimate``, ``level``, ``ci``
``hr_ci_p``        ``HR=1.7; 95% CI: 1.1–2.7; $P=0.014$``           ``estimate``, ``level``, ``ci``, ``p``
``median_ci``      ``19.0 months (95% CI: 12.8–25.3)``              ``estimate``, ``level``, ``ci``, ``p``
``cox_row``        a table row under ``β  HR  95% CI  P``             ``beta``, ``estimate``, ``ci``, ``p``
``p_value``        ``P < 0.001``, ``$P=0.006$``                      ``p``
``ci_level``       ``95% CI``, ``95% confidence intervals``            ``level``
=================  ===============================================  ==============================

(``median_ci`` is a duration in months with its interval: the word "median" is often printed
once for several of them, so it is not required; ``Pattern.median`` says whether it is there.)

Locating a quotation
--------------------
``locate`` finds where a verbatim excerpt stands in a text, forgiving only what text extraction
changes: white space, LaTeX math markup, HTML superscripts (reference numbers), Markdown links and
the kind of dash. An excerpt may leave words out where it says so (``...``), join table cells with
`` | ``, and run on across a table or figure that the extraction put inside its sentence.

Example
-------
>>> [(n.text, n.kind, n.values) for n in read_numbers("of whom 68 (60.2%) were male")]
[('68', 'integer', ('68',)), ('60.2%', 'percentage', ('60.2',))]
>>> [(p.kind, p.values()) for p in read_patterns("of whom 68 (60.2%) were male")]
[('n_pct', {'n': ('68',), 'pct': ('60.2',)})]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "MARKUPS",
    "PATTERN_KINDS",
    "NUMBER_WORDS",
    "BOUND_SPELLINGS",
    "Number",
    "Pattern",
    "Reading",
    "Span",
    "Comparable",
    "read",
    "read_numbers",
    "read_patterns",
    "values_of",
    "comparable",
    "comparable_text",
    "fragments",
    "locate",
    "occurs",
]

KINDS = ("integer", "decimal", "spelled", "range", "size", "bound", "percentage", "date")
MARKUPS = ("", "latex", "sup", "superscript")
PATTERN_KINDS = ("n_pct", "pct_ci", "hr_ci_p", "median_ci", "cox_row", "p_value", "ci_level")

# Spelled-out numbers. "no" and "none" print a zero ("no patient achieved CR"), but only "no"
# before a counted noun is read: "no evidence", "no gender restriction" are not counts.
NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "once": 1,
    "twice": 2,
    "no": 0,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_COUNTED_NOUNS = r"(?:patients?|cases?|subjects?|participants?|deaths?)"
# How a bound is printed just before its number, as a symbol or in words.
BOUND_SPELLINGS = {
    "below": ("<", "≤", "less than", "lower than", "fewer than", "below", "under", "up to"),
    "above": (">", "≥", "more than", "higher than", "greater than", "above", "over", "exceeding", "at least"),
}
_BOUND_SYMBOL = {
    "<": "<",
    "≤": "≤",
    ">": ">",
    "≥": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\geq": "≥",
    r"\ge": "≥",
    "<=": "≤",
    ">=": "≥",
    "=<": "≤",
    "=>": "≥",
}
_BOUND_OF_WORDS = {
    words: ("<" if direction == "below" else ">")
    for direction, spellings in BOUND_SPELLINGS.items()
    for words in spellings
    if words[0].isalpha()
}
_BOUND_OF_WORDS.update({"up to": "≤", "at least": "≥"})
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


# ---------------------------------------------------------------------------------------------
# What the reader returns


@dataclass(frozen=True)
class Number:
    """One number as printed, at ``text[start:end]``.

    Attributes
    ----------
    start, end : int
        Character offsets in the text that was read (``end`` exclusive).
    text : str
        The number as printed there, with its bound, percent sign or markup (``"<0.05"``,
        ``"28.3%–46.8%"``, ``"three"``, ``"June 13, 2022"``).
    kind : str
        Its shape, one of ``KINDS``; a date, size or range first, then a bound, a percentage,
        a spelled-out number, a decimal or an integer.
    values : tuple of str
        The number's values in printed digits, normalised: thousands separators dropped,
        ``·`` read as ``.``, words as digits (``"three"`` -> ``"3"``), a minus sign as ``-``.
        A range or size has one value per end or dimension; a date one ISO-like value
        (``"2022-06-13"``, ``"2022-06"``, ``"2022"``, or ``"--04-13"`` without a year).
    bound : str
        ``"<"``, ``"≤"``, ``">"`` or ``"≥"`` when a bound is printed before it, else ``""``.
    percent : bool
        Printed with a percent sign (on the number, or on the ends of a range).
    markup : str
        ``"latex"``, ``"sup"`` (HTML ``<sup>``), ``"superscript"`` (Unicode superscript digits)
        or ``""``.
    power_of_ten : str
        The exponent of a power of ten printed with the number (``"9"`` for
        ``50 \\times 10^9``, whose value stays ``"50"``: the power belongs to the unit), else ``""``.
    """

    start: int
    end: int
    text: str
    kind: str
    values: tuple[str, ...]
    bound: str = ""
    percent: bool = False
    markup: str = ""
    power_of_ten: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Pattern:
    """A reporting pattern: several numbers that a paper prints as one unit.

    Attributes
    ----------
    kind : str
        One of ``PATTERN_KINDS``.
    start, end : int
        Where the unit stands in the text.
    text : str
        The unit as printed.
    parts : dict of str to Number
        The numbers by their role (``"n"``, ``"pct"``, ``"estimate"``, ``"level"``, ``"ci"``,
        ``"p"``, ``"beta"``); optional parts that are not printed are absent.
    median : bool
        For ``median_ci``: whether the word "median" stands in the same sentence before it.
    """

    kind: str
    start: int
    end: int
    text: str
    parts: dict[str, Number] = field(default_factory=dict)
    median: bool = False

    def values(self) -> dict[str, tuple[str, ...]]:
        """The values of each part, by role (bounds not included: see ``Number.bound``)."""
        return {role: number.values for role, number in self.parts.items()}


@dataclass(frozen=True)
class Reading:
    """Everything read from one text: its numbers and their patterns, both in text order."""

    text: str
    numbers: tuple[Number, ...]
    patterns: tuple[Pattern, ...]


def read(text: str) -> Reading:
    """Read every number of ``text`` and the reporting patterns they form.

    Parameters
    ----------
    text : str
        The text of a paper, as extracted (tab-separated tables, LaTeX and HTML left in).

    Returns
    -------
    Reading
        The numbers and patterns, each with its offsets in ``text``.
    """
    numbers = read_numbers(text)
    return Reading(text, tuple(numbers), tuple(read_patterns(text, numbers)))


# ---------------------------------------------------------------------------------------------
# Atoms: each run of digits or number word, before ranges, sizes, bounds and dates are formed


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    value: str  # normalised digits ("13400", "-0.5", "3")
    word: bool  # spelled out
    markup: str


_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGITS = re.compile(
    r"(?P<minus>(?<![\w.)%\]])[-−](?=\d))?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?![\d,])(?:[.·]\d+)?|\d+(?:[.·]\d+)?)"
    rf"|(?P<superscript>[{_SUPERSCRIPTS}]+)"
)
_SPELLED = re.compile(
    r"(?<![\w-])(?P<word>"
    rf"(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_UNITS)}))?"
    r"|zero|none|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|thousand"
    r"|(?:once|twice)(?=\s+(?:daily|a\s+(?:day|week|month)|weekly|monthly|every))"
    rf"|no(?=\s+{_COUNTED_NOUNS}\b)"
    r")(?P<fold>-?fold)?(?![\w])",
    re.IGNORECASE,
)
# "one of", "no one": pronouns, not counts.
_PRONOUN_ONE = re.compile(r"(?:one\s+of\b|one\s+another\b|no\s+one\b)", re.IGNORECASE)
_MARKUP_REGIONS = (
    ("latex", re.compile(r"\$[^$\n]*\$")),
    ("latex", re.compile(r"\^\{[^}\n]*\}")),
    ("sup", re.compile(r"<sup>.*?</sup>", re.DOTALL)),
)


def _markup_at(regions: Sequence[tuple[int, int, str]], start: int) -> str:
    for region_start, region_end, name in regions:
        if region_start <= start < region_end:
            return name
    return ""


def _is_name_digit(text: str, start: int) -> bool:
    """Whether digits starting at ``start`` belong to a name or code ("CD34", "Ki-67", "m2")."""
    before = text[max(0, start - 2) : start]
    if not before:
        return False
    last = before[-1]
    if last.isalpha() or last in "@_":
        return True
    if last in "-^" and len(before) == 2 and before[0].isalpha():
        return True  # Ki-67, MSTS-93, χ^2
    return bool(re.search(r"\bNos?\.$", text[max(0, start - 4) : start]))  # a grant number: Nos.82460527


def _atoms(text: str) -> list[_Atom]:
    regions = sorted((m.start(), m.end(), name) for name, pattern in _MARKUP_REGIONS for m in pattern.finditer(text))
    atoms: list[_Atom] = []
    for match in _DIGITS.finditer(text):
        if match["superscript"]:
            before = text[match.start() - 1 : match.start()]
            if before == "m" and match["superscript"] in "²³":
                continue  # the exponent of a unit: mg/m², cm³
            atoms.append(
                _Atom(
                    match.start(), match.end(), match["superscript"].translate(SUPERSCRIPT_DIGITS), False, "superscript"
                )
            )
            continue
        digits_start = match.start("digits")
        if _is_name_digit(text, digits_start):
            continue
        value = match["digits"].replace(",", "").replace("·", ".")
        negative = match["minus"] is not None
        atoms.append(
            _Atom(
                match.start(), match.end(), ("-" if negative else "") + value, False, _markup_at(regions, match.start())
            )
        )
    pronouns = [m.span() for m in _PRONOUN_ONE.finditer(text)]
    for match in _SPELLED.finditer(text):
        if any(start <= match.start() < end for start, end in pronouns):
            continue
        word = match["word"].lower()
        parts = word.split("-")
        value = sum(NUMBER_WORDS[part] for part in parts)
        atoms.append(_Atom(match.start(), match.end(), str(value), True, _markup_at(regions, match.start())))
    return sorted(atoms, key=lambda atom: atom.start)


# ---------------------------------------------------------------------------------------------
# Numbers: atoms joined into ranges, sizes and dates, with their bounds and percent signs

_PERCENT_AFTER = re.compile(r"\s?(?:%|\\%)")
_POWER_OF_TEN = re.compile(r"\s*(?:×|\\times)\s*10\^\{?(?P<exponent>[-−]?\d+)\}?")
_RANGE_GAP = re.compile(r"^\s*(?:[–—-]|to)\s*$")
_RANGE_GAP_TIGHT = re.compile(r"^[–—-]$")
_SIZE_GAP = re.compile(r"^\s*(?:×|\\times|x)\s*$")
_BOUND_BEFORE = re.compile(
    r"(?P<symbol><=|>=|=<|=>|<|>|≤|≥|\\leq|\\geq|\\le|\\ge)\s*~?\s*\$?\s*$"
    r"|(?<![\w])(?P<words>"
    + "|".join(sorted((re.escape(w) for w in _BOUND_OF_WORDS), key=len, reverse=True))
    + r")\s+~?\s*$",
    re.IGNORECASE,
)
_MONTH_NAME = r"(?P<month>(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?)"
_YEAR_UNITS = re.compile(r"^\s*(?:mg|mL|µg|μg|patients|cases|cells|meters|m\b|cm|mm|kg|g\b|µm|μm)")


def _month(text: str) -> int | None:
    name = text.rstrip(".").lower()
    if name == "may" and text[:1] != "M":
        return None  # the verb "may"
    return MONTHS.get(name)


def _date_at(text: str, atoms: list[_Atom], index: int) -> tuple[int, int, str, int] | None:
    """A date whose first atom is ``atoms[index]`` (or which has a month word just before it):
    (start, end, ISO-like value, atoms used).
    """
    atom = atoms[index]
    if atom.word:
        return None
    before = text[max(0, atom.start - 12) : atom.start]
    month_before = re.search(r"(?<![A-Za-z])" + _MONTH_NAME + r"\s+$", before, re.IGNORECASE)
    month = _month(month_before["month"]) if month_before else None
    nxt = atoms[index + 1] if index + 1 < len(atoms) else None
    if month is not None and month_before is not None:
        start = atom.start - (len(before) - month_before.start())
        # Month Day, Year / Month Day / Month Year
        if re.fullmatch(r"\d{1,2}", atom.value) and 1 <= int(atom.value) <= 31:
            if (
                nxt is not None
                and re.fullmatch(r",\s*", text[atom.end : nxt.start])
                and re.fullmatch(r"(?:19|20)\d\d", nxt.value)
            ):
                return start, nxt.end, f"{nxt.value}-{month:02d}-{int(atom.value):02d}", 2
            return start, atom.end, f"--{month:02d}-{int(atom.value):02d}", 1
        if re.fullmatch(r"(?:19|20)\d\d", atom.value):
            return start, atom.end, f"{atom.value}-{month:02d}", 1
        return None
    # Day Month Year
    after = re.match(r"\s+" + _MONTH_NAME + r"\s+(?=\d)", text[atom.end : atom.end + 14], re.IGNORECASE)
    if (
        after
        and re.fullmatch(r"\d{1,2}", atom.value)
        and nxt is not None
        and nxt.start == atom.end + after.end()
        and re.fullmatch(r"(?:19|20)\d\d", nxt.value)
    ):
        month = _month(after["month"])
        if month is not None:
            return atom.start, nxt.end, f"{nxt.value}-{month:02d}-{int(atom.value):02d}", 2
    # A year on its own
    if re.fullmatch(r"(?:19|20)\d\d", atom.value) and not _YEAR_UNITS.match(text[atom.end :]):
        return atom.start, atom.end, atom.value, 1
    return None


def read_numbers(text: str) -> list[Number]:
    """Every number printed in ``text``, in order, with its offsets (see the module docstring).

    Parameters
    ----------
    text : str
        Any text: a paper, a sentence, a table row with tab-separated cells.

    Returns
    -------
    list of Number
        Non-overlapping numbers in text order.

    Examples
    --------
    >>> [(n.text, n.kind, n.values, n.bound) for n in read_numbers("P < 0.05 in 65 × 52 mm")]
    [('< 0.05', 'bound', ('0.05',), '<'), ('65 × 52', 'size', ('65', '52'), '')]
    >>> [(n.text, n.kind, n.values) for n in read_numbers("on June 13, 2022 and in Jun 2022")]
    [('June 13, 2022', 'date', ('2022-06-13',)), ('Jun 2022', 'date', ('2022-06',))]
    """
    atoms = _atoms(text)
    numbers: list[Number] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        date = _date_at(text, atoms, i)
        if date is not None and not (
            i + 1 < len(atoms) and date[3] == 1 and _RANGE_GAP_TIGHT.match(text[atom.end : atoms[i + 1].start])
        ):
            start, end, value, used = date
            numbers.append(Number(start, end, text[start:end], "date", (value,), markup=atom.markup))
            i += used
            continue
        group = [atom]
        end = atom.end
        percent = False
        kind = ""
        exponent = ""
        power = _POWER_OF_TEN.match(text, end)
        if power:
            exponent = power["exponent"].replace("−", "-")
            end = power.end()
            # the 10 and its exponent are part of this number, not numbers of their own
            while i + 1 < len(atoms) and atoms[i + 1].start < end:
                i += 1
        else:
            percent_match = _PERCENT_AFTER.match(text, end)
            if percent_match:
                percent = True
                end = percent_match.end()
            while i + 1 < len(atoms):
                nxt = atoms[i + 1]
                gap = text[end : nxt.start]
                if not kind and _RANGE_GAP.match(gap) and not nxt.word and not atom.word and nxt.markup == atom.markup:
                    kind = "range"
                elif (
                    kind in ("", "size")
                    and _SIZE_GAP.match(gap)
                    and not nxt.word
                    and not atom.word
                    and not _POWER_OF_TEN.match(text, end)
                ):
                    kind = "size"
                else:
                    break
                group.append(nxt)
                i += 1
                end = nxt.end
                percent_match = _PERCENT_AFTER.match(text, end)
                if percent_match:
                    percent = True
                    end = percent_match.end()
        start = group[0].start
        bound = ""
        bound_match = _BOUND_BEFORE.search(text, max(0, start - 24), start)
        if (
            bound_match is not None
            and bound_match["symbol"] == ">"
            and re.search(r"<\w+$", text[max(0, bound_match.start() - 8) : bound_match.start()])
        ):
            bound_match = None  # the end of an HTML tag: <sup>1–4</sup>
        if bound_match is not None and bound_match.end() == start:
            if bound_match["symbol"]:
                bound = _BOUND_SYMBOL[bound_match["symbol"]]
                start = bound_match.start("symbol")
            else:
                bound = _BOUND_OF_WORDS[bound_match["words"].lower()]
                start = bound_match.start("words")
        values = tuple(a.value for a in group)
        if not kind:
            if bound:
                kind = "bound"
            elif percent:
                kind = "percentage"
            elif group[0].word:
                kind = "spelled"
            elif "." in group[0].value:
                kind = "decimal"
            else:
                kind = "integer"
        numbers.append(Number(start, end, text[start:end], kind, values, bound, percent, group[0].markup, exponent))
        i += 1
    return numbers


def values_of(printed: str) -> list[Number]:
    """The numbers of a transcribed cell (``"<0.001"``, ``"Jun 13, 2022"``, ``"Thirty-two"``),
    read the same way as the paper, so that the two can be compared value by value.

    A cell that is a number word alone (``"once"``, ``"no"``) is that number: in prose the
    reader needs the words around it ("once daily", "no patient"), a cell has none.

    >>> [n.values for n in values_of("13,400")], [n.values for n in values_of("Thirty-two")]
    ([('13400',)], [('32',)])
    >>> [n.values for n in values_of("once")]
    [('1',)]
    """
    word = printed.strip()
    if word.lower() in NUMBER_WORDS:
        return [Number(0, len(word), word, "spelled", (str(NUMBER_WORDS[word.lower()]),))]
    return read_numbers(printed)


# ---------------------------------------------------------------------------------------------
# Reporting patterns

_CI_LABEL = re.compile(r"\s*(?:CIs?\b|confidence\s+intervals?)", re.IGNORECASE)
_P_BEFORE = re.compile(r"(?<![A-Za-z])P\s*\$?\s*=?\s*$")
_HR_BEFORE = re.compile(r"(?<![A-Za-z])HR\s*[=:]?\s*$")
_MONTHS_AFTER = re.compile(r"\s*months?\b")
_SENTENCE_START = re.compile(r"[.!?]\s+(?=[A-Z])|\n")


def _following(numbers: Sequence[Number], index: int, text: str, gap: str) -> Number | None:
    """``numbers[index + 1]`` if the text between it and ``numbers[index]`` matches ``gap``."""
    if index + 1 >= len(numbers):
        return None
    nxt = numbers[index + 1]
    return nxt if re.fullmatch(gap, text[numbers[index].end : nxt.start], re.IGNORECASE) else None


def _is_level(number: Number, text: str) -> bool:
    return number.kind == "percentage" and bool(_CI_LABEL.match(text, number.end))


def _ci_after(numbers: Sequence[Number], index: int, text: str, opening: str) -> tuple[Number, Number, int] | None:
    """(level, interval, index of the interval) when ``numbers[index]`` is followed by
    ``<opening> 95% CI: a–b``.
    """
    level = _following(numbers, index, text, opening)
    if level is None or not _is_level(level, text):
        return None
    interval = _following(numbers, index + 1, text, r"\s*(?:CI|confidence\s+intervals?)\s*[:,]?\s*")
    if interval is None or interval.kind != "range":
        return None
    return level, interval, index + 2


def _p_after(numbers: Sequence[Number], index: int, text: str) -> tuple[Number, int] | None:
    p = _following(numbers, index, text, r"\s*[,;]?\s*\$?\s*P\s*(?:=|<|>|≤|≥|\\leq|\\geq)?\s*")
    if p is None or p.kind not in ("decimal", "bound") or p.bound not in ("", "<", ">", "≤", "≥"):
        return None
    return p, index + 1


def _unit(kind: str, text: str, parts: dict[str, Number], median: bool = False) -> Pattern:
    start = min(number.start for number in parts.values())
    end = max(number.end for number in parts.values())
    if kind == "n_pct" or (kind != "p_value" and "ci" in parts):
        closing = re.match(r"\$?\s*[)\]]", text[end : end + 3])  # the bracket that closes "(95% CI ..."
        end += closing.end() if closing else 0
    return Pattern(kind, start, end, text[start:end], parts, median)


def read_patterns(text: str, numbers: Sequence[Number] | None = None) -> list[Pattern]:
    """The standard reporting patterns printed in ``text`` (see the module docstring).

    Parameters
    ----------
    text : str
        The text that was read.
    numbers : sequence of Number, optional
        ``read_numbers(text)``, if already computed.

    Returns
    -------
    list of Pattern
        In text order. A number belongs to at most one pattern, except that a P value printed
        inside a larger unit is also reported as a ``p_value``.

    Examples
    --------
    >>> [p.kind for p in read_patterns("HR=4.4; 95% CI: 2.3–8.7; $P<0.001$")]
    ['hr_ci_p', 'p_value']
    """
    numbers = list(read_numbers(text) if numbers is None else numbers)
    patterns: list[Pattern] = []
    used: set[int] = set()
    patterns.extend(_cox_rows(text, numbers, used))
    for i in range(len(numbers)):
        if i in used:
            continue
        found = (
            _hr_pattern(text, numbers, i) or _estimate_ci_pattern(text, numbers, i) or _n_pct_pattern(text, numbers, i)
        )
        if found is not None:
            pattern, indices = found
            patterns.append(pattern)
            used.update(indices)
    for number in numbers:
        if number.kind in ("decimal", "bound", "integer") and _P_BEFORE.search(
            text, max(0, number.start - 6), number.start
        ):
            patterns.append(_unit("p_value", text, {"p": number}))
        elif _is_level(number, text) and not any(p.parts.get("level") is number for p in patterns):
            patterns.append(_unit("ci_level", text, {"level": number}))
    return sorted(patterns, key=lambda p: (p.start, PATTERN_KINDS.index(p.kind)))


def _hr_pattern(text: str, numbers: list[Number], i: int) -> tuple[Pattern, list[int]] | None:
    estimate = numbers[i]
    if estimate.kind not in ("decimal", "integer") or not _HR_BEFORE.search(
        text, max(0, estimate.start - 6), estimate.start
    ):
        return None
    ci = _ci_after(numbers, i, text, r"\s*[,;]?\s*[\[(]?\s*")
    if ci is None:
        return None
    level, interval, j = ci
    parts, indices = _estimate_ci_p(numbers, i, level, interval, j, text)
    return _unit("hr_ci_p", text, parts), indices


def _estimate_ci_p(
    numbers: list[Number], i: int, level: Number, interval: Number, j: int, text: str
) -> tuple[dict[str, Number], list[int]]:
    """The parts of an estimate with its interval, and the P value printed after it if any."""
    parts = {"estimate": numbers[i], "level": level, "ci": interval}
    indices = [i, i + 1, j]
    p = _p_after(numbers, j, text)
    if p is not None:
        parts["p"] = p[0]
        indices.append(p[1])
    return parts, indices


def _estimate_ci_pattern(text: str, numbers: list[Number], i: int) -> tuple[Pattern, list[int]] | None:
    estimate = numbers[i]
    if estimate.kind == "percentage":
        ci = _ci_after(numbers, i, text, r"\s*\(\s*")
        if ci is None:
            return None
        level, interval, j = ci
        return _unit("pct_ci", text, {"estimate": estimate, "level": level, "ci": interval}), [i, i + 1, j]
    if estimate.kind not in ("decimal", "integer") or not _MONTHS_AFTER.match(text, estimate.end):
        return None
    after_unit = _MONTHS_AFTER.match(text, estimate.end).end()  # type: ignore[union-attr]
    shifted = Number(estimate.start, after_unit, estimate.text, estimate.kind, estimate.values)
    # (a stand-in that ends after "months", so that the interval can follow it)
    ci = _ci_after([*numbers[:i], shifted, *numbers[i + 1 :]], i, text, r"\s*[,(]?\s*")
    if ci is None:
        return None
    level, interval, j = ci
    parts, indices = _estimate_ci_p(numbers, i, level, interval, j, text)
    sentence_start = max((m.end() for m in _SENTENCE_START.finditer(text, 0, estimate.start)), default=0)
    median = "median" in text[sentence_start : estimate.start].lower()
    return _unit("median_ci", text, parts, median), indices


def _n_pct_pattern(text: str, numbers: list[Number], i: int) -> tuple[Pattern, list[int]] | None:
    n = numbers[i]
    if n.kind not in ("integer", "spelled") or n.percent:
        return None
    pct = _following(numbers, i, text, rf"(?:\s+{_COUNTED_NOUNS})?\s*\(\s*") or _following(
        numbers, i, text, rf"\s+{_COUNTED_NOUNS},\s*"
    )
    if pct is None or pct.kind not in ("percentage", "decimal") or pct.bound:
        return None
    closing = text[pct.end : pct.end + 2].lstrip()
    if not closing.startswith(")"):
        return None
    return _unit("n_pct", text, {"n": n, "pct": pct}), [i, i + 1]


_COX_HEADER = re.compile(r"^[^\t\n]*\tβ\tHR\t95% CI\tP[ \t]*$", re.MULTILINE)


def _cox_rows(text: str, numbers: list[Number], used: set[int]) -> Iterator[Pattern]:
    """Rows of a tab-separated table whose header is ``<label> β HR 95% CI P``."""
    for header in _COX_HEADER.finditer(text):
        position = header.end() + 1
        for line in text[position:].split("\n"):
            line_start, position = position, position + len(line) + 1
            cells = line.split("\t")
            if len(cells) != 5:
                break
            in_line = [
                (k, n)
                for k, n in enumerate(numbers)
                if line_start + len(cells[0]) < n.start and n.end <= line_start + len(line)
            ]
            if len(in_line) != 4:
                break
            (kb, beta), (kh, hr), (kc, ci), (kp, p) = in_line
            if ci.kind != "range":
                break
            used.update((kb, kh, kc, kp))
            yield _unit("cox_row", text, {"beta": beta, "estimate": hr, "ci": ci, "p": p})


# ---------------------------------------------------------------------------------------------
# Locating a verbatim excerpt in a text

LATEX_SYMBOLS = {
    r"\leq": "≤",
    r"\le": "≤",
    r"\geq": "≥",
    r"\ge": "≥",
    r"\times": "×",
    r"\pm": "±",
    r"\%": "%",
    r"\sim": "~",
    r"\approx": "≈",
    r"\mu": "μ",
}
MAX_INTERRUPTIONS = 2
INTERRUPTION_SPAN = 6000  # characters of a table or figure legend a sentence may run across
_NUMBER_PART = re.compile(r"[\d.,%]")
_SCAN = re.compile(
    r"(?P<sup><sup>.*?</sup>)"
    r"|(?P<link>\[(?P<link_text>[^\]]*)\]\([^)]*\))"
    r"|(?P<symbol>" + "|".join(re.escape(c) for c in sorted(LATEX_SYMBOLS, key=len, reverse=True)) + ")"
    r"|(?P<command>\\(?:mathrm|text|mathbf))"
    r"|(?P<drop>[\s${}^])"
    r"|(?P<dash>[−–—])",
    re.DOTALL,
)


@dataclass(frozen=True)
class Comparable:
    """A text reduced to what a quotation must match, with each character's offset in the
    original: ``text[i]`` stands at ``offsets[i]`` of the text it was made from.
    """

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the original text of ``self.text[start:end]`` (``end`` exclusive)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def comparable_text(text: str, _base: int = 0) -> Comparable:
    """``text`` without what extraction changes (see ``comparable``), keeping offsets.

    Parameters
    ----------
    text : str
        A source text or an excerpt.

    Returns
    -------
    Comparable
    """
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _SCAN.finditer(text):
        for k in range(position, match.start()):
            chars.append(text[k])
            offsets.append(_base + k)
        position = match.end()
        if match["link"]:
            inner = comparable_text(match["link_text"], _base + match.start("link_text"))
            chars.extend(inner.text)
            offsets.extend(inner.offsets)
        elif match["symbol"]:
            chars.append(LATEX_SYMBOLS[match["symbol"]])
            offsets.append(_base + match.start())
        elif match["dash"]:
            chars.append("-")
            offsets.append(_base + match.start())
    for k in range(position, len(text)):
        chars.append(text[k])
        offsets.append(_base + k)
    return Comparable("".join(chars), tuple(offsets))


def comparable(text: str) -> str:
    """``text`` as a quotation must match it: LaTeX symbols as characters (``\\leq`` -> ``≤``),
    HTML superscripts (reference numbers) and ``$ { } ^`` removed, Markdown links as their text,
    every dash as ``-``, and no white space.

    >>> comparable(r"($P < 0.05$) and 0–1 vs \\geq 2<sup>11</sup>")
    '(P<0.05)and0-1vs≥2'
    """
    return comparable_text(text).text


def fragments(excerpt: str) -> list[str]:
    """The comparable pieces of an excerpt, split where it leaves words out (``...``, ``…``)
    or joins table cells (`` | ``).
    """
    parts = re.split(r"\.\.\.|…|\s\|\s", excerpt)
    return [comparable(part) for part in parts if comparable(part)]


Span = tuple[int, int]


def _pieces(fragment: str, source: str, interruptions: int, start: int, end: int | None) -> Iterator[list[Span]]:
    """Every way ``fragment`` occurs in ``source[start:end]``, unbroken ones first, each as the
    spans of its pieces (a fragment may be broken up to ``interruptions`` times by a table or
    figure legend, never inside a number).
    """
    at = source.find(fragment, start, end)
    found_whole = False
    while at >= 0:
        found_whole = True
        yield [(at, at + len(fragment))]
        at = source.find(fragment, at + 1, end)
    if found_whole or interruptions == 0:
        return
    # A head of the fragment (the longest first) at any of its places, then the rest soon after.
    for cut in range(len(fragment) - 5, 4, -1):
        if _NUMBER_PART.match(fragment[cut - 1]) or _NUMBER_PART.match(fragment[cut]):
            continue  # never break a number: "21.|2 months" must not match "21.3 ... 2 months"
        head_at = source.find(fragment[:cut], start, end)
        while head_at >= 0:
            after = head_at + cut
            for rest in _pieces(fragment[cut:], source, interruptions - 1, after, after + INTERRUPTION_SPAN):
                yield [(head_at, after), *rest]
                return
            head_at = source.find(fragment[:cut], head_at + 1, end)


def occurs(
    fragment: str, source: str, interruptions: int = MAX_INTERRUPTIONS, start: int = 0, end: int | None = None
) -> bool:
    """Whether comparable ``fragment`` occurs in comparable ``source[start:end]``, possibly
    broken up to ``interruptions`` times (see ``locate``).
    """
    return next(_pieces(fragment, source, interruptions, start, end), None) is not None


def locate(excerpt: str, source: Comparable | str) -> list[list[Span]]:
    """Every place where ``excerpt`` stands in ``source``, as spans of the original text.

    Parameters
    ----------
    excerpt : str
        A verbatim quotation; its fragments (split at ``...``, ``…`` and `` | ``) must occur in
        order, each starting within ``INTERRUPTION_SPAN`` characters of the previous one.
    source : Comparable or str
        The text searched (``comparable_text(text)``, to reuse it for many excerpts).

    Returns
    -------
    list of list of (int, int)
        One entry per occurrence: the original-text spans its fragments cover (the words an
        excerpt leaves out are not covered). Empty when the excerpt does not occur.

    Examples
    --------
    >>> locate("68 (60.2%) were male", "of whom 68 (60.2%)\\nwere male and")
    [[(8, 28)]]
    """
    if isinstance(source, str):
        source = comparable_text(source)
    parts = fragments(excerpt)
    if not parts:
        return []
    found: list[list[Span]] = []
    for first in _pieces(parts[0], source.text, MAX_INTERRUPTIONS, 0, None):
        chain = [first]
        position = first[-1][1]
        for part in parts[1:]:
            following = next(
                _pieces(part, source.text, MAX_INTERRUPTIONS, position, position + INTERRUPTION_SPAN), None
            )
            if following is None:
                break
            chain.append(following)
            position = following[-1][1]
        else:
            found.append([source.original_span(a, b) for pieces in chain for a, b in pieces])
    return found
