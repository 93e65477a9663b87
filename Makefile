# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium

.PHONY: run setup install system data test quality fix bench clean lock lock-upgrade

PORT ?= 8000

run: setup ## Set up everything and serve the site on http://127.0.0.1:$(PORT) (SQLite, tasks in-process, DEBUG on)
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

setup: install ## Database schema, territories, the bundled ALDO releases and indicator series
	$(MANAGE) setup_site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/installed ## Install the locked dependencies and test tools in a virtual environment

$(VENV)/installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $@

# requirements/*.txt pin every dependency, direct and transitive, with their hashes (uv resolves pyproject.toml).
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet

lock: install ## After editing pyproject.toml: resolve requirements/*.txt again, keeping the other pins
	$(UV_COMPILE) $(UPGRADE) -o requirements/base.txt
	$(UV_COMPILE) $(UPGRADE) --extra dev -c requirements/base.txt -o requirements/dev.txt

lock-upgrade: ## The scheduled dependency update: every pin to its latest allowed release, then `make test`
	$(MAKE) lock UPGRADE=--upgrade

system: ## Debian packages the tests drive: Chromium (Playwright never downloads its own) and docker-compose
	@command -v $(CHROMIUM) >/dev/null && command -v docker-compose >/dev/null || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium docker-compose) \
		|| echo "WARNING: could not install Debian's 'chromium' and 'docker-compose' (root needed):" \
			"the browser and compose tests will be skipped."; }

test: install system ## Run the whole test suite (PostgreSQL and a Celery worker when DATABASE_URL / CELERY_BROKER_URL are set)
	$(BIN)/pytest -n 2 --dist loadgroup

quality: install ## Lint, format check and missing migrations (CI runs this too)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

fix: ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmarks that read a database read this one: created and filled (idempotently) by `make bench`.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/observatory_bench

bench: install ## Benchmarks: each prints its figures (medians of several runs) and its target; PostgreSQL needed
	psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE observatory_bench" 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) setup_site
	$(BIN)/python bench/bench_validation.py
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_setup.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_pages.py --database-url $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_exports.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_comparison.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_scenarios.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_groupings.py

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles test-artifacts
