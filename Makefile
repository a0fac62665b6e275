# Two commands do everything (README): `make run` and `make test`. The rest are helpers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# Passed through to `cchc run`: a real data directory and report year (default: bundled sample).
DATA_DIR ?=
YEAR ?=

.PHONY: run test test-faults venv sample-data db-start db-stop db-status airflow lint lock bench clean

venv: $(VENV)/.installed

# Recreated when the lock changes; uv installs the locked set and compiles bytecode,
# because every Airflow command otherwise recompiles (PYTHONDONTWRITEBYTECODE is common).
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "[make] installing the locked environment into $(VENV) …"
	@$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@$(VENV)/bin/uv pip sync -q --python $(PY) --compile-bytecode requirements.lock
	@$(VENV)/bin/uv pip install -q --python $(PY) --no-deps --compile-bytecode -e .
	@touch $@

run: venv
	@$(PY) -m cchc.cli run $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(if $(YEAR),--year $(YEAR))

test: venv
	@$(PY) -m pytest $(PYTEST_ARGS)

# The long fault scenarios (whole `cchc run`s with the database restarted, processes
# killed …), each compared with a clean run; README "Reliability". ~20 min on 2 cores.
test-faults: venv
	@$(PY) -m pytest --run-faults tests/faults $(PYTEST_ARGS)

sample-data: venv
	@$(PY) -m cchc.cli sample-data

db-start: venv
	@$(PY) -m cchc.cli db start
db-stop: venv
	@$(PY) -m cchc.cli db stop
db-status: venv
	@$(PY) -m cchc.cli db status

airflow: venv
	@$(PY) -m cchc.cli airflow standalone

lint: venv
	@$(VENV)/bin/ruff check cchc ingest expectations reports sampledata dags tests

# Re-resolve the lock after changing pyproject.toml dependencies.
lock: venv
	@$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 \
		--only-binary dbt-core-experimental-parser -o requirements.lock

bench: venv
	@$(PY) -m ingest.benchmarks.bench_csv_load

clean:
	-@$(PY) -m cchc.cli db stop 2>/dev/null
	rm -rf .local
