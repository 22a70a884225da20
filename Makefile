# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format system-deps sample bench clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

## run: start the dashboard (seeds the sample portfolio into data/ on first run); served on
## localhost only (.streamlit/config.toml) unless ADDRESS is given, e.g. `make run ADDRESS=0.0.0.0`
run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py $(if $(ADDRESS),--server.address $(ADDRESS)) $(if $(PORT),--server.port $(PORT))

## test: lint, format check and the whole test suite (unit, database, page, browser)
test: $(VENV)/.dev system-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

system-deps:
	@bash scripts/system_deps.sh

lint: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## sample: regenerate the sample portfolio files in sample_data/
sample: $(VENV)/.runtime
	$(PY) -m sample_data --as-of 2026-11-23

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
