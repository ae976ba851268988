"""Loading and validating the transcribed tables in data/.

Every cell is read as text: printed numbers keep their printed precision ("15.10" is not
"15.1"), and an empty cell means "not printed". Nothing is loaded before the whole package has
been validated, so no chapter can compute from invalid data.

What validation enforces
------------------------
Frictionless checks what a Table Schema can express: column names and order, types, required
cells, minimum/maximum, enums, patterns (printed percentages and other printed numbers are text
with a ``pattern``), lengths, unique columns and primary keys. On top of that, this module checks
what Frictionless cannot:

* descriptor conventions: every resource declares ``"encoding": "utf-8"``, a ``description``, a
  ``sources`` entry naming the source text file (``NNN_<16 hex digits>.txt``), a schema with a
  primary key, and a ``description`` for every field; every CSV under ``data/`` is listed and every
  listed file exists;
* bytes, before any parsing: a file larger than ``MAX_FILE_BYTES`` is rejected from its size
  alone; the bytes must decode as UTF-8 (Frictionless guesses encodings and lets bad bytes through
  unless told otherwise, and even then it cannot say where they are);
* a UTF-8 byte-order mark is **rejected**: Frictionless silently strips it, but pandas, ``csv`` and
  diff tools do not, so the first column name would differ between readers;
* CRLF (or lone CR) line endings are **rejected**: the contract is LF, and a CR inside a quoted
  cell would become part of the transcribed text. ``.gitattributes`` should pin
  ``data/**/*.csv text eol=lf`` so that checkouts on Windows stay valid;
* printed dates are real dates (see ``PrintedDateCheck`` for which cells are dates and which
  spellings are accepted);
* text cells hold no HTML or other markup, no character references and no control characters
  (see ``PlainTextCheck``): the data are transcriptions of papers, so markup can only be an error
  or an injection. Renderers must still escape text, because ``<`` and ``&`` legitimately occur
  (``"<0.001"``);
* ``number_id`` is unique across all tables of one study folder, as ARCHITECTURE.md requires;
* a transcribed value occurs in the row's verbatim excerpt, is possible for its unit, and a
  printed range agrees with its transcribed ends (``transcription_checks.py``): these catch the
  slips of a tired transcriber that no arithmetic rule can see.

Error format
------------
Each problem is one line ``<file>:<row>:<column>: <what is wrong>; expected <what was expected>``.
``<row>`` is the line number an editor shows for the start of the offending CSV record, the
header being line 1 (a record whose quoted cell spans several lines is reported at its first
line). For a problem in ``datapackage.json`` or a schema file it is the line of the resource's
``"name"`` entry. ``<row>`` is ``-`` when the problem concerns the whole file; ``<column>`` is the
CSV column name, a descriptor property such as ``resources[table1].encoding``, or ``-`` when the
problem concerns a whole row or file.
"""

from __future__ import annotations

import calendar
import codecs
import contextlib
import contextvars
import csv
import functools
import html.entities
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

import attrs
from frictionless import Checklist, FrictionlessException, Package, Resource, errors
from frictionless.checklist import Check

from claimcheck import source_reader
from .transcription_checks import ExcerptCheck, PrintedUnitCheck, RangeEndsCheck

if TYPE_CHECKING:  # pandas is slow to import and `make validate` does not need it
    import pandas as pd

# The repository's data/: what every loader reads unless told otherwise.
DATA_DIR = (Path(__file__).resolve().parent.parent / "data").resolve()
# The one switch to another copy of data/ (a test's copy, a mutation run): `reading_from`, or a
# `data_dir` argument to a loader. A context variable, so that a switch ends with its `with` block
# and no module's globals or function defaults have to be rewritten.
_CURRENT_DATA_DIR: contextvars.ContextVar[Path] = contextvars.ContextVar("sarcoma_review_data_dir", default=DATA_DIR)
DESCRIPTOR_NAME = "datapackage.json"
# A study's own tables are described in its folder (data/<folder>/resources.json), so that adding a
# study edits no shared descriptor; they join the package's resources in folder order.
STUDY_DESCRIPTOR_NAME = "resources.json"

# Transcribed paper tables are a few kilobytes; anything near this size is a mistake (an export,
# a pasted PDF), and refusing it from its size alone keeps validation fast.
MAX_FILE_BYTES = 2_000_000

SOURCE_TEXT_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")

NOT_APPLICABLE = "-"

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in data/, located as precisely as the problem allows."""

    file: str
    row: int | str
    column: str
    what: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.what}; expected {self.expected}"


class DataError(ValueError):
    """data/ is invalid. The message is the first problem; ``problems`` holds all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("DataError needs at least one problem")
        super().__init__(str(problems[0]))
        self.problems = problems


