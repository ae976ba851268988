# A release: `make release VERSION=x.y.z` (optionally RELEASE_DATE=YYYY-MM-DD, default today).
# Writes releases/<version>/claims.csv and ledger-diff.csv (against the previous release), retires
# the claim ids it removed, and sets the version in sarcoma_review/__init__.py and
# lib/claimcheck/__init__.py (the checking library is released with the review), CITATION.cff,
# .zenodo.json and CHANGELOG.md (sarcoma_review/release.py). Commit what it wrote.
.PHONY: release
release: $(VENV_STAMP)
	@test -n "$(VERSION)" || { echo "make release: say which version, e.g. make release VERSION=0.2.0" >&2; exit 1; }
	$(PY) -m sarcoma_review.release $(VERSION) $(if $(RELEASE_DATE),--date $(RELEASE_DATE),)
