# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint format bench e2e clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py snapshot_figures --backfill
	DEBUG=1 SIGN_IN_URL=http://$(HOST):$(PORT)/accounts/login/ $(PY) manage.py create_demo_users

run: demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# DEBUG=1 only lets settings generate a local SECRET_KEY; the test runner itself runs with DEBUG off.
test: $(STAMP)
	DEBUG=1 $(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

e2e: $(STAMP)
	DEBUG=1 $(PY) -m pytest -q tests/e2e $(PYTEST_ARGS)

bench: $(STAMP)
	bash bench/run.sh

clean:
	rm -rf $(VENV) staticfiles
