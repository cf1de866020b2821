# AriaForge — `make run` starts it, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := backend/requirements-dev.lock

.PHONY: help install run test lint fmt bench lock clean

help:
	@echo "make run    start AriaForge at http://127.0.0.1:8000 (installs first)"
	@echo "make test   lint, type-check and run the whole test suite"
	@echo "make lint   ruff + mypy"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make lock   re-resolve backend/requirements*.lock after editing pyproject.toml"

# A fresh virtualenv from the hashed lock file; re-run only when the lock or project change.
install: $(STAMP)

$(STAMP): $(LOCK) backend/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		"AriaForge needs Python 3.11 or newer (set PYTHON=python3.12 or similar)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The lock is complete (every transitive dependency pinned and hashed), so --no-deps
	# is safe and lets us leave out tinysoundfont's unused live-playback dependency.
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e backend
	@touch $@

run: install
	$(BIN)/ariaforge up

lint: install
	cd backend && $(BIN)/ruff check . ../bench ../training && $(BIN)/mypy ariaforge tests ../bench ../training

fmt: install
	cd backend && $(BIN)/ruff check --fix . ../bench ../training

test: lint
	cd backend && $(BIN)/pytest

# The peer in bench/bench_render.py is the fluidsynth command line, from Debian.
bench: install
	@command -v fluidsynth >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq fluidsynth >/dev/null) ; } || \
		echo "bench: install Debian's fluidsynth to compare against it"
	$(BIN)/python bench/run.py

lock: install
	cd backend && $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock
	cd backend && $(BIN)/uv pip compile pyproject.toml --group dev --universal \
		--python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock

clean:
	rm -rf $(VENV) backend/.mypy_cache backend/.ruff_cache backend/.pytest_cache
