"""The catalogue of rules behind the appendix "How the numbers are checked": every rule the ledger
uses is described there, every description's worked example runs, and every entry is named after
the function that implements it.

`assert_rules_catalogued(rows)` is written for any audit's ledger rows; ups_calf_case,
aice_cohort, lms_debtace_case, lms_tace_rfa_case and comparators are held to it, each read from an
isolated copy of the data it needs.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from data_copies import reduced_package

from claimcheck import catalogue, dates, recist, rules
from claimcheck.checks import VERDICTS, Check
from claimcheck.ledger import LedgerRow, format_bound, ledger_row
from sarcoma_review import datapackage, rule_appendix
from sarcoma_review.audits import aice_cohort, comparators, lms_debtace_case, lms_tace_rfa_case, ups_calf_case
from sarcoma_review.ledger import build_ledger

RULE_MODULES = (rules, dates, recist)


def assert_rules_catalogued(rows: Iterable[LedgerRow]) -> None:
    """Every rule named by these ledger rows has an entry in the appendix's catalogue."""
    known = set(catalogue.all_rules())
    missing: dict[str, list[str]] = {}
    for row in rows:
        if row.rule not in known:
            missing.setdefault(row.rule, []).append(row.claim_id)
    assert missing == {}, "rules used by the ledger but missing from catalogue.all_rules(): " + "; ".join(
        f"{rule} (e.g. {claims[0]}, {len(claims)} rows)" for rule, claims in sorted(missing.items()))


def _study_package(root: Path, study: str, *more_studies: str) -> Path:
    """data/ reduced to the studies named, so the test does not depend on the state of the others."""
    return reduced_package(root, study, *more_studies)


@pytest.fixture(scope="module")
def ups_rows(tmp_path_factory) -> Iterator[list[LedgerRow]]:
    with datapackage.reading_from(_study_package(tmp_path_factory.mktemp("ups_data"), "ups_calf_case")):
        rows = ups_calf_case.ledger_rows()
    yield rows


def test_every_rule_in_the_ups_ledger_is_catalogued(ups_rows):
    assert ups_rows
    assert_rules_catalogued(ups_rows)


@pytest.fixture(scope="module")
def aice_rows(tmp_path_factory) -> list[LedgerRow]:
    return aice_cohort.ledger_rows(_study_package(tmp_path_factory.mktemp("aice_data"), "aice_cohort"))


def test_every_rule_in_the_aice_ledger_is_catalogued(aice_rows):
    # Both sources (full text 001, PubMed page 004) must reach the ledger before coverage means anything.
    assert {row.source for row in aice_rows} == set(aice_cohort.SOURCES)
    assert_rules_catalogued(aice_rows)


# The comparator audit reads 002's printed PFS, so the LMS studies are read from one package.
@pytest.fixture(scope="module")
def lms_package(tmp_path_factory) -> Path:
    return _study_package(tmp_path_factory.mktemp("lms_data"), "lms_debtace_case", "lms_tace_rfa_case", "comparators")


@pytest.mark.parametrize("audit", [lms_debtace_case, lms_tace_rfa_case, comparators], ids=lambda a: a.STUDY)
def test_every_rule_in_the_lms_and_comparator_ledgers_is_catalogued(audit, lms_package):
    rows = audit.ledger_rows(lms_package)
    assert rows
    assert_rules_catalogued(rows)


def test_the_rules_moved_out_of_the_lms_and_comparator_audits_are_catalogued():
    moved = {"elapsed_time_fits", "subset_within_total", "ajcc8_retroperitoneal_stage", "msts_stage_definition",
             "grade_matches_severity_word", "interval_without_end_date", "quoted_range_matches_quoted_series",
             "cited_reference_topic"}
    assert moved <= set(catalogue.all_rules())
    # Merged into existing rules (count_of_dated_events, same_quantity_agrees, interval_from_candidate_origins,
    # definition_stated, comparable_quantities), so they are not entries of their own.
    merged_away = {"session_ordinal_matches", "printed_ranges_agree", "progression_event_definition",
                   "sessions_with_embolization", "count_exceeds"}
    assert merged_away & set(catalogue.all_rules()) == set()


