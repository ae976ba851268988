# The two README commands are `make book` and `make test`; each sets up what it needs.
# Other targets: validate, approve, lint, pdf, bench, mutate, clean (some live in mk/*.mk).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed-from-lock
BUILD := _build
PUBLISHED := $(BUILD)/published
CHAPTERS := $(wildcard index.md chapters/*.md)
# The code the chapters run: the checking library and the review.
PACKAGE_FILES := $(shell find lib/claimcheck sarcoma_review -name '*.py' -not -path '*/__pycache__/*' | sort)
DATA_FILES := $(shell find data -type f | sort)
# Strict: any warning (broken reference, missing glue key, unknown citation) fails the build. The
# table of contents is written from _toc.template.yml and the study registry by
# `build_inputs --reset-if-changed`, which runs before every Jupyter Book build.
BOOK_FLAGS := --warningiserror --nitpick --keep-going --toc $(BUILD)/_toc.yml
# 1: execute the chapters in parallel into the execution cache before Sphinx runs
# (book_tools/parallel_execution.py); 0: let Jupyter Book execute them one by one.
PARALLEL_EXECUTION ?= 1

# Tests on both cores (pytest-xdist): one worker per core, at most four (TEST_WORKERS=0: none,
# every test in the pytest process itself).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
XDIST = -n $(TEST_WORKERS)
# `make test` executes every chapter twice, and its determinism test compares the two
# (ARCHITECTURE.md, "One make test, two executions"): the strict build's execution, into the
# execution cache, and nbval's, kept in $(NBVAL_RECORD). Different hash seeds make them differ
# wherever a result could depend on one.
BOOK_HASH_SEED := 1
NBVAL_HASH_SEED := 4242
NBVAL_RECORD := $(BUILD)/nbval-executions
# Set by `make test` (to the build folder): the unit tests' determinism test then compares those
# two executions instead of making two of its own.
SHARED_EXECUTIONS ?=
# The phases of `make test`, in order, each timed by book_tools.phase_timer (_build/test-phases.json).
# The unit tests run beside the site checks ("a+b"), which mostly wait for the browser: they need
# nothing from each other, and the unit tests come after nbval, whose execution they compare.
TEST_PHASES := lint citation strict-book nbval pdf unit+site-checks

.PHONY: book html test publish approve check-approved lint unit nbval strict-book site-checks clean

# The venv is rebuilt when it is missing or older than the lock or a pyproject.toml. The lock
# gives every third-party package; then the checking library (lib/) and the review with its
# tooling (.) are installed in editable mode, built by the lock's setuptools (no build isolation:
# nothing is fetched that the lock does not pin), so chapters, tests and `python -m` import them
# from this tree. (`uv pip sync` removes what the lock does not list, the editable installs too.)
$(VENV_STAMP): requirements.txt pyproject.toml lib/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements.txt)"
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps --no-build-isolation -e lib -e .
	@touch $@

# claims.csv, claims.json and the downloadable tables, computed from data/ alone; computed
# again whenever the fingerprint of data/, the package and the lock differs from the one
# published beside them (not by modification times, which a restored file can fool).
publish: $(VENV_STAMP)
	@$(PY) -m book_tools.build_inputs --is-current $(PUBLISHED) \
	  || $(PY) -m sarcoma_review.publish $(PUBLISHED)

# The stamp lives in the cache folder, which build_inputs deletes when data/ or the package
# change; a no-op build then costs no Python start-up here.
PARALLEL_STAMP := $(BUILD)/.jupyter_cache/.executed-in-parallel
EXECUTE_IN_PARALLEL = $(if $(filter 1,$(PARALLEL_EXECUTION)),$(MAKE) -s --no-print-directory $(PARALLEL_STAMP),:)

$(PARALLEL_STAMP): $(CHAPTERS) $(PACKAGE_FILES) $(DATA_FILES) requirements.txt
	$(PY) -m book_tools.parallel_execution
	@touch $@

# The execution cache keys on notebook code only; a change to data/ or to the package
# must re-execute the chapters, so it invalidates the cache and the Sphinx environment.
# Nothing to do when _build/html was built, strictly and successfully, from the sources as they
# are now (a content fingerprint, not modification times): Sphinx alone would spend seconds.
book: $(VENV_STAMP) publish
	@if $(PY) -m book_tools.build_inputs --html-is-current $(BUILD); then \
	  echo "make book: $(BUILD)/html is up to date with the sources"; \
	else $(MAKE) --no-print-directory html; fi

html: $(VENV_STAMP) publish
	@$(PY) -m book_tools.build_inputs --reset-if-changed $(BUILD)
	@$(PY) -m book_tools.build_inputs --touch-changed-pages $(BUILD)
	@$(EXECUTE_IN_PARALLEL)
	@$(VENV)/bin/jupyter-book build . $(BOOK_FLAGS) \
	  || { rm -rf $(BUILD)/.doctrees; echo "make book: the strict build failed (see the warnings above)" >&2; exit 1; }
	@$(PY) -m book_tools.build_inputs --mark-html-built $(BUILD)

# A fresh Sphinx environment (--all), so warnings of unchanged pages are printed again, into
# an empty _build/html: Sphinx never deletes the page of a removed chapter, and this is the
# site CI deploys.
strict-book: $(VENV_STAMP) publish
	@$(PY) -m book_tools.build_inputs --reset-if-changed $(BUILD)
	@PYTHONHASHSEED=$(BOOK_HASH_SEED) $(EXECUTE_IN_PARALLEL)
	@rm -rf $(BUILD)/html
	PYTHONHASHSEED=$(BOOK_HASH_SEED) $(VENV)/bin/jupyter-book build . --all $(BOOK_FLAGS)
	@$(PY) -m book_tools.build_inputs --mark-html-built $(BUILD)

# Approved executed notebooks for nbval: the reviewed outputs every later build must match.
approve: $(VENV_STAMP) publish
	$(PY) -m book_tools.approval approve $(CHAPTERS)

check-approved: $(VENV_STAMP)
	$(PY) -m book_tools.approval check $(CHAPTERS)

# In seconds: the checking library's lint and format check (ruff) and type check (mypy, strict on
# the library's own code; lib/pyproject.toml configures them), and the import layers
# (pyproject.toml's contracts, also a unit test: tests/test_layers.py).
lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check --quiet lib
	$(VENV)/bin/ruff format --check --quiet lib
	$(VENV)/bin/mypy --config-file lib/pyproject.toml lib/claimcheck
	$(VENV)/bin/lint-imports --no-cache --no-logo

# --dist loadgroup: each module's tests in one worker (tests/conftest.py), so that its module
# fixtures are built once; the build tests, which share nothing, spread over the workers.
unit: $(VENV_STAMP)
	SHARED_EXECUTIONS=$(SHARED_EXECUTIONS) $(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) --dist loadgroup \
	  tests --ignore=tests/approved --ignore=tests/site

# A fresh execution of every approved notebook, compared cell by cell (--dist loadfile: one
# notebook's cells in one worker, in order, in one kernel); book_tools.nbval_record keeps it.
nbval: $(VENV_STAMP) publish check-approved
	@rm -rf $(NBVAL_RECORD)
	PYTHONHASHSEED=$(NBVAL_HASH_SEED) $(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) --dist loadfile \
	  --nbval tests/approved --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env \
	  -p book_tools.nbval_record --record-executions $(NBVAL_RECORD)

# Checks of the built site as a reader meets it (figures, links, browser), after the build.
# --dist loadscope: a module's tests in one worker, so that each starts its browser once.
site-checks: $(VENV_STAMP) browser-deps latex-deps
	$(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) --dist loadscope tests/site

# The execution cache is emptied first: the strict build's execution is then a fresh one of this
# run, which the determinism test may compare with nbval's.
test: $(VENV_STAMP)
	@rm -rf $(BUILD)/.jupyter_cache $(NBVAL_RECORD)
	@$(PY) -m book_tools.phase_timer --make-arg SHARED_EXECUTIONS=$(CURDIR)/$(BUILD) $(TEST_PHASES)

clean:
	rm -rf $(BUILD) .pytest_cache .hypothesis .mypy_cache .ruff_cache lib/.ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

-include mk/*.mk