@dataclass
class PackageReport:
    """What one validation run saw."""

    problems: list[Problem] = field(default_factory=list)
    resources_validated: int = 0
    rows_validated: int = 0


# ---------------------------------------------------------------------------------------------
# Custom row checks (run by Frictionless alongside its own checks)
# ---------------------------------------------------------------------------------------------

class PrintedDateError(errors.CellError):
    type = "printed-date"
    title = "Printed Date Error"
    description = "A cell that holds a printed date is not a real date."
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}": {note}'


class PlainTextError(errors.CellError):
    type = "plain-text"
    title = "Plain Text Error"
    description = "A text cell holds markup or control characters."
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}": {note}'


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})"
PRINTED_DATE_SPELLINGS = [
    re.compile(rf"^{_YEAR}$"),
    re.compile(rf"^{_YEAR}-(?P<month_number>\d{{2}})$"),
    re.compile(rf"^{_YEAR}-(?P<month_number>\d{{2}})-(?P<day>\d{{2}})$"),
    re.compile(rf"^{_MONTH} {_YEAR}$"),
    re.compile(rf"^{_MONTH} {_DAY}, {_YEAR}$"),
    re.compile(rf"^{_DAY} {_MONTH} {_YEAR}$"),
]
DATE_EXAMPLES = "'Jun 13, 2022', 'June 13, 2022', '13 June 2022', 'Jun 2022', '2022-06-13', '2022-06' or '2022'"


def printed_date_problem(text: str) -> str | None:
    """Why ``text`` is not a real printed date, or None if it is one."""
    for spelling in PRINTED_DATE_SPELLINGS:
        match = spelling.match(text)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("month_number") is not None:
            month = int(parts["month_number"])
            if not 1 <= month <= 12:
                return f"month {month} does not exist"
        elif parts.get("month") is not None:
            month_name = parts["month"].lower()
            if month_name not in MONTHS:
                return f"'{parts['month']}' is not an English month name"
            month = MONTHS[month_name]
        else:
            return None
        if parts.get("day") is not None:
            day = int(parts["day"])
            days_in_month = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days_in_month:
                return f"{calendar.month_name[month]} {year} has {days_in_month} days, not {day}"
        return None
    return "not a date spelling this project reads"


def is_printed_date_field(field_name: str) -> bool:
    """Naming convention: a text column named ``date`` or ``*_date`` holds printed dates."""
    return field_name == "date" or field_name.endswith("_date")


@attrs.define(kw_only=True, repr=False)
class PrintedDateCheck(Check):
    """Cells that hold printed dates must be real dates.

    Which cells are dates: every non-empty cell of a ``string`` column named ``date`` or ending in
    ``_date``, and the ``printed`` cell of a text-block row whose ``unit`` is ``date``. (Columns of
    Frictionless type ``date`` are checked by Frictionless itself.)
    """

    type = "printed-date"
    Errors = [PrintedDateError]

    def validate_row(self, row: Any) -> Iterable[PrintedDateError]:
        date_fields = [f.name for f in self.resource.schema.fields
                       if f.type == "string" and is_printed_date_field(f.name)]
        if "printed" in row.field_names and "unit" in row.field_names and row["unit"] == "date":
            date_fields.append("printed")
        for name in date_fields:
            cell = row[name]
            if cell is None or cell == "":
                continue
            problem = printed_date_problem(str(cell))
            if problem is not None:
                yield PrintedDateError.from_row(row, note=problem, field_name=name)


MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&#\d+;|&#[xX][0-9A-Fa-f]+;")
# Only real named references count ("&lt;", "&amp;"): "R&D;" in running text is not markup.
NAMED_CHARACTER_REFERENCE = re.compile(r"&[A-Za-z][A-Za-z0-9]*;")


def find_markup(text: str) -> str | None:
    """The first piece of HTML markup or character reference in ``text``, if any."""
    found = [match for match in (MARKUP.search(text),) if match is not None]
    found += [match for match in NAMED_CHARACTER_REFERENCE.finditer(text)
              if match.group(0)[1:] in html.entities.html5]
    return min(found, key=lambda match: match.start()).group(0) if found else None
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@attrs.define(kw_only=True, repr=False)
class PlainTextCheck(Check):
    """Text cells are plain, one-line text: no HTML tags, comments or character references, no
    tabs, newlines or other control characters. ``<`` followed by a digit, space or ``=`` is
    allowed because papers print ``<0.001`` and ``< 5 cm``."""

    type = "plain-text"
    Errors = [PlainTextError]

    def validate_row(self, row: Any) -> Iterable[PlainTextError]:
        for name in row.field_names:
            cell = row[name]
            if not isinstance(cell, str):
                continue
            markup = find_markup(cell)
            if markup is not None:
                yield PlainTextError.from_row(row, note=f"markup {markup!r}", field_name=name)
            elif CONTROL_CHARACTERS.search(cell):
                control = CONTROL_CHARACTERS.search(cell).group(0)  # type: ignore[union-attr]
                yield PlainTextError.from_row(row, note=f"control character {control!r}",
                                              field_name=name)


