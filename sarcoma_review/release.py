"""Releases of the review: `make release VERSION=x.y.z`, the ledger diff between releases, and
the registry of retired claim ids.

A release is a version number and the ledger it published, kept in the repository so that a
fresh clone can compare any two releases:

    releases/<version>/claims.csv        the ledger as released (a copy of claims.csv)
    releases/<version>/ledger-diff.csv   what changed since the previous release
    releases/retired-claim-ids.csv       every claim id a release removed; none may return

`make release VERSION=x.y.z` (`python -m sarcoma_review.release x.y.z`) refuses a version that
is not newer than the last release, publishes the ledger from data/, refuses it if it reuses a
retired claim id, writes the two files above, registers the ids it removed as retired, sets
the version in its one place (`sarcoma_review/__init__.py`, and the checking library's
`lib/claimcheck/__init__.py`, released with it), copies it into CITATION.cff with
the release date, regenerates .zenodo.json from CITATION.cff, and adds the release's section
to CHANGELOG.md. The book's page "Changes between releases" and the site's `releases/` folder
show the diffs.

The diff compares rows by claim id: a claim is added, removed, or changed in one of
`COMPARED_COLUMNS` (one diff row per changed column, with the value before and after).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "releases"
RETIRED_FILE = "retired-claim-ids.csv"
DIFF_FILE = "ledger-diff.csv"
CLAIMS_FILE = "claims.csv"
RETIRED_COLUMNS = ("claim_id", "retired_in", "last_quantity")
DIFF_COLUMNS = ("claim_id", "change", "column", "before", "after")
# What a reader citing a row needs to know changed, most important first.
COMPARED_COLUMNS = ("verdict", "recomputed", "explanation", "reported", "quantity", "location", "rule",
                    "source", "study")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class ReleaseError(ValueError):
    """A release that must not be made (or a ledger that must not be published)."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = _VERSION.match(text)
    if not match:
        raise ReleaseError(f"version {text!r} is not of the form x.y.z (three whole numbers)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def released_versions(releases: Path = RELEASES) -> list[str]:
    """Every release kept under releases/, oldest first."""
    if not releases.is_dir():
        return []
    found = [p.name for p in releases.iterdir() if p.is_dir() and _VERSION.match(p.name)
             and (p / CLAIMS_FILE).exists()]
    return sorted(found, key=parse_version)


def read_claims(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# --------------------------------------------------------------------------- the diff

def ledger_diff(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    """One row per claim added or removed, and per column changed of a claim in both ledgers.

    Rows come in the order of `after` (removed claims last, in the order of `before`); within
    a claim, in the order of COMPARED_COLUMNS. A column only one ledger has is not compared.
    """
    if before is None:
        before = after.iloc[0:0]
    old = before.set_index("claim_id", drop=False)
    new = after.set_index("claim_id", drop=False)
    columns = [c for c in COMPARED_COLUMNS if c in old.columns and c in new.columns]
    rows = []
    for claim in new.index:
        if claim not in old.index:
            rows.append((claim, "added", "", "", new.at[claim, "verdict"]))
            continue
        for column in columns:
            if old.at[claim, column] != new.at[claim, column]:
                rows.append((claim, "changed", column, old.at[claim, column], new.at[claim, column]))
    for claim in old.index:
        if claim not in new.index:
            rows.append((claim, "removed", "", old.at[claim, "verdict"], ""))
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS))


@dataclass(frozen=True)
class DiffSummary:
    version: str
    previous: str | None
    claims: int
    added: int
    removed: int
    changed: int  # claims with at least one changed column
    by_column: dict[str, int]

    def sentence(self) -> str:
        if self.previous is None:
            return f"{self.version}: the first release, with {self.claims} claims."
        columns = ", ".join(f"{n} in {c}" for c, n in self.by_column.items()) or "none"
        return (f"{self.version} against {self.previous}: {self.claims} claims; {self.added} added, "
                f"{self.removed} removed, {self.changed} changed (changes by column: {columns}).")


def summarise(diff: pd.DataFrame, version: str, previous: str | None, claims: int) -> DiffSummary:
    changed = diff[diff["change"] == "changed"]
    by_column = {c: int((changed["column"] == c).sum()) for c in COMPARED_COLUMNS if (changed["column"] == c).any()}
    return DiffSummary(version, previous, claims, int((diff["change"] == "added").sum()),
                       int((diff["change"] == "removed").sum()), int(changed["claim_id"].nunique()), by_column)


def release_summaries(releases: Path = RELEASES) -> list[DiffSummary]:
    """Every release's diff summary, newest first (what the book's release page lists)."""
    versions = released_versions(releases)
    summaries = []
    for i, version in enumerate(versions):
        diff = read_claims(releases / version / DIFF_FILE)
        claims = len(read_claims(releases / version / CLAIMS_FILE))
        summaries.append(summarise(diff, version, versions[i - 1] if i else None, claims))
    return summaries[::-1]


def latest_diff(releases: Path = RELEASES) -> tuple[str | None, pd.DataFrame]:
    versions = released_versions(releases)
    if not versions:
        return None, pd.DataFrame(columns=list(DIFF_COLUMNS))
    return versions[-1], read_claims(releases / versions[-1] / DIFF_FILE)


def releases_table(releases: Path = RELEASES) -> pd.DataFrame:
    """One row per release, newest first: what the book's release page lists."""
    return pd.DataFrame([{"version": s.version, "compared with": s.previous or "(first release)",
                          "claims": s.claims, "added": s.added, "removed": s.removed, "changed": s.changed,
                          "changes by column": ", ".join(f"{c}: {n}" for c, n in s.by_column.items())}
                         for s in release_summaries(releases)],
                        columns=["version", "compared with", "claims", "added", "removed", "changed",
                                 "changes by column"])


def latest_changes(releases: Path = RELEASES) -> pd.DataFrame:
    """The latest release's diff against the one before it (none for a first release, whose
    claims are all new: the ledger itself lists them)."""
    versions = released_versions(releases)
    if len(versions) < 2:
        return pd.DataFrame(columns=list(DIFF_COLUMNS))
    return read_claims(releases / versions[-1] / DIFF_FILE)


def release_files(releases: Path = RELEASES) -> dict[str, str]:
    """{label: path at the site root} of every release's diff and ledger, newest first."""
    files = {}
    for version in released_versions(releases)[::-1]:
        files[f"{version}: what changed (ledger diff, CSV)"] = f"releases/{version}/{DIFF_FILE}"
        files[f"{version}: the ledger as released (CSV)"] = f"releases/{version}/{CLAIMS_FILE}"
    return files


# --------------------------------------------------------------------------- retired ids

def retired_ids(releases: Path = RELEASES) -> pd.DataFrame:
    path = releases / RETIRED_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(RETIRED_COLUMNS))
    return read_claims(path)


