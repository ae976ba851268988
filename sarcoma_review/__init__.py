"""Reusable logic of the evidence review on TACE and AICE for soft-tissue sarcoma."""

# The review's version: the one place it is kept. CITATION.cff, .zenodo.json, the published
# datapackage.json, the book's footer and the PDF's title page show it; `make release
# VERSION=x.y.z` changes it (sarcoma_review/release.py), and tests/test_release.py holds the
# copies to it.
__version__ = "0.1.0"