# What `make new-study` (book_tools/scaffold.py) writes where only a reader of the paper can fill
# in a value; refused, so that no placeholder is ever published.
PLACEHOLDER = "TO FILL"


class PlaceholderError(errors.CellError):
    type = "placeholder"
    title = "Placeholder"
    description = "A cell still holds a placeholder of make new-study."
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}": {note}'


@attrs.define(kw_only=True, repr=False)
class PlaceholderCheck(Check):
    """No cell starts with the scaffold's placeholder (``TO FILL``)."""

    type = "placeholder"
    Errors = [PlaceholderError]

    def validate_row(self, row: Any) -> Iterable[PlaceholderError]:
        for name in row.field_names:
            cell = row[name]
            if isinstance(cell, str) and cell.startswith(PLACEHOLDER):
                yield PlaceholderError.from_row(row, note="a placeholder of make new-study", field_name=name)


class ExclusionRowError(errors.CellError):
    type = "exclusion-row"
    title = "Exclusion Row Error"
    description = "A row of an exclusion table cannot say which numbers it excludes."
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}": {note}'


@attrs.define(kw_only=True, repr=False)
class ExclusionRowCheck(Check):
    """A row of an exclusion table (``data/<study>/exclusions.csv``, see ``coverage.py``) names one
    of its resource's source texts, says where it applies (a context, a pattern or both), has an
    ``until`` only after a context, a pattern that compiles, and a ``printed`` value that reads as
    a number. Whether its context occurs in the source is the coverage gate's to say, which needs
    the source texts."""

    type = "exclusion-row"
    Errors = [ExclusionRowError]

    def validate_row(self, row: Any) -> Iterable[ExclusionRowError]:
        if "exclusion_id" not in row.field_names:
            return
        cell = lambda name: str(row[name] or "").strip() if name in row.field_names else ""  # noqa: E731
        sources = [Path(str(source.get("path", ""))).name for source in self.resource.sources or []]
        if cell("source") and cell("source") not in sources:
            yield ExclusionRowError.from_row(
                row, field_name="source",
                note=f"'{cell('source')}' is not a source text of this table; expected one of {', '.join(sources)}")
        if not cell("context") and not cell("pattern") and not cell("printed"):
            yield ExclusionRowError.from_row(
                row, field_name="context",
                note="nothing says which numbers it excludes; expected a verbatim excerpt of the source, "
                     "a regular expression or the excluded number (or several of them)")
        if cell("until") and not cell("context"):
            yield ExclusionRowError.from_row(
                row, field_name="until",
                note="an end without a start; expected a context where the excluded passage begins")
        if cell("pattern"):
            try:
                re.compile(cell("pattern"))
            except re.error as error:
                yield ExclusionRowError.from_row(
                    row, field_name="pattern",
                    note=f"not a regular expression ({error}); expected a Python regular expression")
        if cell("printed") and not source_reader.values_of(cell("printed")):
            yield ExclusionRowError.from_row(
                row, field_name="printed",
                note="no number in it; expected the excluded number as the source prints it, e.g. 2013 or 1–3")


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

# The row checks every table goes through. `python -m book_tools.mutation
# --without-transcription-checks` drops the last two, to measure what the ledger's rules catch alone.
ROW_CHECKS: list[type[Check]] = [PrintedDateCheck, PlainTextCheck, PlaceholderCheck, ExclusionRowCheck,
                                 PrintedUnitCheck, ExcerptCheck, RangeEndsCheck]


def validate_package(data_dir: Path | None = None) -> None:
    """Validate the data package in ``data_dir``; raise ``DataError`` listing every problem.

    Rows in messages are editor line numbers, the CSV header being line 1 (see module docstring).
    """
    report = check_package(data_dir)
    if report.problems:
        raise DataError(report.problems)


