# The two commands of the README: `make demo` and `make test`. Both build .venv from
# nothing on a machine with python3, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-long lint typecheck docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/silk demo

lint: $(STAMP)
	$(BIN)/ruff check src plugins tests examples benchmarks scripts
	$(BIN)/ruff format --check src plugins tests examples benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

test-long: $(STAMP)
	SILKCORE_HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir build/site

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
