# The two commands of the README: `make demo` and `make test`. Both build .venv from
# nothing on a machine with python3, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make demo` installs what the demo runs (every extra, no test tools); `make test` adds them.
ALL_STAMP := $(VENV)/.installed-all
STAMP := $(VENV)/.installed-dev
# pip keeps no cache and checks for no new version: nothing is written to the home directory.
export PIP_NO_CACHE_DIR := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pip asks `rustc --version` for its User-Agent (ensurepip too, when the venv is made); where
# rustc is rustup's proxy, that writes ~/.rustup/settings.toml. During installs rustup keeps
# its settings inside the venv instead.
OWN_RUSTUP := RUSTUP_HOME=$(CURDIR)/$(VENV)/.rustup
PIP := $(OWN_RUSTUP) $(BIN)/python -m pip

.PHONY: demo test test-long lint typecheck docs clean browser postgres wrk fuzz bench bench-node bench-store install-sizes compiled-data

$(ALL_STAMP): pyproject.toml
	test -x $(BIN)/python || $(OWN_RUSTUP) $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[all]'
	touch $@

$(STAMP): $(ALL_STAMP)
	$(PIP) install --quiet -e '.[all,dev]'
	touch $@

demo: $(ALL_STAMP)
	$(BIN)/silk demo

lint: $(STAMP)
	$(BIN)/ruff check src plugins tests examples benchmarks scripts fuzz
	$(BIN)/ruff format --check src plugins tests examples benchmarks scripts fuzz

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser test needs Debian's chromium; install it when we can (as root), else it is skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
		echo "chromium could not be installed: the browser test will be skipped"

# The PostgreSQL store tests start a throwaway server from Debian's binaries (initdb, pg_ctl);
# install them when they are missing and we can (as root), else those tests are skipped.
postgres:
	@{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) ; } || \
		echo "PostgreSQL could not be installed: the PostgreSQL store tests will be skipped"

test: $(STAMP) lint typecheck browser postgres
	$(BIN)/python -m pytest -q

test-long: $(STAMP)
	SILKCORE_HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q

# Coverage-guided fuzzing of document loading (atheris); FUZZ_SECONDS=3600 by default.
fuzz: $(STAMP)
	$(PIP) install --quiet atheris
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python fuzz/fuzz_jsonio.py -max_total_time=$${FUZZ_SECONDS:-3600} -timeout=10 -rss_limit_mb=2048 fuzz/corpus

# The compiled forms of the data files the built-in plugins ship (JSON, read in C at start-up
# instead of the YAML; silkcore._plugin_data). tests/test_plugin_data.py fails when one is stale.
PLUGIN_DATA := $(patsubst %.compiled,%,$(wildcard plugins/*/*.compiled plugins/*/data/*.compiled))
compiled-data: $(STAMP)
	$(BIN)/python -c "import sys; from silkcore import compile_plugin_data; [print(compile_plugin_data(p)) for p in sys.argv[1:]]" $(PLUGIN_DATA)

# Every performance goal as a ratio against its baseline, measured in one run; the tables are
# printed and written into benchmarks/RESULTS.md. FLOWS, RESPONSE_SETS, NODE_SECONDS, NODE_ROUNDS size it.
bench: $(STAMP) wrk
	$(BIN)/python benchmarks/bench_all.py

# The node's load benchmark needs wrk (Debian's package); installed when we can (as root).
wrk:
	@command -v wrk >/dev/null 2>&1 || command -v oha >/dev/null 2>&1 || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) ; } || \
		echo "wrk could not be installed: the node benchmark needs wrk (or oha)"

# The node against a minimal Starlette app under wrk, and over PostgreSQL (a throwaway server).
bench-node: $(STAMP) wrk postgres
	$(BIN)/python benchmarks/bench_node.py --seconds $${NODE_SECONDS:-10} --rounds $${NODE_ROUNDS:-3} --postgres

# The store on SQLite and PostgreSQL (a throwaway server), 1, 2 and 4 writer processes.
bench-store: $(STAMP) postgres
	$(BIN)/python benchmarks/bench_store.py $${RECORDS:-2000}

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir build/site

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# What each install puts on disk (core, each extra, all), from PyPI into fresh venvs.
install-sizes: $(STAMP)
	$(BIN)/python scripts/install_sizes.py
