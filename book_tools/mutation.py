"""Mutation testing of the ledger: would a transcription error show up?

Each mutant changes one transcribed value in a *copy* of data/ the way a tired transcriber
would: the last digit of a printed number moved by one (``last-digit``), two values of one
column swapped (``swap``), or a sign flipped (``sign``). The ledger is then recomputed in-process
from the copy and the mutant is **killed** when

* the mutated table no longer validates (``validation``: ``DataError``),
* an audit raises (``error``),
* a verdict of some ledger row changes, or rows appear or disappear (``verdict``).

Otherwise it **survives**, and the report says why it could not be caught, from the ledger rows
that carry the number: all of them ``not-checkable`` (nothing in the paper to check it against),
a rule whose rounding tolerance absorbs the change, or no ledger row reads the value at all.

Which cells are "transcribed values": the cells of the columns that hold printed numbers or
dates (``VALUE_COLUMNS`` by name, every ``integer``/``number`` column, and every column whose
description says it is printed, minus identifiers and prose columns); ids, keys, locations and
verbatim excerpts are never mutated. Everything is seeded and in a fixed order: two runs with the
same data and seed give the same report.

Usage: ``python -m book_tools.mutation [--seed 0] [--limit N] [--jobs J] [--out _build/mutation.json]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR_NAME = "datapackage.json"

# Columns holding printed numbers or dates, by name (data/ conventions, ARCHITECTURE.md).
VALUE_COLUMNS = frozenset({
    "printed", "printed_upper", "ci_lower", "ci_upper", "count", "percent", "median",
    "range_lower", "range_upper", "beta", "hr", "p", "n", "low", "high", "long_mm", "short_mm",
    "out_of", "date", "value", "lower", "upper", "estimate", "se", "total", "numerator",
    "denominator", "age", "dose", "size", "months", "days", "years",
})
# Never mutated: identifiers, canonical keys and prose (digits in them are not values).
NEVER_MUTATED = frozenset({
    "location", "context", "key", "unit", "description", "kind", "qualifier", "citation_key",
    "citation_as_given", "reference_number", "quoted_in", "design", "population", "treatment",
    "variable", "comparison", "characteristic", "category", "subtype", "event", "grade",
    "measure", "relative_to", "event_key", "time_point", "instrument", "item", "modality",
    "lesion", "target_lesion", "session_ordinal", "response_as_printed", "recist_printed",
    "timing_as_printed",
})
OPERATORS = ("last-digit", "swap", "sign")
KILL_OUTCOMES = ("validation", "error", "verdict")

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SIGNED_NUMBER = re.compile(r"^(?P<bound>[<>≤≥]?)(?P<sign>[-−]?)(?P<body>\d+(?:\.\d+)?%?)$")


# ---------------------------------------------------------------------------------------------
# The operators: pure functions on one printed text (unit-tested in tests/test_mutation.py)
# ---------------------------------------------------------------------------------------------

def bump_last_digit(text: str, direction: int) -> str | None:
    """``text`` with its last digit moved by ``direction`` (+1 or -1); None if it has no digit.

    A 9 cannot go up and a 0 cannot go down without a carry, which would change two digits: the
    direction is reversed there, so the result always differs from ``text`` in exactly one digit.
    """
    if direction not in (1, -1):
        raise ValueError("direction must be +1 or -1")
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char.isascii() and char.isdigit():
            digit = int(char)
            if not 0 <= digit + direction <= 9:
                direction = -direction
            return text[:index] + str(digit + direction) + text[index + 1:]
    return None


def flip_sign(text: str) -> str | None:
    """``-0.5`` -> ``0.5`` and ``0.5`` -> ``-0.5`` (after any bound sign such as ``<``).

    None for text that is not a single printed number (dates, ranges, words, zero): flipping
    the sign of those is not a transcription error anyone makes.
    """
    match = _SIGNED_NUMBER.match(text.strip())
    if match is None or float(match["body"].rstrip("%")) == 0:
        return None
    sign = "" if match["sign"] else "-"
    return f"{match['bound']}{sign}{match['body']}"


def swap_partners(values: list[str], rng: random.Random) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of positions holding different values, one drawn for each position.

    Deterministic for a given ``rng`` state; pairs of equal values are never drawn (swapping
    them changes nothing, an equivalent mutant), duplicates are dropped.
    """
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for i, value in enumerate(values):
        others = [j for j, other in enumerate(values) if other != value]
        if not others:
            continue
        j = rng.choice(others)
        pair = (min(i, j), max(i, j))
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs


