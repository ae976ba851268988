# System tools for the PDF and the browser checks, installed from Debian's packages only when
# missing: each target first checks for the commands it needs, so on a machine that has them
# it costs nothing. As root (this machine, CI, a Debian container) apt-get runs as is;
# otherwise through sudo. On a system without apt-get it says what to install and stops.

.PHONY: latex-deps browser-deps site-tools

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# xelatex and latexmk for `make pdf`; FreeSerif/FreeSans/FreeMono (fonts-freefont-otf) are the
# fonts of Sphinx's xelatex preamble; pdftotext, pdfinfo and pdfimages (poppler-utils) let
# tests/site/test_pdf.py read the PDF back.
LATEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
  texlive-xetex fonts-freefont-otf poppler-utils
LATEX_COMMANDS := xelatex latexmk pdftotext pdfinfo pdfimages
# Headless Chromium for tests/site/test_browser.py, driven by Playwright for Python at
# /usr/bin/chromium (never `playwright install`: no browser downloads).
BROWSER_PACKAGES := chromium chromium-driver
BROWSER_COMMANDS := chromium

# $(call apt_install,<packages>): one apt-get update, then a quiet install without recommends.
define apt_install
command -v apt-get >/dev/null || { echo "no apt-get here: install $(1) (or their equivalents) yourself" >&2; exit 1; }; \
echo "installing from Debian: $(1)"; \
$(SUDO) apt-get update -qq; \
DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1) >/dev/null
endef

latex-deps:
	@for c in $(LATEX_COMMANDS); do command -v $$c >/dev/null || missing=1; done; \
	[ -n "$$(fc-list FreeSerif 2>/dev/null)" ] || missing=1; \
	if [ -n "$${missing:-}" ]; then $(call apt_install,$(LATEX_PACKAGES)); fi

browser-deps:
	@for c in $(BROWSER_COMMANDS); do command -v $$c >/dev/null || missing=1; done; \
	if [ -n "$${missing:-}" ]; then $(call apt_install,$(BROWSER_PACKAGES)); fi

site-tools: latex-deps browser-deps
