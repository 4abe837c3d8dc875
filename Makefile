PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install install-bench demo test test-all lint fmt typecheck check smoke bench bench-dedup bench-summary bench-quality clean

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

test: install        ## the default suite (unit, CLI, property and quality tests)
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check cli clusterer tests bench

fmt: install
	$(BIN)/ruff format cli clusterer tests bench && $(BIN)/ruff check --fix cli clusterer tests bench

typecheck: install
	$(BIN)/mypy

smoke: install
	$(BIN)/cluster examples/newsroom --format json | $(BIN)/python -m json.tool > /dev/null

check: lint typecheck test smoke

bench: bench-dedup bench-summary bench-quality

bench-dedup: install-bench
	$(BIN)/python bench/bench_dedup.py --shared $(SHARED)

bench-summary: install-bench
	$(BIN)/python bench/bench_summary.py --shared $(SHARED)

bench-quality: install
	$(BIN)/python bench/bench_quality.py --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