# ---------------------------------------------------------------------------------------------
# Mutants
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    row: int          # 0-based data row (the CSV line is row + 2)
    column: str
    value: str
    row_id: str       # the row's primary key value(s), joined by "|"


@dataclass(frozen=True)
class Mutant:
    index: int
    operator: str
    file: str                         # relative to the data folder, POSIX
    column: str
    cells: tuple[tuple[int, str, str], ...]   # (row, before, after)
    row_ids: tuple[str, ...]

    @property
    def study(self) -> str:
        return self.file.split("/", 1)[0]

    def describe(self) -> str:
        changes = ", ".join(f"line {row + 2}: {before!r} -> {after!r}" for row, before, after in self.cells)
        return f"{self.file} [{self.column}] {self.operator}: {changes}"


@dataclass
class Outcome:
    mutant: Mutant
    outcome: str                     # validation | error | verdict | survived
    detail: str = ""
    sources: tuple[str, ...] = ()
    changed_rows: tuple[str, ...] = ()     # claim ids whose verdict flipped (killed) or text changed
    mentioning: dict[str, int] = field(default_factory=dict)   # "verdict / rule" -> rows
    reason: str = ""                 # why a survivor cannot be caught

    @property
    def killed(self) -> bool:
        return self.outcome in KILL_OUTCOMES


def _descriptor(data_dir: Path) -> dict:
    from sarcoma_review.datapackage import descriptor

    return descriptor(data_dir)


def _schema(resource: dict, data_dir: Path) -> dict:
    schema = resource.get("schema", {})
    if isinstance(schema, str):
        schema = json.loads((data_dir / schema).read_text(encoding="utf-8"))
    return schema


