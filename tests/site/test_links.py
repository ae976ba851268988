"""Every internal link and anchor of the built site resolves; external links are listed.

External links are written to _build/external-links.txt (URL, tab, the pages using it) and
never fetched: the book must build and pass its checks without a network.
"""

from __future__ import annotations

from pathlib import Path

from sarcoma_review import sitecheck

EXTERNAL_LIST = Path(__file__).resolve().parents[2] / "_build" / "external-links.txt"


def _write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    return root


def test_the_check_flags_a_broken_link_and_a_broken_anchor(tmp_path):
    site = _write_site(tmp_path, {
        "index.html": '<h1 id="top">Home</h1>'
                      '<a href="chapters/a.html#results">results</a>'        # fine
                      '<a href="chapters/a.html#no-such-section">gone</a>'   # broken anchor
                      '<a href="chapters/missing.html">missing chapter</a>'  # broken link
                      '<a href="#top">top</a><a href="#nowhere">nowhere</a>'  # same page
                      '<img src="_images/gone.png" alt="A chart of nothing at all">'
                      '<a href="https://doi.org/10.1/x">a paper</a>',
        "chapters/a.html": '<section id="results"><a href="../index.html">home</a>'
                           '<a href="../../outside.html">outside</a></section>',
    })
    report = sitecheck.check_links(site)
    assert sorted(report.problems) == sorted([
        "index.html: <a> broken anchor 'chapters/a.html#no-such-section': no id "
        "'no-such-section' in chapters/a.html",
        "index.html: <a> broken link 'chapters/missing.html': chapters/missing.html does not exist",
        "index.html: <a> broken anchor '#nowhere': no id 'nowhere' in index.html",
        "index.html: <img> broken link '_images/gone.png': _images/gone.png does not exist",
        "chapters/a.html: <a> broken link '../../outside.html': points outside the site",
    ])
    assert report.internal == 8
    assert report.external_lines() == ["https://doi.org/10.1/x\tindex.html"]


def test_the_check_flags_vague_link_text():
    html = ('<a href="a.html">here</a> <a href="b.html"> Click here. </a> <a href="c.html">link</a>'
            '<a href="d.html">the claims ledger</a> <a href="e.html" aria-label="the glossary">here</a>')
    problems = sitecheck.link_text_problems(sitecheck.BeautifulSoup(html, "html.parser"))
    assert [p.split(" has ")[0] for p in problems] == ["link to 'a.html'", "link to 'b.html'",
                                                       "link to 'c.html'"]


def test_every_internal_link_and_anchor_resolves(site):
    report = sitecheck.check_links(site)
    EXTERNAL_LIST.write_text("".join(f"{line}\n" for line in report.external_lines()),
                             encoding="utf-8")
    print(f"\n{report.internal} internal links checked in {len(sitecheck.site_pages(site))} pages; "
          f"{len(report.external_lines())} external URLs listed in {EXTERNAL_LIST}")
    assert report.internal > 0, "no internal link found: is the site empty?"
    assert not report.problems, "\n".join(report.problems)


def test_link_text_says_where_it_goes(site):
    problems = [f"{page.relative_to(site)}: {problem}" for page in sitecheck.content_pages(site)
                for problem in sitecheck.link_text_problems(sitecheck.soup_of(page))]
    assert not problems, "\n".join(problems)