def test_the_rules_moved_out_of_the_aice_audit_are_catalogued_under_their_own_names():
    moved = {"group_labels_agree", "group_cutoff_agrees", "listed_factors_significant", "procedures_vs_cycles",
             "adult_label_vs_age_range", "median_followup_definition", "followup_within_study_window",
             "severity_label_vs_sir_grade", "grading_scale_agrees", "distinct_quantities_differ",
             "definition_stated"}
    assert moved <= set(catalogue.all_rules())
    # Merged into existing rules, so they are not entries of their own.
    merged_away = {"dates_agree", "bound_respected", "dose_basis_defined", "percent_with_stated_denominator"}
    assert merged_away & set(catalogue.all_rules()) == set()


def test_the_coverage_helper_names_an_uncatalogued_rule():
    # The helper must be able to fail: a row whose rule no module defines.
    row = ledger_row(claim_id="x.y.a_rule_nobody_wrote", source="s", study="x", location="l", quantity="q",
                     reported="r", check=Check("a_rule_nobody_wrote", "—", "consistent", "made up for this test"))
    with pytest.raises(AssertionError, match="a_rule_nobody_wrote"):
        assert_rules_catalogued([row])


def test_the_rules_moved_out_of_the_ups_audit_are_catalogued():
    moved = {"interval_from_candidate_origins", "same_date_agrees", "time_point_agrees",
             "recist_definition_matches", "recist_same_method", "comparable_quantities",
             "stable_wording_vs_recist"}
    assert moved <= set(catalogue.all_rules())


@pytest.mark.parametrize("name", sorted(catalogue.all_rules()))
def test_every_worked_example_runs_and_uses_catalogued_rules(name):
    info = catalogue.all_rules()[name]
    checks = info.worked_example()
    assert checks, name
    for check in checks:
        assert isinstance(check, Check)
        assert check.verdict in VERDICTS
        assert check.rule in catalogue.all_rules(), check.rule
    # A composite rule (cox_row) reports the rules it applies; every other example reports its own.
    if name != "cox_row":
        assert {check.rule for check in checks} == {name}
    assert info.summary and "\n" not in info.summary
    assert info.method


@pytest.mark.parametrize("name", sorted(catalogue.all_rules()))
def test_catalogue_names_are_the_functions_names(name):
    info = catalogue.all_rules()[name]
    assert info.name == name
    defined_in = [module for module in RULE_MODULES if inspect.isfunction(getattr(module, name, None))]
    assert len(defined_in) == 1, f"{name} should be defined in exactly one of rules, dates, recist"
    function = getattr(defined_in[0], name)
    assert function.__name__ == name
    assert function.__module__ == defined_in[0].__name__


def test_the_former_name_of_a_merged_rule_still_works_and_is_not_a_second_entry():
    check = dates.interval_from_unstated_event("36", [("first TACE", "Jun 13, 2022")], [("last visit", "Apr 2025")])
    assert check.rule == "interval_from_candidate_origins"
    assert "interval_from_unstated_event" not in catalogue.all_rules()


def test_the_appendix_lists_each_rule_once(published):
    entries = rule_appendix.appendix_entries(published)
    names = [entry["rule"] for entry in entries]
    assert len(names) == len(set(names)) == len(catalogue.all_rules())
    assert set(catalogue.rules_frame()["rule"]) == set(names)


# ---------------------------------------------------------------------------------------------
# Every worked example is real or labelled (rule_appendix.EXAMPLE_SOURCES)


@pytest.fixture(scope="module")
def published():
    """The ledger as `make publish` writes it, computed here so that the test needs no publication."""
    from claimcheck.ledger import ledger_frame
    from sarcoma_review.ledger import build_ledger

    return ledger_frame(build_ledger())