def check_package(data_dir: Path | None = None) -> PackageReport:
    """Validate ``data_dir`` and return every problem found, with what was validated."""
    data_dir = current_data_dir(data_dir)
    report = PackageReport()
    descriptor_path = data_dir / DESCRIPTOR_NAME
    shown_descriptor = _shown(descriptor_path)
    if not descriptor_path.is_file():
        report.problems.append(Problem(shown_descriptor, NOT_APPLICABLE, NOT_APPLICABLE,
                                       "file is missing",
                                       "a Frictionless descriptor listing every CSV of data/"))
        return report
    declared_paths: set[Path] = set()
    loaded: list[Resource] = []
    for path in (descriptor_path, *study_descriptor_paths(data_dir)):
        descriptor_text, resources, problem = _read_descriptor(path, required=path == descriptor_path)
        if problem is not None:
            report.problems.append(problem)
            if path == descriptor_path:
                return report
            continue
        shown_descriptor = _shown(path)
        for index, resource_descriptor in enumerate(resources):
            resource, resource_problems = _load_resource(resource_descriptor, index, data_dir,
                                                         descriptor_text, shown_descriptor)
            report.problems.extend(resource_problems)
            if isinstance(resource_descriptor, dict) and isinstance(resource_descriptor.get("path"), str):
                declared_path = (data_dir / resource_descriptor["path"]).resolve()
                if declared_path in declared_paths:
                    name = str(resource_descriptor.get("name"))
                    report.problems.append(Problem(
                        shown_descriptor, _line_of_name(descriptor_text, name), f"resources[{name}].path",
                        f"{resource_descriptor['path']!r} is described by another resource too",
                        "one resource per CSV file"))
                    continue
                declared_paths.add(declared_path)
            if resource is not None:
                loaded.append(resource)

    for csv_path in sorted(data_dir.rglob("*.csv")):
        if csv_path.is_file() and csv_path.resolve() not in declared_paths:
            report.problems.append(Problem(
                _shown(csv_path), NOT_APPLICABLE, NOT_APPLICABLE,
                f"CSV file is not listed in {DESCRIPTOR_NAME}{_or_study_descriptor(csv_path, data_dir)}",
                "every CSV in data/ to be described by a resource (add one, or delete the file)"))

    # One package around the resources, so that a foreign key can look up rows of another table.
    Package(resources=loaded, basepath=str(data_dir))
    number_ids: dict[tuple[Path, str], str] = {}
    for resource in loaded:
        rows, resource_problems = _validate_table(resource, data_dir, number_ids)
        report.problems.extend(resource_problems)
        report.resources_validated += 1
        report.rows_validated += rows
    return report


def _or_study_descriptor(csv_path: Path, data_dir: Path) -> str:
    folder = csv_path.relative_to(data_dir).parts[0] if len(csv_path.relative_to(data_dir).parts) > 1 else None
    return f" or {folder}/{STUDY_DESCRIPTOR_NAME}" if folder else ""


def study_descriptor_paths(data_dir: Path | None = None) -> list[Path]:
    """The per-study descriptors, ``data/<folder>/resources.json``, in folder order."""
    return sorted(current_data_dir(data_dir).glob(f"*/{STUDY_DESCRIPTOR_NAME}"))


