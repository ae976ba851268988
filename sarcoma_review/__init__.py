"""The evidence review on TACE and AICE for soft-tissue sarcoma: its data, audits, ledger,
publication and the helpers of its pages.

The arithmetic of checking a printed number is the checking library's (`claimcheck`), which
knows nothing of this review; the build and test tooling (`book_tools`) stands above both.
"""

# The review's version: the one place it is kept. CITATION.cff, .zenodo.json, the published
# datapackage.json, the book's footer and the PDF's title page show it; `make release
# VERSION=x.y.z` changes it, and the checking library's with it (sarcoma_review/release.py), and
# tests/test_release.py holds the copies to it.
__version__ = "0.2.0"
