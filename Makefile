# Two commands do everything (README): `make run` and `make test`. The rest are helpers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# Passed through to `cchc run`: a real data directory and report year (default: bundled sample).
DATA_DIR ?=
YEAR ?=

.PHONY: run test test-faults web browser bench-web venv sample-data db-start db-stop db-status airflow docs lint lock bench fuzz clean print-tools

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
	@$(PY) -m cchc_app.cli run $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(if $(YEAR),--year $(YEAR))

test: venv print-tools browser
	@$(PY) -m pytest $(PYTEST_ARGS)

# LibreOffice Calc (headless) prints the Excel workbook to PDF in the print-layout test.
# Installed when missing and we may (root with apt-get); otherwise that test says why it skips.
# A fresh container has no package lists: update them only when the first try fails.
LO_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	libreoffice-calc-nogui >/dev/null
print-tools:
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& echo "[make] installing libreoffice-calc-nogui (Excel print-layout test) …" \
		&& { $(LO_INSTALL) 2>/dev/null || { apt-get update -q >/dev/null && $(LO_INSTALL); }; }; } \
		|| true

# The web app's tests drive Debian's Chromium through its chromedriver (never a downloaded one).
# Installed when missing and we may (root with apt-get); otherwise those tests say why they skip.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "[make] installing chromium and chromium-driver (web app browser tests) …"; \
		apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends chromium chromium-driver >/dev/null; \
	else echo "[make] the web app's browser tests need: sudo apt-get install chromium chromium-driver" >&2; fi

web: venv
	@$(PY) -m cchc_app.cli web

# The long fault scenarios (whole `cchc run`s with the database restarted, processes
# killed …), each compared with a clean run; README "Reliability". ~20 min on 2 cores.
test-faults: venv
	@$(PY) -m pytest --run-faults tests/faults $(PYTEST_ARGS)

sample-data: venv
	@$(PY) -m cchc_app.cli sample-data

db-start: venv
	@$(PY) -m cchc_app.cli db start
db-stop: venv
	@$(PY) -m cchc_app.cli db stop
db-status: venv
	@$(PY) -m cchc_app.cli db status

airflow: venv
	@$(PY) -m cchc_app.cli airflow standalone

# Inspectors' documentation (marts with Vietnamese labels, the inspection pack, dbt docs)
# as static pages; prints the path of .local/docs/index.html.
docs: venv
	@$(PY) -m cchc_app.docs

# Python (ruff), the SQL of the dbt project and inspection pack (SQLFluff, no database
# needed), and undeclared imports (deptry); rules in pyproject.toml and .sqlfluff.
LINT_PY := cchc cchc_app ingest expectations reports sampledata dags tests web dbt/scripts
LINT_SQL := dbt/models dbt/macros dbt/tests inspection
lint: venv
	@$(VENV)/bin/ruff check $(LINT_PY)
	@$(VENV)/bin/deptry . --no-ansi
	@$(VENV)/bin/sqlfluff lint $(LINT_SQL) --processes 0 --disable-progress-bar --nocolor

# Re-resolve the lock after changing pyproject.toml dependencies.
lock: venv
	@$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 \
		--only-binary dbt-core-experimental-parser -o requirements.lock

# The long form of the fuzzed readers (tests/fuzz; `make test` runs 8 examples each):
# FUZZ_EXAMPLES per reader, 0.4–0.6 s each on the shared 2-core machine (700: 15–25 min).
FUZZ_EXAMPLES ?= 700
fuzz: venv
	@CCHC_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/fuzz -p no:cacheprovider \
		--hypothesis-show-statistics $(PYTEST_ARGS)

# A generated province of BENCH_CASES cases a year through ingest, dbt and the report;
# appends one object to benchmarks/results.json (cchc_app/bench.py, benchmarks/README.md).
BENCH_CASES ?= 1000000
bench: venv
	@$(PY) -m cchc_app.bench --cases $(BENCH_CASES)

bench-web: venv
	@$(PY) -m web.benchmarks.bench_pages

clean:
	-@$(PY) -m cchc_app.cli db stop 2>/dev/null
	rm -rf .local