def descriptor(data_dir: Path | None = None) -> dict[str, Any]:
    """The package's descriptor as one object: ``datapackage.json`` with the resources of every
    per-study ``resources.json`` appended (read as is; `check_package` validates them)."""
    data_dir = current_data_dir(data_dir)
    merged = json.loads((data_dir / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    for path in study_descriptor_paths(data_dir):
        merged["resources"] = [*merged["resources"], *json.loads(path.read_text(encoding="utf-8"))["resources"]]
    return merged


def _read_descriptor(path: Path, *, required: bool) -> tuple[str, list[Any], Problem | None]:
    """A descriptor's text and its list of resources, or the problem that stops reading it.

    The package's ``datapackage.json`` must list at least one resource; a study's
    ``resources.json`` is an object whose ``"resources"`` lists that folder's tables.
    """
    shown = _shown(path)
    if not path.is_file():
        return "", [], Problem(shown, NOT_APPLICABLE, NOT_APPLICABLE, "file is missing",
                               "a Frictionless descriptor listing every CSV of data/")
    text, problem = _read_utf8_text(path)
    if problem is not None:
        return "", [], problem
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        return "", [], Problem(shown, error.lineno, f"char {error.colno}", f"invalid JSON ({error.msg})",
                               "a valid JSON object")
    resources = parsed.get("resources") if isinstance(parsed, dict) else None
    if not isinstance(resources, list) or (required and not resources):
        return "", [], Problem(shown, NOT_APPLICABLE, "resources", "no list of resources",
                               "a non-empty \"resources\" list, one entry per CSV" if required
                               else "an object whose \"resources\" lists the tables of this folder")
    return text, resources, None


def _load_resource(resource_descriptor: Any, index: int, data_dir: Path, descriptor_text: str,
                   shown_descriptor: str) -> tuple[Resource | None, list[Problem]]:
    """Check one resource entry against Frictionless and the project conventions.

    Returns the Resource when its file can be validated (the descriptor may still have convention
    problems), else None.
    """
    if not isinstance(resource_descriptor, dict):
        return None, [Problem(shown_descriptor, NOT_APPLICABLE, f"resources[{index}]",
                              "entry is not an object", "a resource object")]
    name = str(resource_descriptor.get("name") or index)
    line = _line_of_name(descriptor_text, name)
    where = functools.partial(Problem, shown_descriptor, line)
    prefix = f"resources[{name}]"
    problems: list[Problem] = []

    frictionless_report = Resource.validate_descriptor(resource_descriptor, basepath=str(data_dir))
    for error in frictionless_report.errors:
        problems.append(where(prefix, f"invalid resource ({error.note})",
                              "a valid Frictionless resource descriptor"))
    if problems:
        return None, problems

    path = resource_descriptor.get("path")
    if not isinstance(path, str) or not path.endswith(".csv"):
        problems.append(where(f"{prefix}.path", f"path is {path!r}",
                              "the relative path of a .csv file under data/"))
        return None, problems
    if resource_descriptor.get("encoding") != "utf-8":
        problems.append(where(f"{prefix}.encoding",
                              f"encoding is {resource_descriptor.get('encoding')!r}",
                              '"utf-8" (without it Frictionless guesses and lets bad bytes pass)'))
    if not str(resource_descriptor.get("description") or "").strip():
        problems.append(where(f"{prefix}.description", "no description",
                              "a sentence saying what the table holds and where it is in the paper"))
    sources = resource_descriptor.get("sources")
    if not isinstance(sources, list) or not any(
            isinstance(source, dict)
            and SOURCE_TEXT_NAME.search(f"{source.get('path', '')} {source.get('title', '')}")
            for source in sources):
        problems.append(where(f"{prefix}.sources", "no source naming the source text file",
                              'a "sources" entry such as {"title": "...", "path": '
                              '"001_b310b963ff8f79a5.txt"}'))
    if "schema" not in resource_descriptor:
        problems.append(where(f"{prefix}.schema", "no schema",
                              "a Table Schema (inline or a path under data/schemas/)"))
        return None, problems

    schema_reference = resource_descriptor["schema"]
    if isinstance(schema_reference, str):
        schema_problem = _shared_schema_problem(data_dir / schema_reference, f"{prefix}.schema")
        if schema_problem is not None:
            problems.append(schema_problem)
            return None, problems
        schema_where = functools.partial(Problem, _shown(data_dir / schema_reference), NOT_APPLICABLE)
    else:
        schema_where = where
    resource = Resource(resource_descriptor, basepath=str(data_dir))
    try:
        resource.schema
    except FrictionlessException as exception:
        problems.append(schema_where(f"{prefix}.schema", f"invalid schema ({exception.error.note})",
                                     "a valid Table Schema"))
        return None, problems
    if not resource.schema.primary_key:
        problems.append(schema_where(f"{prefix}.schema.primaryKey", "no primary key",
                                     "the column(s) that identify each row"))
    for schema_field in resource.schema.fields:
        if not (schema_field.description or "").strip():
            problems.append(schema_where(f"{prefix}.schema.fields[{schema_field.name}].description",
                                         "field has no description",
                                         "a description of the column (unit, how it is printed)"))

    if not (data_dir / path).is_file():
        problems.append(where(f"{prefix}.path", f"file {path!r} does not exist",
                              "an existing CSV file under data/ (or remove the entry)"))
        return None, problems
    return resource, problems


def _shared_schema_problem(schema_path: Path, column: str) -> Problem | None:
    """Why a schema file a resource refers to cannot be read, or None."""
    if not schema_path.is_file():
        return Problem(_shown(schema_path), NOT_APPLICABLE, column, "schema file does not exist",
                       "a Table Schema file under data/schemas/")
    text, problem = _read_utf8_text(schema_path)
    if problem is not None:
        return problem
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(_shown(schema_path), error.lineno, f"char {error.colno}",
                       f"invalid JSON ({error.msg})", "a valid JSON Table Schema")
    return None


def _validate_table(resource: Resource, data_dir: Path,
                    number_ids: dict[tuple[Path, str], str]) -> tuple[int, list[Problem]]:
    """Validate one CSV's bytes and content. Returns the number of data rows and the problems."""
    csv_path = data_dir / resource.path  # type: ignore[operator]
    shown = _shown(csv_path)
    size = csv_path.stat().st_size
    if size > MAX_FILE_BYTES:
        return 0, [Problem(shown, NOT_APPLICABLE, NOT_APPLICABLE,
                           f"file is {size:,} bytes",
                           f"at most {MAX_FILE_BYTES:,} bytes for a transcribed table")]
    raw = csv_path.read_bytes()
    problems: list[Problem] = []
    text, encoding_problem = _decode_utf8(raw, shown)
    if encoding_problem is not None:
        return 0, [encoding_problem]
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if raw.startswith(codecs.BOM_UTF8):
        problems.append(Problem(shown, 1, header[0].lstrip("\ufeff") if header else NOT_APPLICABLE,
                                "file starts with a UTF-8 byte-order mark (BOM)",
                                "UTF-8 without BOM (in Excel: save as 'CSV UTF-8' then strip "
                                "the BOM, or use a text editor)"))
    carriage_return = raw.find(b"\r")
    if carriage_return >= 0:
        problems.append(Problem(shown, raw.count(b"\n", 0, carriage_return) + 1, NOT_APPLICABLE,
                                "line ends with CR LF (Windows line ending) or contains a CR",
                                "LF line endings only"))

    try:
        frictionless_report = resource.validate(
            Checklist(checks=[check() for check in ROW_CHECKS]))
    except FrictionlessException as exception:
        return 0, problems + [Problem(shown, NOT_APPLICABLE, NOT_APPLICABLE,
                                      f"Frictionless cannot read the file ({exception.error.note})",
                                      "a CSV file with a header row")]
    task = frictionless_report.tasks[0]
    record_lines = _record_start_lines(text)
    problems.extend(_translate_errors(task.errors, resource, shown, header, record_lines))
    problems.extend(_check_number_ids(resource, text, shown, record_lines, number_ids))
    return int(task.stats.get("rows") or 0), problems


LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label",
                "blank-header"}
CONSEQUENCES_OF_A_BAD_HEADER = {"missing-cell", "extra-cell", "type-error", "constraint-error",
                                "unique-error", "primary-key", "printed-date", "plain-text", "placeholder",
                                "excerpt-mismatch", "printed-unit", "range-ends", "exclusion-row"}


def _translate_errors(found: list[Any], resource: Resource, shown: str, header: list[str],
                      record_lines: list[int]) -> Iterator[Problem]:
    """Frictionless errors as Problems, in file order."""
    expected_names = resource.schema.field_names
    bad_header = any(error.type in LABEL_ERRORS for error in found)
    if bad_header:
        actual = [label.lstrip("\ufeff") for label in header]
        missing = [name for name in expected_names if name not in actual]
        extra = [name for name in actual if name not in expected_names]
        first_difference = (missing or extra or [a for a, e in zip(actual, expected_names) if a != e]
                            or [NOT_APPLICABLE])[0]
        details = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
            "wrong order" if not missing and not extra else "") if part)
        yield Problem(shown, 1, first_difference or NOT_APPLICABLE,
                      f"header is {','.join(actual)} ({details})",
                      f"exactly these columns in this order: {','.join(expected_names)}")
    for error in found:
        if error.type in LABEL_ERRORS or (bad_header and error.type in CONSEQUENCES_OF_A_BAD_HEADER):
            continue
        row_number = getattr(error, "row_number", None)
        line: int | str = _line(record_lines, row_number) if row_number else NOT_APPLICABLE
        field_name = getattr(error, "field_name", None) or NOT_APPLICABLE
        if error.type == "foreign-key":
            named = re.match(r'for "([^"]+)"', error.note)
            field_name = named.group(1) if named else field_name
        what, expected = _describe(error, resource, record_lines)
        yield Problem(shown, line, field_name, what, expected)


