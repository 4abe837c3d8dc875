PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
SOURCES := cli clusterer tests bench tools

.PHONY: install install-bench demo test test-fast lint format-check fmt typecheck imports check smoke screenshots \
	bench bench-dedup bench-summary bench-quality bench-scale bench-dask bench-state corpora clean

install: $(VENV)/.stamp
$(VENV)/.stamp: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install-bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'

demo: install        ## cluster the shipped sample corpus and show the story view
	$(BIN)/cluster examples/newsroom --format table
	@echo
	@echo "cluster is installed in $(VENV)/bin. To type 'cluster' in this shell, run:"
	@echo "    . $(VENV)/bin/activate"
	@echo "then e.g.:  cluster ../shared/seeds/   (or call $(BIN)/cluster directly)"

screenshots: install ## docs/screenshots/: story view at 80 and 160 columns (SVG), HTML report (PNG)
	$(BIN)/python tools/screenshots.py

test: install        ## the full suite (unit, CLI, property, architecture and quality tests)
	$(BIN)/pytest -q

test-fast: install   ## the inner loop: everything but the quality tests on ../shared/eval
	$(BIN)/pytest -q -m "not quality and not slow"

lint: install        ## ruff rules, line length 110 and complexity 12 included (pyproject.toml)
	$(BIN)/ruff check $(SOURCES)

format-check: install
	$(BIN)/ruff format --check $(SOURCES)

fmt: install
	$(BIN)/ruff format $(SOURCES) && $(BIN)/ruff check --fix $(SOURCES)

typecheck: install
	$(BIN)/mypy --strict

imports: install     ## architecture contracts ([tool.importlinter] in pyproject.toml)
	$(BIN)/lint-imports

smoke: install
	$(BIN)/cluster examples/newsroom --format json | $(BIN)/python -m json.tool > /dev/null

check: format-check lint typecheck imports test smoke   ## what CI runs

bench: bench-dedup bench-summary bench-quality

bench-dedup: install-bench
	$(BIN)/python bench/bench_dedup.py --shared $(SHARED)

SIZES ?= 100k
bench-scale: install-bench   ## whole commands on generated 100k/300k/1M corpora beside datasketch and rensa (SIZES=100k,300k,1m)
	$(BIN)/python bench/bench_scale.py --shared $(SHARED) --sizes $(SIZES)

corpora: install     ## build the generated benchmark corpora (bench/corpora, SIZES=100k,300k,1m)
	$(BIN)/python bench/make_corpus.py --shared $(SHARED) --sizes $(SIZES)

bench-summary: install-bench
	$(BIN)/python bench/bench_summary.py --shared $(SHARED)

bench-state: install  ## GVA fed day by day vs one run; a batch of 1,000 onto a 100k state vs a full run
	$(BIN)/python bench/bench_state.py --shared $(SHARED)

bench-dask: install   ## Dask engine: 2 vs 1 LocalCluster workers end to end (DASK_CORPUS="parts*.jsonl")
	$(BIN)/python bench/bench_dask.py --shared $(SHARED) $(if $(DASK_CORPUS),--corpus $(DASK_CORPUS))

bench-quality: install
	$(BIN)/python bench/bench_quality.py --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis .import_linter_cache
