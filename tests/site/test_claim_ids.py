"""Every token of the built site that is shaped like a claim id is a row of claims.csv.

A page that cites an example row, names a finding or lists the ledger can only show ids that
readers find in the claims.csv they download (the book's copy of the published ledger).
"""

from __future__ import annotations

from pathlib import Path

from book_tools import sitecheck

CLAIMS_HEADER = "claim_id,source,study,location,quantity,reported,recomputed,rule,verdict,explanation\n"


def _site(root: Path, claim_ids: list[str], pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "claims.csv").write_text(CLAIMS_HEADER + "".join(f"{c},s,k,l,q,r,c,rule,consistent,e\n" for c in claim_ids),
                                     encoding="utf-8")
    for name, body in pages.items():
        (root / name).write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    return root


def test_an_unknown_claim_id_on_a_page_is_named(tmp_path):
    site = _site(tmp_path, ["aice.t2-all.counts_sum_to_total", "ups.t2-fu1m-size.recist_same_method"], {
        "index.html": "<p>Cite a row, e.g. <code>aice.t2.total.counts_sum_to_total</code>; "
                      "the real one is aice.t2-all.counts_sum_to_total.</p>",
        "chapter.html": "<p>Row ups.t2-fu1m-size.recist_same_method is fine, and so is a file "
                        "tables/aice-baseline.csv or the module sarcoma_review.ups.py.</p>"
                        "<script>var x = 'aice.not.in_the_ledger';</script>",
    })
    assert sitecheck.unknown_claim_ids(site) == [
        "index.html: 'aice.t2.total.counts_sum_to_total' looks like a claim id but is not in claims.csv"]


def test_a_retired_id_is_allowed_on_the_releases_page_only(tmp_path):
    site = _site(tmp_path, ["aice.t2-all.counts_sum_to_total"], {
        "index.html": "<p>Old row aice.meth-recist-version.not_checkable.</p>"})
    (site / "chapters").mkdir()
    (site / "chapters" / "releases.html").write_text(
        "<html><body><td>aice.meth-recist-version.not_checkable</td><td>removed</td></body></html>", encoding="utf-8")
    (site / "releases").mkdir()
    (site / "releases" / "retired-claim-ids.csv").write_text(
        "claim_id,retired_in,last_quantity\naice.meth-recist-version.not_checkable,0.2.0,q\n", encoding="utf-8")
    assert sitecheck.unknown_claim_ids(site) == [
        "index.html: 'aice.meth-recist-version.not_checkable' looks like a claim id but is not in claims.csv"
        " (a retired id, shown only on the releases page)"]


def test_every_claim_id_on_the_site_is_in_claims_csv(site):
    known = sitecheck.published_claim_ids(site / "claims.csv")
    assert known, "claims.csv of the built site is empty"
    # The check must see the ids the pages do show: the ledger page lists every row.
    pattern = sitecheck.claim_id_pattern({claim.split(".", 1)[0] for claim in known})
    shown = set().union(*(sitecheck.claim_id_tokens(sitecheck.BeautifulSoup(p.read_text(encoding="utf-8"),
                                                                             "html.parser"), pattern)
                          for p in sitecheck.content_pages(site)))
    assert "aice.t2-all.counts_sum_to_total" in shown
    problems = sitecheck.unknown_claim_ids(site)
    assert not problems, "\n".join(problems)