def _describe(error: Any, resource: Resource, record_lines: list[int]) -> tuple[str, str]:
    """(what is wrong, what was expected) for one Frictionless error."""
    cell = getattr(error, "cell", "")
    schema_field = (resource.schema.get_field(error.field_name)
                    if getattr(error, "field_name", None) in resource.schema.field_names else None)
    if error.type == "type-error" and schema_field is not None:
        return f"{cell!r} is not of type {schema_field.type}", _type_wording(schema_field)
    if error.type == "constraint-error" and schema_field is not None:
        constraint_match = re.match(r'constraint "(\w+)"', error.note)
        constraint = constraint_match.group(1) if constraint_match else ""
        limit = schema_field.constraints.get(constraint)
        if constraint == "required":
            return "empty cell in a required column", "a value (this column is required)"
        if constraint == "minimum":
            return f"{cell!r} is below the minimum", f"a value of at least {limit}"
        if constraint == "maximum":
            return f"{cell!r} is above the maximum", f"a value of at most {limit}"
        if constraint == "enum":
            return f"{cell!r} is not an allowed value", f"one of: {', '.join(map(str, limit))}"
        if constraint == "pattern":
            return (f"{cell!r} does not match the pattern of this column",
                    f"{_field_wording(schema_field)} (pattern {limit})")
        if constraint == "maxLength":
            return f"text is {len(cell)} characters long", f"at most {limit} characters"
        if constraint == "minLength":
            return f"text is {len(cell)} characters long", f"at least {limit} characters"
        if constraint == "unique":
            return f"{cell!r} is repeated", "a value unique within this column"
        return f"{cell!r} breaks the {constraint} constraint", f"{constraint} {limit}"
    if error.type == "primary-key":
        key = ", ".join(resource.schema.primary_key)
        first = re.search(r"position (\d+)", error.note)
        where_first = f" (first on line {_line(record_lines, int(first.group(1)))})" if first else ""
        return (f"duplicate primary key ({key}){where_first}",
                "each row to have a unique primary key")
    if error.type == "unique-error":
        first = re.search(r"position (\d+)", error.note)
        where_first = f" (first on line {_line(record_lines, int(first.group(1)))})" if first else ""
        return f"{cell!r} is repeated{where_first}", "a value unique within this column"
    if error.type == "foreign-key":
        looked_up = re.search(r'values? "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"', error.note)
        if looked_up:
            value, table, column = looked_up.groups()
            return (f"{value!r} is not a {column} of the table {table}",
                    f"a value that the {column} column of {table} lists")
        return f"broken foreign key ({error.note})", "a value that the referenced table lists"
    if error.type == "blank-row":
        return "empty line", "a data row (delete the empty line)"
    if error.type == "missing-cell":
        return "row has too few cells", f"{len(resource.schema.fields)} cells, one per column"
    if error.type == "extra-cell":
        return (f"row has an extra cell {cell!r}",
                f"{len(resource.schema.fields)} cells, one per column (quote cells containing commas)")
    if error.type == "printed-date":
        return f"{cell!r} is not a real date ({error.note})", f"a real date written like {DATE_EXAMPLES}"
    if error.type == "plain-text":
        return (f"{error.note} in text {cell[:60]!r}",
                "plain one-line text without HTML, character references or control characters")
    if error.type == "placeholder":
        return (f"{cell[:60]!r} is a placeholder of make new-study",
                "what the paper says, filled in by the maintainer who added the study")
    if error.type == "excerpt-mismatch":
        return (f"{cell!r} is not printed in its excerpt: {error.note}",
                "the value exactly as the excerpt in column context prints it "
                "(correct whichever of the two was mistyped)")
    if error.type == "printed-unit":
        return f"{cell!r} is impossible: {error.note}", "a value possible for the row's unit"
    if error.type == "exclusion-row":
        what, _, expected = error.note.partition("; expected ")
        return f"{cell or ''!r}: {what}", expected
    if error.type == "range-ends":
        return (f"{cell!r} is not an end of the printed range: {error.note}",
                "the ends exactly as column printed prints them")
    return f"{error.type}: {error.note}", "a file Frictionless can read"


