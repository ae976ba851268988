# Trust gates (ARCHITECTURE.md, section Trust gates):
#   make mutate   mutation testing of the ledger against a copy of data/ -> _build/mutation.json
#   make bench    build benchmark in a temporary copy of the repository -> _build/bench.json
#   make determinism   the determinism tests alone (they also run in `make unit`)
# MUTATE_FLAGS / BENCH_FLAGS pass options through, e.g.
#   make mutate MUTATE_FLAGS="--limit 200 --seed 1"      (a seeded sample, ~1 minute)
#   make bench BENCH_FLAGS="--quick"      (leave out make test and the serial cold build)

.PHONY: mutate bench determinism

MUTATE_FLAGS ?=
BENCH_FLAGS ?=

# Exits 1 when the overall kill rate is below the target (95%), after writing the report.
mutate: $(VENV_STAMP)
	$(PY) -m book_tools.mutation --out $(BUILD)/mutation.json $(MUTATE_FLAGS)

bench: $(VENV_STAMP)
	$(PY) -m book_tools.bench --out $(BUILD)/bench.json $(BENCH_FLAGS)

determinism: $(VENV_STAMP)
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/test_determinism.py
