"""The PDF (`make pdf`) holds the whole book: read back with pdftotext, not just "a file exists".

Every chapter title of _toc.yml and every part caption, the table of contents, the figures,
the ledger's longtable (every claim id of claims.csv) and the bibliography (the title of every
reference the book prints) must be in it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from book_tools import sitecheck

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "_build" / "published" / "claims.csv"


@pytest.fixture(scope="module")
def pdf() -> Path:
    if not sitecheck.PDF.exists():
        pytest.fail(f"no PDF at {sitecheck.PDF}: run make pdf first")
    return sitecheck.PDF


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return sitecheck.pdf_text(pdf)


def test_the_phrase_check_survives_pdf_layout_and_catches_what_is_missing():
    # pdftotext output: a title in small capitals over two lines, a hyphenated id, a ligature
    printed = "CHAPTER TWO\nTHE CLAIMS\nLEDGER\naice.t2.total.counts_sum_\nto_total  ﬁgure 3"
    assert sitecheck.missing_phrases(printed, {
        "ledger": "The claims ledger", "id": "aice.t2.total.counts_sum_to_total",
        "figure": "Figure 3", "glossary": "Glossary"}) == ["glossary"]


def test_toc_titles_are_read_from_the_sources():
    titles = sitecheck.toc_titles(ROOT)
    assert list(titles)[0] == "index" and len(titles) == len(sitecheck.toc_files(ROOT))
    assert all(title.strip() for title in titles.values())


def test_every_chapter_title_and_part_caption_is_in_the_pdf(text):
    titles = sitecheck.toc_titles(ROOT)
    phrases = {f"{doc} ({title})": title for doc, title in titles.items()}
    phrases |= {f"part caption {c!r}": c for c in sitecheck.toc_captions(ROOT)}
    missing = sitecheck.missing_phrases(text, phrases)
    assert not missing, f"not in the PDF: {missing}"


def test_the_pdf_has_a_table_of_contents_and_every_figure(pdf, text, site):
    assert "contents" in text[: len(text) // 4].lower(), "no table of contents at the start"
    figures = sum(1 for page in sitecheck.content_pages(site)
                  for figure in sitecheck.soup_of(page).find_all("figure") if figure.find("img"))
    images = sitecheck.pdf_image_count(pdf)
    print(f"\n{sitecheck.pdf_pages(pdf)} pages, {images} images for {figures} web figures")
    assert images >= figures, f"{figures} figures on the web pages but {images} images in the PDF"
    assert text.count("Fig. ") >= figures, "figure captions missing from the PDF"


def test_the_ledger_longtable_lists_every_claim(text):
    with CLAIMS.open(encoding="utf-8", newline="") as handle:
        claim_ids = [row["claim_id"] for row in csv.DictReader(handle)]
    assert claim_ids, f"{CLAIMS} has no rows: nothing for the ledger table to print"
    missing = sitecheck.missing_phrases(text, {c: c for c in claim_ids})
    assert not missing, f"{len(missing)} of {len(claim_ids)} claim ids not in the PDF: {missing[:10]}"


def test_the_bibliography_is_in_the_pdf(text):
    references = sitecheck.bibliography_titles(ROOT)
    assert references, "references.bib prints no reference (empty, or nothing cited)"
    assert "bibliography" in text.lower() or "references" in text.lower()
    # A reference broken across two pages has the page number and the running head inside it.
    missing = sitecheck.missing_phrases(sitecheck.without_running_heads(text), references)
    assert not missing, f"references missing from the PDF: {missing}"


def test_running_heads_are_removed_between_pages():
    head = "TACE and AICE for soft-tissue sarcoma: an executable evidence review"
    printed = (f"Title page\n1\n\f{head}\nan evaluation of the eighth edition of the\n109\n\f{head}\n"
               "AJCC staging system: does size matter?\n110\n\f")
    title = {"fisher": "An evaluation of the eighth edition of the AJCC staging system: does size matter?"}
    assert sitecheck.missing_phrases(printed, title) == ["fisher"]
    assert sitecheck.missing_phrases(sitecheck.without_running_heads(printed), title) == []


def test_the_log_check_flags_missing_glyphs_undefined_references_and_overprinting():
    log = ("Missing character: There is no \u2265 in font FreeSerif:mode=node;script=latn;!\n"
           "LaTeX Warning: Hyper reference `chapters/ledger:ledger' on page 3 undefined on input line 9.\n"
           "LaTeX Warning: Citation `smith2020' on page 4 undefined on input line 12.\n"
           "Overfull \\hbox (28.29395pt too wide) in paragraph at lines 937--937\n"
           "[]|\\TU/FreeSerif(0)/m/n/7 aice.res-os-size-ge10-median.overall_median_between_s\n"
           "Overfull \\hbox (1.37195pt too wide) in paragraph at lines 970--970\n"
           "[]|\\TU/FreeSerif(0)/m/n/7 aice.meth-followup-median.median_followup_definition|\n")
    assert sitecheck.latex_log_problems(log) == [
        "character \u2265 is missing from font FreeSerif:mode=node;script=latn;: it is not printed",
        "reference chapters/ledger:ledger is undefined: it prints as ??",
        "citation smith2020 is undefined",
        "a line 28.3 pt too wide overprints the next column or the margin: "
        "'aice.res-os-size-ge10-median.overall_median_between_s'"]


def test_latex_printed_every_character_and_reference(pdf):
    log = sitecheck.LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    problems = sitecheck.latex_log_problems(log)
    assert not problems, "\n".join(problems)


def test_the_repr_check_flags_an_object_printed_as_its_address(text):
    # What a pandas Styler left in the PDF before tables had a LaTeX form (issue 19).
    injected = text + "\n1.1 The studies\n<pandas.io.formats.style.Styler at\n0x7f58583e1bd0>\nThe design"
    assert sitecheck.object_reprs(injected) == ["<pandas.io.formats.style.Styler at 0x7f58583e1bd0>"]
    assert sitecheck.object_reprs("<0.001 at 0.05 level; <b>x</b>; p <0.001 and 0x1F > 2") == []


def test_no_python_object_repr_in_the_pdf(text):
    reprs = sitecheck.object_reprs(text)
    assert not reprs, f"objects printed as their address instead of their content: {reprs}"


def _chapter_pages(site) -> dict:
    return {doc: sitecheck.soup_of(site / f"{doc}.html") for doc in sitecheck.toc_files(ROOT)}


def test_the_table_count_check_flags_a_table_missing_from_the_pdf(text, site):
    chapters = sitecheck.pdf_chapters(text, list(sitecheck.toc_files(ROOT)))
    pages = _chapter_pages(site)
    doc = "chapters/audit_dashboard"
    captions = sitecheck.pdf_table_captions(chapters[doc])
    assert len(captions) >= 2, captions
    # The dashboard as the PDF printed it before: its first table replaced by a Styler repr.
    first = captions[0]
    broken = {doc: "\n".join(line for line in chapters[doc].splitlines()
                             if not line.startswith(f"Table {first}: "))}
    problems = sitecheck.pdf_table_count_problems({doc: pages[doc]}, broken)
    assert len(problems) == 1 and problems[0].startswith(f"{doc}: {len(captions)} tables on the web page")


def test_every_chapter_prints_as_many_tables_as_its_web_page(text, site):
    chapters = sitecheck.pdf_chapters(text, list(sitecheck.toc_files(ROOT)))
    pages = _chapter_pages(site)
    counts = {doc: len(sitecheck.content_tables(soup)) for doc, soup in pages.items()}
    print("\ntables per chapter (web = PDF):", {d.split("/")[-1]: n for d, n in counts.items() if n})
    problems = sitecheck.pdf_table_count_problems(pages, chapters)
    assert not problems, "\n".join(problems)
    assert sum(counts.values()) >= 10, counts
