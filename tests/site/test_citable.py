"""What makes the site citable, as a reader (or a dataset search engine) meets it: the version
in every page's footer and on the PDF's title page, schema.org Dataset metadata on the landing
page, and the release pages and files."""

from __future__ import annotations

import json

from sarcoma_review import __version__, release
from book_tools import sitecheck


def test_every_page_names_the_version_in_its_footer(site):
    missing = [page.relative_to(site).as_posix() for page in sitecheck.content_pages(site)
               if f"Version {__version__} of this review" not in
               " ".join(t.get_text(" ") for t in sitecheck.soup_of(page).select("footer, .bd-footer"))]
    assert not missing, f"no version in the footer of {missing}"


def test_the_pdf_title_page_names_the_version():
    first_page = sitecheck.pdf_text(sitecheck.PDF).split("\f", 1)[0]
    assert f"Release {__version__}" in first_page, first_page


def test_the_landing_page_describes_the_ledger_as_a_schema_org_dataset(site):
    scripts = sitecheck.soup_of(site / "index.html").find_all("script", type="application/ld+json")
    assert len(scripts) == 1, "the landing page has no (or more than one) JSON-LD block"
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["version"] == __version__ and data["license"].startswith("https://creativecommons.org/")
    downloads = {d["contentUrl"]: d["encodingFormat"] for d in data["distribution"]}
    assert downloads["claims.csv"] == "text/csv"
    for path in downloads:  # each download is served by the site
        assert (site / path).is_file(), path
    # only the landing page carries it
    assert not sitecheck.soup_of(site / "chapters" / "ledger.html").find_all("script", type="application/ld+json")


def test_every_release_is_published_with_its_diff(site):
    for version in release.released_versions():
        for name in ("claims.csv", "ledger-diff.csv"):
            assert (site / "releases" / version / name).is_file(), f"releases/{version}/{name}"
    page = sitecheck.soup_of(site / "chapters" / "releases.html")
    assert page.find("table", id="table-releases") is not None
    assert page.find("table", id="table-latest-changes") is not None
