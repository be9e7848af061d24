# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 8000
# One process with threads: the rate limits' in-memory counters are then shared by all requests.
WORKERS ?= 1
THREADS ?= 4

.PHONY: install run test faults screenshots lint format messages translations bench soak clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Compiled catalogs (.mo) are build products (git-ignored): one per .po, rebuilt when it changes.
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -l $* -i $< -o $@

install: $(VENV)/.installed $(MO_FILES)
	@if [ -f package.json ]; then npm install --no-audit --no-fund --silent || exit 1; fi

# The site with gunicorn, and beside it the mail sender (without WEBAPP_MAIL_URL it writes each
# message as an .eml file under instance/mail/ and prints a line); Ctrl+C stops both.
run: install
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@WEBAPP_SITE_URL=$${WEBAPP_SITE_URL:-http://$(HOST):$(PORT)} $(FLASK) send-mail & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	WEBAPP_SITE_URL=$${WEBAPP_SITE_URL:-http://$(HOST):$(PORT)} WEBAPP_BIND=$(HOST):$(PORT) \
		WEB_CONCURRENCY=$(WORKERS) WEBAPP_THREADS=$(THREADS) $(BIN)/gunicorn --config gunicorn.conf.py 'webapp:create_app()'

# The browser tests drive Debian's Chromium (never a downloaded one): installed when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Chromium for the browser tests (apt-get)"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: install $(CHROMIUM) lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Longer fault tests (a gunicorn worker killed mid-request, on PostgreSQL): not in `make test`,
# run by CI besides it. The quick fault tests (Redis and the database away) are in `make test`.
faults: install
	$(BIN)/pytest -q -m long_fault tests/faults $(PYTEST_ARGS)

# The README's pictures (docs/screenshots/), taken by the browser tests; `make test` writes its
# own to instance/screenshots/.
screenshots: install $(CHROMIUM)
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q tests/browser

# Load benchmark (not part of `make test`): seeds SQLite and PostgreSQL (database `bench`),
# serves with gunicorn, loads with wrk, writes docs/benchmark.md. Options: BENCH_ARGS, e.g.
# make bench BENCH_ARGS='--orders 1000000'   (python -m bench.run --help lists them)
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Soak (not part of `make test`): two gunicorn processes on PostgreSQL (database `soak`) and
# Redis under mixed traffic at a fixed rate for 10 minutes, writes docs/soak.md. Options:
# SOAK_ARGS, e.g. make soak SOAK_ARGS='--minutes 60'   (python -m bench.soak --help lists them)
soak: install
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

# Lint, format and types: part of `make test`.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Translators: `make messages` extracts every string into translations/messages.pot and merges
# it into each language's catalog (a language of LANGUAGES in webapp/config.py without a catalog
# gets one); `make translations` compiles the catalogs. See "Translations" in the README.
# The keywords besides Babel's defaults (_, gettext, ngettext, ...) that mark strings in webapp/.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k N_
POT := translations/messages.pot
LANGUAGES = $(shell $(BIN)/python -c 'from webapp.config import Config; print(*Config.LANGUAGES)')

messages: install
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) -c TRANSLATORS: \
		--add-location=file --sort-output --project webapp -o $(POT) .
	@for lang in $(LANGUAGES); do \
		$(BIN)/pybabel update -i $(POT) -d translations -l $$lang --init-missing \
			--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date || exit 1; \
	done
	$(BIN)/python translations/fill_english.py translations/en/LC_MESSAGES/messages.po
	@echo "Now translate the new entries of translations/*/LC_MESSAGES/messages.po, then: make translations"

translations: install
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
