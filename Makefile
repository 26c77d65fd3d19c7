# 一网协同 — the two commands: `make run` (demo on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python's bytecode cache, even where the environment turns it off (PYTHONDONTWRITEBYTECODE, as on the CI machine):
# without it every process compiles the project from source, and every pytest worker rewrites the asserts of
# 280 test modules again — ≈ 7 of the 13 CPU seconds a worker spends collecting, and more in each subprocess the
# tests start (real Celery workers, `manage.py check --deploy`). __pycache__/ is git-ignored.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run setup test lint check bench worker beat messages vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.deps-run

# A development .env with a random secret key and an ID-token signing key (unified identity), written once and
# never committed. Without openssl the key line is left out and development signs with a key made at start-up.
.env:
	cp .env.example .env
	echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
	if [ ! -f .oidc-dev-key.pem ]; then openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .oidc-dev-key.pem 2>/dev/null && chmod 600 .oidc-dev-key.pem; fi; \
	if [ -f .oidc-dev-key.pem ]; then echo "OIDC_RSA_PRIVATE_KEY_FILE=.oidc-dev-key.pem" >> .env; fi

# The browser libraries (ECharts, HTMX) come from the npm registry through package.json and its lock file,
# and are copied into static/vendor/ (git-ignored), where Django's static files find them: never a CDN.
VENDOR_FILES := node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js \
	node_modules/html5-qrcode/html5-qrcode.min.js
static/vendor/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp $(VENDOR_FILES) static/vendor/
	cp node_modules/echarts/LICENSE static/vendor/echarts.LICENSE
	cp node_modules/htmx.org/LICENSE static/vendor/htmx.LICENSE
	cp node_modules/html5-qrcode/LICENSE static/vendor/html5-qrcode.LICENSE
	touch $@

vendor: static/vendor/.installed

setup: $(VENV)/.deps-run .env static/vendor/.installed
	$(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py seed_demo

# `PORT=8001 make run` (or `make run PORT=8001`) serves on another port; seed_demo prints the address.
PORT ?= 8000

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One pytest-xdist worker per core; a module's tests stay on one worker so its shared fixtures
# (tests/sharing.py) are built once. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.deps-dev .env static/vendor/.installed
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
