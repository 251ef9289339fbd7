# Two commands to know: `make run` (try it) and `make test` (test it). See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
PORT ?= 8000
# Two test processes: the CI machine has two cores.
PYTEST_ARGS ?= -n 2
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python keeps each module compiled (__pycache__), even where the environment says not to: every
# test process, worker and server imports the whole app, and compiling it again each time costs
# each of them seconds (an empty value is Python's "unset").
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test soak bench lint lock check-deploy static manage clean clean-data help

help:
	@echo "make run    - install, build, migrate, load the demo, then web, worker and beat on 127.0.0.1:$(PORT)"
	@echo "make test   - install and run the whole test suite on a throwaway PostgreSQL and Redis"
	@echo "make soak   - $(SOAK_CLIENTS) clients for $(SOAK_SECONDS) s against a running 'make run'"
	@echo "make bench  - national-size data, served on production settings, timed (SCALE=$(SCALE); 1 is national)"
	@echo "make manage ARGS='createsuperuser' - a manage.py command on make run's data"
	@echo "make lint   - ruff check, ruff format --check and the import contracts (lint-imports)"
	@echo "make lock   - recompile requirements*.txt (with hashes) from requirements*.in"
	@echo "make clean-data - delete make run's database and queue (.data/) to start afresh"

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is needed (Python 3.11). Install it, or run 'make PYTHON=/path/to/python3.11 ...'." >&2; exit 1; }
	@echo "==> creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package, transitive ones too, from the lock files and checked against their hashes.
$(VENV)/.runtime: requirements.txt $(VENV)/bin/activate
	@echo "==> installing the locked dependencies"
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt || { echo "make: installing requirements.txt failed (see above)." >&2; exit 1; }
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	@echo "==> installing the test tools"
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt || { echo "make: installing requirements-dev.txt failed (see above)." >&2; exit 1; }
	@touch $@

# The locks are compiled from PyPI alone (this machine's local wheel folders are left out).
PIP_COMPILE := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements.in requirements-dev.in

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is needed (Node.js 20 or later) to build GOV.UK Frontend." >&2; exit 1; }
	@echo "==> installing GOV.UK Frontend, Sass and axe-core from npm"
	npm ci --no-audit --no-fund --loglevel=error || { echo "make: 'npm ci' failed (see above)." >&2; exit 1; }
	@touch $@

static: static/dist/.built

# Built again only when a source changes, so a second `make run` starts quickly.
static/dist/.built: node_modules/.installed static/build.mjs $(shell find static/src -type f)
	@echo "==> building the stylesheets and scripts"
	npm run --silent build || { echo "make: building static assets failed (see above)." >&2; exit 1; }
	@touch $@

# PostgreSQL and Redis: the ones in DATABASE_URL and REDIS_URL, or embedded ones started here
# (make run keeps its data in .data/; make test uses a throwaway cluster). See shortbreaks/runtime.py.
RUNTIME := $(PY) -m shortbreaks.runtime

run: $(VENV)/.runtime static
	$(RUNTIME) run --port $(PORT)

test: $(VENV)/.dev static
	$(RUNTIME) test -- $(BIN)/pytest $(PYTEST_ARGS)

SOAK_CLIENTS ?= 16
SOAK_SECONDS ?= 60
soak: $(VENV)/.runtime
	$(PY) -m shortbreaks.soak --base-url http://127.0.0.1:$(PORT) --clients $(SOAK_CLIENTS) --seconds $(SOAK_SECONDS)

# National-size data in its own database (BENCH_DATABASE_URL, or shortbreaks_bench on the
# embedded server), the app served as production serves it, and a report in bench/reports/.
# SCALE=0.05 is the same shape with 5% of the rows. See docs/decisions/0010-benchmark.md.
SCALE ?= 1
bench: $(VENV)/.dev static
	$(PY) -m bench --scale $(SCALE)

manage: $(VENV)/.runtime
	$(RUNTIME) exec -- $(PY) manage.py $(ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-deploy: $(VENV)/.dev static
	@echo "==> manage.py check --deploy on production settings, with throwaway secrets, as the"
	@echo "    application's database role on a throwaway database (migrated by its owner)"
	DJANGO_SETTINGS_MODULE=shortbreaks.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=shortbreaks.example.org \
	$(PY) -m shortbreaks.runtime check-deploy
	@echo "==> collectstatic with the production (hashed) storage"
	DJANGO_SETTINGS_MODULE=shortbreaks.settings.production DJANGO_SECRET_KEY=collectstatic-only \
	DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=postgres://postgres@127.0.0.1:5432/unused \
	REDIS_URL=redis://127.0.0.1:6379/0 STATIC_ROOT="$$(mktemp -d)" \
	$(PY) manage.py collectstatic --noinput -v0
	@echo "==> no model change lacks its migration"
	$(RUNTIME) test -- $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles

clean-data:
	rm -rf .data
