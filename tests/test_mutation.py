"""The mutation operators, and the mutation runner on a toy package whose outcomes are known."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from book_tools import mutation, repo_copy
from book_tools.mutation import bump_last_digit, flip_sign, swap_partners, value_columns

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "direction", "expected"), [
    ("15.10", 1, "15.11"),
    ("15.10", -1, "15.11"),      # a 0 cannot go down without a carry: reversed
    ("8.9", 1, "8.8"),           # a 9 cannot go up: reversed
    ("8.9", -1, "8.8"),
    ("<0.001", 1, "<0.002"),
    ("45.1%", -1, "45.0%"),
    ("Jun 13, 2022", 1, "Jun 13, 2023"),
    ("5.1 × 4.7", -1, "5.1 × 4.6"),   # the last number of the text
    ("11–15", 1, "11–16"),
    ("7", -1, "6"),
])
def test_bump_last_digit(text, direction, expected):
    assert bump_last_digit(text, direction) == expected


def test_bump_last_digit_changes_exactly_one_digit_by_one():
    rng = random.Random(1)
    for _ in range(500):
        text = f"{rng.uniform(0, 1000):.{rng.randint(0, 3)}f}"
        after = bump_last_digit(text, rng.choice((1, -1)))
        diffs = [(a, b) for a, b in zip(text, after) if a != b]
        assert len(after) == len(text) and len(diffs) == 1
        assert abs(int(diffs[0][0]) - int(diffs[0][1])) == 1


def test_bump_last_digit_without_digit_and_bad_direction():
    assert bump_last_digit("three", 1) is None
    assert bump_last_digit("", -1) is None
    with pytest.raises(ValueError):
        bump_last_digit("1", 2)


@pytest.mark.parametrize(("text", "expected"), [
    ("0.551", "-0.551"),
    ("-0.551", "0.551"),
    ("−0.2", "0.2"),             # the typographic minus sign papers print
    ("<0.001", "<-0.001"),
    ("12%", "-12%"),
    ("0", None),                 # -0 is 0: an equivalent mutant
    ("0.00", None),
    ("Jun 2022", None),
    ("11–15", None),
    ("5.1 × 4.7", None),
    ("three", None),
    ("", None),
])
def test_flip_sign(text, expected):
    assert flip_sign(text) == expected


def test_flip_sign_is_an_involution():
    for text in ("1.7", "-3", "<0.05", "45.1%"):
        assert flip_sign(flip_sign(text)) == text


def test_swap_partners_never_pairs_equal_values_and_is_seeded():
    values = ["1", "2", "2", "3", "1", "9"]
    pairs = swap_partners(values, random.Random(7))
    assert pairs == swap_partners(values, random.Random(7))
    assert pairs and all(values[i] != values[j] and i < j for i, j in pairs)
    assert len(set(pairs)) == len(pairs)
    assert swap_partners(["4", "4", "4"], random.Random(0)) == []
    assert swap_partners([], random.Random(0)) == []


def test_value_columns_skip_ids_keys_and_prose():
    schema = {"primaryKey": ["row_id"], "fields": [
        {"name": "row_id", "type": "string"},
        {"name": "location", "type": "string", "description": "where it is printed"},
        {"name": "context", "type": "string", "description": "verbatim excerpt as printed"},
        {"name": "key", "type": "string"},
        {"name": "event_id", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "hr", "type": "string"},
        {"name": "weird", "type": "number"},
        {"name": "dose_text", "type": "string", "description": "The dose as printed."},
        {"name": "label", "type": "string", "description": "A label."},
    ]}
    assert value_columns(schema) == ["count", "hr", "weird", "dose_text"]


# ------------------------------------------------------------------------------------------
# The runner on a toy package: every outcome class is produced and recognised
# ------------------------------------------------------------------------------------------

TOY_CSV = textwrap.dedent("""\
    row_id,location,count,n,total,p,percent
    r1,"Table 1, row a",3,7,10,0.04,30.0
    r2,"Table 1, row b",5,15,20,0.5,25.0
    r3,"Table 1, row c",2,2,4,0.9,50.0
    """)


def _field(name, type_="string", pattern=None):
    spec = {"name": name, "type": type_, "description": f"The {name} as printed."}
    if pattern:
        spec["constraints"] = {"pattern": pattern}
    return spec


def toy_package(root: Path) -> Path:
    data = root / "data"
    (data / "toy").mkdir(parents=True)
    (data / "toy" / "numbers.csv").write_text(TOY_CSV, encoding="utf-8")
    resource = {
        "name": "toy-numbers", "path": "toy/numbers.csv", "encoding": "utf-8", "format": "csv",
        "description": "A toy table for the mutation tests.",
        "sources": [{"title": "999_0123456789abcdef.txt", "path": "999_0123456789abcdef.txt"}],
        "schema": {"primaryKey": ["row_id"], "fields": [
            {"name": "row_id", "type": "string", "description": "Row id."},
            {"name": "location", "type": "string", "description": "Where it is."},
            _field("count", "integer"), _field("n", "integer"),
            _field("total", pattern=r"^\d+$"), _field("p", pattern=r"^\d+(\.\d+)?$"),
            _field("percent", pattern=r"^\d+(\.\d+)?$"),
        ]},
    }
    (data / "datapackage.json").write_text(json.dumps({"name": "toy", "resources": [resource]}), encoding="utf-8")
    return data


# A toy audit: count + n must equal total (checkable); p is reported as not-checkable;
# percent is read by no rule. Injected as sarcoma_review.audits._toy in a fresh interpreter, so
# that the runner's redirection of DATA_DIR cannot leak into other tests.
TOY_RUN = textwrap.dedent("""\
    import json, sys, types
    from pathlib import Path
    from claimcheck import rules
    from claimcheck.checks import Check
    from claimcheck.ledger import ledger_row
    from sarcoma_review import audits, datapackage
    from book_tools import mutation

    toy = types.ModuleType("sarcoma_review.audits._toy")
    # The ledger refuses a study that is not a citation key of references.bib.
    TOY_STUDY = "li2025aice"

    def ledger_rows():
        table = datapackage.load_study("toy")["numbers"]
        rows = []
        for r in table.itertuples():
            # A registered rule, so that an inconsistent row gets the decision the ledger requires.
            check = rules.counts_sum_to_total({"count": int(r.count), "n": int(r.n)}, int(r.total))
            rows.append(ledger_row(claim_id=f"toy.{r.row_id}.{check.rule}", source="999_0123456789abcdef.txt",
                study=TOY_STUDY, location=r.location, quantity="total", reported=r.total, check=check))
            rows.append(ledger_row(claim_id=f"toy.{r.row_id}.p", source="999_0123456789abcdef.txt",
                study=TOY_STUDY, location=r.location, quantity="p", reported=r.p,
                check=Check("not_checkable", "-", "not-checkable", "nothing to check it against")))
        return rows

    toy.ledger_rows = ledger_rows
    sys.modules[toy.__name__] = toy
    audits.STUDY_MODULES = ("_toy",)
    report = mutation.run(Path(sys.argv[1]), seed=3, jobs=int(sys.argv[2]))
    print(json.dumps(report))
    """)


def run_toy(tmp_path: Path, jobs: int) -> dict:
    data = toy_package(tmp_path)
    before = (data / "toy" / "numbers.csv").read_bytes()
    done = subprocess.run([sys.executable, "-c", TOY_RUN, str(data), str(jobs)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": repo_copy.python_path(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert (data / "toy" / "numbers.csv").read_bytes() == before, "the runner modified its source"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def toy_report(tmp_path_factory):
    return run_toy(tmp_path_factory.mktemp("toy"), jobs=1)


def test_runner_kills_what_a_rule_checks(toy_report):
    ops = toy_report["by_operator"]
    # count, n and total are checked by the sum rule: every mutant of them is caught.
    killed_columns = {s["column"] for s in toy_report["survivors"]}
    assert killed_columns <= {"p", "percent"}, toy_report["survivors"]
    assert toy_report["overall"]["by_outcome"]["verdict"] > 0
    # a sign flip of `total` breaks its pattern ^\\d+$: caught by validation, not by a rule
    assert toy_report["by_operator"]["sign"]["by_outcome"].get("validation", 0) >= 3
    assert set(ops) == {"last-digit", "sign", "swap"}


def test_runner_explains_survivors(toy_report):
    reasons = {(s["column"], s["reason"].split(":")[0]) for s in toy_report["survivors"]}
    assert ("p", "not-checkable") in reasons
    assert ("percent", "not read") in reasons
    assert toy_report["by_source"]["999_0123456789abcdef.txt"]["mutants"] == toy_report["mutants_run"]


def test_runner_is_deterministic_and_parallel_equals_serial(toy_report, tmp_path):
    again = run_toy(tmp_path, jobs=2)
    for report in (toy_report, again):
        report.pop("seconds")
    assert again == toy_report
