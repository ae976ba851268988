"""The audit of the comparator series and benchmarks quoted by papers 000-003.

Expected values are worked by hand in the comments from the quoted numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sarcoma_review import registry
from sarcoma_review.audits import comparators
from sarcoma_review.ledger import citation_keys
from test_audit_lms_cases import DATA, package_copy


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package_copy(tmp_path_factory.mktemp("comparators"))


def rows_by_id(data_dir: Path) -> dict:
    return {row.claim_id: row for row in comparators.ledger_rows(data_dir)}


def test_pierce_partition_adds_up(data_dir):
    row = rows_by_id(data_dir)["comp.pierce-n.counts_sum_to_total"]
    # 12 bland + 6 radioembolization + 8 TACE + 2 combined = 28, the printed total.
    assert row.recomputed.startswith("28 = 12 + 6 + 8 + 2")
    assert row.verdict == "consistent"


def test_a_partition_that_does_not_add_up_is_flagged(tmp_path):
    data_dir = package_copy(tmp_path, {("comparators/comparator_outcomes.csv", "outcome_id", "pierce-combined",
                                        "printed"): "3"})
    row = rows_by_id(data_dir)["comp.pierce-n.counts_sum_to_total"]
    # 12 + 6 + 8 + 3 = 29, one more than the 28 printed.
    assert row.verdict == "inconsistent" and "29" in row.recomputed


def test_pfs_does_not_exceed_os_in_either_liver_series(data_dir):
    rows = rows_by_id(data_dir)
    # Pierce: 14.2 <= 26.7; Chapiro: 6.3 <= 21.2.
    assert rows["comp.pierce-pfs.pfs_not_exceeding_os"].verdict == "consistent"
    assert rows["comp.chapiro-pfs.pfs_not_exceeding_os"].verdict == "consistent"


def test_leiomyosarcoma_and_ablation_subsets_fit_their_totals(data_dir):
    rows = rows_by_id(data_dir)
    # 11 of 28 = 39.3%; 25 of 30 = 83.3%; 5 of 24 = 20.8%.
    assert rows["comp.pierce-lms.subset_within_total"].recomputed == "11 of 28 (39.3%)"
    assert rows["comp.chapiro-lms.subset_within_total"].recomputed == "25 of 30 (83.3%)"
    assert rows["comp.krzyston-ablation.subset_within_total"].recomputed == "5 of 24 (20.8%)"


def test_chapiro_is_the_larger_study(data_dir):
    # "another larger study including 30 patients": 30 > 28.
    row = rows_by_id(data_dir)["comp.chapiro-n.comparable_quantities"]
    assert row.verdict == "consistent" and "30 patients vs Pierce et al. 28 patients" in row.recomputed


def test_a_smaller_larger_study_would_be_flagged(tmp_path):
    data_dir = package_copy(tmp_path, {("comparators/comparator_outcomes.csv", "outcome_id", "chapiro-n",
                                        "printed"): "27"})
    # 27 patients does not exceed Pierce's 28, so "another larger study" would be wrong.
    assert rows_by_id(data_dir)["comp.chapiro-n.comparable_quantities"].verdict == "inconsistent"


def test_reference_25_is_listed_for_another_disease_and_treatment(data_dir):
    row = rows_by_id(data_dir)["comp.aice-ref25-doxorubicin.cited_reference_topic"]
    # Cited for doxorubicin in soft-tissue sarcoma; listed as intra-arterial chemotherapy for osteosarcoma.
    assert "osteosarcoma" in row.recomputed and row.verdict == "ambiguous"


def test_quoted_pfs_range_printed_alike_in_abstract_and_discussion(data_dir):
    row = rows_by_id(data_dir)["comp.ups-pfs-abstract.same_quantity_agrees"]
    # 6.3-21 months in both places.
    assert row.verdict == "consistent"


def test_upper_end_of_000s_pfs_range_matches_an_os_median_not_a_pfs_median(data_dir):
    row = rows_by_id(data_dir)["comp.ups-pfs-discussion.quoted_range_matches_quoted_series"]
    # "21" stands for [20.5, 21.5): Chapiro's median OS 21.2 falls inside, no quoted PFS median does
    # (Pierce 14.2, Chapiro 6.3); "6.3" is Chapiro's median PFS exactly.
    assert "6.3: chapiro2015 pfs.median 6.3" in row.recomputed
    assert "21: chapiro2015 os.median 21.2" in row.recomputed
    assert row.verdict == "ambiguous"


def test_000_quotes_002s_pfs_as_printed(data_dir):
    row = rows_by_id(data_dir)["comp.ups-debtace-pfs.same_quantity_agrees"]
    # 000 quotes 29 months; 002 prints 29 in its Abstract and its Introduction.
    assert row.verdict == "consistent"


def test_every_quoted_number_and_series_has_a_ledger_row(data_dir):
    """Each number is read by a comp claim, or is also transcribed in the quoting paper's folder
    (quoting_number_id), whose audit rows it; each series is read, or all its numbers are."""
    read = {item for inputs in comparators.claim_inputs(data_dir).values() for item in inputs}
    outcomes = pd.read_csv(DATA / "comparators" / "comparator_outcomes.csv", dtype=str, keep_default_na=False)
    series = pd.read_csv(DATA / "comparators" / "comparator_series.csv", dtype=str, keep_default_na=False)
    elsewhere = outcomes["quoting_number_id"] != ""
    assert not set(outcomes.loc[~elsewhere, "outcome_id"]) - read
    fully_elsewhere = set(series["series_id"]) - set(outcomes.loc[~elsewhere, "series_id"])
    assert not set(series["series_id"]) - read - fully_elsewhere


QUOTING_FOLDERS = {"000_ed17c4af9a8f25a3.txt": "ups_calf_case", "001_b310b963ff8f79a5.txt": "aice_cohort"}


def test_numbers_rowed_elsewhere_exist_in_the_quoting_papers_folder(data_dir):
    outcomes = comparators.comparator_table(data_dir)
    linked = outcomes[outcomes["quoting_number_id"] != ""]
    assert set(linked["quoted_in"]) <= set(QUOTING_FOLDERS)
    for quoted_in, group in linked.groupby("quoted_in"):
        folder = DATA / QUOTING_FOLDERS[quoted_in]
        ids = set()
        for path in folder.glob("*.csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            if "number_id" in frame.columns:
                ids |= set(frame["number_id"])
        assert not set(group["quoting_number_id"]) - ids, quoted_in


def test_no_single_paper_row_duplicates_the_quoting_papers_audit(data_dir):
    linked = set(comparators.outcomes_table(data_dir).query("quoting_number_id != ''")["outcome_id"])
    duplicated = [claim_id for claim_id in comparators.claim_inputs(data_dir)
                  if claim_id.split(".")[1] in linked and claim_id.endswith(".not_checkable")]
    assert not duplicated


def test_outcomes_point_at_listed_series(data_dir):
    outcomes = comparators.outcomes_table(data_dir)
    series = comparators.series_table(data_dir)
    assert set(outcomes["series_id"]) <= set(series["series_id"])


def test_ranges_give_their_printed_ends(data_dir):
    outcomes = comparators.outcomes_table(data_dir)
    ranges = outcomes[outcomes["printed"].str.contains("–")]
    ends = ranges["printed"].str.split("–", expand=True)
    assert (ends[0] == ranges["low"]).all() and (ends[1] == ranges["high"]).all()


def test_claim_ids_are_unique_and_sources_are_the_quoting_papers(data_dir):
    rows = comparators.ledger_rows(data_dir)
    ids = [row.claim_id for row in rows]
    assert len(ids) == len(set(ids))
    assert all(claim_id.startswith("comp.") for claim_id in ids)
    assert {row.source for row in rows} <= set(comparators.series_table(data_dir)["quoted_in"])
    assert set(comparators.series_table(data_dir)["quoted_in"]) <= set(registry.sources()["source_file"])


def test_citation_keys_resolve_in_the_bibliography(data_dir):
    known = citation_keys()  # the keys of references.bib, the book's one bibliography
    keys = {key for key in comparators.citation_keys(data_dir).values() if key}
    missing = [key for key in keys if key not in known]
    assert keys and not missing


def test_comparator_table_joins_each_number_to_its_series(data_dir):
    table = comparators.comparator_table(data_dir)
    assert len(table) == len(comparators.outcomes_table(data_dir))
    chapiro_pfs = table[(table["series_id"] == "chapiro2015") & (table["measure"] == "pfs.median")]
    assert chapiro_pfs["citation_key"].tolist() == ["chapiro2015tace"]


def test_the_audit_defines_no_rule_of_its_own():
    # Rules belong in rules.py, dates.py and recist.py, where every study can use them.
    import inspect
    import re

    from claimcheck import catalogue

    local = {name for name, value in vars(comparators).items()
             if inspect.isfunction(value) and value.__module__ == comparators.__name__}
    assert local & set(catalogue.all_rules()) == set()
    # Nor does it decide a verdict itself: no Check is built from a literal rule name.
    assert re.findall(r"Check\(\s*[\"']", inspect.getsource(comparators)) == []
