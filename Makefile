# Two commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
STAMP_RUN := $(VENV)/.installed

.PHONY: demo test lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/adcvd demo

# Every test on SQLite and on PostgreSQL: tests/support/postgres.py starts a throwaway PostgreSQL server
# (initdb/pg_ctl from the Debian `postgresql` package) on 127.0.0.1, or uses ADCVD_TEST_POSTGRES_URL.
# Without PostgreSQL its tests are skipped with the reason, except with CI=true, where they fail.
# The tests run in TEST_WORKERS processes (pytest-xdist). `--dist loadfile` keeps each file in one process:
# the fault suite's two files (SQLite, PostgreSQL) each make their baseline run once and run side by side. `make test TEST_WORKERS=0` runs everything in one process;
# PYTEST_ARGS picks tests (`make test PYTEST_ARGS=tests/watchers`).
TEST_WORKERS ?= 2
PYTEST_ARGS ?=
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) outbox adcvd-demo.db adcvd.db .pytest_cache .mypy_cache .ruff_cache