def _type_wording(schema_field: Any) -> str:
    wording = {"integer": "a whole number", "number": "a number", "boolean": "true or false",
               "date": "a date YYYY-MM-DD", "year": "a year YYYY"}
    return wording.get(schema_field.type, f"a value of type {schema_field.type}")


def _field_wording(schema_field: Any) -> str:
    """The field's description, as the reader-facing explanation of its pattern."""
    description = (schema_field.description or f"a valid {schema_field.name}").strip().rstrip(".")
    if schema_field.example is not None:
        description += f", e.g. {schema_field.example!r}"
    return description


def _check_number_ids(resource: Resource, text: str, shown: str, record_lines: list[int],
                      number_ids: dict[tuple[Path, str], str]) -> Iterator[Problem]:
    """``number_id`` must be unique across the whole study folder, not only within one table."""
    if "number_id" not in resource.schema.field_names:
        return
    folder = Path(resource.path).parent  # type: ignore[arg-type]
    records = csv.reader(io.StringIO(text, newline=""))
    header = next(records, [])
    if "number_id" not in header:
        return
    id_column = header.index("number_id")
    for record_number, record in enumerate(records, start=2):
        number_id = record[id_column] if id_column < len(record) else ""
        if not number_id:
            continue
        line = _line(record_lines, record_number)
        here = f"{shown} line {line}"
        first = number_ids.setdefault((folder, number_id), here)
        if first != here and not first.startswith(f"{shown} "):
            yield Problem(shown, line, "number_id", f"{number_id!r} is already used at {first}",
                          "number_id unique across the whole study folder")


