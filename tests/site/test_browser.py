"""Every page of the built site, opened in Debian's headless Chromium (driven by Playwright).

On each page: no console error and no page error, no failed same-origin request and no broken
image, figure images with alt text that says what they show, tables with header cells; on the
ledger page the table is a data grid (paging, sorting, a verdict filter, permalinks, "cite this
row") and loads nothing from outside the site. A full-page screenshot of every
page is saved under _build/screenshots/. External assets (the MathJax CDN) are blocked, listed
and never loaded. The first tests build tiny bad pages and show that each check catches them.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from claimcheck.ledger import LedgerRow
from sarcoma_review import figures, render
from book_tools import sitecheck, sphinx_site

ROOT = Path(__file__).resolve().parents[2]
LEDGER_MEASURE = ROOT / "_build" / "ledger-page.json"

GOOD_FIGURE = ('<figure id="fig-good"><img src="chart.png" alt="Bar chart of ledger rows per '
               'source text, split by verdict."><figcaption>Rows by verdict.</figcaption></figure>')
TABLE = "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
BAD_PAGES = {
    "good.html": GOOD_FIGURE + TABLE + '<a href="good.html">the good page</a>',
    "console-error.html": '<script>console.error("boom: the ledger failed to load")</script>',
    "page-error.html": '<script>undefinedFunctionOfTheBook()</script>',
    "broken-image.html": '<img src="missing.png" alt="Bar chart of a figure that was never saved">',
    "missing-asset.html": '<link rel="stylesheet" href="_static/missing.css">' + GOOD_FIGURE,
    "figure-without-alt.html": '<figure id="fig-bare"><img src="chart.png"><figcaption>c</figcaption></figure>',
    "figure-alt-is-file-name.html": ('<figure id="fig-named"><img src="chart.png" alt="chart.png">'
                                     '<figcaption>c</figcaption></figure>'),
    "table-without-header.html": "<table><tr><td>1</td><td>2</td></tr></table>",
    "external-asset.html": '<script src="https://cdn.example.org/lib.js"></script>' + GOOD_FIGURE,
}


def _png(path: Path, colour=(0, 114, 178)) -> None:
    from PIL import Image

    Image.new("RGB", (40, 20), colour).save(path)


def _page(body: str, title: str = "t") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="icon" href="data:,"></head><body>{body}</body></html>')


@pytest.fixture(scope="module")
def browser():
    with sitecheck.chromium() as context:
        yield context


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-site")
    _png(root / "chart.png")
    for name, body in BAD_PAGES.items():
        (root / name).write_text(_page(body), encoding="utf-8")
    with sitecheck.serve(root) as base:
        yield base


def _check(browser, base: str, name: str) -> sitecheck.PageReport:
    return sitecheck.check_page(browser, base + name)


def test_a_good_page_has_no_problem(browser, bad_site):
    report = _check(browser, bad_site, "good.html")
    assert report.problems() == []


def test_the_checker_flags_a_console_error(browser, bad_site):
    report = _check(browser, bad_site, "console-error.html")
    assert [e.split(" (")[0] for e in report.console_errors] == ["boom: the ledger failed to load"]


def test_the_checker_flags_a_page_error(browser, bad_site):
    report = _check(browser, bad_site, "page-error.html")
    assert len(report.page_errors) == 1 and "undefinedFunctionOfTheBook" in report.page_errors[0]


def test_the_checker_flags_a_broken_image(browser, bad_site):
    report = _check(browser, bad_site, "broken-image.html")
    assert report.broken_images == ["missing.png"]
    assert [r for r in report.failed_requests if "missing.png" in r and "HTTP 404" in r]


def test_the_checker_flags_a_missing_asset(browser, bad_site):
    report = _check(browser, bad_site, "missing-asset.html")
    assert [r for r in report.failed_requests if r.endswith("_static/missing.css (HTTP 404)")]


def test_the_checker_flags_figure_images_without_a_description(browser, bad_site):
    assert _check(browser, bad_site, "figure-without-alt.html").markup == [
        "fig-bare: image without alt text"]
    assert _check(browser, bad_site, "figure-alt-is-file-name.html").markup == [
        "fig-named: alt text is the file name ('chart.png'): say what the image shows"]


def test_the_checker_flags_a_table_without_header_cells(browser, bad_site):
    assert _check(browser, bad_site, "table-without-header.html").markup == [
        "table 1 on the page: table without header cells (<thead> or <th>)"]


def test_external_assets_are_blocked_and_listed_not_errors(browser, bad_site):
    report = _check(browser, bad_site, "external-asset.html")
    assert report.blocked_external == ["https://cdn.example.org/lib.js"]
    assert report.problems() == []


def _ledger_page(tmp_path: Path, grid: bool = True, verdict_list: bool = True) -> Path:
    """A page with one ledger table of 60 rows, served with the book's grid script and
    itables' bundle; `grid=False` leaves the script out, `verdict_list=False` takes the verdict
    column's list of values away."""
    verdicts = ["consistent", "inconsistent", "ambiguous", "not-checkable"]
    # Claim ids out of order (37 and 60 are coprime), so that sorting changes what is shown.
    rows = [LedgerRow(claim_id=f"study.t{i * 37 % 60:02d}.cell.rule_{i}", source="001", study="s",
                      location=f"Table {i}", quantity="q", reported=f"{i}.0",
                      recomputed=f"{i}.04", recomputed_low=f"{i}.04", recomputed_high=f"{i}.04",
                      rule=f"rule_{i % 3}", verdict=verdicts[i % 4], decision="", diagnosis="",
                      explanation="median survival" if i % 2 else "hazard ratio")
            for i in range(60)]
    markup = render.ledger_table(rows, citation="Authors (2026). The review, version 9.9.9")._repr_html_()
    if not verdict_list:
        markup = markup.replace('<th scope="col" class="filter-list">verdict</th>', '<th scope="col">verdict</th>')
    static = tmp_path / "_static"
    (static / "itables").mkdir(parents=True)
    for name in sphinx_site.BUNDLE_FILES:
        shutil.copyfile(sphinx_site.itables_bundle_dir() / name, static / "itables" / name)
    shutil.copyfile(ROOT / "_static" / "ledger_grid.js", static / "ledger_grid.js")
    script = '<script src="_static/ledger_grid.js"></script>' if grid else ""
    (tmp_path / "ledger.html").write_text(_page(script + markup), encoding="utf-8")
    return tmp_path


