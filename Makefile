# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint format messages translations bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.translations: $(VENV)/.installed $(wildcard translations/*/LC_MESSAGES/messages.po)
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --use-fuzzy -q -d translations || exit 1; fi
	touch $@

install: $(VENV)/.translations
	@if [ -f package.json ]; then npm install --no-audit --no-fund --silent || exit 1; fi

run: install
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	WEBAPP_BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$(WORKERS) $(BIN)/gunicorn --config gunicorn.conf.py 'webapp:create_app()'

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Load benchmark (not part of `make test`): seeds SQLite and PostgreSQL (database `bench`),
# serves with gunicorn, loads with wrk, writes docs/benchmark.md. Options: BENCH_ARGS, e.g.
# make bench BENCH_ARGS='--orders 1000000'   (python -m bench.run --help lists them)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check webapp tests

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --project webapp .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --omit-header

translations: install
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) instance .pytest_cache
