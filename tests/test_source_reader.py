"""The machine reading of a paper's text (lib/claimcheck/source_reader.py).

Constructed sentences pin each kind of number, each reporting pattern and each thing that is not a
number; the sources' own tricky spots (tab-separated table rows, superscript reference markers,
LaTeX, en dashes, thin spaces, a repeated table header) are tested where the papers are present.
Expected values are read off the sentences by hand, never from the reader.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from claimcheck import source_reader
from claimcheck.source_reader import Number, locate, read, read_numbers, read_patterns, values_of

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
needs_sources = pytest.mark.skipif(not SEEDS.is_dir(), reason="source papers not found at ../shared/seeds/")


def shapes(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(n.text, n.kind, n.values) for n in read_numbers(text)]


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(source_reader).failed == 0


# --- kinds ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("of whom 68 patients", [("68", "integer", ("68",))]),
    ("was 19.0 months", [("19.0", "decimal", ("19.0",))]),
    ("approximately 13,400 new cases", [("13,400", "integer", ("13400",))]),
    ("a change of −0.5 units", [("−0.5", "decimal", ("-0.5",))]),
    ("a median of 0·5", [("0·5", "decimal", ("0.5",))]),
    ("Thirty-two patients received", [("Thirty-two", "spelled", ("32",))]),
    ("a threefold higher risk", [("threefold", "spelled", ("3",))]),
    ("was three-fold: First", [("three-fold", "spelled", ("3",))]),
    ("no patient achieved CR", [("no", "spelled", ("0",))]),
    ("none led to liver failure", [("none", "spelled", ("0",))]),
    ("8 mg once daily", [("8", "integer", ("8",)), ("once", "spelled", ("1",))]),
    ("range 12.8–25.3 months", [("12.8–25.3", "range", ("12.8", "25.3"))]),
    ("95% CI: 28.3%–46.8%", [("95%", "percentage", ("95",)), ("28.3%–46.8%", "range", ("28.3", "46.8"))]),
    ("is 20% to 30%", [("20% to 30%", "range", ("20", "30"))]),
    ("300-500μm microspheres", [("300-500", "range", ("300", "500"))]),
    ("measuring 65 × 52 mm", [("65 × 52", "size", ("65", "52"))]),
    ("(Size 9×4.5×4.5cm)", [("9×4.5×4.5", "size", ("9", "4.5", "4.5"))]),
    ("significant (P<0.05)", [("<0.05", "bound", ("0.05",))]),
    ("tumors ≥ 10 cm", [("≥ 10", "bound", ("10",))]),
    (r"NLR >3 vs \leq 3", [(">3", "bound", ("3",)), (r"\leq 3", "bound", ("3",))]),
    ("typically less than six months", [("less than six", "bound", ("6",))]),
    ("comprising over 100 subtypes", [("over 100", "bound", ("100",))]),
    ("in up to ~40–50% of cases", [("up to ~40–50%", "range", ("40", "50"))]),
    ("ORR was 37.2%", [("37.2%", "percentage", ("37.2",))]),
    ("the cutoff date was November 15, 2023", [("November 15, 2023", "date", ("2023-11-15",))]),
    ("in Jun 2022", [("Jun 2022", "date", ("2022-06",))]),
    ("died on 5 October 2024", [("5 October 2024", "date", ("2024-10-05",))]),
    ("In 2020, a woman", [("2020", "date", ("2020",))]),
    ("on April 13, August 24, December 16, 2022",
     [("April 13", "date", ("--04-13",)), ("August 24", "date", ("--08-24",)),
      ("December 16, 2022", "date", ("2022-12-16",))]),
    ("spanned a decade (2011–2020)", [("2011–2020", "range", ("2011", "2020"))]),
])
def test_each_kind_of_number_is_read_with_its_values(text, expected) -> None:
    assert shapes(text) == expected


def test_offsets_point_at_the_number_in_the_text() -> None:
    text = "the median OS was 19.0 months (95% CI: 12.8–25.3)"
    for number in read_numbers(text):
        assert text[number.start:number.end] == number.text
    assert [n.start for n in read_numbers(text)] == [18, 31, 39]


def test_bounds_carry_their_direction() -> None:
    assert [n.bound for n in read_numbers("<0.05, ≥ 10, more than six, at least one, up to 5")] == \
        ["<", "≥", ">", "≥", "≤"]


def test_a_power_of_ten_belongs_to_the_number_and_its_unit() -> None:
    (number,) = read_numbers(r"platelet count $< 50 \times 10^9/L$")
    assert (number.values, number.bound, number.power_of_ten, number.markup) == (("50",), "<", "9", "latex")


@pytest.mark.parametrize("text, markup", [
    ("significant ($P=0.006$)", "latex"),
    ("in most series.^{6,7}", "latex"),
    ("rate of 50%).<sup>1–4</sup> The", "sup"),
    ("of adult cancers.¹ Its", "superscript"),
    ("challenging.²¹ According", "superscript"),
])
def test_numbers_inside_markup_are_marked(text, markup) -> None:
    numbers = read_numbers(text)
    assert numbers and {n.markup for n in numbers if n.markup} == {markup}


def test_the_end_of_an_html_tag_is_not_a_bound() -> None:
    (marker,) = read_numbers("recurrence rate.<sup>1–4</sup> The")
    assert (marker.text, marker.kind, marker.bound) == ("1–4", "range", "")


@pytest.mark.parametrize("text", [
    "CD34 (-), S-100 protein (-), Ki-67 index", "MSTS-93 score", "T2-weighted image", "were G3",
    "epirubicin 50–70 mg/m², ifosfamide 1500 mg/m2", "the χ^2 -test", "CTCAE v5.0",
    "(Nos.82460527)", "Email yww307@163.com", "KRAS G12D and TP53 R249S", "PD-L1/PD-1", "EQ-5D",
    "the first, third and seventh sessions", "stage IV vs III", "no evidence of disease",
    "Once metastases occur", "one of the patients",
])
def test_names_codes_ordinals_and_pronouns_are_not_numbers(text) -> None:
    found = [n.text for n in read_numbers(text) if n.text not in ("50–70", "1500")]
    assert found == []


def test_a_thin_space_between_number_and_unit_is_read_like_a_space() -> None:
    assert shapes("doxorubicin 20\u2009mg/m2 on days 1–3") == [("20", "integer", ("20",)),
                                                               ("1–3", "range", ("1", "3"))]


def test_cells_of_a_tab_separated_row_are_numbers_of_their_own() -> None:
    row = "Distant metastasis Yes vs no\t1.513\t4.4\t2.3–8.7\t<0.001"
    assert shapes(row) == [("1.513", "decimal", ("1.513",)), ("4.4", "decimal", ("4.4",)),
                           ("2.3–8.7", "range", ("2.3", "8.7")), ("<0.001", "bound", ("0.001",))]


def test_a_transcribed_cell_is_read_like_the_paper() -> None:
    assert [n.values for n in values_of("Two")] == [("2",)]
    assert [n.values for n in values_of("no")] == [("0",)]
    assert [n.values for n in values_of("Jun 13, 2022")] == [("2022-06-13",)]
    assert [(n.values, n.bound) for n in values_of("<0.001")] == [(("0.001",), "<")]


# --- reporting patterns ----------------------------------------------------------------------------

def parts(text: str) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    return [(p.kind, p.values()) for p in read_patterns(text)]


def test_n_and_percentage() -> None:
    assert parts("of whom 68 (60.2%) were male") == [("n_pct", {"n": ("68",), "pct": ("60.2",)})]
    assert parts("Thirty-two patients (28.3%) received") == [("n_pct", {"n": ("32",), "pct": ("28.3",)})]
    assert parts("SFT (3 cases, 2.7%)") == [("n_pct", {"n": ("3",), "pct": ("2.7",)})]
    assert parts("Liposarcoma\t17 (15.0)\tPNET") == [("n_pct", {"n": ("17",), "pct": ("15.0",)})]
    assert parts("10.7 (1.5–25.3)") == []     # a median and its range, not n (%)


def test_percentage_with_its_interval() -> None:
    assert parts("an ORR of 37.2% (95% CI: 28.3%–46.8%)") == [
        ("pct_ci", {"estimate": ("37.2",), "level": ("95",), "ci": ("28.3", "46.8")})]


def test_hazard_ratio_with_interval_and_p() -> None:
    found = parts("(HR=4.4; 95% CI: 2.3–8.7; $P<0.001$)")
    assert found == [("hr_ci_p", {"estimate": ("4.4",), "level": ("95",), "ci": ("2.3", "8.7"), "p": ("0.001",)}),
                     ("p_value", {"p": ("0.001",)})]
    assert parts("(eg, HR 0.55 [95% CI, 0.28–1.05])") == [
        ("hr_ci_p", {"estimate": ("0.55",), "level": ("95",), "ci": ("0.28", "1.05")})]


def test_median_months_with_interval() -> None:
    (pattern,) = read_patterns("the median OS was 19.0 months (95% CI: 12.8–25.3) with")
    assert (pattern.kind, pattern.values(), pattern.median) == (
        "median_ci", {"estimate": ("19.0",), "level": ("95",), "ci": ("12.8", "25.3")}, True)
    found = read_patterns("compared to the ≤ 10 cm group (16.0 months, 95% CI: 11.9–20.1, $P=0.011$)")
    assert [(p.kind, p.values()) for p in found] == [
        ("median_ci", {"estimate": ("16.0",), "level": ("95",), "ci": ("11.9", "20.1"), "p": ("0.011",)}),
        ("p_value", {"p": ("0.011",)})]
    assert found[0].median is False


def test_p_values_keep_their_bound() -> None:
    patterns = read_patterns("($P < 0.05$), P =0.600 and P=0.006")
    assert [(p.kind, p.parts["p"].bound, p.values()["p"]) for p in patterns] == [
        ("p_value", "<", ("0.05",)), ("p_value", "", ("0.600",)), ("p_value", "", ("0.006",))]


def test_cox_table_rows_under_a_beta_header() -> None:
    table = ("Table 3 Multivariate Analysis of OS\n\nCharacteristics\tβ\tHR\t95% CI\tP\n"
             "Maximum diameter (cm) >10 vs ≤ 10\t0.551\t1.7\t1.1–2.7\t0.014\n"
             "Distant metastasis Yes vs no\t1.513\t4.4\t2.3–8.7\t<0.001\n\nText again.")
    rows = [p for p in read_patterns(table) if p.kind == "cox_row"]
    assert [p.values() for p in rows] == [
        {"beta": ("0.551",), "estimate": ("1.7",), "ci": ("1.1", "2.7"), "p": ("0.014",)},
        {"beta": ("1.513",), "estimate": ("4.4",), "ci": ("2.3", "8.7"), "p": ("0.001",)}]
    assert rows[1].parts["p"].bound == "<"
    assert [p.kind for p in read_patterns(table)].count("ci_level") == 1     # the "95% CI" header


def test_a_ci_level_on_its_own() -> None:
    assert parts("median values with 95% confidence intervals (CI) were reported") == [
        ("ci_level", {"level": ("95",)})]


def test_read_returns_numbers_and_patterns_together() -> None:
    reading = read("of whom 68 (60.2%) were male")
    assert isinstance(reading.numbers[0], Number) and len(reading.numbers) == 2
    assert reading.patterns[0].parts["n"] is reading.numbers[0]


# --- locating an excerpt ---------------------------------------------------------------------------

def test_locate_maps_an_excerpt_back_to_the_original_offsets() -> None:
    source = "significant ($P < 0.05$) in\nmost\tseries<sup>6</sup> and 0–1 vs \\geq 2"
    (occurrence,) = locate("(P < 0.05) in most series and 0–1 vs ≥ 2", source)
    start, end = occurrence[0][0], occurrence[-1][1]
    assert source[start:end] == "($P < 0.05$) in\nmost\tseries<sup>6</sup> and 0–1 vs \\geq 2"


def test_a_repeated_passage_is_located_at_every_place() -> None:
    source = "Figure 2: uptake (SUVmax 2.1) was seen. Text. Figure 2: uptake (SUVmax 2.1) was seen."
    assert len(locate("uptake (SUVmax 2.1) was seen", source)) == 2


def test_the_words_an_excerpt_leaves_out_are_not_covered() -> None:
    source = "Tumor size greater than 10 cm was associated, in 113 patients, with worse OS (HR = 1.7)"
    (occurrence,) = locate("Tumor size greater than 10 cm ... (HR = 1.7)", source)
    covered = [source[a:b] for a, b in occurrence]
    assert covered == ["Tumor size greater than 10 cm", "(HR = 1.7)"]


# --- the sources' own tricky spots -------------------------------------------------------------------

def source(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@needs_sources
def test_source_001_reference_markers_affiliations_and_latex() -> None:
    text = source("001_b310b963ff8f79a5.txt")
    numbers = read_numbers(text)
    at = {n.start: n for n in numbers}
    marker = text.index("adult cancers.¹") + len("adult cancers.")
    assert (at[marker].values, at[marker].markup) == (("1",), "superscript")
    latex = text.index("series.^{6,7}") + len("series.^{")
    assert [at[latex].values, at[latex + 2].values] == [("6",), ("7",)]
    assert text.index("Zhu¹") + 3 in at                     # an affiliation mark after a name
    assert not any(n.start == text.index("m²") + 1 for n in numbers)   # the unit's exponent
    table4 = text.index("NLR >3 vs \\leq 3\t0.461")
    assert [n.text for n in numbers if table4 <= n.start < table4 + 40] == \
        [">3", "\\leq 3", "0.461", "1.6", "1.0–2.5", "0.046"]


@needs_sources
def test_source_001_repeats_the_table_1_header_on_its_continuation() -> None:
    text = source("001_b310b963ff8f79a5.txt")
    assert len(locate("Total (N=113)", text)) == 2


@needs_sources
def test_source_002_html_superscripts_and_grant_numbers() -> None:
    text = source("002_d137fbd7bd065c84.txt")
    numbers = read_numbers(text)
    sup = [n for n in numbers if n.markup == "sup"]
    assert [n.text for n in sup][:3] == ["1–4", "5", "6"]
    assert not any("82460527" in n.text or "202401136" in n.text for n in numbers)


@needs_sources
def test_source_003_thin_spaces_and_a_plain_digit_reference() -> None:
    text = source("003_9e5745cdb1230c39.txt")
    doxorubicin = text.index("doxorubicin 20\u2009mg/m2")
    assert [n.text for n in read_numbers(text[doxorubicin:doxorubicin + 40])] == ["20", "1–3"]
    marker = text.index("selected cases.8 Therefore") + len("selected cases.")
    assert any(n.start == marker and n.values == ("8",) for n in read_numbers(text))


@needs_sources
def test_source_000_table_cells_on_their_own_lines_with_no_break_spaces() -> None:
    text = source("000_ed17c4af9a8f25a3.txt")
    row = text.index("\tJun\xa013,\xa02022\n\tFirst TACE session")     # no-break spaces in the date
    found = [n for n in read_numbers(text) if row <= n.start < text.index("Second TACE session")]
    assert [(n.kind, n.values) for n in found][:3] == [("date", ("2022-06-13",)), ("integer", ("50",)),
                                                   ("range", ("300", "500"))]
