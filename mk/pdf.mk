# The whole book as one PDF, through LaTeX with xelatex (latex_engine in _config.yml):
#   make pdf  ->  _build/latex/sarcoma-tace-review.pdf (copied to _build/sarcoma-tace-review.pdf)
# The same strict flags as the HTML build; the interactive ledger prints as a longtable.

.PHONY: pdf
LATEX_DIR := $(BUILD)/latex
PDF_NAME := sarcoma-tace-review
PDF := $(BUILD)/$(PDF_NAME).pdf

pdf: $(VENV_STAMP) publish latex-deps
	@$(PY) -m book_tools.build_inputs --reset-if-changed $(BUILD)
	@rm -f $(LATEX_DIR)/$(PDF_NAME).pdf $(PDF)
	@# latexmk -silent: LaTeX's page-by-page chatter goes to the .log, errors still fail the build.
	LATEXMKOPTS=-silent $(VENV)/bin/jupyter-book build . --builder pdflatex $(BOOK_FLAGS)
	@# The PDF itself is the proof that LaTeX finished.
	@test -s $(LATEX_DIR)/$(PDF_NAME).pdf \
	  || { echo "make pdf: LaTeX did not produce $(LATEX_DIR)/$(PDF_NAME).pdf (see $(LATEX_DIR)/$(PDF_NAME).log)" >&2; exit 1; }
	@cp $(LATEX_DIR)/$(PDF_NAME).pdf $(PDF)
	@echo "make pdf: $(PDF) ($$(pdfinfo $(PDF) | awk '/^Pages:/ {print $$2}') pages)"