def _record_start_lines(text: str) -> list[int]:
    """Editor line on which each CSV record starts; index 0 is the header (record 1)."""
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    for _ in reader:
        starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts


def _line(record_lines: list[int], row_number: int) -> int:
    """Editor line of a Frictionless row number (header = 1)."""
    if 1 <= row_number <= len(record_lines):
        return record_lines[row_number - 1]
    return row_number


def _decode_utf8(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = _column_at(raw, line_start, error.start)
        return "", Problem(shown, line, column,
                           f"byte 0x{raw[error.start]:02x} is not UTF-8 ({error.reason})",
                           "UTF-8 text (re-save the file as UTF-8)")


def _column_at(raw: bytes, line_start: int, position: int) -> str:
    """Name of the CSV column that contains byte ``position`` of a one-line record."""
    header_text = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    header = next(csv.reader([header_text]), [])
    before = raw[line_start:position].decode("utf-8", errors="replace")
    cells_before = next(csv.reader([before]), [""])
    index = len(cells_before) - 1 if before else 0
    return header[index].lstrip("\ufeff") if index < len(header) else NOT_APPLICABLE


def _read_utf8_text(path: Path) -> tuple[str, Problem | None]:
    shown = _shown(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return "", Problem(shown, NOT_APPLICABLE, NOT_APPLICABLE, f"file is {size:,} bytes",
                           f"at most {MAX_FILE_BYTES:,} bytes")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return "", Problem(shown, raw.count(b"\n", 0, error.start) + 1, NOT_APPLICABLE,
                           f"byte 0x{raw[error.start]:02x} is not UTF-8", "UTF-8 text")


def _line_of_name(descriptor_text: str, name: str) -> int | str:
    match = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(name)), descriptor_text)
    return descriptor_text.count("\n", 0, match.start()) + 1 if match else NOT_APPLICABLE


def _shown(path: Path) -> str:
    """A path as the reader can open it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

def current_data_dir(data_dir: Path | None = None) -> Path:
    """The data folder to read: ``data_dir`` when given, else the one `reading_from` points at
    (the repository's data/ outside any such block). Every loader resolves its folder here, and a
    cache is keyed on what this returns, never on ``None``."""
    return _CURRENT_DATA_DIR.get() if data_dir is None else Path(data_dir)


@contextlib.contextmanager
def reading_from(data_dir: Path) -> Iterator[Path]:
    """Within the block, every loader of the review reads ``data_dir`` instead of data/.

    Memoised tables are keyed on the folder, so the copy's tables and the repository's never mix;
    a process that edits the copy's files in place (mutation testing) clears those memos itself.
    """
    token = _CURRENT_DATA_DIR.set(Path(data_dir).resolve())
    try:
        yield _CURRENT_DATA_DIR.get()
    finally:
        _CURRENT_DATA_DIR.reset(token)


def memoised_per_data_dir(function: Callable[[Path], T]) -> Callable[..., T]:
    """Memoise a function of the data folder, keyed on the folder `current_data_dir` resolves
    (so that a call without ``data_dir`` inside `reading_from` never returns another folder's
    tables). ``cache_clear`` forgets everything, as `functools.lru_cache`'s does."""
    cached = functools.lru_cache(maxsize=4)(function)

    @functools.wraps(function)
    def memoised(data_dir: Path | None = None) -> T:
        return cached(current_data_dir(data_dir))

    memoised.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return memoised


@functools.cache
def _validated(data_dir: Path) -> None:
    """Validate once per process and data directory; a failure is not cached, so it repeats."""
    validate_package(data_dir)


def ensure_valid(data_dir: Path | None = None) -> None:
    """Raise DataError unless ``data_dir`` has been validated successfully in this process."""
    _validated(current_data_dir(data_dir).resolve())


def load_table(relative_path: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One CSV of data/, every column as text, after the whole package has been validated."""
    import pandas as pd

    data_dir = current_data_dir(data_dir)
    ensure_valid(data_dir)
    return pd.read_csv(data_dir / relative_path, dtype=str, keep_default_na=False,
                       encoding="utf-8")


def load_study(study: str, data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """All tables of one study folder, keyed by file stem, after validation."""
    data_dir = current_data_dir(data_dir)
    ensure_valid(data_dir)
    return {path.stem: load_table(str(path.relative_to(data_dir)), data_dir)
            for path in sorted((data_dir / study).glob("*.csv"))}
