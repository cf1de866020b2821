# AriaForge — `make run` starts it, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := backend/requirements-dev.lock
NPM ?= npm
WEB := frontend
# npm ci writes this file last; it is missing or older than the lock when node_modules
# is absent or stale.
NODE_STAMP := $(WEB)/node_modules/.package-lock.json
WEB_INDEX := $(WEB)/out/index.html
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(WEB)/package.json $(WEB)/next.config.mjs $(WEB)/tsconfig.json

.PHONY: help install run test lint fmt bench lock clean frontend frontend-check \
	api-client api-client-check browser node deploy-check stack-test backup-drill

help:
	@echo "make run    start AriaForge at http://127.0.0.1:8000 (installs first)"
	@echo "make test   lint, type-check and run the whole test suite"
	@echo "make lint   ruff + mypy"
	@echo "make frontend    build the web app into frontend/out (served at /)"
	@echo "make api-client  regenerate frontend/src/api/schema.d.ts after changing the API"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make deploy-check  lint and validate every deployment file (k8s, compose, CI/CD, IaC)"
	@echo "make stack-test    the production-like stack: nginx, 2 APIs, 2 workers, S3, drills"
	@echo "make backup-drill  backup, restore into a fresh server, compare every row and object"
	@echo "make lock   re-resolve backend/requirements*.lock after editing pyproject.toml"

# A fresh virtualenv from the hashed lock file; re-run only when the lock or project change.
install: $(STAMP)

$(STAMP): $(LOCK) backend/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		"AriaForge needs Python 3.11 or newer (set PYTHON=python3.12 or similar)")'
	# The same script installs the image's dependencies (backend/Dockerfile).
	PYTHON=$(PYTHON) sh backend/scripts/install-python-deps.sh $(VENV) $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e backend
	@touch $@

run: install frontend
	$(BIN)/ariaforge up

# --- Web app (frontend/): Node 20+. Each step runs only when its inputs changed. ---
node:
	@command -v $(NPM) >/dev/null || { echo "the web app needs Node.js 20 or newer (npm)" >&2; \
		exit 1; }

$(NODE_STAMP): $(WEB)/package-lock.json | node
	cd $(WEB) && $(NPM) ci
	@touch $@

frontend: $(WEB_INDEX)

# The static export the API serves (WEB_DIR). Next.js rewrites out/ as a whole.
$(WEB_INDEX): $(NODE_STAMP) $(WEB_SOURCES)
	cd $(WEB) && $(NPM) run build
	@touch $@

# Type-check, lint (ESLint with the React hooks rules), unit and component tests, and the
# generated API client must match the API as it is now.
frontend-check: $(NODE_STAMP) api-client-check
	cd $(WEB) && $(NPM) run typecheck
	cd $(WEB) && $(NPM) run lint
	cd $(WEB) && $(NPM) test

api-client: install $(NODE_STAMP)
	$(BIN)/ariaforge openapi -o $(WEB)/openapi.json
	cd $(WEB) && $(NPM) run api-client

# Runs the same `npm run api-client` in a scratch folder, so the options live in one place.
api-client-check: install $(NODE_STAMP)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	mkdir -p "$$scratch/src/api" && cp $(WEB)/package.json "$$scratch/" && \
	ln -s "$(CURDIR)/$(WEB)/node_modules" "$$scratch/node_modules" && \
	$(BIN)/ariaforge openapi -o "$$scratch/openapi.json" && \
	{ (cd "$$scratch" && $(NPM) run --silent api-client) >"$$scratch/log" 2>&1 || \
		{ cat "$$scratch/log" >&2; exit 1; }; } && \
	if ! diff -u $(WEB)/src/api/schema.d.ts "$$scratch/src/api/schema.d.ts"; then \
		echo "frontend/src/api/schema.d.ts is out of date with the API: run \`make api-client\`" >&2; \
		exit 1; \
	fi

# The browser end-to-end tests drive Debian's chromium (Playwright cannot download its own).
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) ; } || \
		echo "browser: install Debian's chromium (/usr/bin/chromium) for the end-to-end tests" >&2

lint: install
	cd backend && $(BIN)/ruff check . ../bench ../training ../infra && \
		$(BIN)/mypy ariaforge tests ../bench ../training

fmt: install
	cd backend && $(BIN)/ruff check --fix . ../bench ../training

# The end-to-end tests serve the built web app (frontend) in chromium (browser).
test: lint frontend-check frontend browser deploy-check
	cd backend && $(BIN)/pytest

# Every deployment file through the tools that check it (deploy/check.sh installs them).
deploy-check: install
	bash deploy/check.sh

# Also part of `make test` (tests/stack and tests/drills are in the pytest run there).
stack-test: install frontend
	cd backend && $(BIN)/pytest tests/stack

backup-drill: install
	cd backend && $(BIN)/pytest tests/drills

# From Debian: the peer in bench/bench_render.py (the fluidsynth command line) and the
# load generator of bench/bench_api.py (wrk). From PyPI, hashed: ONNX Runtime for the melody
# transformer that bench/bench_melody_transformer.py compares with the shipped n-gram (ADR 19).
# The peer of bench/bench_collab.py: Node's y-websocket@2 server, pinned in its own lock.
COLLAB_PEER := bench/collab-peer
COLLAB_PEER_STAMP := $(COLLAB_PEER)/node_modules/.package-lock.json

$(COLLAB_PEER_STAMP): $(COLLAB_PEER)/package-lock.json | node
	cd $(COLLAB_PEER) && $(NPM) ci
	@touch $@

bench: install frontend $(COLLAB_PEER_STAMP)
	@command -v fluidsynth >/dev/null && command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq fluidsynth wrk >/dev/null) ; } || \
		echo "bench: install Debian's fluidsynth and wrk (the peers and load generator)"
	$(BIN)/uv pip install --python $(BIN)/python --quiet --require-hashes \
		-r bench/requirements-transformer.lock
	$(BIN)/python bench/run.py

lock: install
	cd backend && $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock
	cd backend && $(BIN)/uv pip compile pyproject.toml --group dev --universal \
		--python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock

clean:
	rm -rf $(VENV) build backend/.mypy_cache backend/.ruff_cache backend/.pytest_cache
