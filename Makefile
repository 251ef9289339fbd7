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

.PHONY: run test lint check-deploy static migrate seed worker clean help

help:
	@echo "make run    - install, build, migrate, load the demo councils and serve on 127.0.0.1:$(PORT)"
	@echo "make test   - install and run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   - ruff check and ruff format --check"

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is needed (Python 3.11). Install it, or run 'make PYTHON=/path/to/python3.11 ...'." >&2; exit 1; }
	@echo "==> creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt $(VENV)/bin/activate
	@echo "==> installing the pinned dependencies"
	$(BIN)/pip install --quiet -r requirements.txt || { echo "make: installing requirements.txt failed (see above)." >&2; exit 1; }
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	@echo "==> installing the test tools"
	$(BIN)/pip install --quiet -r requirements-dev.txt || { echo "make: installing requirements-dev.txt failed (see above)." >&2; exit 1; }
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is needed (Node.js 20 or later) to build GOV.UK Frontend." >&2; exit 1; }
	@echo "==> installing GOV.UK Frontend, Sass and axe-core from npm"
	npm ci --no-audit --no-fund --loglevel=error || { echo "make: 'npm ci' failed (see above)." >&2; exit 1; }
	@touch $@

static: node_modules/.installed
	@echo "==> building the stylesheets and scripts"
	npm run --silent build || { echo "make: building static assets failed (see above)." >&2; exit 1; }

migrate: $(VENV)/.runtime
	@echo "==> migrating the database ($${DATABASE_URL:-SQLite in shortbreaks.sqlite3})"
	$(PY) manage.py migrate --noinput

seed: migrate
	@echo "==> loading the demo councils"
	$(PY) manage.py seed_demo

run: $(VENV)/.runtime static seed
	@echo "==> serving on http://127.0.0.1:$(PORT)/ (tasks run in-process; Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev static
	@echo "==> running the tests on $${DATABASE_URL:+PostgreSQL}$${DATABASE_URL:-SQLite}$${REDIS_URL:+ with Redis and a real Celery worker}"
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: $(VENV)/.runtime static
	@echo "==> manage.py check --deploy on production settings, with throwaway secrets"
	DJANGO_SETTINGS_MODULE=shortbreaks.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=shortbreaks.example.org \
	DATABASE_URL="$${DATABASE_URL:-sqlite:////tmp/shortbreaks-check.sqlite3}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(PY) manage.py check --deploy --fail-level WARNING
	@echo "==> collectstatic with the production (hashed) storage"
	DJANGO_SETTINGS_MODULE=shortbreaks.settings.production DJANGO_SECRET_KEY=collectstatic-only \
	DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/shortbreaks-check.sqlite3 \
	REDIS_URL=redis://127.0.0.1:6379/0 STATIC_ROOT="$$(mktemp -d)" \
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py makemigrations --check --dry-run

worker: $(VENV)/.runtime
	$(BIN)/celery -A shortbreaks worker --loglevel=info --concurrency=2

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles
