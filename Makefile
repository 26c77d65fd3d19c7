# 一网协同 — the two commands: `make run` (demo on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run setup test lint check bench worker beat messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.deps-run

# A development .env with a random secret key, written once and never committed.
.env:
	cp .env.example .env
	echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env

setup: $(VENV)/.deps-run .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

PORT ?= 8000

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One pytest-xdist worker per core; a module's tests stay on one worker so its shared fixtures
# (tests/sharing.py) are built once. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.deps-dev .env
	bash scripts/install-browser.sh
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# Django's system checks, and no model change without its migration.
check: $(VENV)/.deps-dev .env
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(VENV)/.deps-dev .env
	$(BIN)/python bench/run.py $(BENCH_ARGS)

worker: $(VENV)/.deps-run .env
	$(BIN)/celery -A config worker -l info

beat: $(VENV)/.deps-run .env
	$(BIN)/celery -A config beat -l info

# Regenerate the English catalogue after changing UI strings (needs GNU gettext).
messages: $(VENV)/.deps-dev
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=.venv-prod --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv --ignore=.venv-prod
