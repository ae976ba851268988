# CITATION.cff is validated with cffconvert, which lives in its own venv (see requirements-cff.in).
CFF_VENV := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed-from-lock

$(CFF_STAMP): requirements-cff.txt
	@test -x $(CFF_VENV)/bin/python || $(PYTHON) -m venv $(CFF_VENV)
	@$(CFF_VENV)/bin/python -m pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements.txt)"
	$(CFF_VENV)/bin/uv pip sync --quiet --python $(CFF_VENV)/bin/python requirements-cff.txt
	@touch $@

.PHONY: citation
citation: $(CFF_STAMP)
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff
