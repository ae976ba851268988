# A new study from the scaffold (book_tools/scaffold.py; ARCHITECTURE.md, "Adding a study"):
#   make new-study NAME=<folder_and_chapter> SOURCE=<NNN_hex.txt of ../shared/seeds> [KEY=] [PREFIX=] [LABEL=]
# writes data/<NAME>/ with its resources.json, chapters/<NAME>.md, its registry rows and a
# bibliography stub; every placeholder starts "TO FILL", and validation refuses it until filled.

.PHONY: new-study
new-study: $(VENV_STAMP)
	@test -n "$(NAME)" -a -n "$(SOURCE)" \
	  || { echo "usage: make new-study NAME=<folder_and_chapter> SOURCE=<source text file> [KEY=] [PREFIX=] [LABEL=]" >&2; exit 2; }
	$(PY) -m book_tools.scaffold "$(NAME)" "$(SOURCE)" $(if $(KEY),--key "$(KEY)") \
	  $(if $(PREFIX),--prefix "$(PREFIX)") $(if $(LABEL),--label "$(LABEL)")