def check_no_retired_ids(ledger: pd.DataFrame, releases: Path = RELEASES) -> None:
    """Refuse a ledger that gives a retired claim id to a claim again (ids are never reused)."""
    retired = retired_ids(releases)
    back = retired[retired["claim_id"].isin(set(ledger["claim_id"]))]
    if not back.empty:
        listed = "; ".join(f"{r.claim_id} (retired in {r.retired_in})" for r in back.itertuples())
        raise ReleaseError(f"{releases / RETIRED_FILE}: retired claim ids are back in the ledger: {listed}. "
                           "A claim id is never reused: give the claim a new id")


# --------------------------------------------------------------------------- making a release

def _csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


# The review's version, and the checking library's, which is released with the review under the
# same version (tests/test_release.py holds the two equal).
VERSION_FILES = ("sarcoma_review/__init__.py", "lib/claimcheck/__init__.py")


def set_version(version: str, root: Path = ROOT) -> None:
    edited = {}
    for name in VERSION_FILES:
        init = root / name
        text = init.read_text(encoding="utf-8")
        new, count = re.subn(r'^__version__ = "[^"]*"$', f'__version__ = "{version}"', text, flags=re.MULTILINE)
        if count != 1:
            raise ReleaseError(f"{init}: no single line __version__ = \"...\" to set")
        edited[init] = new
    for init, new in edited.items():
        init.write_text(new, encoding="utf-8")


def update_citation(version: str, date: str, root: Path = ROOT) -> None:
    """CITATION.cff's version and date-released, edited in place (comments and layout kept)."""
    path = root / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    for key, value in (("version", version), ("date-released", date)):
        text, count = re.subn(rf'^{key}: .*$', f'{key}: "{value}"', text, flags=re.MULTILINE)
        if count != 1:
            raise ReleaseError(f"{path}: no single line {key}: to set")
    path.write_text(text, encoding="utf-8")