def value_columns(schema: dict) -> list[str]:
    """The columns of a table schema whose cells are transcribed values (see module docstring)."""
    primary = schema.get("primaryKey", [])
    primary = [primary] if isinstance(primary, str) else list(primary)
    chosen = []
    for spec in schema.get("fields", []):
        name = spec["name"]
        if name in primary or name in NEVER_MUTATED or name.endswith("_id"):
            continue
        described_printed = "printed" in spec.get("description", "").lower()
        if name in VALUE_COLUMNS or spec.get("type") in ("integer", "number") or described_printed:
            chosen.append(name)
    return chosen


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    return records[0], records[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def enumerate_mutants(data_dir: Path, seed: int = 0, operators=OPERATORS,
                      files: set[str] | None = None) -> list[Mutant]:
    """Every mutant of the package in ``data_dir``, in a fixed order (file, column, operator, row)."""
    rng = random.Random(seed)
    mutants: list[Mutant] = []
    resources = sorted(_descriptor(data_dir).get("resources", []), key=lambda r: r.get("path", ""))
    for resource in resources:
        rel = resource.get("path")
        if not isinstance(rel, str) or (files is not None and rel not in files):
            continue
        schema = _schema(resource, data_dir)
        header, rows = read_table(data_dir / rel)
        primary = schema.get("primaryKey", [])
        primary = [primary] if isinstance(primary, str) else list(primary)
        key_index = [header.index(k) for k in primary if k in header]

        def row_id(r: int) -> str:
            return "|".join(rows[r][k] for k in key_index)

        for column in value_columns(schema):
            if column not in header:
                continue
            c = header.index(column)
            cells = [Cell(r, column, row[c], row_id(r)) for r, row in enumerate(rows)
                     if c < len(row) and _NUMBER.search(row[c])]
            for operator in operators:
                if operator == "last-digit":
                    for cell in cells:
                        after = bump_last_digit(cell.value, rng.choice((1, -1)))
                        if after is not None and after != cell.value:
                            mutants.append(Mutant(len(mutants), operator, rel, column,
                                                  ((cell.row, cell.value, after),), (cell.row_id,)))
                elif operator == "sign":
                    for cell in cells:
                        after = flip_sign(cell.value)
                        if after is not None:
                            mutants.append(Mutant(len(mutants), operator, rel, column,
                                                  ((cell.row, cell.value, after),), (cell.row_id,)))
                elif operator == "swap":
                    for i, j in swap_partners([cell.value for cell in cells], rng):
                        a, b = cells[i], cells[j]
                        mutants.append(Mutant(len(mutants), operator, rel, column,
                                              ((a.row, a.value, b.value), (b.row, b.value, a.value)),
                                              (a.row_id, b.row_id)))
                else:
                    raise ValueError(f"unknown operator {operator!r}")
    return mutants


def apply_mutant(mutant: Mutant, data_dir: Path) -> bytes:
    """Write the mutant into ``data_dir``; returns the original bytes, for `restore`."""
    path = data_dir / mutant.file
    original = path.read_bytes()
    header, rows = read_table(path)
    c = header.index(mutant.column)
    for row, before, after in mutant.cells:
        if rows[row][c] != before:
            raise RuntimeError(f"{mutant.describe()}: the copy holds {rows[row][c]!r}, not {before!r}")
        rows[row][c] = after
    write_table(path, header, rows)
    return original


# ---------------------------------------------------------------------------------------------
# Running the ledger against a copy of data/
# ---------------------------------------------------------------------------------------------

# The packages whose code builds the ledger: the checking library and the review.
LEDGER_PACKAGES = ("claimcheck", "sarcoma_review")


def _ledger_modules() -> list:
    """The loaded modules of `LEDGER_PACKAGES`."""
    return [module for name, module in list(sys.modules.items())
            if module is not None and name.split(".")[0] in LEDGER_PACKAGES]


# Pure functions of their arguments that dominate a ledger build (statsmodels' exact binomial
# intervals take ~80% of it); memoised during a mutation run only, never in the book.
PURE_FUNCTIONS = (("claimcheck.stats", "binomial_intervals"),)


def memoise_pure_functions() -> None:
    """Cache `PURE_FUNCTIONS` by arguments and rebind every module-level reference to them."""
    import importlib

    for module_name, attribute in PURE_FUNCTIONS:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)
        if getattr(original, "_mutation_memo", False):
            continue
        memo: dict = {}

        def memoised(*args, _original=original, _memo=memo, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            if key not in _memo:
                _memo[key] = _original(*args, **kwargs)
            value = _memo[key]
            return value.copy() if hasattr(value, "copy") else value

        memoised._mutation_memo = True
        for loaded in _ledger_modules():
            for key, value in list(vars(loaded).items()):
                if value is original:
                    setattr(loaded, key, memoised)


def clear_caches() -> None:
    """Forget every memoised table and ledger of the library and the review (not the validation memo)."""
    from sarcoma_review import datapackage

    keep = getattr(datapackage, "_validated", None)
    for module in _ledger_modules():
        for value in list(vars(module).values()):
            if value is not keep and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def validate_resource(data_dir: Path, rel: str) -> None:
    """Validate one table of ``data_dir`` exactly as the whole package would be, but alone.

    A mini package holding only that resource (and the shared schemas) is validated: the
    value columns the mutants touch are checked by per-table constraints only, and validating
    one table takes ~1/30 of the whole package.
    """
    from sarcoma_review import datapackage

    descriptor = _descriptor(data_dir)
    resource = next(r for r in descriptor["resources"] if r.get("path") == rel)
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        mini = Path(tmp)
        (mini / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_dir / rel, mini / rel)
        if (data_dir / "schemas").is_dir():
            shutil.copytree(data_dir / "schemas", mini / "schemas")
        (mini / DESCRIPTOR_NAME).write_text(json.dumps({**descriptor, "resources": [resource]}), encoding="utf-8")
        datapackage.validate_package(mini)


def _ledger_records() -> list[dict[str, str]]:
    from sarcoma_review.ledger import build_ledger

    return [row.as_dict() for row in build_ledger()]


class Runner:
    """Holds one copy of data/ and the baseline ledger; evaluates mutants one at a time."""

    def __init__(self, source_dir: Path, work_dir: Path):
        self.data_dir = work_dir / "data"
        shutil.rmtree(self.data_dir, ignore_errors=True)
        shutil.copytree(source_dir, self.data_dir)
        memoise_pure_functions()
        clear_caches()
        from sarcoma_review.datapackage import validate_package

        validate_package(self.data_dir)  # mutating invalid data would prove nothing
        self.baseline = self.ledger_records()
        self.by_id = {r["claim_id"]: r for r in self.baseline}
        self.quoting_source = comparator_sources(self.data_dir)
        self.table_sources = {resource["path"]: tuple(sorted(source["title"] for source in resource.get("sources", [])))
                              for resource in _descriptor(self.data_dir)["resources"]}

    def ledger_records(self) -> list[dict[str, str]]:
        """The ledger computed from this runner's copy of data/ (the review's one switch of data
        folder, `datapackage.reading_from`: nothing is rebound, and it ends with the call)."""
        from sarcoma_review.datapackage import reading_from

        with reading_from(self.data_dir):
            return _ledger_records()

    def mentioning(self, mutant: Mutant) -> list[dict[str, str]]:
        """Ledger rows whose claim id names the mutated row (``<study>.<row id>.<rule>``)."""
        found = []
        for row_id in mutant.row_ids:
            if not row_id:
                continue
            needle = f".{row_id}."
            found.extend(r for r in self.baseline if needle in f".{r['claim_id']}.")
        return found

    def evaluate(self, mutant: Mutant) -> Outcome:
        original = apply_mutant(mutant, self.data_dir)
        try:
            clear_caches()
            try:
                validate_resource(self.data_dir, mutant.file)
            except Exception as error:  # noqa: BLE001 - DataError, or a crash of validation itself
                return self._outcome(mutant, "validation", f"{type(error).__name__}: {error}", [])
            try:
                records = self.ledger_records()
            except Exception as error:  # noqa: BLE001 - any failure of an audit kills the mutant
                return self._outcome(mutant, "error", f"{type(error).__name__}: {str(error)[:300]}", [])
        finally:
            (self.data_dir / mutant.file).write_bytes(original)
        return self._compare(mutant, records)

    def _compare(self, mutant: Mutant, records: list[dict[str, str]]) -> Outcome:
        now = {r["claim_id"]: r for r in records}
        flipped = sorted(c for c in now.keys() & self.by_id.keys()
                         if now[c]["verdict"] != self.by_id[c]["verdict"])
        appeared = sorted(now.keys() - self.by_id.keys())
        vanished = sorted(self.by_id.keys() - now.keys())
        touched = sorted(c for c in now.keys() & self.by_id.keys() if now[c] != self.by_id[c])
        if flipped or appeared or vanished:
            parts = [f"{c}: {self.by_id[c]['verdict']} -> {now[c]['verdict']}" for c in flipped[:3]]
            parts += [f"new row {c}" for c in appeared[:2]] + [f"row gone {c}" for c in vanished[:2]]
            rows = [self.by_id[c] for c in flipped + vanished] + [now[c] for c in appeared]
            return self._outcome(mutant, "verdict", "; ".join(parts), rows,
                                 changed=tuple(flipped + appeared + vanished))
        return self._outcome(mutant, "survived", "", [self.by_id[c] for c in touched], changed=tuple(touched))

    def _outcome(self, mutant: Mutant, outcome: str, detail: str, rows: list[dict[str, str]],
                 changed: tuple[str, ...] = ()) -> Outcome:
        mention = self.mentioning(mutant)
        carriers = rows or mention
        sources = tuple(sorted({r["source"] for r in carriers})) or self._table_sources(mutant)
        tally = Counter(f"{r['verdict']} / {r['rule']}" for r in (rows or mention))
        result = Outcome(mutant, outcome, detail, sources, changed, dict(sorted(tally.items())))
        if outcome == "survived":
            result.reason = survivor_reason(rows, mention)
        return result

    def _table_sources(self, mutant: Mutant) -> tuple[str, ...]:
        # A quoted figure belongs to the paper that quotes it (comparators/, see its README).
        quoting = {self.quoting_source[row_id] for row_id in mutant.row_ids if row_id in self.quoting_source}
        if quoting:
            return tuple(sorted(quoting))
        # Otherwise the source texts the table's descriptor entry names.
        return self.table_sources.get(mutant.file) or (f"(no source named for {mutant.file})",)


def comparator_sources(data_dir: Path) -> dict[str, str]:
    """Source text quoting each comparator series and outcome, by row id."""
    folder = data_dir / "comparators"
    if not (folder / "comparator_series.csv").is_file():
        return {}
    with (folder / "comparator_series.csv").open(encoding="utf-8", newline="") as handle:
        quoted_in = {row["series_id"]: row["quoted_in"] for row in csv.DictReader(handle)}
    found = dict(quoted_in)
    outcomes = folder / "comparator_outcomes.csv"
    if outcomes.is_file():
        with outcomes.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("series_id") in quoted_in:
                    found[row["outcome_id"]] = quoted_in[row["series_id"]]
    return found


def survivor_reason(touched: list[dict[str, str]], mentioning: list[dict[str, str]]) -> str:
    """Why a surviving mutant could not be caught, from the rows that carry its number."""
    if touched:
        verdicts = Counter(r["verdict"] for r in touched)
        rules = sorted({r["rule"] for r in touched})
        if set(verdicts) == {"not-checkable"}:
            return "not-checkable: the rows that carry it have nothing in the paper to check it against"
        return (f"within tolerance: the rows that read it ({dict(sorted(verdicts.items()))}; rules "
                f"{', '.join(rules)}) keep their verdict, the change stays inside what they accept")
    if mentioning:
        verdicts = Counter(r["verdict"] for r in mentioning)
        if set(verdicts) == {"not-checkable"}:
            return "not-checkable: the rows that name it have nothing to check it against (value not read)"
        return (f"not read: rows name its row ({dict(sorted(verdicts.items()))}) but no ledger "
                "value depends on this cell")
    return "unread: no ledger row reads or names this value (a gap in the ledger's coverage)"


# ---------------------------------------------------------------------------------------------
# Running all mutants and reporting
# ---------------------------------------------------------------------------------------------

_WORKER: Runner | None = None


def _init_worker(source_dir: str, work_root: str) -> None:
    global _WORKER
    _WORKER = Runner(Path(source_dir), Path(tempfile.mkdtemp(prefix="worker-", dir=work_root)))


def _evaluate(mutant: Mutant) -> Outcome:
    assert _WORKER is not None
    return _WORKER.evaluate(mutant)


def summarise(outcomes: list[Outcome], baseline_rows: int, seconds: float, seed: int,
              total_mutants: int) -> dict:
    def rate(items: list[Outcome]) -> dict:
        killed = sum(o.killed for o in items)
        # Survivors carried only by not-checkable rows cannot be caught by any rule: the rate
        # over the rest says how well the rules do where there is something to check against.
        checkable = [o for o in items if not o.reason.startswith("not-checkable")]
        return {"mutants": len(items), "killed": killed,
                "kill_rate": round(killed / len(items), 4) if items else None,
                "checkable": len(checkable),
                "kill_rate_checkable": round(killed / len(checkable), 4) if checkable else None,
                "by_outcome": dict(sorted(Counter(o.outcome for o in items).items()))}

    by_source: dict[str, list[Outcome]] = defaultdict(list)
    by_study: dict[str, list[Outcome]] = defaultdict(list)
    by_operator: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for source in o.sources:
            by_source[source].append(o)
        by_study[o.mutant.study].append(o)
        by_operator[o.mutant.operator].append(o)
    survivors = [o for o in outcomes if not o.killed]
    return {
        "seed": seed,
        "baseline_ledger_rows": baseline_rows,
        "mutants_enumerated": total_mutants,
        "mutants_run": len(outcomes),
        "seconds": round(seconds, 1),
        "overall": rate(outcomes),
        "by_source": {k: rate(v) for k, v in sorted(by_source.items())},
        "by_study": {k: rate(v) for k, v in sorted(by_study.items())},
        "by_operator": {k: rate(v) for k, v in sorted(by_operator.items())},
        "survivor_reasons": dict(Counter(o.reason.split(":")[0] for o in survivors).most_common()),
        "survivors": [
            {"mutant": o.mutant.describe(), "operator": o.mutant.operator, "file": o.mutant.file,
             "column": o.mutant.column, "row_ids": list(o.mutant.row_ids), "sources": list(o.sources),
             "reason": o.reason, "rows": o.mentioning, "changed_rows": list(o.changed_rows[:10])}
            for o in survivors],
        # An audit that crashes on a plausible transcription error reports it badly: listed here.
        "errors": dict(Counter(re.sub(r"'[^']*'", "'…'", o.detail)[:160] for o in outcomes
                               if o.outcome == "error").most_common()),
        "errors_listed": [{"mutant": o.mutant.describe(), "detail": o.detail[:300]}
                          for o in outcomes if o.outcome == "error"],
        "killed_examples": [
            {"mutant": o.mutant.describe(), "outcome": o.outcome, "detail": o.detail[:300]}
            for o in [o for o in outcomes if o.killed][:20]],
    }


def run(source_dir: Path, seed: int = 0, limit: int | None = None, jobs: int = 1,
        operators=OPERATORS) -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sarcoma-mutation-") as work_root:
        work = Path(work_root)
        main = Runner(source_dir, work / "main")
        # Only the tables the ledger reads can change it; the rest are reported, not mutated.
        read = files_read_by_ledger(main)
        all_mutants = enumerate_mutants(main.data_dir, seed=seed, operators=operators)
        unread_files = sorted({m.file for m in all_mutants} - read)
        mutants = [m for m in all_mutants if m.file in read]
        if limit is not None and limit < len(mutants):
            picked = sorted(random.Random(seed).sample(range(len(mutants)), limit))
            mutants = [mutants[i] for i in picked]
        if jobs > 1 and len(mutants) > 20:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            with context.Pool(jobs, initializer=_init_worker, initargs=(str(source_dir), work_root)) as pool:
                outcomes = []
                for outcome in pool.imap(_evaluate, mutants, chunksize=4):
                    outcomes.append(outcome)
                    _progress(len(outcomes), len(mutants), started)
        else:
            outcomes = []
            for mutant in mutants:
                outcomes.append(main.evaluate(mutant))
                _progress(len(outcomes), len(mutants), started)
        report = summarise(outcomes, len(main.baseline), time.perf_counter() - started, seed, len(all_mutants))
    report["files_not_read_by_the_ledger"] = {
        f: sum(m.file == f for m in all_mutants) for f in unread_files}
    report["files_mutated"] = sorted(read & {m.file for m in all_mutants})
    return report


def _progress(done: int, total: int, started: float) -> None:
    if done % 250 == 0 or done == total:
        print(f"mutation: {done}/{total} mutants, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def files_read_by_ledger(runner: Runner) -> set[str]:
    """The data files (relative paths) opened while the ledger is built, via an audit hook."""
    seen: set[str] = set()
    root = str(runner.data_dir)
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if active[0] and event == "open" and args and isinstance(args[0], (str, os.PathLike)):
            path = os.fspath(args[0])
            if isinstance(path, str) and path.startswith(root):
                seen.add(Path(path).relative_to(root).as_posix())

    sys.addaudithook(hook)
    try:
        clear_caches()
        runner.ledger_records()
    finally:
        active[0] = False  # audit hooks cannot be removed; this one goes quiet
    return seen


def print_table(report: dict, out=sys.stdout) -> None:
    def line(label: str, r: dict) -> str:
        rate_text = f"{100 * r['kill_rate']:.1f}%" if r["kill_rate"] is not None else "-"
        checkable = f"{100 * r['kill_rate_checkable']:.1f}%" if r["kill_rate_checkable"] is not None else "-"
        outcomes = ", ".join(f"{k} {v}" for k, v in r["by_outcome"].items())
        return f"{label:<34} {r['mutants']:>7} {r['killed']:>7} {rate_text:>8} {checkable:>10}   {outcomes}"

    print(f"{'':<34} {'mutants':>7} {'killed':>7} {'rate':>8} {'checkable':>10}   outcomes", file=out)
    for section in ("by_source", "by_study", "by_operator"):
        print(f"-- {section.replace('_', ' ')}", file=out)
        for label, r in report[section].items():
            print(line(label, r), file=out)
    print(line("ALL", report["overall"]), file=out)
    print(f"survivors by reason: {report['survivor_reasons']}", file=out)
    for s in report["survivors"][:40]:
        print(f"  SURVIVOR {s['mutant']}\n           {s['reason']}", file=out)
    if len(report["survivors"]) > 40:
        print(f"  ... {len(report['survivors']) - 40} more in the JSON report", file=out)
    if report["files_not_read_by_the_ledger"]:
        print(f"not mutated (no audit reads them): {report['files_not_read_by_the_ledger']}", file=out)
    print(f"{report['mutants_run']} of {report['mutants_enumerated']} mutants, seed {report['seed']}, "
          f"{report['seconds']} s", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder to copy (never modified)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "mutation.json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="run a seeded sample of this many mutants")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--target", type=float, default=0.95, help="kill rate below which the exit code is 1")
    parser.add_argument("--operators", default=",".join(OPERATORS))
    parser.add_argument("--without-transcription-checks", action="store_true",
                        help="validate without the excerpt and range-end checks, to measure what "
                             "the ledger's rules catch on their own")
    parser.add_argument("--audits", default=None,
                        help="comma-separated audit modules to use instead of the registered ones")
    args = parser.parse_args(argv)
    if args.without_transcription_checks:
        from sarcoma_review import datapackage
        from sarcoma_review.transcription_checks import ExcerptCheck, RangeEndsCheck

        datapackage.ROW_CHECKS = [check for check in datapackage.ROW_CHECKS
                                  if check not in (ExcerptCheck, RangeEndsCheck)]
    if args.audits:
        from sarcoma_review import audits

        audits.STUDY_MODULES = tuple(args.audits.split(","))
    report = run(args.data.resolve(), seed=args.seed, limit=args.limit, jobs=args.jobs,
                 operators=tuple(args.operators.split(",")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report)
    print(f"report written to {args.out}")
    rate = report["overall"]["kill_rate"]
    if rate is None:
        print("no mutants: does the registry (data/evidence_overview/studies.csv, audit_module) list any audit?", file=sys.stderr)
        return 1
    return 0 if rate >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