@pytest.mark.parametrize("name", sorted(catalogue.all_rules()))
def test_every_worked_example_is_marked(name):
    checks = catalogue.all_rules()[name].worked_example()
    markers = rule_appendix.EXAMPLE_SOURCES.get(name, ())
    assert len(markers) == len(checks), (
        f"{name} returns {len(checks)} example checks but EXAMPLE_SOURCES gives {len(markers)} markers: add, in "
        "order, the claim id each reproduces or rule_appendix.ILLUSTRATION (see rule_appendix's docstring)")


@pytest.mark.parametrize("name", sorted(rule_appendix.EXAMPLE_SOURCES))
def test_an_example_from_the_ledger_reproduces_its_row(name, published):
    rows = published.set_index("claim_id")
    checks = catalogue.all_rules()[name].worked_example()
    for check, marker in zip(checks, rule_appendix.EXAMPLE_SOURCES[name]):
        if marker == rule_appendix.ILLUSTRATION:
            continue
        assert marker in rows.index, f"{name}: {marker} is not in the published ledger"
        row = rows.loc[marker]
        assert (check.rule, check.verdict, check.recomputed) == (row["rule"], row["verdict"], row["recomputed"]), marker
        assert (format_bound(check.low), format_bound(check.high)) == (row["recomputed_low"], row["recomputed_high"]), marker


def test_the_marker_table_names_only_catalogued_rules():
    assert set(rule_appendix.EXAMPLE_SOURCES) <= set(catalogue.all_rules())


def test_a_false_ledger_marker_is_refused_and_an_illustration_is_labelled(monkeypatch, published):
    # The marker check can fail: an example said to reproduce a row of another rule.
    monkeypatch.setitem(rule_appendix.EXAMPLE_SOURCES, "counts_sum_to_total", ("aice.t2-mfh.percent_of_n",))
    with pytest.raises(rule_appendix.CatalogueError, match="does not reproduce ledger row aice.t2-mfh.percent_of_n"):
        rule_appendix.worked_examples("counts_sum_to_total", published)
    monkeypatch.setitem(rule_appendix.EXAMPLE_SOURCES, "counts_sum_to_total", ("aice.no-such.counts_sum_to_total",))
    with pytest.raises(rule_appendix.CatalogueError, match="does not hold"):
        rule_appendix.worked_examples("counts_sum_to_total", published)
    monkeypatch.setitem(rule_appendix.EXAMPLE_SOURCES, "counts_sum_to_total", (rule_appendix.ILLUSTRATION,))
    entry = {"rule": "counts_sum_to_total", "summary": "s", "method": "m",
             "examples": rule_appendix.worked_examples("counts_sum_to_total", published)}
    assert "*Illustration*, not a ledger row" in rule_appendix.appendix_markdown([entry])


def test_an_unmarked_example_is_printed_as_an_illustration(monkeypatch, published):
    monkeypatch.delitem(rule_appendix.EXAMPLE_SOURCES, "counts_sum_to_total")
    (example,) = rule_appendix.worked_examples("counts_sum_to_total", published)
    assert example["claim_id"] == ""


def test_a_ledger_example_is_printed_as_its_published_row(published):
    (example,) = rule_appendix.worked_examples("hr_equals_exp_beta", published)
    row = published.set_index("claim_id").loc["aice.t3-metastasis.hr_equals_exp_beta"]
    assert example == {"claim_id": "aice.t3-metastasis.hr_equals_exp_beta", "verdict": row["verdict"],
                       "recomputed": row["recomputed"], "explanation": row["explanation"]}
    markdown = rule_appendix.appendix_markdown([{"rule": "hr_equals_exp_beta", "summary": "s", "method": "m",
                                             "examples": [example]}])
    assert "- `aice.t3-metastasis.hr_equals_exp_beta` (*example from the ledger*, inconsistent)" in markdown
