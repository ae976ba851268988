"""Build and test tooling of the evidence review: what `make` runs around the book.

Fingerprints of the build's inputs (`build_inputs`), parallel execution of the chapters
(`parallel_execution`), approved notebooks for nbval (`approval`), the Sphinx extensions
(`sphinx_fixes`, `sphinx_site`), checks of the built site (`sitecheck`), the build benchmark
(`bench`) and mutation testing (`mutation`). It may import the review (`sarcoma_review`) and
the checking library (`claimcheck`); neither imports it.
"""
