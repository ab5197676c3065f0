# The newcomer's path: `make run` serves everything on http://127.0.0.1:8000, `make test` tests it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-test chromium gettext messages makemessages lint format typecheck migrations-check contracts bench-load bench-smoke clean

run: $(VENV)/.installed messages ## Install, migrate, seed the demo data and serve on SITE_URL (default :8000)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_sandbox --documents var/demo-documents
	$(PY) manage.py seed_payers
	$(PY) manage.py demo_reviews
	$(PY) manage.py serve

test: $(VENV)/.installed-test chromium messages ## Install test needs (incl. headless Chromium) and run everything
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .
	@echo "== The suite, embedded profile (SQLite, local-memory cache) =="
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ]; then \
	  echo "== The suite again, production data stores (PostgreSQL and Redis from DATABASE_URL, REDIS_URL); what keeps no data of its own ran above (see NO_DATA_STORE) ==" ; \
	  $(PY) -m pytest -q $(addprefix --ignore=,$(NO_DATA_STORE)); \
	fi

# Tests of what keeps no data of its own, run once (in the embedded profile): the reader and X12
# (pure), the claim's situation and the findings (pure), the browser's walks, the HTTP clients'
# transport, the pages in Spanish, and the sandbox's stand-ins for remote services (identity
# provider, Optum, the API's contract, the seeded documents). Sessions, cache, rate limits, locks,
# tokens shared through the cache (Optum's, Integrex's), the task queue and the webhooks' dedup are
# all in the second pass.
NO_DATA_STORE := tests/evidence tests/browser tests/x12 tests/claims/test_situation.py \
  tests/claims/test_findings.py tests/portal/test_spanish_pages.py tests/gateway/test_client.py \
  tests/sandbox/test_schemathesis.py tests/sandbox/test_idp.py tests/sandbox/test_optum.py \
  tests/sandbox/test_seed_documents.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

# Browser tests drive Debian's Chromium through Playwright (never a browser download).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	echo "Installing Debian's chromium for the browser tests..."; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null

# The Spanish catalog is compiled from locale/*/LC_MESSAGES/*.po (the .mo files are built, never
# committed). compilemessages needs GNU gettext's msgfmt: Debian's gettext package.
gettext:
	@if command -v msgfmt >/dev/null 2>&1; then exit 0; fi; \
	echo "Installing Debian's gettext (msgfmt) for the translations..."; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null

messages: $(VENV)/.installed gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var

# After changing marked text: extract it into locale/es (then translate the new entries).
makemessages: $(VENV)/.installed gettext
	$(PY) manage.py makemessages -l es --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=node_modules

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: $(VENV)/.installed-test
	$(PY) -m mypy portal claims receipts reviews insurance sandbox evidence x12

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

contracts: $(VENV)/.installed-test
	$(VENV)/bin/lint-imports

# Load and fault runs (needs PostgreSQL on 127.0.0.1:5432 and Redis on :6379; about 10 minutes).
bench-load: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	cd bench && ../$(PY) load.py

# The same runs, small and short (16 members, 15 s): that the setup still works and nothing written
# is lost or doubled under faults. Figures from it mean little. CI runs it without failing on it.
bench-smoke: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	cd bench && ../$(PY) load.py --runs steady,faults --members 16 --rate 60 --warmup 5 --duration 15

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
