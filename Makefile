# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local serving over plain http on 127.0.0.1.
RUN_ENV := DEBUG=0 ALLOW_INSECURE_DEV_KEY=1 SECURE_HTTPS=0
# Tests run with production settings except HTTPS, which the test client does not speak.
TEST_ENV := DEBUG=0 ALLOW_INSECURE_DEV_KEY=1 SECURE_HTTPS=0
# The suite runs on pytest-xdist workers, one per core and at most four (each
# starts its own Chromium and search server, and gets its own database and
# paths), in pytest-randomly's shuffled order. It prints the seed; the same
# order again: `make test PYTEST_ARGS=--randomly-seed=SEED` (PYTEST_WORKERS=0: one process).
PYTEST_WORKERS ?= auto

.PHONY: run test test-postgres test-compose check-deploy install setup lint format clean need-python test-packages

# Debian packages a target needs besides Python: installed when run as root on
# Debian, otherwise one line saying what to run (scripts/system_packages.py).
SYSTEM_PACKAGES := $(PYTHON) scripts/system_packages.py

need-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }

$(BIN)/python: | need-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

setup: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py add_paper hu-he-hao-te-ri-bao 呼和浩特日报 --place 呼和浩特 --frequency daily
	$(RUN_ENV) $(BIN)/python manage.py add_paper ren-min-ri-bao 人民日报 --place 北京 --publisher 人民日报社 \
		--first-issue 1948-06-15 --frequency daily --cn CN11-0065
	$(RUN_ENV) $(BIN)/python manage.py ingest --paper hu-he-hao-te-ri-bao samples/*.txt
	$(RUN_ENV) $(BIN)/python manage.py ingest samples/ren-min-ri-bao/

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(RUN_ENV) $(BIN)/gunicorn config.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# The packages are checked first, so a missing one stops the run at once.
test-packages: need-python
	@$(SYSTEM_PACKAGES) test

test: test-packages install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --cache-dir var/import-linter
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

# The same suite against a throwaway PostgreSQL cluster (needs Debian's postgresql).
test-postgres: need-python
	@$(SYSTEM_PACKAGES) test test-postgres
	.ci/with-postgres $(MAKE) --no-print-directory test

# The production set-up built, started and checked in Docker, then removed
# (docker/test-compose; as root on Debian it installs and starts Docker).
test-compose: need-python
	PYTHON=$(PYTHON) docker/test-compose

# What production settings must pass: only the four required variables set.
check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=archive.example.org DATABASE_URL=postgres://archive:archive@localhost/archive \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --cache-dir var/import-linter

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var test-artifacts .pytest_cache