def write_zenodo(root: Path = ROOT) -> None:
    from .citation import zenodo_json

    (root / ".zenodo.json").write_text(zenodo_json(root / "CITATION.cff"), encoding="utf-8")


def update_changelog(summary: DiffSummary, date: str, root: Path = ROOT) -> None:
    """Move the notes under "## Unreleased" into the new release's section, with the ledger's
    changes, and leave an empty "## Unreleased" above it."""
    path = root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    marker = "## Unreleased"
    if marker not in text:
        raise ReleaseError(f"{path}: no '{marker}' section to release")
    head, rest = text.split(marker, 1)
    notes, sep, older = rest.partition("\n## ")
    notes = notes.strip("\n")
    section = (f"{marker}\n\n## {summary.version} ({date})\n\n"
               f"{notes + chr(10) + chr(10) if notes.strip() else ''}"
               f"Ledger: {summary.sentence()} Every change: `releases/{summary.version}/{DIFF_FILE}` "
               "(and the page \"Changes between releases\").\n")
    path.write_text(head + section + (f"\n## {older}" if sep else ""), encoding="utf-8")


def make_release(version: str, root: Path = ROOT, date: str | None = None) -> DiffSummary:
    from claimcheck.ledger import ledger_frame
    from .ledger import build_ledger

    releases = root / "releases"
    versions = released_versions(releases)
    if versions and parse_version(version) <= parse_version(versions[-1]):
        raise ReleaseError(f"version {version} is not newer than the last release, {versions[-1]}")
    parse_version(version)
    date = date or dt.date.today().isoformat()
    ledger = ledger_frame(build_ledger())
    check_no_retired_ids(ledger, releases)
    previous = read_claims(releases / versions[-1] / CLAIMS_FILE) if versions else None
    diff = ledger_diff(previous, ledger)
    target = releases / version
    target.mkdir(parents=True, exist_ok=False)
    (target / CLAIMS_FILE).write_text(_csv_text(ledger), encoding="utf-8")
    (target / DIFF_FILE).write_text(_csv_text(diff), encoding="utf-8")
    removed = diff[diff["change"] == "removed"]
    if not removed.empty:
        retired = retired_ids(releases)
        quantities = previous.set_index("claim_id")["quantity"]
        new_rows = pd.DataFrame({"claim_id": removed["claim_id"], "retired_in": version,
                                 "last_quantity": [quantities[c] for c in removed["claim_id"]]})
        (releases / RETIRED_FILE).write_text(_csv_text(pd.concat([retired, new_rows], ignore_index=True)),
                                             encoding="utf-8")
    summary = summarise(diff, version, versions[-1] if versions else None, len(ledger))
    set_version(version, root)
    update_citation(version, date, root)
    write_zenodo(root)
    update_changelog(summary, date, root)
    return summary


def publish_releases(out_dir: Path, releases: Path = RELEASES) -> list[str]:
    """Copy every release's ledger and diff into the publication (served at the site root)."""
    versions = released_versions(releases)
    for version in versions:
        for name in (CLAIMS_FILE, DIFF_FILE):
            destination = out_dir / "releases" / version / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(releases / version / name, destination)
    if (releases / RETIRED_FILE).exists():
        shutil.copyfile(releases / RETIRED_FILE, out_dir / "releases" / RETIRED_FILE)
    return versions


def main() -> None:
    parser = argparse.ArgumentParser(description="Make a release: python -m sarcoma_review.release x.y.z")
    parser.add_argument("version")
    parser.add_argument("--date", help="the release date (default: today), YYYY-MM-DD")
    args = parser.parse_args()
    try:
        summary = make_release(args.version, date=args.date)
    except ReleaseError as error:
        raise SystemExit(f"make release: {error}") from None
    print(f"released {summary.sentence()}")
    print(f"written: releases/{args.version}/{CLAIMS_FILE}, releases/{args.version}/{DIFF_FILE}; "
          "updated: sarcoma_review/__init__.py, lib/claimcheck/__init__.py, CITATION.cff, .zenodo.json, CHANGELOG.md")


if __name__ == "__main__":
    main()
