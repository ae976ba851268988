"""The helpers of the page "Check another paper's numbers" (sarcoma_review/library_page.py)."""

from __future__ import annotations

import pandas as pd

from sarcoma_review import library_page


def test_each_row_shows_only_its_filled_inputs():
    template = pd.DataFrame([
        {"claim_id": "a", "rule": "percent_of_n", "location": "Table 1", "reported": "42 (52.5%)", "note": "",
         "count": "42", "denominator": "80", "percent": "52.5", "estimate": ""},
        {"claim_id": "b", "rule": "estimate_inside_ci", "location": "Results", "reported": "25.0%", "note": "n",
         "count": "", "denominator": "", "percent": "", "estimate": "25.0"},
    ])
    shown = library_page.with_filled_inputs(template, "inputs")
    assert list(shown.columns) == ["claim_id", "rule", "location", "reported", "inputs"]
    assert list(shown["inputs"]) == ["count = 42; denominator = 80; percent = 52.5", "estimate = 25.0"]


def test_the_inconsistent_rows_in_words():
    ledger = pd.DataFrame([
        {"claim_id": "x.one", "location": "Table 2", "verdict": "consistent", "explanation": "fine"},
        {"claim_id": "x.two", "location": "Abstract", "verdict": "inconsistent", "explanation": "41/80 is 51.3%"},
    ])
    assert library_page.inconsistent_in_words(ledger) == "x.two (Abstract) is inconsistent: 41/80 is 51.3%."
    assert library_page.inconsistent_in_words(ledger.iloc[:1]) == "no claim is inconsistent"


def test_the_page_example_runs_the_real_command_line():
    example = library_page.example_run()
    # Worked by hand from the illustration's cells: 42/80 = 52.5%; 19/80 = 23.75%, which no rounding
    # prints as 25.0%; 14.2 lies inside 10.1-18.6. One inconsistent claim, so check exits with 1.
    assert example.exit_status == 1
    assert dict(zip(example.ledger["claim_id"], example.ledger["verdict"])) == {
        "example.male": "consistent", "example.response": "inconsistent", "example.os-ci": "consistent"}
