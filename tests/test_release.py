"""Versions and releases: one version everywhere, the ledger diff, retired claim ids, and
`make release` run on a copy of the repository."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import claimcheck
from claimcheck.ledger import ledger_frame
from sarcoma_review import __version__, citation, release, render
from sarcoma_review.ledger import build_ledger
from book_tools import bench

ROOT = Path(__file__).resolve().parent.parent


def test_citation_zenodo_and_the_last_release_carry_the_one_version():
    meta = citation.citation()
    assert str(meta["version"]) == __version__
    # the checking library is released with the review, under its version
    assert claimcheck.__version__ == __version__
    assert release.released_versions()[-1] == __version__
    assert (ROOT / ".zenodo.json").read_text(encoding="utf-8") == citation.zenodo_json(), \
        ".zenodo.json differs from what CITATION.cff gives: run python -c 'from sarcoma_review import release; release.write_zenodo()'"
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["version"] == __version__ and zenodo["title"] == meta["title"]
    assert zenodo["publication_date"] == str(meta["date-released"])
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in meta["authors"]]


def test_the_zenodo_check_catches_a_citation_that_moved_on(tmp_path):
    moved = tmp_path / "CITATION.cff"
    moved.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace(
        f'version: "{__version__}"', 'version: "9.9.9"'), encoding="utf-8")
    assert json.loads(citation.zenodo_json(moved))["version"] == "9.9.9"
    assert citation.zenodo_json(moved) != (ROOT / ".zenodo.json").read_text(encoding="utf-8")


def _ledger(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"claim_id": c, "verdict": v, "recomputed": r, "explanation": e, "reported": "1"}
                         for c, v, r, e in rows])


def test_the_diff_names_added_removed_and_changed_claims():
    before = _ledger([("a.kept", "consistent", "1", "fine"), ("a.verdict", "consistent", "2", "x"),
                      ("a.value", "consistent", "3", "y"), ("a.gone", "ambiguous", "4", "z")])
    after = _ledger([("a.kept", "consistent", "1", "fine"), ("a.verdict", "inconsistent", "2", "x"),
                     ("a.value", "consistent", "3.5", "y (new working)"), ("a.new", "consistent", "5", "w")])
    diff = release.ledger_diff(before, after)
    assert diff.values.tolist() == [
        ["a.verdict", "changed", "verdict", "consistent", "inconsistent"],
        ["a.value", "changed", "recomputed", "3", "3.5"],
        ["a.value", "changed", "explanation", "y", "y (new working)"],
        ["a.new", "added", "", "", "consistent"],
        ["a.gone", "removed", "", "ambiguous", ""],
    ]
    summary = release.summarise(diff, "0.2.0", "0.1.0", len(after))
    assert (summary.added, summary.removed, summary.changed) == (1, 1, 2)
    assert summary.by_column == {"verdict": 1, "recomputed": 1, "explanation": 1}
    # a column only the new ledger has (issue 15 adds columns) is not a change
    wider = after.assign(decision="x")
    assert release.ledger_diff(after, wider).empty


def test_no_retired_claim_id_comes_back():
    retired = release.retired_ids()
    assert list(retired.columns) == list(release.RETIRED_COLUMNS)
    ledger = ledger_frame(build_ledger())
    assert not set(retired["claim_id"]) & set(ledger["claim_id"])
    release.check_no_retired_ids(ledger)


def test_a_retired_id_given_to_a_claim_again_is_refused(tmp_path):
    ledger = _ledger([("aice.t9.old_rule", "consistent", "1", "e")])
    (tmp_path / release.RETIRED_FILE).write_text(
        "claim_id,retired_in,last_quantity\naice.t9.old_rule,0.2.0,an old quantity\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match=r"aice\.t9\.old_rule \(retired in 0\.2\.0\)"):
        release.check_no_retired_ids(ledger, tmp_path)


def test_a_release_must_be_newer():
    with pytest.raises(release.ReleaseError, match="not of the form"):
        release.parse_version("1.0")
    assert release.parse_version("0.10.0") > release.parse_version("0.9.9")


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["claim_id"]: row for row in csv.DictReader(handle)}


def test_make_release_on_a_copy_names_exactly_the_claims_one_edited_value_changed(tmp_path):
    # Versions after the tree's own, whatever release the tree is at: a patch, then a minor release,
    # and an older one in between that must be refused.
    major, minor, patch = (int(part) for part in __version__.split("."))
    first, second, older = f"{major}.{minor}.{patch + 1}", f"{major}.{minor + 1}.0", f"{major}.{minor}.{patch + 5}"
    repo = bench.copy_repo(tmp_path / "repo")
    seconds, code, log = bench.run(["make", "release", f"VERSION={first}", "RELEASE_DATE=2026-12-01"], repo)
    assert code == 0, log[-3000:]
    retired = (repo / "releases" / "retired-claim-ids.csv").read_text()
    # One printed value edited: the beta of Table 3's first row (a Cox table carries no excerpt).
    table = repo / "data" / "aice_cohort" / "table3_cox_os.csv"
    text = table.read_text(encoding="utf-8")
    assert text.count(",cox.os[size],0.551,") == 1
    table.write_text(text.replace(",cox.os[size],0.551,", ",cox.os[size],0.751,"), encoding="utf-8")
    seconds, code, log = bench.run(["make", "release", f"VERSION={second}", "RELEASE_DATE=2026-12-02"], repo)
    assert code == 0, log[-3000:]

    old, new = _rows(repo / "releases" / first / "claims.csv"), _rows(repo / "releases" / second / "claims.csv")
    assert old.keys() == new.keys()
    differing = {claim for claim in new if new[claim] != old[claim]}
    assert differing and all(c.startswith("aice.t3-size.") for c in differing), differing
    diff = _rows_list(repo / "releases" / second / "ledger-diff.csv")
    assert {row["claim_id"] for row in diff} == differing
    for row in diff:  # each diff row is a real change, before and after as the two ledgers have them
        assert row["change"] == "changed"
        assert old[row["claim_id"]][row["column"]] == row["before"]
        assert new[row["claim_id"]][row["column"]] == row["after"]
    assert any(row["column"] == "verdict" for row in diff)  # exp(0.751) = 2.12 is not HR 1.7

    # the page: the release chapter's table of the latest changes names the same claims
    page = render.data_table(release.latest_changes(repo / "releases"), "t", "c")._repr_html_()
    assert {c for c in differing if c in page} == differing
    assert not [c for c in old if c not in differing and f"<td>{c}</td>" in page]

    # the version moved everywhere, the changelog has the release, and nothing was retired
    assert f'__version__ = "{second}"' in (repo / "sarcoma_review" / "__init__.py").read_text()
    assert f'__version__ = "{second}"' in (repo / "lib" / "claimcheck" / "__init__.py").read_text()
    cff = (repo / "CITATION.cff").read_text()
    assert f'version: "{second}"' in cff and 'date-released: "2026-12-02"' in cff
    assert json.loads((repo / ".zenodo.json").read_text())["version"] == second
    changelog = (repo / "CHANGELOG.md").read_text()
    assert (changelog.index("## Unreleased") < changelog.index(f"## {second} (2026-12-02)")
            < changelog.index(f"## {first} "))
    assert f"{len(differing)} changed" in changelog
    assert (repo / "releases" / "retired-claim-ids.csv").read_text() == retired
    # and an older version is refused
    seconds, code, log = bench.run(["make", "release", f"VERSION={older}"], repo)
    assert code != 0 and f"not newer than the last release, {second}" in log


def _rows_list(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_release_retires_the_ids_it_removes(tmp_path, monkeypatch):
    import claimcheck.ledger as rows_module
    import sarcoma_review.ledger as ledger_module

    for package in ("sarcoma_review", "lib/claimcheck"):
        (tmp_path / package).mkdir(parents=True)
        (tmp_path / package / "__init__.py").write_text('__version__ = "0.1.0"\n')
    for name in ("CITATION.cff", "CHANGELOG.md"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "releases" / "0.1.0").mkdir(parents=True)
    before = _ledger([("a.kept", "consistent", "1", "e"), ("a.gone", "ambiguous", "2", "e")]).assign(quantity="q")
    (tmp_path / "releases" / "0.1.0" / "claims.csv").write_text(release._csv_text(before), encoding="utf-8")
    monkeypatch.setattr(ledger_module, "build_ledger", lambda: None)
    monkeypatch.setattr(rows_module, "ledger_frame", lambda rows: before.iloc[:1])
    summary = release.make_release("0.2.0", root=tmp_path, date="2026-12-02")
    assert (summary.removed, summary.added, summary.changed) == (1, 0, 0)
    assert release.retired_ids(tmp_path / "releases").values.tolist() == [["a.gone", "0.2.0", "q"]]
    # the retired id cannot come back in a later release
    monkeypatch.setattr(rows_module, "ledger_frame", lambda rows: before)
    with pytest.raises(release.ReleaseError, match="a.gone"):
        release.make_release("0.3.0", root=tmp_path, date="2026-12-03")
