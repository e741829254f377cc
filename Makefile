# consultgraph — two commands do all set-up on a fresh machine:
#   make run    create .venv, install, ingest data/samples into var/store, serve on localhost
#   make test   create .venv, install with test extras (and Debian's chromium), run pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= var/store
PORT   ?= 5000
HOST   ?= 127.0.0.1

.PHONY: run test install install-test system-deps ingest serve bench lint clean test-virtuoso

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own).
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium) for the browser tests"; fi; \
	fi

ingest: install
	$(BIN)/consultgraph ingest data/samples --store $(STORE)

serve: install
	$(BIN)/consultgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

run: ingest serve

test: install-test system-deps
	$(BIN)/pytest -q -ra

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

# A quick run of every benchmark (1k generated pages); see benchmarks/README.md for the
# full-size commands.
bench: install-test $(VENV)/.installed-bench
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/ingest.py --sizes 1000 --work var/bench
	$(BIN)/python benchmarks/query.py --store var/bench/store-1000 --repeat 5 --concurrency 1 8 --seconds 10 --timeout 30
	$(BIN)/python benchmarks/hostile.py --store var/bench/store-1000 --seconds 15

test-virtuoso: install-test
	CONSULTGRAPH_TEST_VIRTUOSO=1 $(BIN)/pytest -q -ra tests/test_store_contract.py tests/test_remote_virtuoso.py

lint: install-test
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) var build *.egg-info test-artifacts
