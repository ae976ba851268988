"""Every link, image, asset and #fragment of the built site resolves (lychee, offline); external
links are listed; and the checks a link checker cannot do: link wording, repeated ids.

External links are written to _build/external-links.txt (URL, tab, the pages using it) and
never fetched: the book must build and pass its checks without a network. Alt text is checked
with the figures, in the browser test (sitecheck.image_problems).
"""

from __future__ import annotations

from pathlib import Path

from book_tools import sitecheck

EXTERNAL_LIST = Path(__file__).resolve().parents[2] / "_build" / "external-links.txt"


def _write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    return root


def test_lychee_flags_a_broken_link_anchor_image_and_download(tmp_path):
    site = _write_site(tmp_path, {
        "index.html": '<h1 id="top">Home</h1>'
                      '<a href="chapters/a.html#results">results</a>'        # fine
                      '<a href="chapters/a.html#no-such-section">gone</a>'   # broken anchor
                      '<a href="chapters/missing.html">missing chapter</a>'  # broken link
                      '<a href="#top">top</a><a href="#nowhere">nowhere</a>'  # same page
                      '<img src="_images/gone.png" alt="A chart of nothing at all">'
                      '<a href="tables/missing.csv" download>a table</a>'     # a download
                      '<a href="https://doi.org/10.1/x">a paper</a>',
        "chapters/a.html": '<section id="results"><a href="../index.html">home</a></section>',
    })
    report = sitecheck.check_links(site)
    problems = sorted(p.split(": ")[0] + ": " + p.split(": ")[1] for p in report.problems)
    assert problems == sorted([
        "index.html: chapters/a.html#no-such-section",
        "index.html: chapters/missing.html",
        "index.html: index.html#nowhere",
        "index.html: _images/gone.png",
        "index.html: tables/missing.csv",
    ])
    assert any("fragment" in p for p in report.problems if "#nowhere" in p)
    assert report.checked >= 3
    assert report.external_lines() == ["https://doi.org/10.1/x\tindex.html"]


def test_the_check_flags_vague_link_text():
    html = ('<a href="a.html">here</a> <a href="b.html"> Click here. </a> <a href="c.html">link</a>'
            '<a href="d.html">the claims ledger</a> <a href="e.html" aria-label="the glossary">here</a>')
    problems = sitecheck.link_text_problems(sitecheck.BeautifulSoup(html, "html.parser"))
    assert [p.split(" has ")[0] for p in problems] == ["link to 'a.html'", "link to 'b.html'",
                                                       "link to 'c.html'"]


def test_the_check_flags_repeated_ids():
    # What a pandas Styler wrote on every table: two id attributes on one element.
    styler = '<table id="T_5ab41" class="table" id="table-claims-by-source"><tr><th>a</th></tr></table>'
    assert sitecheck.html_problems(styler) == [
        "an element has two ids, 'T_5ab41' and 'table-claims-by-source'"]
    assert sitecheck.html_problems('<section id="ledger"></section><table id="ledger"><tr><th>a</th>'
                                   "</tr></table>") == ["id 'ledger' is given to 2 elements"]


def test_every_link_and_anchor_resolves(site):
    report = sitecheck.check_links(site)
    EXTERNAL_LIST.write_text("".join(f"{line}\n" for line in report.external_lines()),
                             encoding="utf-8")
    print(f"\nlychee resolved {report.checked} links and anchors in {len(sitecheck.site_pages(site))} "
          f"pages; {len(report.external_lines())} external URLs listed in {EXTERNAL_LIST}")
    assert report.checked > 1000, "few links found: is the site empty?"
    assert not report.problems, "\n".join(report.problems)


def test_link_text_says_where_it_goes_and_no_id_repeats(site):
    problems = [f"{page.relative_to(site)}: {problem}" for page in sitecheck.content_pages(site)
                for problem in sitecheck.html_problems(page.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)