def test_the_ledger_grid_check_passes_on_the_real_grid(browser, tmp_path):
    with sitecheck.serve(_ledger_page(tmp_path)) as base:
        report = _check(browser, base, "ledger.html")
    assert report.ledger_tables == 1
    assert report.problems() == []
    assert report.blocked_external == []


def test_the_ledger_grid_check_flags_a_table_without_the_grid(browser, tmp_path):
    with sitecheck.serve(_ledger_page(tmp_path, grid=False)) as base:
        report = _check(browser, base, "ledger.html")
    assert report.ledger == ["#claims-ledger: the data grid did not start (no sorting, filters or paging)"]


def test_the_ledger_grid_check_flags_a_missing_verdict_filter(browser, tmp_path):
    with sitecheck.serve(_ledger_page(tmp_path, verdict_list=False)) as base:
        report = _check(browser, base, "ledger.html")
    assert report.ledger == ["#claims-ledger: the verdict column has no list of values to filter by"]


def test_every_page_in_the_browser(browser, site):
    reports = sitecheck.check_site_in_browser(site, screenshots=sitecheck.SCREENSHOTS,
                                              context=browser)
    blocked = sorted({url for r in reports for url in r.blocked_external})
    print(f"\n{len(reports)} pages opened in Chromium; screenshots in {sitecheck.SCREENSHOTS}; "
          f"external assets blocked (not loaded): {blocked}")
    problems = [problem for report in reports for problem in report.problems()]
    assert not problems, "\n".join(problems)
    assert sum(r.ledger_tables for r in reports) >= 1, "no ledger table found on any page"
    shots = sorted(p.name for p in sitecheck.SCREENSHOTS.glob("*.png"))
    assert len(shots) == len(reports), shots


def test_the_palette_check_flags_matplotlib_default_colours(tmp_path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    def bars(colours, name):
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.barh(range(len(colours)), [3, 5, 2, 4][: len(colours)], color=colours)
        ax.barh(range(len(colours)), [1, 1, 1, 1][: len(colours)], color=colours, alpha=0.3)
        fig.savefig(tmp_path / name, dpi=80)
        plt.close(fig)
        return tmp_path / name

    book = bars([figures.COLOURS[v] for v in ("consistent", "inconsistent", "ambiguous",
                                               "not-checkable")], "book.png")
    # matplotlib's default cycle; its blue (#1F77B4) is within the tolerance of Okabe-Ito's.
    default = bars(["tab:orange", "tab:green", "tab:red", "tab:purple"], "default.png")
    assert sitecheck.palette_problems(book) == []
    flagged = sitecheck.palette_problems(default)
    assert {line.split()[2] for line in flagged} == {"#FF7F0E", "#2CA02C", "#D62728", "#9467BD"}


def test_figures_use_the_book_palette(site):
    images = sitecheck.figure_images(site)
    assert images, "no figure image found on any page"
    problems = [f"{problem} (on {', '.join(pages)})" for image, pages in images.items()
                for problem in sitecheck.palette_problems(image)]
    assert not problems, "\n".join(problems)


def test_the_ledger_page_loads_nothing_from_outside_and_is_measured(browser, site):
    """The ledger page: no request leaves the site, and its size and load time are recorded
    (_build/ledger-page.json) for the issue's before/after note."""
    with sitecheck.serve(site) as base:
        measure = sitecheck.measure_page(browser, base + "chapters/ledger.html",
                                         ready_selector="table#claims-ledger.grid-ready")
    LEDGER_MEASURE.write_text(json.dumps(dataclasses.asdict(measure), indent=1) + "\n", encoding="utf-8")
    print(f"\nledger page: {measure.html_bytes} bytes of HTML, {measure.transferred_bytes} bytes in "
          f"{measure.requests} requests; load {measure.load_ms} ms, grid ready {measure.ready_ms} ms")
    assert measure.external == [], f"the ledger page requests outside the site: {measure.external}"
    assert measure.ready_ms > 0 and measure.html_bytes > 0
